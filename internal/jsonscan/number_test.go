package jsonscan

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFloat: numbers read bit for bit as strconv.ParseFloat reads them
// (exponents, many digits, -0, the short decimals of *InSeconds).
func TestFloat(t *testing.T) {
	in := []string{"0", "-0", "0.0", "1", "-1", "10.5", "0.1", "0.3", "19.99", "12345.678",
		"0.000000000000000000001", "0.00000000000000000000001", "123456789012345", "1234567890123456",
		"999999999999999.9", "0.1234567890123456789", "1e3", "1.5E-7", "-2.5e+10", "00.5",
		"1.7976931348623157e308", "4.9e-324", "3600.000000", "-0.010"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		in = append(in, strconv.FormatFloat(r.Float64()*math.Pow(10, float64(r.IntN(12))), 'f', r.IntN(10), 64))
	}
	for _, x := range in {
		want, err := strconv.ParseFloat(x, 64)
		if x == "00.5" {
			continue // not JSON
		}
		require.NoError(t, err)
		var s Scanner
		s.Reset([]byte(x))
		got, ok, err := s.Float()
		require.NoError(t, err, x)
		assert.True(t, ok)
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("%s: got %v (%#x), want %v (%#x)", x, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	}
}
