//go:build !js

package jsonscan

import "strconv"

// Outside the browser, ParseFloat falls back to strconv: the emulator, the
// command-line tools and the tests keep exact parsing with no host to ask.
func init() {
	slowFloat = func(s string) (float64, bool) {
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil
	}
}
