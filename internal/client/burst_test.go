package client

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withStartEvents adds breakStart and start at the ad's start (s) to the
// one ad of an availJSON, beside its impression: an ad start's burst.
func withStartEvents(avail, id string, start float64) string {
	ev := func(typ string) string {
		return `{"eventId":"` + id + `-` + typ + `","eventType":"` + typ + `","startTimeInSeconds":` +
			strconv.FormatFloat(start, 'f', -1, 64) + `,"beaconUrls":["http://b.test/` + id + `/` + typ + `"]}`
	}
	return strings.Replace(avail, `"trackingEvents":[`, `"trackingEvents":[`+ev("breakStart")+","+ev("start")+",", 1)
}

// The beacons of one ad's start leave in the one Flush that reaches its
// first frame, none waiting for an earlier one's answer: on a busy page an
// answer took 3-240 ms, which must not add up along the burst. Answered
// late and out of order, none is sent again.
func TestAdStartBeaconsLeaveTogether(t *testing.T) {
	w := vod(t, withStartEvents(availJSON("mid", 10, 6, 0), "mid", 10))
	var held []func(error)
	w.held = &held
	w.play(9.75, 9.75, 0.25, 0)
	require.Empty(t, w.beacons)
	batches := w.play(10, 10, 0.25, 0)
	require.Len(t, batches, 1, "one update, one flush")
	assert.ElementsMatch(t, []string{"http://b.test/mid/breakStart", "http://b.test/mid/impression?cb=00000000", "http://b.test/mid/start"}, w.beacons,
		"all three requested before any was answered")
	require.Len(t, held, 3, "three requests in flight at once")
	for i := len(held) - 1; i >= 0; i-- {
		held[i](nil)
	}
	w.play(10.25, 12, 0.25, 0)
	assert.Len(t, w.beacons, 3, "no beacon of the burst sent twice")
}

// WarmUp plays its canned ad through every beacon, as often as asked, and
// touches no session of the host's.
func TestWarmUp(t *testing.T) {
	w := vod(t, availJSON("mid", 10, 6, 0))
	w.events = nil
	assert.Equal(t, 8, WarmUp(), "breakStart, impression, start, 3 quartiles, complete and breakEnd")
	assert.Equal(t, 8, WarmUp(), "as often as asked")
	assert.Empty(t, w.beacons)
	assert.Empty(t, w.events)
	w.play(9.75, 10.25, 0.25, 0)
	assert.NotEmpty(t, w.beacons, "the host's session runs as before")
}
