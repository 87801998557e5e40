package tracking

import (
	"errors"
	"math"
	"strconv"

	"github.com/availkit/availkit/internal/clock"
)

var errISODuration = errors.New("tracking: invalid ISO-8601 duration")

// ParseISODuration parses an ISO-8601 duration as MediaTailor sends it
// ("PT0S", "PT15S", "PT1M56.060003037S", "PT5042H27M59.931S") into a
// clock.Duration with nanosecond precision. Days ("P1DT2H") are accepted as 24
// hours each; years, months and weeks are rejected because their length is
// not fixed. A leading sign and per-component signs (Java's "PT-1M-30S") are
// accepted. Fraction digits beyond nanoseconds are truncated, and only the
// seconds component may carry a fraction.
func ParseISODuration(s string) (clock.Duration, error) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	if i >= len(s) || (s[i] != 'P' && s[i] != 'p') {
		return 0, errISODuration
	}
	i++
	var total int64
	inTime := false
	any := false
	lastUnit := 0 // order guard: D=1, H=2, M=3, S=4
	for i < len(s) {
		c := s[i]
		if c == 'T' || c == 't' {
			if inTime {
				return 0, errISODuration
			}
			inTime = true
			i++
			if i >= len(s) {
				return 0, errISODuration
			}
			continue
		}
		compNeg := false
		if c == '-' || c == '+' {
			compNeg = c == '-'
			i++
		}
		start := i
		var whole int64
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if whole > (1<<62)/10 {
				return 0, errISODuration
			}
			whole = whole*10 + int64(s[i]-'0')
			i++
		}
		digits := i - start
		var frac int64
		fracDigits := 0
		hasFrac := false
		if i < len(s) && (s[i] == '.' || s[i] == ',') {
			hasFrac = true
			i++
			fs := i
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				if fracDigits < 9 {
					frac = frac*10 + int64(s[i]-'0')
					fracDigits++
				}
				i++
			}
			if i == fs {
				return 0, errISODuration
			}
		}
		if digits == 0 && !hasFrac {
			return 0, errISODuration
		}
		if i >= len(s) {
			return 0, errISODuration
		}
		unit := s[i]
		i++
		var mul int64
		var order int
		switch {
		case !inTime && (unit == 'D' || unit == 'd'):
			mul, order = int64(24*clock.Hour), 1
		case inTime && (unit == 'H' || unit == 'h'):
			mul, order = int64(clock.Hour), 2
		case inTime && (unit == 'M' || unit == 'm'):
			mul, order = int64(clock.Minute), 3
		case inTime && (unit == 'S' || unit == 's'):
			mul, order = int64(clock.Second), 4
		default:
			return 0, errISODuration
		}
		if order <= lastUnit || (hasFrac && order != 4) {
			return 0, errISODuration
		}
		lastUnit = order
		for ; fracDigits < 9; fracDigits++ {
			frac *= 10
		}
		if whole > (1<<63-1-frac)/mul {
			return 0, errISODuration
		}
		v := whole*mul + frac
		if compNeg {
			v = -v
		}
		if (v > 0 && total > 1<<63-1-v) || (v < 0 && total < -1<<63-v) {
			return 0, errISODuration
		}
		total += v
		any = true
	}
	if !any {
		return 0, errISODuration
	}
	if neg {
		total = -total
	}
	return clock.Duration(total), nil
}

// FormatISODuration formats d the way java.clock.Duration.toString does, which
// is what MediaTailor emits: hours are the largest unit, zero components are
// left out, the seconds fraction keeps only significant digits, zero is
// "PT0S", and each component of a negative duration carries its own sign
// ("PT-1M-30.5S").
func FormatISODuration(d clock.Duration) string {
	return string(AppendISODuration(make([]byte, 0, 24), d))
}

// AppendISODuration appends FormatISODuration(d) to b.
func AppendISODuration(b []byte, d clock.Duration) []byte {
	b = append(b, 'P', 'T')
	if d == 0 {
		return append(b, '0', 'S')
	}
	neg := d < 0
	u := uint64(d)
	if neg {
		u = -u
	}
	ns := u % 1e9
	secs := u / 1e9
	h := secs / 3600
	m := secs / 60 % 60
	s := secs % 60
	sign := func(b []byte) []byte {
		if neg {
			return append(b, '-')
		}
		return b
	}
	if h > 0 {
		b = sign(b)
		b = strconv.AppendUint(b, h, 10)
		b = append(b, 'H')
	}
	if m > 0 {
		b = sign(b)
		b = strconv.AppendUint(b, m, 10)
		b = append(b, 'M')
	}
	if s == 0 && ns == 0 {
		return b
	}
	b = sign(b)
	b = strconv.AppendUint(b, s, 10)
	if ns > 0 {
		b = appendFrac9(b, ns)
	}
	return append(b, 'S')
}

// appendFrac9 appends "." and ns as nine digits with trailing zeros removed;
// ns must be in (0, 1e9).
func appendFrac9(b []byte, ns uint64) []byte {
	var buf [10]byte
	buf[0] = '.'
	for i := 9; i >= 1; i-- {
		buf[i] = byte('0' + ns%10)
		ns /= 10
	}
	n := 10
	for n > 2 && buf[n-1] == '0' {
		n--
	}
	return append(b, buf[:n]...)
}

// ParseSkipOffset converts a VAST skipoffset into the time after the ad's
// start at which Skip may be offered. It accepts "HH:MM:SS", "HH:MM:SS.mmm"
// (any number of fraction digits, truncated to nanoseconds) and "n%" / "n.n%"
// of adDuration. It reports false for "", for malformed values and for a
// percentage when adDuration is not positive, which callers must treat as
// "not skippable" (VAST: a percentage may be ignored when the duration is
// unknown). Percentages above 100 are clamped to the ad's duration.
func ParseSkipOffset(s string, adDuration clock.Duration) (clock.Duration, bool) {
	if s == "" {
		return 0, false
	}
	if s[len(s)-1] == '%' {
		if adDuration <= 0 {
			return 0, false
		}
		p, ok := parseDecimalMilli(s[:len(s)-1], 6)
		if !ok {
			return 0, false
		}
		// p is the percentage in millionths of a percent; split the product
		// so that long ads do not overflow int64, and clamp to 100% first:
		// 1000% of a long ad would overflow and wrap negative (skippable at
		// once).
		const unit = 100 * 1e6
		p = min(p, unit)
		d := clock.Duration(p/unit)*adDuration + clock.Duration(float64(p%unit)/unit*float64(adDuration))
		if d > adDuration {
			d = adDuration
		}
		return d, true
	}
	return parseClock(s)
}

// parseClock parses "HH:MM:SS" or "HH:MM:SS.fff…"; hours may have any number
// of digits, minutes and seconds must be below 60.
func parseClock(s string) (clock.Duration, bool) {
	var parts [3]int64
	i := 0
	for p := 0; p < 3; p++ {
		start := i
		var v int64
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if v > 1e12 {
				return 0, false
			}
			v = v*10 + int64(s[i]-'0')
			i++
		}
		if i == start {
			return 0, false
		}
		parts[p] = v
		if p < 2 {
			if i >= len(s) || s[i] != ':' {
				return 0, false
			}
			i++
		}
	}
	// maxClockHours keeps the sum inside clock.Duration: 2562047 h is its
	// limit, and a wrapped value would be negative (skippable at once).
	const maxClockHours = int64(math.MaxInt64/clock.Hour) - 1
	if parts[1] >= 60 || parts[2] >= 60 || parts[0] > maxClockHours {
		return 0, false
	}
	var ns int64
	if i < len(s) {
		if s[i] != '.' {
			return 0, false
		}
		i++
		n := 0
		start := i
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			if n < 9 {
				ns = ns*10 + int64(s[i]-'0')
				n++
			}
		}
		if i == start || i != len(s) {
			return 0, false
		}
		for ; n < 9; n++ {
			ns *= 10
		}
	}
	d := clock.Duration(parts[0])*clock.Hour + clock.Duration(parts[1])*clock.Minute +
		clock.Duration(parts[2])*clock.Second + clock.Duration(ns)
	return d, true
}

// parseDecimalMilli parses a non-negative decimal "12" / "12.5" into an
// integer scaled by 10^scale, truncating extra fraction digits.
func parseDecimalMilli(s string, scale int) (int64, bool) {
	var v int64
	i := 0
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if v > 1e9 {
			return 0, false
		}
		v = v*10 + int64(s[i]-'0')
		i++
	}
	whole := i - start
	n := 0
	if i < len(s) && s[i] == '.' {
		i++
		fs := i
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			if n < scale {
				v = v*10 + int64(s[i]-'0')
				n++
			}
		}
		if i == fs && whole == 0 {
			return 0, false
		}
	}
	if whole == 0 && n == 0 || i != len(s) {
		return 0, false
	}
	for ; n < scale; n++ {
		v *= 10
	}
	return v, true
}
