package emulator

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLiveBreakPhase: liveBreakPhaseSecs moves every break by the phase
// (a test aligns the next break with its session), and the channel's
// lookups agree with the moved windows.
func TestLiveBreakPhase(t *testing.T) {
	for _, tc := range []struct {
		name  string
		phase float64
		want  time.Duration // the phase in effect
	}{
		{"none", 0, 0},
		{"13 s", 13, 13 * time.Second},
		{"past a period: modulo", 95, 15 * time.Second},
		{"negative: none", -5, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			c := DefaultConfig()
			c.PlaybackConfigurations[0].LiveBreakEverySecs = 40
			c.PlaybackConfigurations[0].LiveBreakPhaseSecs = tc.phase
			b, err := json.Marshal(c)
			require.NoError(t, err)
			c, err = ParseConfig(b) // as a config file is read
			require.NoError(t, err)
			ch := newChannel(h.srv.cat.Content(""), c.PlaybackConfigurations[0])
			require.Equal(t, tc.want, ch.phase)
			for m := int64(1); m < 200; m++ {
				bs, be := ch.breakWindow(m)
				nominal := tc.want + time.Duration(m)*ch.every
				// Snapped to the content segment at or after it (2 s).
				assert.True(t, bs >= nominal && bs < nominal+2*time.Second+time.Millisecond, "break %d at %v, nominal %v", m, bs, nominal)
				got, in := ch.breakAt(bs)
				assert.True(t, in && got == m, "breakAt(start of %d) = %d %v", m, got, in)
				got, in = ch.breakAt(be - time.Millisecond)
				assert.True(t, in && got == m, "breakAt(end of %d) = %d %v", m, got, in)
				_, in = ch.breakAt(be)
				assert.False(t, in, "after break %d", m)
				assert.Equal(t, bs, ch.nextBreakStart(bs-time.Millisecond), "next break before %d", m)
			}
		})
	}
}
