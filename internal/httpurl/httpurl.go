// Package httpurl holds the small, dependency-free checks of http(s) URLs that
// the session and beacon packages share. It avoids net/url so that the wasm
// plugin stays lean.
package httpurl

import "strings"

// IsAbsolute reports whether u is an absolute http or https URL (scheme in
// any case) whose authority is valid (ValidAuthority).
func IsAbsolute(u string) bool {
	var rest string
	switch {
	case hasPrefixFold(u, "http://"):
		rest = u[7:]
	case hasPrefixFold(u, "https://"):
		rest = u[8:]
	default:
		return false
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return ValidAuthority(rest)
}

// ValidAuthority reports whether an http(s) URL's authority is a plain
// host[:port] or [ipv6][:port]: present and without userinfo (fetch rejects
// credentials).
func ValidAuthority(a string) bool {
	host, port := a, ""
	if strings.HasPrefix(a, "[") {
		j := strings.IndexByte(a, ']')
		if j < 0 {
			return false
		}
		host, port = a[1:j], a[j+1:]
		if host == "" || strings.Trim(host, "0123456789abcdefABCDEF:.") != "" {
			return false
		}
	} else {
		if i := strings.LastIndexByte(a, ':'); i >= 0 {
			host, port = a[:i], a[i:]
		}
		if host == "" {
			return false
		}
		for i := 0; i < len(host); i++ {
			c := host[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
				strings.IndexByte("-._~%!$&'()*+,;=", c) >= 0) {
				return false // '@' included: no userinfo
			}
		}
	}
	if port == "" {
		return true
	}
	if port[0] != ':' || len(port) > 6 {
		return false
	}
	return strings.Trim(port[1:], "0123456789") == ""
}

// hasPrefixFold is an ASCII-only strings.HasPrefix ignoring case; the
// Unicode folding of strings.EqualFold costs tables in the wasm build.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}
