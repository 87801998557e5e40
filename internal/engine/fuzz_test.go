package engine

import (
	"math"
	"testing"

	"github.com/availkit/availkit/internal/tracking"
)

var stateEvent = map[string]bool{"impression": true, "start": true, "firstQuartile": true, "midpoint": true, "thirdQuartile": true, "complete": true}

var vpaidNames = []string{"AdImpression", "AdVideoStart", "AdVideoFirstQuartile", "AdVideoMidpoint", "AdVideoThirdQuartile", "AdVideoComplete", "AdPaused", "AdPlaying", "AdSkipped", "AdClickThru", "AdError"}

// FuzzEngine drives random Update/Seek/Skip/flag sequences over a fixed
// timeline (pre-roll pod, mid-rolls, a skippable ad, a zero-duration avail)
// under every policy and checks the invariants a user or an ad server would
// notice: no state beacon twice per dedupe key, none before its time, no
// resume without a pause, and no panic.
func FuzzEngine(f *testing.F) {
	f.Add([]byte{0, 10, 10, 10, 10, 200, 10, 10, 3, 10, 10, 10, 4, 10})
	f.Add([]byte{1, 1, 5, 1, 200, 2, 3, 3, 3, 9, 9, 100, 20, 7, 7, 2})
	f.Add([]byte{2, 10, 250, 10, 10, 10, 10, 6, 10, 10, 10, 10, 10, 10, 10, 10})
	f.Add([]byte{3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 80, 40, 10, 10, 10})
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
		check := func() {
			buf = e.Drain(buf[:0])
			for _, a := range buf {
				switch a.Kind {
				case ActionSeek:
					if !(a.To >= 0) || math.IsInf(a.To, 0) {
						t.Fatalf("bad seek target %v", a.To)
					}
					ph = a.To
				case ActionBeacon:
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
			case op < 160: // play a little
				d := float64(op%40) * 0.05
				ph += d
				now += d*1000 + 1
				e.Update(ph, now, flags)
			case op < 200: // seek
				to := float64(op-160) * 9
				origin := SeekOrigin(op % 3)
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
			case op < 246:
				e.VPAIDEvent(vpaidNames[int(op)%len(vpaidNames)], ph)
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
