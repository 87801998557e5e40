package client

import (
	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/jsonw"
)

// warmTracking is the tracking reply WarmUp plays: one pre-roll ad with
// the timed events and the macros MediaTailor replies carry most. Fields a
// reply has and this one lacks are skipped by the same decoder path.
const warmTracking = `{"avails":[{"availId":"w","durationInSeconds":4,"startTimeInSeconds":0,"adBreakTrackingEvents":[` +
	`{"eventId":"a","eventType":"breakStart","beaconUrls":["https://w.invalid/a?c=[CACHEBUSTING]"],"startTimeInSeconds":0},` +
	`{"eventId":"b","eventType":"breakEnd","beaconUrls":["https://w.invalid/b"],"startTimeInSeconds":4}],` +
	`"ads":[{"adId":"w","durationInSeconds":4,"startTimeInSeconds":0,"duration":"PT4S","skipOffset":"00:00:02","trackingEvents":[` +
	`{"eventId":"c","eventType":"impression","beaconUrls":["https://w.invalid/c?t=[TIMESTAMP]&p=[CONTENTPLAYHEAD]"],"startTimeInSeconds":0},` +
	`{"eventId":"d","eventType":"start","beaconUrls":["https://w.invalid/d?p=[ADPLAYHEAD]&u=[ASSETURI]"],"startTimeInSeconds":0},` +
	`{"eventId":"e","eventType":"firstQuartile","beaconUrls":["https://w.invalid/e"],"startTimeInSeconds":1},` +
	`{"eventId":"f","eventType":"midpoint","beaconUrls":["https://w.invalid/f"],"startTimeInSeconds":2},` +
	`{"eventId":"g","eventType":"thirdQuartile","beaconUrls":["https://w.invalid/g"],"startTimeInSeconds":3},` +
	`{"eventId":"h","eventType":"complete","beaconUrls":["https://w.invalid/h"],"startTimeInSeconds":4}]}]}]}`

// WarmUp plays a canned session once on fakes that send, emit and schedule
// nothing: session init, a tracking reply, and a pre-roll ad from its first
// frame to its end, with the per-frame calls, the flushes and their event
// JSON. Chromium compiles WebAssembly lazily, each function on its first
// call, and a session's first tracking reply and first ad start paid for
// it: 40-60 ms from the reply to trackingupdate, 15-20 ms more from the
// ad's first frame to its first beacon request (native <video> pre-roll,
// docs/onscreen.md). A host runs WarmUp once, while idle, after the core
// starts. It returns how many beacons the canned break fired, 8 when
// every path ran.
func WarmUp() int {
	var scratch []byte
	type timer struct {
		f   func()
		off bool
	}
	var due []*timer
	sent := 0
	start := clock.UnixMilli(1_767_225_600_000)
	now := start
	deps := Deps{
		Fetch: func(r Request, done func(Reply, error)) {
			if r.Method == "POST" {
				done(Reply{Status: 200, Body: `{"manifestUrl":"/v1/master/a/w/i.m3u8","trackingUrl":"/v1/tracking/a/w/s"}`}, nil)
				return
			}
			done(Reply{Status: 200, Body: warmTracking}, nil)
		},
		Send: func(string, func(error)) { sent++ },
		After: func(_ clock.Duration, f func()) func() {
			t := &timer{f: f}
			due = append(due, t)
			return func() { t.off = true }
		},
		Now:  func() clock.Time { return now },
		Rand: func() uint64 { return 1 },
		Emit: func(_ string, d jsonw.Marshaler) { scratch = jsonw.AppendJSON(scratch[:0], d) },
	}
	s, err := New(Config{SessionInitURL: "https://w.invalid/v1/session/a/w/i.m3u8", Engine: engine.DefaultConfig()}, deps)
	if err != nil {
		return 0
	}
	defer s.Destroy()
	s.Init(func(InitResult, *ErrorDetail) {})
	s.ManifestLoaded(ManifestInfo{Duration: 30})
	// The poll timer runs; the requests' deadlines were cancelled by their
	// answers, and a VOD session plans no second poll.
	for i := 0; i < len(due); i++ {
		if t := due[i]; !t.off {
			t.off = true
			t.f()
		}
	}
	for _, ph := range [...]float64{0, 0.25, 1.01, 2.01, 2.5, 3.01, 4.01, 4.5} {
		now = start.Add(clock.Duration(ph * float64(clock.Second)))
		st := s.Update(ph, float64(now.UnixMilli()), engine.FlagRendered)
		if st&engine.StatusActions != 0 {
			scratch = append(scratch[:0], s.Flush()...)
		}
		_ = s.NextEventIn(ph)
		scratch = append(scratch[:0], s.UI(ph)...)
	}
	return sent
}
