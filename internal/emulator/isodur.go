package emulator

import (
	"time"

	"github.com/availkit/availkit/internal/tracking"
)

// formatISODuration and parseISODuration are the plugin's own ISO-8601
// codec, so the emulator and the decoder agree by construction.
var (
	formatISODuration = tracking.FormatISODuration
	parseISODuration  = tracking.ParseISODuration
)

// secondsFloorMs returns d in seconds truncated to milliseconds, the value
// MediaTailor puts in the *InSeconds fields.
func secondsFloorMs(d time.Duration) float64 {
	return float64(d/time.Millisecond) / 1000
}
