package engine

import "testing"

func TestVPAIDType(t *testing.T) {
	for _, tt := range []struct {
		name, typ string
		ok        bool
	}{
		{"AdStarted", "creativeView", true},
		{"AdVideoThirdQuartile", "thirdQuartile", true},
		{"AdUserAcceptInvitation", "acceptInvitation", true},
		{"AdError", "error", true},
		{"AdExpandedChange", "", false}, // through VPAIDExpanded
		{"adstarted", "", false},        // names are case-sensitive
		{"", "", false},
	} {
		if typ, ok := vpaidType(tt.name); typ != tt.typ || ok != tt.ok {
			t.Errorf("vpaidType(%q) = %q, %v; want %q, %v", tt.name, typ, ok, tt.typ, tt.ok)
		}
	}
	seen := map[string]bool{}
	for _, e := range vpaidEvents {
		if seen[e.vpaid] {
			t.Errorf("%s listed twice (the first wins)", e.vpaid)
		}
		seen[e.vpaid] = true
	}
}
