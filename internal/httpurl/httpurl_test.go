package httpurl

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidAuthority(t *testing.T) {
	tests := map[string]bool{
		"mt.example.com": true, "127.0.0.1:8080": true, "[::1]": true, "[::1]:443": true, "h:": true,
		"": false, ":80": false, "u@h": false, "u:p@h": false, "[::1": false, "h:80x": false, "h:1234567": false,
		"[zz]": false, "h h": false,
	}
	for a, want := range tests {
		t.Run(a, func(t *testing.T) { assert.Equal(t, want, ValidAuthority(a)) })
	}
}

func TestIsAbsolute(t *testing.T) {
	for u, want := range map[string]bool{
		"http://a.test/x":       true,
		"HTTPS://a.test:8443?q": true,
		"https://a.test#f":      true,
		"http://":               false,
		"https:///path":         false,
		"http://user@a.test/":   false,
		"javascript:alert(1)":   false,
		"//a.test/x":            false,
		"about:blank":           false,
	} {
		if got := IsAbsolute(u); got != want {
			t.Errorf("IsAbsolute(%q) = %v, want %v", u, got, want)
		}
	}
}
