package client_test

import (
	"fmt"
	"time"

	"github.com/availkit/availkit/internal/client"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/jsonw"
)

// Example drives a session on synchronous fakes: a transport that answers
// the init POST and the tracking GET at once, timers run by hand, a sender
// that always succeeds. A real host (the wasm bridge) binds the same Deps to
// fetch, setTimeout and its beacon sender.
func Example() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var timers []func()
	deps := client.Deps{
		Fetch: func(r client.Request, done func(client.Reply, error)) {
			switch r.Method {
			case "POST":
				done(client.Reply{Status: 200, Body: `{"manifestUrl":"/v1/master/a/o/index.m3u8","trackingUrl":"/v1/tracking/a/o/s-1"}`}, nil)
			default:
				done(client.Reply{Status: 200, Body: `{"avails":[{"availId":"pre","startTimeInSeconds":0,"durationInSeconds":4,` +
					`"ads":[{"adId":"pre-1","startTimeInSeconds":0,"durationInSeconds":4,"trackingEvents":[` +
					`{"eventId":"1","eventType":"impression","startTimeInSeconds":0,"beaconUrls":["https://ads.example/imp?ts=[TIMESTAMP]"]}]}]}]}`}, nil)
			}
		},
		Send: func(url string, done func(error)) { fmt.Println("GET", url); done(nil) },
		After: func(d time.Duration, f func()) func() {
			timers = append(timers, f)
			return func() {}
		},
		Now:  func() time.Time { return now },
		Rand: func() uint64 { return 42 },
		Emit: func(typ string, d jsonw.Marshaler) { fmt.Println(typ, string(jsonw.AppendJSON(nil, d))) },
	}
	s, err := client.New(client.Config{SessionInitURL: "https://mt.example/v1/session/a/o/index.m3u8", Engine: engine.DefaultConfig()}, deps)
	if err != nil {
		panic(err)
	}
	defer s.Destroy()
	s.Init(func(r client.InitResult, err *client.ErrorDetail) {})
	s.ManifestLoaded(client.ManifestInfo{Duration: 60})
	timers[len(timers)-1]() // the poll timer (0 ms) fires
	if s.Update(0.1, float64(now.UnixMilli()), engine.FlagRendered)&engine.StatusActions != 0 {
		fmt.Println(s.Flush() != "")
	}
	// Output:
	// ready {"manifestUrl":"https://mt.example/v1/master/a/o/index.m3u8","trackingUrl":"https://mt.example/v1/tracking/a/o/s-1","sessionId":"s-1"}
	// trackingupdate {"avails":1,"newAvails":1,"newAds":1,"newEvents":1,"pruned":0,"nextToken":"","bytes":284}
	// GET https://ads.example/imp?ts=2026-01-01T00%3A00%3A00.000Z
	// true
}
