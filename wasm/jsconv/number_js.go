package jsconv

import "math"

// ParseNumber is the exact parser behind jsonscan.ParseFloat's fast path in
// the wasm modules (jsonscan.SetSlowFloat), so that they do not link
// strconv's: the page's Number rounds as JSON.parse does, so a number of a
// tracking response reads as the page would read it. s must be the text of
// a decimal number (jsonscan checks the syntax first; Number alone would
// take "0x10", "" and "Infinity"). The sign is applied here: syscall/js
// hands a JavaScript -0 to Go as 0.
func ParseNumber(s string) (float64, bool) {
	neg := s != "" && s[0] == '-'
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	v := jsNumber.Invoke(s).Float()
	if neg {
		v = -v
	}
	return v, !math.IsInf(v, 0) && !math.IsNaN(v)
}
