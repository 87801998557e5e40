package jsonscan

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// countSlow swaps in a slow parser that counts its calls, for the length of
// the test.
func countSlow(t *testing.T) *int {
	n := new(int)
	prev := slowFloat
	slowFloat = func(s string) (float64, bool) {
		*n++
		return prev(s)
	}
	t.Cleanup(func() { slowFloat = prev })
	return n
}

// TestParseFloat: the same float64, bit for bit, as strconv.ParseFloat,
// with the short numbers of tracking responses converted by the fast path
// and the others handed to the exact parser.
func TestParseFloat(t *testing.T) {
	tests := []struct {
		in   string
		slow bool
	}{
		{"0", false}, {"-0", false}, {"0.000", false}, {"0e999999", false}, {"-0.0e-5", false},
		{"1", false}, {"15.015", false}, {"1234.567", false}, {"30.0", false}, {"0.1", false},
		{"0.3", false}, {"-2.5e+10", false}, {"1.5E-7", false}, {"+5", false}, {"00012", false},
		{"3600.000000", false}, {".5", false}, {"5.", false},
		{"9007199254740992", false},      // 2^53: the largest exact mantissa
		{"9007199254740993", true},       // 2^53+1: rounds, ties to even
		{"1e22", false}, {"1e23", false}, // 10 × 1e22, one rounding
		{"123e30", false}, {"9e37", false}, // zeros moved into the mantissa
		{"1e38", true},                    // 1e16 × 1e22, but 1e16 is past the moves' bound
		{"1e-22", false}, {"1e-23", true}, // past the exact divisors
		{"0.1234567890123456789", true},      // 19 digits, above 2^53
		{"1.00000000000000000001", true},     // a dropped non-zero digit
		{"1234567890123456789000", true},     // trailing digits dropped, value kept
		{"1.7976931348623157e308", true},     // MaxFloat64
		{"4.9e-324", true}, {"1e-400", true}, // the smallest subnormal; underflow to 0
		{"2.2250738585072011e-308", true}, // a classic hard case
		{"0." + strings.Repeat("0", 30) + "1", true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			calls := countSlow(t)
			want, err := strconv.ParseFloat(tc.in, 64)
			assert.NoError(t, err)
			got, ok := ParseFloat(tc.in)
			assert.True(t, ok)
			assert.Equal(t, math.Float64bits(want), math.Float64bits(got), "%v, want %v", got, want)
			gotb, okb := ParseFloat([]byte(tc.in))
			assert.True(t, okb)
			assert.Equal(t, math.Float64bits(want), math.Float64bits(gotb), "as []byte")
			if tc.slow {
				assert.Equal(t, 2, *calls, "handed to the exact parser")
			} else {
				assert.Zero(t, *calls, "converted by the fast path")
			}
		})
	}
}

func TestParseFloatRefused(t *testing.T) {
	for _, in := range []string{"", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1e5.0", "--1", "1 ", " 1",
		"0x10", "0x1p4", "inf", "Infinity", "NaN", "1_000", "1e400", "-1e400", "1.7976931348623159e308"} {
		t.Run(in, func(t *testing.T) {
			v, ok := ParseFloat(in)
			assert.False(t, ok, "got %v", v)
		})
	}
}

func TestParseFloatNoSlowParser(t *testing.T) {
	prev := slowFloat
	slowFloat = nil // a js build whose host set none
	t.Cleanup(func() { slowFloat = prev })
	v, ok := ParseFloat("15.015")
	assert.True(t, ok)
	assert.Equal(t, 15.015, v)
	_, ok = ParseFloat("0.1234567890123456789")
	assert.False(t, ok, "refused, not guessed")
}

func TestParseInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"640", 640, true}, {"-12", -12, true}, {"+7", 7, true}, {"007", 7, true},
		{"9223372036854775807", math.MaxInt64, true},
		{"-9223372036854775808", math.MinInt64, true},
		{"9223372036854775808", 0, false},
		{"-9223372036854775809", 0, false},
		{"99999999999999999999", 0, false},
		{"", 0, false}, {"-", 0, false}, {"640.0", 0, false}, {"1e3", 0, false}, {" 1", 0, false},
		{"12px", 0, false}, {"0x10", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := ParseInt(tc.in)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
			if ok {
				want, err := strconv.ParseInt(tc.in, 10, 64)
				assert.NoError(t, err)
				assert.Equal(t, want, got)
			}
		})
	}
}

// decimalText reports whether s uses only the characters of a decimal
// number, the part of strconv's syntax ParseFloat takes.
func decimalText(s string) bool {
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return false
		}
	}
	return true
}

// FuzzParseFloat compares ParseFloat with strconv on any text: the same
// bits where both accept, a refusal exactly where strconv refuses a decimal
// text or reads it as something ParseFloat does not take.
func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"0", "-0.0", "15.015", "1e23", "9007199254740993", "4.9e-324",
		"1.7976931348623157e308", "1e400", "0.1234567890123456789", ".5", "1e", "0x1p4", "12345678901234567890123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseFloat(s)
		want, err := strconv.ParseFloat(s, 64)
		if !decimalText(s) {
			if ok {
				t.Fatalf("%q: accepted as %v", s, got)
			}
			return
		}
		if ok != (err == nil) {
			t.Fatalf("%q: ok %v, strconv %v", s, ok, err)
		}
		if ok && math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%q: %v, strconv %v", s, got, want)
		}
		if n, iok := ParseInt(s); iok {
			w, ierr := strconv.ParseInt(s, 10, 64)
			if ierr != nil || w != n {
				t.Fatalf("ParseInt %q: %v, strconv %v %v", s, n, w, ierr)
			}
		}
	})
}
