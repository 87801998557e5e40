package client

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFlushSendsBeaconsFirst: a flush sends every due beacon before it
// writes any event of its batch (an adstart carries the whole ad), and
// the batch still lists events in the order the engine gave the actions:
// a pod's first ad at 0 s is adbreakstart, adstart, breakStart,
// impression.
func TestFlushSendsBeaconsFirst(t *testing.T) {
	tests := []struct {
		name string
		// sendPanics makes the first Send panic: its error event stays at
		// that beacon's place and the other beacons still go first.
		sendPanics bool
		wantOrder  []string
	}{
		{"in order", false, []string{"adbreakstart", "adstart", "beacon a/breakStart", "beacon a-1/impression"}},
		{"a send panics", true, []string{"adbreakstart", "adstart", "beacon a/breakStart", "error", "beacon a-1/impression"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := adopted(t, nil)
			w.manifest(ManifestInfo{Duration: 120})
			w.answer(0, 200, trackingJSON("", podAvailJSON("a", 0, 4, 2)))
			var written []int
			w.onSend = func(string) { written = append(written, len(w.s.batch)) }
			w.sendPanics = tt.sendPanics
			batches := w.play(0, 0, 0.25, 0)
			require.Len(t, batches, 1)
			require.Len(t, written, 2, "breakStart and the first impression")
			// `{"events":[` is all the batch holds while the beacons go out.
			for i, n := range written {
				assert.Equal(t, len(`{"events":[`), n, "beacon %d: the batch had events written before it was sent", i)
			}
			var b struct {
				Events []struct {
					Type   string
					Detail struct{ EventType, URL string }
				}
			}
			require.NoError(t, json.Unmarshal([]byte(batches[0]), &b), batches[0])
			var got []string
			for _, e := range b.Events {
				switch e.Type {
				case "beacon":
					path := e.Detail.URL[len("http://b.test/"):strings.IndexByte(e.Detail.URL, '?')]
					got = append(got, "beacon "+path)
				case "adbreakstart", "adstart", "error":
					got = append(got, e.Type)
				}
			}
			assert.Equal(t, tt.wantOrder, got)
		})
	}
}
