package emulator

import (
	"strconv"
	"strings"
	"time"
)

// formatISODuration formats d the way MediaTailor does (Java's
// Duration.toString): hours are the largest unit, seconds keep up to nine
// fractional digits with trailing zeros dropped, and zero is "PT0S".
//
// It stands in for tracking.FormatISODuration until that is exported.
func formatISODuration(d time.Duration) string {
	if d == 0 {
		return "PT0S"
	}
	var b strings.Builder
	b.WriteString("PT")
	neg := d < 0
	if neg {
		d = -d
	}
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	sign := ""
	if neg {
		sign = "-"
	}
	if h > 0 {
		b.WriteString(sign + strconv.FormatInt(int64(h), 10) + "H")
	}
	if m > 0 {
		b.WriteString(sign + strconv.FormatInt(int64(m), 10) + "M")
	}
	if d > 0 {
		s := d / time.Second
		ns := d - s*time.Second
		b.WriteString(sign + strconv.FormatInt(int64(s), 10))
		if ns > 0 {
			frac := strconv.FormatInt(int64(ns)+1e9, 10)[1:]
			b.WriteString("." + strings.TrimRight(frac, "0"))
		}
		b.WriteString("S")
	}
	return b.String()
}

// secondsFloorMs returns d in seconds truncated to milliseconds, the value
// MediaTailor puts in the *InSeconds fields.
func secondsFloorMs(d time.Duration) float64 {
	return float64(d/time.Millisecond) / 1000
}
