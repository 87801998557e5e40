package engine

import (
	"math"
	"testing"

	"github.com/availkit/availkit/internal/tracking"
)

// stateEvent lists the beacons that go out at most once per dedupe key
// however they are triggered (error: once per ad, the break's once per
// break).
var stateEvent = map[string]bool{"impression": true, "creativeView": true, "start": true, "firstQuartile": true, "midpoint": true, "thirdQuartile": true, "complete": true, "error": true}

var vpaidNames = []string{"AdImpression", "AdVideoStart", "AdVideoFirstQuartile", "AdVideoMidpoint", "AdVideoThirdQuartile", "AdVideoComplete", "AdPaused", "AdPlaying", "AdSkipped", "AdClickThru", "AdError", "AdStarted", "AdUserClose"}

// FuzzEngine drives random Update/Seek/Skip/flag sequences over a fixed
// timeline (pre-roll pod, mid-rolls, a skippable ad, a zero-duration avail)
// under every policy and checks the invariants a user or an ad server would
// notice: no state beacon twice per dedupe key, none before its time, no
// resume without a pause, the landing page never pinged, break and ad
// events properly nested (every adend closes the open adstart, every
// adbreakend the open adbreakstart), and no panic.
func FuzzEngine(f *testing.F) {
	f.Add([]byte{0, 10, 10, 10, 10, 200, 10, 10, 3, 10, 10, 10, 4, 10})
	f.Add([]byte{1, 1, 5, 1, 200, 2, 3, 3, 3, 9, 9, 100, 20, 7, 7, 2})
	f.Add([]byte{2, 10, 250, 10, 10, 10, 10, 6, 10, 10, 10, 10, 10, 10, 10, 10})
	f.Add([]byte{3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 80, 40, 10, 10, 10})
	f.Add([]byte{0, 155, 10, 159, 217, 158, 217, 180, 159, 159, 2, 159})
	f.Fuzz(fuzzRun)
}

func fuzzRun(t *testing.T, ops []byte) {
	{
		if len(ops) == 0 {
			return
		}
		cfg := DefaultConfig()
		cfg.NoSkip = Policy(ops[0] % 4)
		cfg.JumpWatched = ops[0]&4 == 0
		cfg.Live = ops[0]&8 != 0
		cfg.LiveSnapBack = ops[0]&16 != 0
		e := New(cfg)
		r := grid(4, 3)
		r.Avails[1].Ads[1].SkipOffset = "00:00:03"
		r.Avails[1].Ads[0].TrackingEvents = append(r.Avails[1].Ads[0].TrackingEvents,
			tracking.TrackingEvent{EventType: "clickThrough", BeaconURLs: []string{"https://landing.test/"}},
			tracking.TrackingEvent{EventType: "error", BeaconURLs: []string{"https://b.test/err?c=[ERRORCODE]"}})
		r.Avails[1].AdBreakTrackingEvents = append(r.Avails[1].AdBreakTrackingEvents,
			tracking.TrackingEvent{EventType: "error", BeaconURLs: []string{"https://b.test/break-err"}})
		r.Avails[2].Ads[0].MediaFiles.MediaFilesList = []tracking.MediaFile{{APIFramework: "VPAID", MediaFileURI: "https://x/v.js"}}
		r.NonLinearAvails = []tracking.Avail{{AvailID: "overlay", StartTime: dur(60), Duration: dur(10)}}
		r.Avails = append(r.Avails, r.Avails[0])
		r.Avails[len(r.Avails)-1].AvailID = "zero"
		r.Avails[len(r.Avails)-1].StartTime = dur(95)
		r.Avails[len(r.Avails)-1].Duration = 0
		r.Avails[len(r.Avails)-1].Ads = nil
		e.Merge(r)

		ph, now := 0.0, 1e12
		var flags Flags
		fired := map[string]float64{}
		paused := map[string]bool{}
		var buf []Action
		openBreak, openAd := "", ""
		check := func() {
			buf = e.Drain(buf[:0])
			for _, a := range buf {
				if a.Kind == ActionEvent {
					switch a.Name {
					case "adbreakstart":
						if openBreak != "" {
							t.Fatalf("adbreakstart %s inside break %s", a.AvailID, openBreak)
						}
						openBreak = a.AvailID
					case "adstart":
						if openBreak != a.AvailID || openAd != "" {
							t.Fatalf("adstart %s/%s with break %q ad %q open", a.AvailID, a.AdID, openBreak, openAd)
						}
						openAd = a.AdID
					case "adend":
						if openAd != a.AdID || openBreak != a.AvailID {
							t.Fatalf("adend %s/%s with break %q ad %q open", a.AvailID, a.AdID, openBreak, openAd)
						}
						openAd = ""
					case "adbreakend":
						if openBreak != a.AvailID || openAd != "" {
							t.Fatalf("adbreakend %s with break %q ad %q open", a.AvailID, openBreak, openAd)
						}
						openBreak = ""
					}
				}
				switch a.Kind {
				case ActionSeek:
					if !(a.To >= 0) || math.IsInf(a.To, 0) {
						t.Fatalf("bad seek target %v", a.To)
					}
					ph = a.To
				case ActionBeacon:
					if a.EventType == "clickThrough" || a.URL == "https://landing.test/" {
						t.Fatalf("landing page fired as a beacon: %+v", a)
					}
					if (a.EventType == "error") != (a.ErrorCode != 0) {
						t.Fatalf("error code %d on %s beacon", a.ErrorCode, a.EventType)
					}
					key := a.AvailID + "|" + a.AdID + "|" + a.EventID + "|" + a.EventType + "|" + a.URL
					switch a.EventType {
					case "pause":
						paused[a.AvailID+a.AdID] = true
					case "resume":
						if !paused[a.AvailID+a.AdID] {
							t.Fatalf("resume without pause: %+v", a)
						}
						paused[a.AvailID+a.AdID] = false
					}
					if a.Scheduled < 0 && !stateEvent[a.EventType] {
						continue // action events repeat by design
					}
					if _, dup := fired[key]; dup {
						t.Fatalf("beacon fired twice: %s", key)
					}
					fired[key] = a.Playhead
					if a.Scheduled > a.Playhead+1e-6 {
						t.Fatalf("beacon before its time: %+v", a)
					}
				}
			}
		}
		for i := 1; i < len(ops); i++ {
			op := ops[i]
			switch {
			case op < 150: // play a little
				d := float64(op%40) * 0.05
				ph += d
				now += d*1000 + 1
				e.Update(ph, now, flags)
			case op < 160: // a long step: background tab, long frame
				d := float64(op-149) * 7
				ph += d
				now += d*1000 + 1
				e.Update(ph, now, flags)
			case op < 200: // seek
				to := float64(op-160) * 9
				origin := SeekOrigin(op % 4) // api, native, start, gap
				dec := e.Seek(ph, to, origin)
				if dec.Allow {
					ph = to
				} else {
					ph = dec.To
				}
				now += 50
				e.Update(ph, now, flags|FlagSeeking)
			case op < 210:
				e.Skip(ph, now)
			case op < 220:
				flags ^= FlagPaused
				e.Update(ph, now, flags)
			case op < 230:
				flags ^= FlagMuted
				e.Update(ph, now, flags)
			case op < 240:
				flags ^= FlagFullscreen
				e.Update(ph, now, flags)
			case op < 243:
				e.ClickThrough(ph, now)
			case op < 245:
				e.VPAIDEvent(vpaidNames[int(op)%len(vpaidNames)], ph)
			case op < 246:
				e.Error(400+int(ops[i-1])%10, ph, now)
			case op < 247:
				e.VPAIDStopped(ph)
			case op < 250:
				e.Merge(r)
			case op < 253:
				e.Prune(ph - 120)
			default:
				e.UI(ph)
				e.NextEventIn(ph)
				e.Markers(nil)
			}
			check()
		}
	}
}
