package clock

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestInstantAsTime checks the plugin's instant against time.Time for the
// same instant in a fixed zone: the calendar, the clock and the Unix
// readings, across leap days, century years, the epoch and times before it.
func TestInstantAsTime(t *testing.T) {
	cases := []struct {
		name      string
		sec, nsec int64
		off       int32
	}{
		{"epoch", 0, 0, 0},
		{"just before the epoch", -1, 999_999_999, 0},
		{"leap day 2000", 951782400, 123_456_789, 0},
		{"1900 is not leap", -2203891200, 0, 0},
		{"2100-02-28 23:59:59", 4107542399, 0, 0},
		{"east of UTC crosses midnight", 1709251199, 500_000_000, 3600},
		{"west of UTC crosses the year", 1704067200, 0, -5 * 3600},
		{"half-hour zone", 1718000000, 1_000_000, 5*3600 + 1800},
		{"2262, near the end of the range", 9200000000, 0, 0},
		{"1678, near its start", -9200000000, 0, 0},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		cases = append(cases, struct {
			name      string
			sec, nsec int64
			off       int32
		}{"random", r.Int64N(2*9.2e9) - 9.2e9, r.Int64N(1e9), int32(r.IntN(28*3600) - 14*3600)})
	}
	for _, c := range cases {
		want := time.Unix(c.sec, c.nsec).In(time.FixedZone("", int(c.off)))
		got := unixInstant(c.sec, c.nsec, c.off)
		y, m, d := got.Date()
		wy, wm, wd := want.Date()
		h, mi, s := got.Clock()
		wh, wmi, ws := want.Clock()
		_, off := got.Zone()
		_, woff := want.Zone()
		if y != wy || int(m) != int(wm) || d != wd || h != wh || mi != wmi || s != ws || off != woff ||
			got.Nanosecond() != want.Nanosecond() || got.UnixMilli() != want.UnixMilli() || got.UnixNano() != want.UnixNano() {
			t.Fatalf("%s (%d, %d, %+d): got %d-%d-%d %d:%d:%d.%09d%+d ms=%d, time says %s ms=%d",
				c.name, c.sec, c.nsec, c.off, y, m, d, h, mi, s, got.Nanosecond(), off, got.UnixMilli(),
				want.Format(time.RFC3339Nano), want.UnixMilli())
		}
	}
}

// TestInstantArithmetic: Add, Sub and the comparisons, and the zero
// instant.
func TestInstantArithmetic(t *testing.T) {
	a := unixInstant(1700000000, 250_000_000, 0)
	b := a.Add(duration(1500 * time.Millisecond))
	wa := time.Unix(1700000000, 250_000_000)
	wb := wa.Add(1500 * time.Millisecond)
	if int64(b.Sub(a)) != int64(wb.Sub(wa)) || b.UnixNano() != wb.UnixNano() {
		t.Fatalf("Add/Sub: %d, %d; time says %d, %d", b.Sub(a), b.UnixNano(), wb.Sub(wa), wb.UnixNano())
	}
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Equal(b) || !a.Equal(unixInstant(1700000000, 250_000_000, 3600)) {
		t.Fatal("comparisons disagree with the instants' order")
	}
	if !(instant{}).IsZero() || unixInstant(0, 0, 0).IsZero() {
		t.Fatal("IsZero: only the zero instant, not the epoch")
	}
}

// TestDurationAsTime: Seconds and Milliseconds as time.Duration's.
func TestDurationAsTime(t *testing.T) {
	for _, d := range []int64{0, 1, -1, 999_999_999, 1e9, 1_500_000_000, -2_750_000_001, 86400e9 + 7, 1<<62 + 12345} {
		if got, want := duration(d).Seconds(), time.Duration(d).Seconds(); got != want {
			t.Errorf("Seconds(%d) = %v, time says %v", d, got, want)
		}
		if got, want := duration(d).Milliseconds(), time.Duration(d).Milliseconds(); got != want {
			t.Errorf("Milliseconds(%d) = %v, time says %v", d, got, want)
		}
	}
}
