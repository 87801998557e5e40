package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGapJump: hls.js and dash.js step over the tens of ms of missing media
// between stitched assets with a small forward seek of their own. Reported
// as OriginGap, it must neither be refused inside a break (the player
// retries until a fatal error and playback stalls) nor snap back, and the
// beacons it steps over still fire. Real user seeks keep the no-skip rules.
func TestGapJump(t *testing.T) {
	cases := []struct {
		name     string
		from, to float64
		origin   SeekOrigin
		allow    bool
		reason   string
		to2      float64  // decision's To
		after    []string // beacons and events of the Update at to, when allowed
	}{
		{
			name: "hole between two ads of a break", from: 39.94, to: 40.007, origin: OriginGap,
			allow: true, to2: 40.007,
			after: []string{"complete", "adend", "adstart", "impression", "start"},
		},
		{
			name: "hole before the break", from: 29.95, to: 30.02, origin: OriginGap,
			allow: true, to2: 30.02,
			after: []string{"adbreakstart", "adstart", "breakStart", "impression", "start"},
		},
		{
			name: "hole before the end of the break", from: 49.96, to: 50.03, origin: OriginGap,
			allow: true, to2: 50.03,
			after: []string{"complete", "breakEnd", "adend", "adbreakend"},
		},
		{
			name: "user seek of 5 s inside the ad is refused", from: 39.94, to: 44.94, origin: OriginNative,
			allow: false, reason: "refused", to2: 39.94,
		},
		{
			name: "user seek of 0.3 s inside the ad is refused", from: 39.94, to: 40.24, origin: OriginNative,
			allow: false, reason: "refused", to2: 39.94,
		},
		{
			name: "a 'gap jump' of 5 s inside the ad is a user seek, refused", from: 35.0, to: 40.0, origin: OriginGap,
			allow: false, reason: "refused", to2: 35.0,
		},
		{
			name: "backward 'gap jump' inside the ad is refused", from: 39.94, to: 39.5, origin: OriginGap,
			allow: false, reason: "refused", to2: 39.94,
		},
		{
			name: "plugin API seek of 0.1 s inside the ad is refused", from: 39.94, to: 40.04, origin: OriginAPI,
			allow: false, reason: "refused", to2: 39.94,
		},
		{
			name: "small backward native seek inside the ad is refused", from: 39.94, to: 39.8, origin: OriginNative,
			allow: false, reason: "refused", to2: 39.94,
		},
		{
			name: "user seek of 1.5 s over the break start snaps back", from: 29.0, to: 30.5, origin: OriginNative,
			allow: false, reason: "snap", to2: 30,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := New(DefaultConfig())
			e.Merge(grid(1, 2)) // break 30-50: ads 30-40 and 40-50
			now := 0.0
			for ph := 20.0; ph < c.from; ph += 0.25 {
				e.Update(ph, now, FlagRendered)
				now += 250
			}
			e.Update(c.from, now, FlagRendered)
			e.Drain(nil)

			d := e.Seek(c.from, c.to, c.origin)
			assert.Equal(t, c.allow, d.Allow)
			assert.Equal(t, c.reason, d.Reason)
			assert.InDelta(t, c.to2, d.To, 1e-9)
			if !c.allow {
				return
			}
			e.Update(c.to, now+100, FlagRendered)
			var got []string
			for _, a := range e.Drain(nil) {
				require.NotEqual(t, ActionSeek, a.Kind, "a gap jump is never corrected")
				require.NotEqual(t, "snapback", a.Name)
				switch {
				case a.Name == "adprogress": // throttled countdown, not a crossing
				case a.Kind == ActionBeacon:
					got = append(got, a.EventType)
				default:
					got = append(got, a.Name)
				}
			}
			assert.Equal(t, c.after, got)
		})
	}
}
