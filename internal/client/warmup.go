package client

import (
	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/jsonw"
)

// warmTracking is the tracking reply WarmUp plays: one pre-roll ad with the
// events and macros MediaTailor replies carry most.
const warmTracking = `{"avails":[{"availId":"w","availProgramDateTime":null,"duration":"PT4S","durationInSeconds":4,` +
	`"meta":null,"startTime":"PT0S","startTimeInSeconds":0,"adMarkerDuration":"PT4S","adType":"",` +
	`"adBreakTrackingEvents":[{"eventId":"bs","eventType":"breakStart","beaconUrls":["https://warm.invalid/bs?cb=[CACHEBUSTING]"],"startTimeInSeconds":0,"durationInSeconds":0},` +
	`{"eventId":"be","eventType":"breakEnd","beaconUrls":["https://warm.invalid/be"],"startTimeInSeconds":4,"durationInSeconds":0}],` +
	`"ads":[{"adId":"w-1","adParameters":"","adSystem":"warm","adTitle":"warm","creativeId":"c","creativeSequence":"1",` +
	`"duration":"PT4S","durationInSeconds":4,"startTime":"PT0S","startTimeInSeconds":0,"mediaFiles":{"mediaFilesList":[],"mezzanine":""},` +
	`"skipOffset":"00:00:02","vastAdId":"v","companionAds":[],"extensions":[],"adVerifications":[],` +
	`"trackingEvents":[` +
	`{"eventId":"i","eventType":"impression","beaconUrls":["https://warm.invalid/i?ts=[TIMESTAMP]&cb=[CACHEBUSTING]&ph=[CONTENTPLAYHEAD]"],"startTimeInSeconds":0,"durationInSeconds":0},` +
	`{"eventId":"s","eventType":"start","beaconUrls":["https://warm.invalid/s?ap=[ADPLAYHEAD]&a=[ASSETURI]"],"startTimeInSeconds":0,"durationInSeconds":0},` +
	`{"eventId":"q1","eventType":"firstQuartile","beaconUrls":["https://warm.invalid/q1"],"startTimeInSeconds":1,"durationInSeconds":0},` +
	`{"eventId":"m","eventType":"midpoint","beaconUrls":["https://warm.invalid/m"],"startTimeInSeconds":2,"durationInSeconds":0},` +
	`{"eventId":"q3","eventType":"thirdQuartile","beaconUrls":["https://warm.invalid/q3"],"startTimeInSeconds":3,"durationInSeconds":0},` +
	`{"eventId":"c","eventType":"complete","beaconUrls":["https://warm.invalid/c"],"startTimeInSeconds":4,"durationInSeconds":0}]}]}],` +
	`"nonLinearAvails":[],"nextToken":""}`

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
	var due []func()
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
			due = append(due, f)
			return func() {}
		},
		Now:  func() clock.Time { return now },
		Rand: func() uint64 { return 1 },
		Emit: func(_ string, d jsonw.Marshaler) { scratch = jsonw.AppendJSON(scratch[:0], d) },
	}
	s, err := New(Config{SessionInitURL: "https://warm.invalid/v1/session/a/w/i.m3u8", Engine: engine.DefaultConfig()}, deps)
	if err != nil {
		return 0
	}
	defer s.Destroy()
	s.Init(func(InitResult, *ErrorDetail) {})
	s.ManifestLoaded(ManifestInfo{Duration: 30})
	// The poll timer; the reply is small enough to be merged in its task.
	for len(due) > 0 {
		f := due[0]
		due = due[1:]
		f()
		if len(due) > 8 {
			break // retry and backup timers: not part of the path
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
