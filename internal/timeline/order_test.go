package timeline

import (
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestStableByKey: the timeline's one sort must order by key and keep
// polls' order among equal keys (two events at the same instant fire in the
// order the tracking JSON lists them), for any length.
func TestStableByKey(t *testing.T) {
	type item struct {
		at  float64
		pos int
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 7, 8, 9, 100, 1000} {
		s := make([]item, n)
		for i := range s {
			s[i] = item{at: float64(r.IntN(n/3 + 1)), pos: i} // many ties
		}
		want := append([]item{}, s...)
		sort.SliceStable(want, func(i, j int) bool { return want[i].at < want[j].at })
		stableByKey(s, func(x *item) float64 { return x.at })
		assert.Equal(t, want, s, "n=%d", n)
	}
}
