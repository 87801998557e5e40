package emulator

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	reVideoPeriod = regexp.MustCompile(`(?s)<Period id="([^"]+)" start="([^"]+)".*?contentType="video".*?timescale="(\d+)" presentationTimeOffset="(\d+)".*?<SegmentTimeline>(.*?)</SegmentTimeline>`)
	reS           = regexp.MustCompile(`<S(?: t="(\d+)")? d="(\d+)"(?: r="(\d+)")?/>`)
)

// videoSpans returns each period's id and the channel time span its listed
// video segments cover.
func videoSpans(t *testing.T, mpd string) (ids []string, spans [][2]time.Duration) {
	t.Helper()
	for _, m := range reVideoPeriod.FindAllStringSubmatch(mpd, -1) {
		start, err := parseISODuration(m[2])
		require.NoError(t, err)
		ts, _ := strconv.ParseInt(m[3], 10, 64)
		pto, _ := strconv.ParseInt(m[4], 10, 64)
		var from, to int64 = -1, 0
		for _, s := range reS.FindAllStringSubmatch(m[5], -1) {
			if s[1] != "" {
				to, _ = strconv.ParseInt(s[1], 10, 64)
			}
			if from < 0 {
				from = to
			}
			d, _ := strconv.ParseInt(s[2], 10, 64)
			r, _ := strconv.ParseInt("0"+s[3], 10, 64)
			to += d * (r + 1)
		}
		at := func(x int64) time.Duration { return start + time.Duration((x-pto)*int64(time.Second)/ts) }
		ids = append(ids, m[1])
		spans = append(spans, [2]time.Duration{at(from), at(to)})
	}
	return ids, spans
}

// TestLiveDASHJoinDuringBreak joins a live DASH session inside a break that
// began before it (so the origin's content plays) and checks that content
// runs on past the break end in the same Period, with no hole in the
// timeline: a content-to-content period switch or a missing stretch is
// where dash.js stopped.
func TestLiveDASHJoinDuringBreak(t *testing.T) {
	tests := []struct {
		name       string
		every, dur float64
	}{
		{"break inside one content loop", 60, 32},
		{"break crossing the content loop end", 40, 30}, // the test content loops every 20 s
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) {
				c.PlaybackConfigurations[0].LiveBreakEverySecs = tc.every
				c.PlaybackConfigurations[0].LiveBreakDurationSecs = tc.dur
			})
			// The harness clock starts 1 s past a break start on both grids.
			h.clock.Add(time.Duration(tc.dur-5) * time.Second)
			r, _ := h.session("live/index.mpd", nil)
			ch := newChannel(h.srv.cat.Content(""), h.srv.cfg.PlaybackConfigurations[0])
			now := h.clock.Now().Sub(astEpoch)
			m, in := ch.breakAt(now)
			require.True(t, in, "the session joins inside a break")
			bs, be := ch.breakWindow(m)
			owner := ""
			for step := 0; step < 6; step++ {
				_, mpd := h.do("GET", r.ManifestURL, "")
				ids, spans := videoSpans(t, mpd)
				require.NotEmpty(t, ids)
				for i := 1; i < len(spans); i++ {
					assert.Equal(t, spans[i-1][1], spans[i][0], "step %d: no hole between periods %s and %s", step, ids[i-1], ids[i])
				}
				for i, sp := range spans {
					assert.NotEqual(t, be, sp[0], "step %d: no period starts at the end of a break playing content (%s)", step, ids[i])
					if sp[0] < be && sp[1] > be {
						if owner == "" {
							owner = ids[i]
						}
						assert.Equal(t, owner, ids[i], "the period spanning the break end keeps its id")
					}
				}
				h.clock.Add(2 * time.Second)
			}
			assert.NotEmpty(t, owner, "content past the break end [%v, %v) was listed", bs, be)
		})
	}
}
