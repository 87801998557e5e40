package tracking

import (
	"testing"
	"time"
)

// FuzzParseSkipOffset: whatever the ad server's skipoffset, an accepted
// offset lies in [0, ad duration] for a percentage and is never negative
// for a clock time (a wrapped, negative offset makes an ad skippable at
// once), and nothing panics.
func FuzzParseSkipOffset(f *testing.F) {
	for _, s := range []string{"00:00:05", "00:00:05.250", "25%", "150%", "2562048:00:00", "2562047:47:16.854775807",
		"99999999999:00:00", "-5%", "1e300%", "00:00:-1", "12.5%"} {
		f.Add(s, int64(30*time.Second))
	}
	f.Add("50%", int64(-1))
	f.Add("99.999999%", int64(1<<62))
	f.Fuzz(func(t *testing.T, s string, adNanos int64) {
		ad := time.Duration(adNanos)
		d, ok := ParseSkipOffset(s, ad)
		if !ok {
			if d != 0 {
				t.Fatalf("refused %q but returned %v", s, d)
			}
			return
		}
		if d < 0 {
			t.Fatalf("%q: negative offset %v", s, d)
		}
		if s != "" && s[len(s)-1] == '%' && d > ad {
			t.Fatalf("%q of %v: %v, past the ad's end", s, ad, d)
		}
	})
}
