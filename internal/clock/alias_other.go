//go:build !js

package clock

import "time"

// Outside the plugin, Duration and Time are package time's.
type (
	Duration = time.Duration
	Time     = time.Time
)

// Units of Duration, as in package time.
const (
	Nanosecond  = time.Nanosecond
	Microsecond = time.Microsecond
	Millisecond = time.Millisecond
	Second      = time.Second
	Minute      = time.Minute
	Hour        = time.Hour
)

// UnixMilli returns time.UnixMilli(msec).
func UnixMilli(msec int64) Time { return time.UnixMilli(msec) }

// Unix returns time.Unix(sec, nsec).
func Unix(sec, nsec int64) Time { return time.Unix(sec, nsec) }
