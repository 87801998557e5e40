package main

import (
	"math"
	"syscall/js"

	"github.com/availkit/availkit/internal/jsonscan"
)

// jsNumber is the page's Number: the exact parser behind jsonscan's fast
// path, so the plugin does not link strconv's (see internal/jsonscan,
// decimal.go). It rounds as JSON.parse does, so the core reads a number
// of a tracking response as the page would.
var jsNumber = js.Global().Get("Number")

// parseNumber is called only with the text of a decimal number (jsonscan
// checks the syntax first; Number alone would take "0x10", "" and
// "Infinity"). The sign is applied here: syscall/js hands a JavaScript -0
// to Go as 0.
func parseNumber(s string) (float64, bool) {
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

func init() { jsonscan.SetSlowFloat(parseNumber) }
