package timeline

import "testing"

// TestIsVPAID: the apiFramework of a VPAID media file matches in any ASCII
// case and nothing else does.
func TestIsVPAID(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"VPAID", true},
		{"vpaid", true},
		{"VpAiD", true},
		{"", false},
		{"VPAI", false},
		{"VPAID2", false},
		{"SIMID", false},
		{"VPA D", false},
		{"VP@ID", false},
		{"vpa\u0131d", false}, // dotless i is not ASCII
	} {
		t.Run(c.in, func(t *testing.T) {
			if got := isVPAID(c.in); got != c.want {
				t.Errorf("isVPAID(%q) = %v, want %v", c.in, got, c.want)
			}
		})
	}
}
