package lint

import (
	"math"
	"strconv"

	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/jsonscan"
	"github.com/availkit/availkit/internal/tracking"
)

// timedKeys are the ISO-8601 members that come with a *InSeconds twin.
var timedKeys = []string{"startTime", "duration", "adMarkerDuration", "minSuggestedDuration"}

// checkSeconds walks the raw document, which the decoder reduces to one
// value per pair, and reports every *InSeconds number that is neither the
// ISO value truncated nor rounded to milliseconds.
func checkSeconds(data []byte) []Finding {
	var out []Finding
	var s jsonscan.Scanner
	s.Reset(data)
	var walk func() error
	walk = func() error {
		switch s.Peek() {
		case '[':
			return s.Array(func(int) error { return walk() })
		case '{':
		default:
			return s.Skip()
		}
		iso := map[string]string{}
		num := map[string]float64{}
		path := s.Path()
		err := s.Object(func(key []byte) error {
			k := string(key)
			for _, t := range timedKeys {
				switch k {
				case t:
					if s.Peek() == '"' {
						v, err := s.Str()
						iso[k] = v
						return err
					}
				case t + "InSeconds":
					v, ok, err := s.Float()
					if ok {
						num[t] = v
					}
					return err
				}
			}
			return walk()
		})
		for _, t := range timedKeys {
			v, okv := iso[t]
			n, okn := num[t]
			if !okv || !okn || v == "" {
				continue
			}
			d, err := tracking.ParseISODuration(v)
			if err != nil || agrees(d, n) {
				continue
			}
			p := t + "InSeconds"
			if path != "" {
				p = path + "." + p
			}
			out = append(out, Finding{Severity: Warning, Code: "seconds-mismatch", Path: p,
				Message: t + "InSeconds " + strconv.FormatFloat(n, 'f', -1, 64) + " disagrees with " + t + " " + strconv.Quote(v) + " (" + secsText(d) + "): the plugin uses the ISO value"})
		}
		return err
	}
	if walk() != nil {
		return nil // Lint only calls this on documents that decoded
	}
	return out
}

// agrees reports whether secs is d truncated or rounded to milliseconds
// (MediaTailor truncates; other producers round).
func agrees(d clock.Duration, secs float64) bool {
	ms := math.Round(secs * 1000)
	if math.Abs(secs*1000-ms) > 1e-6*math.Max(1, math.Abs(ms)) {
		// Finer than ms: it must be the ISO value itself.
		return math.Abs(secs-d.Seconds()) < 1e-9*math.Max(1, secs)
	}
	trunc := float64(d / clock.Millisecond)
	round := float64((d + clock.Millisecond/2) / clock.Millisecond)
	return ms == trunc || ms == round
}
