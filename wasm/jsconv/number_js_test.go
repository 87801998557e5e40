package jsconv

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/availkit/availkit/internal/jsonscan"
)

// TestParseNumber: the numbers jsonscan hands to the page's Number come
// back as strconv reads them, bit for bit, and out-of-range ones are
// refused.
func TestParseNumber(t *testing.T) {
	jsonscan.SetSlowFloat(ParseNumber) // as the wasm modules do
	for _, in := range []string{"9007199254740993", "1e23", "1e38", "1e-23", "0.1234567890123456789",
		"1.00000000000000000001", "1234567890123456789000", "1.7976931348623157e308", "4.9e-324",
		"2.4703282292062328e-324", "2.2250738585072011e-308", "1e-400", "-1e-400", "+7.000000000000000000001",
		".12345678901234567890", "0." + strings.Repeat("0", 30) + "1", "123456789012345678901234567890e-10"} {
		t.Run(in, func(t *testing.T) {
			want, err := strconv.ParseFloat(in, 64)
			assert.NoError(t, err)
			got, ok := jsonscan.ParseFloat(in)
			assert.True(t, ok)
			assert.Equal(t, math.Float64bits(want), math.Float64bits(got), "%v, want %v", got, want)
		})
	}
	for _, in := range []string{"1e400", "-1.7976931348623159e308", "1e100000"} {
		_, ok := jsonscan.ParseFloat(in)
		assert.False(t, ok, in)
	}
}
