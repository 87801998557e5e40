package client

import (
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withPause adds pause and resume beacons to the one ad of an availJSON.
func withPause(avail, id string) string {
	ev := func(typ string) string {
		return `{"eventId":"` + id + `-` + typ + `","eventType":"` + typ + `","startTimeInSeconds":0,"beaconUrls":["http://b.test/` + id + `/` + typ + `"]}`
	}
	return strings.Replace(avail, `"trackingEvents":[`, `"trackingEvents":[`+ev("pause")+","+ev("resume")+",", 1)
}

func countBeacons(urls []string, part string) int {
	n := 0
	for _, u := range urls {
		if strings.Contains(u, part) {
			n++
		}
	}
	return n
}

func TestRepeatedPausesEachSendABeacon(t *testing.T) {
	w := vod(t, withPause(availJSON("mid", 10, 6, 0), "mid"))
	w.play(9.5, 11, 0.25, 0)
	for i := 0.0; i < 3; i++ {
		w.play(11+i, 11+i, 0.25, engine.FlagPaused)
		w.play(11.25+i, 12+i, 0.25, 0)
	}
	assert.Equal(t, 3, countBeacons(w.beacons, "/mid/pause"), "three pauses, three pause beacons")
	assert.Equal(t, 3, countBeacons(w.beacons, "/mid/resume"))
	assert.Equal(t, 1, countBeacons(w.beacons, "/mid/impression"))
}

func TestServerReportingLeavesMediaTailorsShare(t *testing.T) {
	w := adopted(t, func(c *Config) { c.Init.ReportingMode = "server" })
	w.manifest(ManifestInfo{Duration: 120})
	w.answer(0, 200, trackingJSON("", withPause(availJSON("mid", 10, 6, 0), "mid")))
	batches := w.play(9.5, 12, 0.25, 0)
	batches = append(batches, w.play(12, 12, 0.25, engine.FlagPaused)...)
	batches = append(batches, w.play(12, 17, 0.25, 0)...)

	assert.Zero(t, countBeacons(w.beacons, "/mid/impression"), "MediaTailor fires impression itself")
	assert.Zero(t, countBeacons(w.beacons, "/mid/complete"))
	assert.Equal(t, 1, countBeacons(w.beacons, "/mid/pause"), "player operations stay the player's")

	by := map[string]string{}
	for _, b := range batches {
		var batch struct {
			Events []struct {
				Type   string
				Detail map[string]any
			}
		}
		require.NoError(t, jsonUnmarshal(b, &batch))
		for _, e := range batch.Events {
			if e.Type == EventBeacon {
				by[e.Detail["eventType"].(string)] = e.Detail["firedBy"].(string)
			}
		}
	}
	assert.Equal(t, map[string]string{"impression": "server", "complete": "server", "pause": "player", "resume": "player"}, by,
		"the host still sees every event, marked with who sends it")

	n := w.s.FireTracking(TrackingRequest{AvailID: "mid", AdID: "mid-1", EventType: "impression", Key: "companion", URLs: []string{"http://b.test/companion/impression"}})
	assert.Equal(t, 1, n, "host-supplied (companion, VPAID) beacons are the player's in server mode too")
}
