//go:build js

package clock

// In the plugin, Duration and Time are this package's own types.
type (
	Duration = duration
	Time     = instant
)

// Units of Duration, as in package time.
const (
	Nanosecond  Duration = 1
	Microsecond          = 1000 * Nanosecond
	Millisecond          = 1000 * Microsecond
	Second               = 1000 * Millisecond
	Minute               = 60 * Second
	Hour                 = 60 * Minute
)

// localOffset is the offset of the page's zone, seconds east of UTC, that
// UnixMilli and Unix give their Time; SetLocalOffset sets it.
var localOffset int32

// SetLocalOffset sets the zone offset of the Time values made from now on,
// in seconds east of UTC. The plugin sets it once at start from the
// browser's Date, as package time does for its Local zone in a browser.
func SetLocalOffset(sec int) { localOffset = int32(sec) }

// UnixMilli returns the Time msec milliseconds after the Unix epoch, in the
// page's zone.
func UnixMilli(msec int64) Time {
	return unixInstant(floorDiv(msec, 1e3), (msec-floorDiv(msec, 1e3)*1e3)*1e6, localOffset)
}

// Unix returns the Time sec seconds and nsec nanoseconds after the Unix
// epoch, in the page's zone.
func Unix(sec, nsec int64) Time { return unixInstant(sec, nsec, localOffset) }
