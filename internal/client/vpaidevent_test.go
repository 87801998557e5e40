package client

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestVPAIDRoutesByName: each VPAID event reaches the method that keeps its
// state, so a repeated volume or expanded state is not due twice and an
// AdError carries the runner's message when it has one.
func TestVPAIDRoutesByName(t *testing.T) {
	start := func(t *testing.T) *world {
		w := adopted(t, nil)
		w.manifest(ManifestInfo{Duration: 120})
		w.answer(0, 200, trackingJSON("", podAvailJSON("a", 10, 4, 3, 2)))
		w.play(9.5, 14.5, 0.25, 0)
		return w
	}
	t.Run("volume and expanded", func(t *testing.T) {
		w := start(t)
		assert.True(t, w.s.VPAID("AdVolumeChange", VPAIDData{Muted: true}), "mute")
		assert.False(t, w.s.VPAID("AdVolumeChange", VPAIDData{Muted: true}), "still muted")
		assert.True(t, w.s.VPAID("AdVolumeChange", VPAIDData{}), "unmute")
		assert.True(t, w.s.VPAID("AdExpandedChange", VPAIDData{Expanded: true}), "expand")
		assert.False(t, w.s.VPAID("AdExpandedChange", VPAIDData{Expanded: true}), "still expanded")
	})
	for _, tc := range []struct {
		name string
		d    VPAIDData
		want string
	}{
		{"error with a message", VPAIDData{Message: "boom", HasMessage: true}, "vpaid: boom"},
		{"error without one", VPAIDData{Message: "ignored"}, "vpaid: AdError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := start(t)
			assert.True(t, w.s.VPAID("AdError", tc.d))
			assert.Contains(t, w.s.Flush(), `"message":"`+tc.want+`"`)
			assert.Equal(t, map[string][]string{"a-2": {"901"}}, errorsSent(t, w.beacons))
		})
	}
}
