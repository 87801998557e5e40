package tracking

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseISODuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"PT0S", 0, true},
		{"PT15S", 15 * time.Second, true},
		{"PT1M56.060003037S", time.Minute + 56060003037*time.Nanosecond, true},
		{"PT5042H27M59.931S", 5042*time.Hour + 27*time.Minute + 59931*time.Millisecond, true},
		{"PT29.14279867S", 29142798670 * time.Nanosecond, true},
		{"PT2M", 2 * time.Minute, true},
		{"P1DT2H", 26 * time.Hour, true},
		{"P2D", 48 * time.Hour, true},
		{"PT0.0000000019S", 1, true}, // beyond ns: truncated
		{"PT-1M-30.5S", -(90*time.Second + 500*time.Millisecond), true},
		{"-PT5S", -5 * time.Second, true},
		{"PT.5S", 500 * time.Millisecond, true},
		{"pt1s", time.Second, true},
		{"", 0, false},
		{"P", 0, false},
		{"PT", 0, false},
		{"15S", 0, false},
		{"PT15", 0, false},
		{"PT1S2M", 0, false}, // order
		{"PT1.5M", 0, false}, // fraction only on seconds
		{"P1Y", 0, false},    // years have no fixed length
		{"P1M", 0, false},    // months (M before T)
		{"PT1H1H", 0, false}, // repeated unit
		{"PT1.S", 0, false},
		{"PT9999999999999H", 0, false}, // overflow
		{"PTS", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseISODuration(tt.in)
			if !tt.ok {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFormatISODuration(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "PT0S"},
		{15 * time.Second, "PT15S"},
		{time.Minute + 56060003037*time.Nanosecond, "PT1M56.060003037S"},
		{5042*time.Hour + 27*time.Minute + 59931*time.Millisecond, "PT5042H27M59.931S"},
		{29142798670 * time.Nanosecond, "PT29.14279867S"},
		{2 * time.Hour, "PT2H"},
		{time.Hour + 30*time.Second, "PT1H30S"},
		{time.Nanosecond, "PT0.000000001S"},
		{-(90*time.Second + 500*time.Millisecond), "PT-1M-30.5S"},
		{-500 * time.Millisecond, "PT-0.5S"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, FormatISODuration(tt.in))
			back, err := ParseISODuration(tt.want)
			require.NoError(t, err)
			assert.Equal(t, tt.in, back, "round trip")
		})
	}
	t.Run("extremes round trip", func(t *testing.T) {
		for _, d := range []time.Duration{math.MaxInt64, math.MinInt64 + 1} {
			back, err := ParseISODuration(FormatISODuration(d))
			require.NoError(t, err)
			assert.Equal(t, d, back)
		}
	})
}

func TestParseSkipOffset(t *testing.T) {
	const ad = 30 * time.Second
	tests := []struct {
		in   string
		dur  time.Duration
		want time.Duration
		ok   bool
	}{
		{"00:00:05", ad, 5 * time.Second, true},
		{"00:00:05.250", ad, 5250 * time.Millisecond, true},
		{"01:02:03", ad, time.Hour + 2*time.Minute + 3*time.Second, true},
		{"25%", ad, 7500 * time.Millisecond, true},
		{"12.5%", 16 * time.Second, 2 * time.Second, true},
		{"0%", ad, 0, true},
		{"150%", ad, ad, true},
		{"25%", 0, 0, false}, // unknown duration
		{"", ad, 0, false},
		{"5", ad, 0, false},
		{"00:05", ad, 0, false},
		{"00:60:00", ad, 0, false},
		{"00:00:05.", ad, 0, false},
		{"00:00:05x", ad, 0, false},
		{"%", ad, 0, false},
		{"-5%", ad, 0, false},
		{"a%", ad, 0, false},
		// time.Duration holds 2562047 h: more would wrap negative, and a
		// negative offset would make the ad skippable at once.
		{"2562048:00:00", ad, 0, false},
		{"99999999999:00:00", ad, 0, false},
		{"2562046:00:00", ad, 2562046 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseSkipOffset(tt.in, tt.dur)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func FuzzISODuration(f *testing.F) {
	for _, s := range []string{"PT0S", "PT1M56.060003037S", "PT5042H27M59.931S", "P1DT2H", "PT-1M-30.5S", "-PT5S"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseISODuration(s)
		if err != nil {
			return
		}
		// Whatever was accepted formats to a canonical form that parses back
		// to the same value.
		back, err := ParseISODuration(FormatISODuration(d))
		require.NoError(t, err, "format of %q", s)
		require.Equal(t, d, back)
	})
}
