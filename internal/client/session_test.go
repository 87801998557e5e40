package client

import (
	"strings"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vod returns a VOD session with avails merged from one poll.
func vod(t *testing.T, avails ...string) *world {
	w := adopted(t, nil)
	w.manifest(ManifestInfo{Duration: 120})
	w.answer(0, 200, trackingJSON("", avails...))
	require.Len(t, w.emitted(EventTrackingUpdate), 1)
	return w
}

func TestFlushFiresBeaconsAndEvents(t *testing.T) {
	w := vod(t, availJSON("mid", 10, 6, 0))
	w.events = nil
	batches := w.play(0, 17, 0.25, 0)
	assert.Equal(t, []string{"http://b.test/mid/impression?cb=00000000", "http://b.test/mid/complete?cb=00000000"}, w.beacons)
	var types []string
	for _, b := range batches {
		require.True(t, strings.HasPrefix(b, `{"events":[`), b)
		var batch struct {
			Events []struct {
				Type   string
				Detail map[string]any
			}
			Seek any
		}
		require.NoError(t, jsonUnmarshal(b, &batch))
		for _, e := range batch.Events {
			types = append(types, e.Type)
			if e.Type == EventBeacon {
				assert.Equal(t, "mid", e.Detail["availId"])
			}
		}
	}
	assert.Equal(t, []string{"adbreakupcoming", "adbreakstart", "adstart", "beacon", "beacon", "adend", "adbreakend"}, filter(types, "adprogress"))
	assert.Empty(t, w.events, "inside Flush nothing goes through Emit")
}

func TestBeaconErrorEvent(t *testing.T) {
	w := vod(t, availJSON("mid", 10, 6, 0))
	w.sendErr = errRefused
	w.play(9.5, 10.5, 0.25, 0)
	w.advance(2 * BeaconRetryDelay) // the impression's retry
	w.events = nil
	n := w.s.FireTracking(TrackingRequest{AvailID: "mid", AdID: "mid-1", EventType: "creativeView", Key: "c1", URLs: []string{"http://b.test/companion/view"}})
	assert.Equal(t, 1, n)
	sent := len(w.beacons)
	w.advance(BeaconRetryDelay - time.Millisecond)
	assert.Len(t, w.beacons, sent, "the retry waits at least BeaconRetryDelay")
	assert.Equal(t, []string{"beacon"}, w.types())
	w.advance(BeaconRetryDelay + time.Millisecond)
	assert.Len(t, w.beacons, sent+1, "one retry")
	assert.Equal(t, []string{"beacon", "beaconerror"}, w.types())
	assert.JSONEq(t, `{"eventType":"creativeView","url":"http://b.test/companion/view","availId":"mid","adId":"mid-1","eventId":"c1","message":"connection refused","attempts":2}`, w.emitted(EventBeaconError)[0])
	assert.Equal(t, 0, w.s.FireTracking(TrackingRequest{AvailID: "mid", AdID: "mid-1", EventType: "creativeView", Key: "c1", URLs: []string{"http://b.test/companion/view"}}),
		"deduped by identity")
}

func TestNoBeaconRetryAfterDestroy(t *testing.T) {
	w := vod(t, availJSON("mid", 10, 6, 0))
	w.sendErr = errRefused
	w.s.FireTracking(TrackingRequest{AvailID: "mid", AdID: "mid-1", EventType: "creativeView", Key: "c1", URLs: []string{"http://b.test/companion/view"}})
	sent := len(w.beacons)
	w.s.Destroy()
	w.advance(3 * BeaconRetryDelay)
	assert.Len(t, w.beacons, sent, "a destroyed session sends nothing more")
}

func TestPruneForgetsDispatchedKeys(t *testing.T) {
	w := adopted(t, nil)
	w.manifest(live(2 * time.Second))
	w.answer(0, 200, trackingJSON("", availJSON("a1", 10, 6, 0), availJSON("a2", 40, 6, 0)))
	fire := func() int {
		return w.s.FireTracking(TrackingRequest{AvailID: "a1", AdID: "a1-1", EventType: "creativeView", Key: "k", URLs: []string{"http://b.test/a1/view"}})
	}
	require.Equal(t, 1, fire())
	require.Equal(t, 0, fire(), "remembered while a1 is in the window")
	w.s.Update(30, float64(w.now.UnixMilli()), engine.FlagRendered)

	assert.Equal(t, 0, w.s.SetWindow(12), "a1 still ends inside the window")
	assert.Equal(t, 1, w.s.SetWindow(20), "a1 left the window")
	assert.Equal(t, 1, fire(), "its dedupe keys were forgotten with it")
	m := w.s.Markers()
	assert.NotContains(t, m, `"a1"`)
	assert.Contains(t, m, `"a2"`)

	// The next merge prunes with the window known, and reports it.
	w.s.ManifestLoaded(ManifestInfo{Live: true, TargetDuration: 2 * time.Second, SeekableStart: 50, HasSeekableStart: true})
	w.s.Update(55, float64(w.now.UnixMilli()), engine.FlagRendered)
	w.advance(2 * time.Second)
	w.answer(1, 200, trackingJSON("", availJSON("a2", 40, 6, 0), availJSON("a3", 70, 6, 0)))
	ups := w.emitted(EventTrackingUpdate)
	require.Len(t, ups, 2)
	assert.Equal(t, "1", field(t, ups[1], "pruned"), "a2 is behind the window after the merge")
	assert.Equal(t, "1", field(t, ups[1], "avails"))
}

func TestPruneOnlyWhenLive(t *testing.T) {
	w := vod(t, availJSON("a1", 10, 6, 0))
	assert.Equal(t, 0, w.s.SetWindow(100), "VOD keeps every avail")
	assert.Contains(t, w.s.Markers(), `"a1"`)
}

func TestLiveSwitchKeepsTheTimeline(t *testing.T) {
	w := vod(t, availJSON("a1", 10, 6, 0))
	vodSeek := w.s.Seek(0, 30, engine.OriginAPI)
	assert.False(t, vodSeek.Allow, "VOD snaps back to the unwatched break")

	reqs := len(w.reqs)
	w.manifest(live(2 * time.Second))
	assert.True(t, w.s.Live())
	assert.Contains(t, w.s.Markers(), `"a1"`, "the timeline survives the switch")
	liveSeek := w.s.Seek(0, 30, engine.OriginAPI)
	assert.True(t, liveSeek.Allow, "live does not snap back by default")
	w.advance(2 * time.Second)
	assert.Len(t, w.reqs, reqs+1, "and starts polling at the live interval")
}

func TestNonLinearAvailInEventDetail(t *testing.T) {
	const nl = `{"avails":[],"nonLinearAvails":[{"availId":"nl1","startTimeInSeconds":5,"durationInSeconds":10,` +
		`"nonLinearAdsList":[{"nonLinearAdList":[{"adId":"o1","adTitle":"Overlay","width":300,"height":50,` +
		`"staticResource":"http://c.test/o.png","staticResourceCreativeType":"image/png","durationInSeconds":8,"clickThrough":"http://ad.test/"}],` +
		`"trackingEvents":[{"eventType":"impression","beaconUrls":["http://b.test/o/imp"]}]}]}]}`
	w := adopted(t, func(c *Config) { c.RawTracking = false })
	w.manifest(ManifestInfo{Duration: 60})
	w.answer(0, 200, nl)
	up := w.emitted(EventTrackingUpdate)[0]
	assert.NotContains(t, up, `"raw"`, "the body does not cross to the host")
	batches := w.play(0, 6, 0.25, 0)
	var detail string
	for _, b := range batches {
		if i := strings.Index(b, `{"type":"nonlinear","detail":`); i >= 0 {
			var batch struct {
				Events []struct {
					Type   string
					Detail any
				}
			}
			require.NoError(t, jsonUnmarshal(b, &batch))
			for _, e := range batch.Events {
				if e.Type == "nonlinear" {
					detail = jsonMarshal(e.Detail)
				}
			}
		}
	}
	require.NotEmpty(t, detail, "a nonlinear event")
	assert.Equal(t, "nl1", field(t, detail, "availId"))
	assert.Equal(t, "5", field(t, detail, "startTimeInSeconds"))
	assert.JSONEq(t, `[{"nonLinearAdList":[{"adId":"o1","adSystem":"","adTitle":"Overlay","adParameters":"","apiFramework":"","clickThrough":"http://ad.test/",`+
		`"clickTracking":"","clickTrackingId":"","creativeAdId":"","creativeId":"","creativeSequence":"","durationInSeconds":8,"minSuggestedDurationInSeconds":0,`+
		`"width":300,"height":50,"expandedWidth":0,"expandedHeight":0,"htmlResource":"","iFrameResource":"","staticResource":"http://c.test/o.png",`+
		`"staticResourceCreativeType":"image/png","maintainAspectRatio":false,"scalable":false}],`+
		`"trackingEvents":[{"eventType":"impression","beaconUrls":["http://b.test/o/imp"]}]}]`, field(t, detail, "nonLinearAdsList"))
}

func TestTrackingUpdateCarriesLiveAnchors(t *testing.T) {
	w := adopted(t, nil)
	w.manifest(live(2 * time.Second))
	w.answer(0, 200, `{"avails":[],"hlsAnchorMediaSequenceNumber":"1234","dashAvailabilityStartTime":"2026-01-01T00:00:00Z"}`)
	up := w.emitted(EventTrackingUpdate)[0]
	assert.Equal(t, "1234", field(t, up, "hlsAnchorMediaSequenceNumber"), "the string form MediaTailor sends, as a number")
	assert.Equal(t, "2026-01-01T00:00:00Z", field(t, up, "dashAvailabilityStartTime"))

	w = adopted(t, nil)
	w.manifest(ManifestInfo{Duration: 60})
	w.answer(0, 200, `{"avails":[]}`)
	up = w.emitted(EventTrackingUpdate)[0]
	assert.NotContains(t, up, "hlsAnchor", "absent anchors are omitted, not zero")
	assert.NotContains(t, up, `"raw"`, "the body crosses only on request")
}

func TestRawTrackingOnRequest(t *testing.T) {
	w := adopted(t, func(c *Config) { c.RawTracking = true })
	w.manifest(ManifestInfo{Duration: 60})
	body := trackingJSON("", availJSON("a1", 10, 6, 0))
	w.answer(0, 200, body)
	assert.Equal(t, body, field(t, w.emitted(EventTrackingUpdate)[0], "raw"))
}

func TestTrackingReplyCaps(t *testing.T) {
	tests := []struct {
		name string
		cfg  func(*Config)
		body string
		want string
	}{
		{"bytes", func(c *Config) { c.MaxReplyBytes = 1000 }, trackingJSON("", availJSON("big", 10, 6, 20)),
			"session: badreply 200: tracking reply of "},
		{"events per ad", func(c *Config) { c.MaxEventsPerAd = 10 }, trackingJSON("", availJSON("big", 10, 6, 20)),
			`session: badreply 200: ad "big-1" has 22 tracking events, over the cap of 10`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := adopted(t, tt.cfg)
			w.manifest(live(2 * time.Second))
			w.answer(0, 200, trackingJSON("", availJSON("a1", 10, 6, 0)))
			w.advance(2 * time.Second)
			w.answer(1, 200, tt.body)
			errs := w.emitted(EventError)
			require.Len(t, errs, 1)
			assert.Equal(t, "badreply", field(t, errs[0], "kind"))
			assert.Contains(t, field(t, errs[0], "message"), tt.want)
			assert.Len(t, w.emitted(EventTrackingUpdate), 1, "the oversized reply is not merged")
			assert.Contains(t, w.s.Markers(), `"a1"`, "what was merged before stays")
			assert.NotContains(t, w.s.Markers(), `"big"`)
			// Playback goes on: the earlier avail still fires.
			w.play(9.5, 10.5, 0.25, 0)
			assert.Contains(t, w.beacons, "http://b.test/a1/impression?cb=00000000")
			w.advance(time.Second) // and polling continues after a backoff
			assert.Len(t, w.reqs, 3)
		})
	}
}

func TestLargeFirstMergeIsQuick(t *testing.T) {
	// 20,000 events in one reply under raised caps: decode, count, merge
	// and emit must not be quadratic (a 1.45 s freeze in the browser).
	w := adopted(t, func(c *Config) { c.MaxEventsPerAd = 1 << 20 })
	w.manifest(ManifestInfo{Duration: 600})
	var avails []string
	for i := range 20 {
		avails = append(avails, availJSON("a"+itoa(i), float64(10+i*20), 10, 998))
	}
	body := trackingJSON("", avails...)
	start := time.Now()
	w.answer(0, 200, body)
	took := time.Since(start)
	require.Len(t, w.emitted(EventTrackingUpdate), 1)
	assert.Equal(t, "20000", field(t, w.emitted(EventTrackingUpdate)[0], "newEvents"))
	t.Logf("%d bytes, 20000 events: %v", len(body), took)
	assert.Less(t, took, 2*time.Second)
}

func TestEmptyTimelineTimes(t *testing.T) {
	w := adopted(t, nil)
	assert.Equal(t, 5.0, w.s.ContentTime(5), "no avail: content time is stream time")
	assert.Equal(t, 5.0, w.s.StreamTime(5))
}

func TestFlushReportsPanicsAndKeepsGoing(t *testing.T) {
	w := vod(t, availJSON("mid", 10, 6, 0))
	w.s.DeferPanic("ak_update", "simulated")
	st := w.s.Update(0, float64(w.now.UnixMilli()), engine.FlagRendered)
	assert.NotZero(t, st&engine.StatusActions, "a recorded panic asks for a flush")
	out := w.s.Flush()
	assert.Contains(t, out, `{"type":"error","detail":{"kind":"internal","source":"core","status":0,"message":"ak_update: simulated"}}`)
	assert.Equal(t, "", w.s.Flush(), "reported once")

	w.s.Internal("timer", "boom")
	assert.Equal(t, []string{`{"kind":"internal","source":"core","status":0,"message":"timer: boom"}`}, w.emitted(EventError))
	w.play(0.25, 11, 0.25, 0)
	assert.Contains(t, w.beacons, "http://b.test/mid/impression?cb=00000000", "the session still works")
}

func TestUpdateAllocatesNothing(t *testing.T) {
	w := vod(t, availJSON("mid", 10, 6, 0), availJSON("late", 100, 6, 0))
	w.play(0, 20, 0.25, 0)
	ph := 20.0
	allocs := testing.AllocsPerRun(200, func() {
		ph += 0.016
		w.s.Update(ph, 1e12+ph*1000, engine.FlagRendered)
	})
	assert.Zero(t, allocs)
}

func TestDestroyStopsEverything(t *testing.T) {
	w := adopted(t, nil)
	w.manifest(live(2 * time.Second))
	w.answer(0, 200, trackingJSON("", availJSON("a1", 10, 6, 0)))
	w.advance(2 * time.Second)
	require.Len(t, w.reqs, 2)
	require.Positive(t, w.pending(), "the request's backup timer")
	w.s.Destroy()
	assert.Equal(t, 0, w.pending(), "every timer cancelled")
	n := len(w.events)
	w.answer(1, 200, trackingJSON("", availJSON("a2", 30, 6, 0)))
	w.advance(time.Minute)
	assert.Len(t, w.events, n, "nothing after destroy")
	assert.Len(t, w.reqs, 2)
	assert.Equal(t, engine.Status(0), w.s.Update(11, 1, engine.FlagRendered))
	assert.Equal(t, "", w.s.Flush())
}

// TestFlushSurvivesAPanickingAction: a panic while performing one action
// is reported in the batch, the actions after it still run, the beacon
// already started keeps its event, and the next flush is a normal one.
func TestFlushSurvivesAPanickingAction(t *testing.T) {
	w := vod(t, availJSON("mid", 10, 6, 0))
	w.play(0, 9.75, 0.25, 0)
	w.sendPanics = true
	st := w.s.Update(10.1, float64(w.now.UnixMilli()), engine.FlagRendered)
	require.NotZero(t, st&engine.StatusActions)
	out := w.s.Flush()
	var batch struct {
		Events []struct {
			Type   string
			Detail map[string]any
		}
	}
	require.NoError(t, jsonUnmarshal(out, &batch))
	var got []string
	for _, e := range batch.Events {
		got = append(got, e.Type)
		if e.Type == EventError {
			assert.Equal(t, "flush impression: send bug", e.Detail["message"])
		}
	}
	assert.Equal(t, []string{"adbreakstart", "adstart", "beacon", "error"}, filter(got, "adprogress"),
		"the beacon sent before the panic keeps its event; the events around it are delivered")
	w.events = nil
	batches := w.play(10.25, 17, 0.25, 0)
	assert.Contains(t, strings.Join(batches, ""), `"eventType":"complete"`, "later flushes work")
	w.s.PollNow()
	w.advance(0)
	w.answer(len(w.reqs)-1, 200, trackingJSON("", availJSON("mid", 10, 6, 0)))
	assert.Len(t, w.emitted(EventTrackingUpdate), 1, "events outside a flush go out at once again")
}
