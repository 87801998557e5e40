package jsonscan

// Decimal text to numbers, without strconv's parsers. strconv.ParseFloat is
// exact, and with it the plugin links its Eisel-Lemire and big-decimal
// paths, its NumError and, through NumError, strconv.Quote and its tables:
// about 8 KB of the compressed core. The numbers the plugin reads (the
// *InSeconds of a tracking response, sizes, offsets) have a handful of
// digits, which float64 arithmetic converts exactly; the rest go to a
// slower exact parser that the build supplies (strconv.ParseFloat in a
// native build, the browser's Number in the plugin: both round to nearest,
// ties to even, as JSON.parse does).

// slowFloat converts what the exact fast path cannot: more than 19
// significant digits, or a value or power of ten float64 does not hold
// exactly. It is nil only in a js build whose host has not set it.
var slowFloat func(s string) (float64, bool)

// SetSlowFloat installs the exact parser ParseFloat falls back to; the wasm
// plugin installs the host's Number. f must return the float64 nearest s
// (ties to even) and false for text that is not a number or whose value
// overflows float64.
func SetSlowFloat(f func(s string) (float64, bool)) { slowFloat = f }

// maxExact is the largest integer up to which every integer is a float64.
const maxExact = 1 << 53

// exactPow10 are the powers of ten float64 holds exactly.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// ParseFloat returns the float64 nearest the decimal number b (ties to
// even), as strconv.ParseFloat(string(b), 64) does: an optional sign,
// digits with an optional fraction, an optional exponent. ok is false for
// other text (no hexadecimal, infinities or NaN) and for values beyond
// float64's range; values too small for it are 0, as in strconv.
func ParseFloat[T ~string | ~[]byte](b T) (v float64, ok bool) {
	i, neg := 0, false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		i++
	}
	var mant uint64
	exp := 0         // the value is mant × 10^exp, give or take dropped digits
	nd := 0          // significant digits in mant
	dropped := false // a non-zero digit did not fit in mant
	sawDigit, sawDot := false, false
digits:
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			sawDigit = true
			if c == '0' && nd == 0 {
				if sawDot {
					exp-- // a leading zero of the fraction
				}
				continue
			}
			if nd < 19 {
				mant = mant*10 + uint64(c-'0')
				nd++
				if sawDot {
					exp--
				}
				continue
			}
			dropped = dropped || c != '0'
			if !sawDot {
				exp++
			}
		case c == '.' && !sawDot:
			sawDot = true
		default:
			break digits // the exponent, or text that is not a number
		}
	}
	if !sawDigit {
		return 0, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			eneg = b[i] == '-'
			i++
		}
		if i == len(b) {
			return 0, false
		}
		e := 0
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if e < 100000 { // far past float64's range either way
				e = e*10 + int(b[i]-'0')
			}
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if i != len(b) {
		return 0, false
	}
	if mant == 0 {
		v = 0 // however many zeros, whatever the exponent
	} else if f, exact := exactFloat(mant, exp, dropped); exact {
		v = f
	} else {
		if slowFloat == nil {
			return 0, false
		}
		return slowFloat(string(b))
	}
	if neg {
		v = -v
	}
	return v, true
}

// exactFloat returns mant × 10^exp when float64 arithmetic rounds it
// once: the mantissa and the power of ten are exact float64s, so one
// multiplication or division rounds correctly (Clinger's fast path).
func exactFloat(mant uint64, exp int, dropped bool) (float64, bool) {
	if dropped || mant > maxExact {
		return 0, false
	}
	switch {
	case exp >= 0 && exp < len(exactPow10):
		return float64(mant) * exactPow10[exp], true
	case exp < 0 && -exp < len(exactPow10):
		return float64(mant) / exactPow10[-exp], true
	}
	// 123e25: move zeros into the mantissa while it stays exact.
	for exp >= len(exactPow10) && mant <= maxExact/10 {
		mant *= 10
		exp--
	}
	if exp >= 0 && exp < len(exactPow10) {
		return float64(mant) * exactPow10[exp], true
	}
	return 0, false
}

// ParseInt reads a decimal integer: an optional sign and digits, nothing
// else; ok is false for other text and for values beyond int64.
func ParseInt[T ~string | ~[]byte](b T) (v int64, ok bool) {
	i, neg := 0, false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		i++
	}
	if i == len(b) {
		return 0, false
	}
	const limit = 1 << 63 // |int64 min|
	var u uint64
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if u > (limit-uint64(c-'0'))/10 {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	if neg {
		return -int64(u), true // -(1<<63) wraps to itself: int64's minimum
	}
	if u == limit {
		return 0, false
	}
	return int64(u), true
}
