package client

import (
	"strings"
	"testing"
	"time"
)

// FuzzManifestPolling decodes manifestLoaded's argument from any JSON
// (seeded with hostile numbers: 1e300, negative, -0, 5e-324, 1e400) and
// plays a minute of a session with it: the poll interval stays inside its
// clamp whatever targetDuration or minimumUpdatePeriod say (no busy poll,
// no poll that never comes for live), and nothing panics.
func FuzzManifestPolling(f *testing.F) {
	for _, s := range []string{`{"live":true,"targetDuration":6}`, `{"live":true,"targetDuration":1e-300}`,
		`{"live":true,"minimumUpdatePeriod":-5,"seekableStart":-1e300}`, `{"live":true,"targetDuration":1e300,"duration":1e308}`,
		`{"duration":-0,"seekableStart":5e-324}`, `{"live":true,"targetDuration":1e400}`, `{"live":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeManifestInfo(data)
		if err != nil {
			return
		}
		w := adopted(t, nil)
		w.auto = func(Request) (Reply, error) { return Reply{Status: 200, Body: `{"avails":[]}`}, nil }
		w.manifest(m)
		w.advance(time.Minute)
		polls := len(w.reqs)
		if !m.Live {
			if polls != 1 {
				t.Fatalf("VOD polled %d times in a minute", polls)
			}
			return
		}
		// Live: every 2 to 10 s (session.PollConfig's clamp).
		if polls > 31 || polls < 6 {
			t.Fatalf("%d live polls in a minute for %+v", polls, m)
		}
	})
}

// FuzzFireTracking decodes fireTracking's argument from any JSON and fires
// it: at most one request per URL, only http(s) URLs, each listing
// once however often the host repeats the call.
func FuzzFireTracking(f *testing.F) {
	for _, s := range []string{`{"availId":"a","adId":"x","eventType":"creativeView","key":"c1","urls":["https://b.test/v?r=[REASON]"]}`,
		`{"eventType":"verificationNotExecuted","reason":1e300,"urls":["https://b.test/[REASON]","javascript:alert(1)"," https://b.test/ws "]}`,
		`{"eventType":"click","reason":-5,"urls":["http://b.test/1","http://b.test/1","data:text/html,x"]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := DecodeTrackingRequest(data)
		if err != nil {
			return
		}
		w := adopted(t, nil)
		n := w.s.FireTracking(tr) + w.s.FireTracking(tr)
		if n > 2*len(tr.URLs) || len(w.beacons) != n {
			t.Fatalf("%d started, %d sent for %d URLs", n, len(w.beacons), len(tr.URLs))
		}
		for _, u := range w.beacons {
			if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
				t.Fatalf("sent %q", u)
			}
		}
	})
}

// FuzzDecodeReply decodes what the host's fetch resolved with and hands it
// to the poller as the tracking reply: whatever the status and text, the
// session keeps polling (live) unless the session expired (404, 410), and
// does not panic.
func FuzzDecodeReply(f *testing.F) {
	for _, s := range []string{`{"status":200,"text":"{\"avails\":[]}"}`, `{"status":1e300,"text":"x"}`,
		`{"status":-1,"text":"{\"avails\":[{\"startTimeInSeconds\":1e300,\"durationInSeconds\":-5}]}"}`, `{"status":503}`, `{"status":410}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeReply(data)
		if err != nil {
			return
		}
		w := adopted(t, nil)
		w.manifest(live(2 * time.Second))
		w.reqs[0].done(r, nil)
		w.advance(time.Minute)
		if expired := r.Status == 404 || r.Status == 410; expired != (len(w.reqs) < 2) {
			t.Fatalf("%d polls after a reply %+v", len(w.reqs), r)
		}
	})
}

// FuzzVPAIDEvent decodes a VPAID event's data from any JSON and hands it
// to the session with each event name that reads it: a creative's data
// never panics the core.
func FuzzVPAIDEvent(f *testing.F) {
	for _, s := range []string{`{"volume":0,"muted":false}`, `{"expanded":true}`, `{"code":901,"message":"boom"}`, `{"message":[1],"volume":1e400}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := DecodeVPAIDData(data)
		if err != nil {
			return
		}
		w := adopted(t, nil)
		for _, name := range []string{"AdVolumeChange", "AdExpandedChange", "AdError", "AdStarted"} {
			w.s.VPAID(name, d)
		}
	})
}
