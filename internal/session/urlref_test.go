package session

import (
	"github.com/availkit/availkit/internal/httpurl"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestResolveRFC3986 checks the reference-resolution examples of RFC 3986
// §5.4.1 and §5.4.2 (strict parser).
func TestResolveRFC3986(t *testing.T) {
	base, ok := parseRef("http://a/b/c/d;p?q")
	require.True(t, ok)
	cases := map[string]string{
		"g:h": "g:h", "g": "http://a/b/c/g", "./g": "http://a/b/c/g", "g/": "http://a/b/c/g/",
		"/g": "http://a/g", "//g": "http://g", "?y": "http://a/b/c/d;p?y", "g?y": "http://a/b/c/g?y",
		"#s": "http://a/b/c/d;p?q#s", "g#s": "http://a/b/c/g#s", "g?y#s": "http://a/b/c/g?y#s",
		";x": "http://a/b/c/;x", "g;x": "http://a/b/c/g;x", "g;x?y#s": "http://a/b/c/g;x?y#s",
		"": "http://a/b/c/d;p?q", ".": "http://a/b/c/", "./": "http://a/b/c/", "..": "http://a/b/",
		"../": "http://a/b/", "../g": "http://a/b/g", "../..": "http://a/", "../../": "http://a/",
		"../../g":    "http://a/g",
		"../../../g": "http://a/g", "../../../../g": "http://a/g", "/./g": "http://a/g", "/../g": "http://a/g",
		"g.": "http://a/b/c/g.", ".g": "http://a/b/c/.g", "g..": "http://a/b/c/g..", "..g": "http://a/b/c/..g",
		"./../g": "http://a/b/g", "./g/.": "http://a/b/c/g/", "g/./h": "http://a/b/c/g/h", "g/../h": "http://a/b/c/h",
		"g;x=1/./y": "http://a/b/c/g;x=1/y", "g;x=1/../y": "http://a/b/c/y",
		"g?y/./x": "http://a/b/c/g?y/./x", "g?y/../x": "http://a/b/c/g?y/../x",
		"g#s/./x": "http://a/b/c/g#s/./x", "g#s/../x": "http://a/b/c/g#s/../x", "http:g": "http:g",
	}
	for ref, want := range cases {
		t.Run(ref, func(t *testing.T) {
			r, ok := parseRef(ref)
			require.True(t, ok)
			assert.Equal(t, want, resolveRef(base, r).String())
		})
	}
}

func TestParseRefRejects(t *testing.T) {
	for _, s := range []string{"a b", "/x\n", "\\\\evil.example/x", "1http://x", "ht~tp://x", "/a\x7f"} {
		t.Run(s, func(t *testing.T) {
			_, ok := parseRef(s)
			assert.False(t, ok)
		})
	}
}

// FuzzResolve compares the hand-written resolver with net/url for plain
// http references both accept, so the wasm build can do without net/url.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"/v1/master/a/b/x.m3u8?aws.sessionId=1", "../t", "//h2/x", "?q", "#f", "a/./b/../c", "https://x/y"} {
		f.Add("http://h.example/v1/session/a/b/c.m3u8", s)
	}
	f.Fuzz(func(t *testing.T, baseS, refS string) {
		base, ok1 := parseRef(baseS)
		ref, ok2 := parseRef(refS)
		if !ok1 || !ok2 || base.scheme != "http" || !httpurl.ValidAuthority(base.authority) || strings.Contains(base.path, "/.") ||
			strings.Contains(base.path, "//") || strings.Contains(ref.path, "//") {
			// RFC 3986 keeps empty segments and an unnormalised base path; net/url does not.
			return
		}
		// Compare only characters net/url neither escapes nor normalises.
		for _, s := range []string{baseS, refS} {
			if strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/?:") != "" {
				return
			}
		}
		nb, err := url.Parse(baseS)
		if err != nil {
			return
		}
		nr, err := url.Parse(refS)
		if err != nil {
			return
		}
		want := nb.ResolveReference(nr).String()
		res := resolveRef(base, ref)
		if !httpurl.ValidAuthority(res.authority) {
			return // ParseInitReply refuses these; net/url drops an empty "//"
		}
		got := res.String()
		if want != got {
			// net/url drops an empty "?" / "#" and lowercases nothing else;
			// accept only those differences.
			if strings.TrimRight(got, "?#") == strings.TrimRight(want, "?#") {
				return
			}
			t.Fatalf("resolve(%q, %q) = %q, net/url %q", baseS, refS, got, want)
		}
	})
}
