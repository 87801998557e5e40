package emulator

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParsePublicBase(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "",
		"http://10.0.0.5:8080":      "http://10.0.0.5:8080",
		"https://emu.example/":      "https://emu.example",
		"http://[::1]:8080":         "http://[::1]:8080",
		"ftp://emu.example":         "!",
		"emu.example:8080":          "!",
		"http://emu.example/prefix": "!",
		"http://emu.example/?a=1":   "!",
		"http://":                   "!",
	} {
		t.Run(in, func(t *testing.T) {
			got, err := parsePublicBase(in)
			if want == "!" {
				assert.Error(t, err)
				return
			}
			assert.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

// TestDotSegments pins the paths the router refuses before routing.
func TestDotSegments(t *testing.T) {
	for p, want := range map[string]bool{
		"/dist/../x": true, "/.git/config": true, "/web/./a.js": true, "/dist/.env": true,
		"/dist/availkit.js": false, "/node_modules/hls.js/dist/hls.mjs": false, "/v1/master/a/b/vod/index.m3u8": false,
		"/media/a..b/c": false,
	} {
		assert.Equal(t, want, hasDotSegment(p), p)
	}
}
