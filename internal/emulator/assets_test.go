package emulator

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStaticCompanionLabelFits: the generated static companions name their
// size; a QA engineer checking slot selection reads it, so the label must
// fit the image (at ~0.6 em per sans-serif glyph) rather than be clipped.
func TestStaticCompanionLabelFits(t *testing.T) {
	h := newHarness(t, nil)
	sizeRe := regexp.MustCompile(`font-size="(\d+)"`)
	labelRe := regexp.MustCompile(`>([^<]+)</text>`)
	for _, c := range []struct {
		name string
		w    int
	}{{"300x250", 300}, {"728x90", 728}, {"160x600", 160}, {"120x60", 120}} {
		t.Run(c.name, func(t *testing.T) {
			resp, body := h.do(http.MethodGet, "/vast/assets/"+c.name+".svg", "")
			require.Equal(t, http.StatusOK, resp.StatusCode)
			m, l := sizeRe.FindStringSubmatch(body), labelRe.FindStringSubmatch(body)
			require.NotNil(t, m, body)
			require.NotNil(t, l, body)
			size, _ := strconv.Atoi(m[1])
			assert.Equal(t, "availkit "+c.name, l[1])
			assert.LessOrEqual(t, float64(size)*0.6*float64(len(l[1])), float64(c.w), "label wider than the image")
		})
	}
}
