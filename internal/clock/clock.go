// Package clock holds the core's two time types: Duration, a length of
// time, and Time, an instant.
//
// Everywhere but the plugin they are time.Duration and time.Time (type
// aliases, so that the rest of the module and every test mix them freely
// with package time). In the plugin (GOOS=js) they are the small types of
// this file, so that the wasm does not link package time: its init links
// internal/godebug, internal/bisect and the runtime's metrics, 38 KB of a
// hello-world program's brotli size and more than any other standard
// package the core used. Code of the core uses only what both provide: the
// unit constants, UnixMilli and Unix, Duration.Seconds, and the Time
// methods below.
package clock

// duration is Duration in the plugin: nanoseconds, as time.Duration.
type duration int64

// Seconds returns d as a floating-point number of seconds, rounded as
// time.Duration.Seconds rounds.
func (d duration) Seconds() float64 {
	sec := d / 1e9
	nsec := d % 1e9
	return float64(sec) + float64(nsec)/1e9
}

// Milliseconds returns d as an integer number of milliseconds.
func (d duration) Milliseconds() int64 { return int64(d) / 1e6 }

// instant is Time in the plugin: nanoseconds since the Unix epoch and the
// offset east of UTC of the zone it is shown in (the zone has no name).
// The zero instant is not the epoch: it is the unknown time, as the zero
// time.Time. An int64 of nanoseconds holds the years 1678 to 2262.
type instant struct {
	ns  int64
	off int32
	ok  bool
}

func unixInstant(sec, nsec int64, off int32) instant {
	return instant{ns: sec*1e9 + nsec, off: off, ok: true}
}

// IsZero reports whether t is the zero instant.
func (t instant) IsZero() bool { return !t.ok }

// Add returns t+d.
func (t instant) Add(d duration) instant {
	t.ns += int64(d)
	return t
}

// Sub returns t-u.
func (t instant) Sub(u instant) duration { return duration(t.ns - u.ns) }

// Before reports whether t is before u.
func (t instant) Before(u instant) bool { return t.ns < u.ns }

// After reports whether t is after u.
func (t instant) After(u instant) bool { return t.ns > u.ns }

// Equal reports whether t and u are the same instant.
func (t instant) Equal(u instant) bool { return t.ns == u.ns }

// UnixNano returns t in nanoseconds since the Unix epoch.
func (t instant) UnixNano() int64 { return t.ns }

// UnixMilli returns t in milliseconds since the Unix epoch.
func (t instant) UnixMilli() int64 { return floorDiv(t.ns, 1e6) }

// Nanosecond returns the nanosecond offset within t's second.
func (t instant) Nanosecond() int { return int(t.ns - floorDiv(t.ns, 1e9)*1e9) }

// Zone returns t's zone: no name, and its offset in seconds east of UTC.
func (t instant) Zone() (name string, offset int) { return "", int(t.off) }

// Date returns the year, month and day of t in its zone.
func (t instant) Date() (year int, month Month, day int) {
	return civil(floorDiv(t.local(), 86400))
}

// Clock returns the hour, minute and second of t within its day.
func (t instant) Clock() (hour, min, sec int) {
	s := int(t.local() - floorDiv(t.local(), 86400)*86400)
	return s / 3600, s / 60 % 60, s % 60
}

// local returns t's seconds since the epoch, shifted into its zone.
func (t instant) local() int64 { return floorDiv(t.ns, 1e9) + int64(t.off) }

// Month is a month of the year, January = 1, as time.Month: what Time.Date
// returns in the plugin (time.Month elsewhere; callers convert to int).
type Month int

// civil returns the proleptic Gregorian date of a day counted from
// 1970-01-01 (the days-to-civil algorithm of H. Hinnant: eras of 400 years
// of 146097 days, years starting in March so that the leap day is last).
func civil(days int64) (year int, month Month, day int) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097                                  // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365]
	mp := (5*doy + 2) / 153                                // [0, 11], March = 0
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return int(y), Month(m), int(d)
}

// floorDiv is a/b rounded toward negative infinity (b > 0).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}
