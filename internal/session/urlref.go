package session

import "strings"

// uriRef is a URI reference split as in RFC 3986 appendix B. It exists
// because net/url imports fmt (and with it reflect), which the wasm size
// budget cannot afford for a job this small.
type uriRef struct {
	scheme, authority, path, query, fragment       string
	hasScheme, hasAuthority, hasQuery, hasFragment bool
}

// parseRef splits s. It refuses control characters, spaces, backslashes and
// a malformed scheme, which a player must not guess at.
func parseRef(s string) (uriRef, bool) {
	var r uriRef
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f || c == '\\' {
			return r, false
		}
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		r.fragment, r.hasFragment, s = s[i+1:], true, s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		r.query, r.hasQuery, s = s[i+1:], true, s[:i]
	}
	if i := strings.IndexByte(s, ':'); i >= 0 && !strings.ContainsAny(s[:i], "/") {
		if !validScheme(s[:i]) {
			return r, false
		}
		r.scheme, r.hasScheme, s = lowerASCII(s[:i]), true, s[i+1:]
	}
	if strings.HasPrefix(s, "//") {
		s = s[2:]
		i := strings.IndexByte(s, '/')
		if i < 0 {
			i = len(s)
		}
		r.authority, r.hasAuthority, s = s[:i], true, s[i:]
	}
	r.path = s
	return r, true
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func validScheme(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

func (r uriRef) String() string {
	var b strings.Builder
	if r.hasScheme {
		b.WriteString(r.scheme)
		b.WriteByte(':')
	}
	if r.hasAuthority {
		b.WriteString("//")
		b.WriteString(r.authority)
	}
	b.WriteString(r.path)
	if r.hasQuery {
		b.WriteByte('?')
		b.WriteString(r.query)
	}
	if r.hasFragment {
		b.WriteByte('#')
		b.WriteString(r.fragment)
	}
	return b.String()
}

// resolveRef resolves ref against base as RFC 3986 §5.2.2 specifies.
func resolveRef(base, ref uriRef) uriRef {
	var t uriRef
	switch {
	case ref.hasScheme:
		t = ref
		t.path = removeDotSegments(ref.path)
	case ref.hasAuthority:
		t = ref
		t.scheme, t.hasScheme = base.scheme, base.hasScheme
		t.path = removeDotSegments(ref.path)
	default:
		t.scheme, t.hasScheme = base.scheme, base.hasScheme
		t.authority, t.hasAuthority = base.authority, base.hasAuthority
		switch {
		case ref.path == "":
			t.path = base.path
			t.query, t.hasQuery = base.query, base.hasQuery
			if ref.hasQuery {
				t.query, t.hasQuery = ref.query, true
			}
		case ref.path[0] == '/':
			t.path = removeDotSegments(ref.path)
			t.query, t.hasQuery = ref.query, ref.hasQuery
		default:
			t.path = removeDotSegments(mergePaths(base, ref.path))
			t.query, t.hasQuery = ref.query, ref.hasQuery
		}
	}
	t.fragment, t.hasFragment = ref.fragment, ref.hasFragment
	return t
}

func mergePaths(base uriRef, path string) string {
	if base.hasAuthority && base.path == "" {
		return "/" + path
	}
	i := strings.LastIndexByte(base.path, '/')
	return base.path[:i+1] + path
}

// removeDotSegments implements RFC 3986 §5.2.4.
func removeDotSegments(in string) string {
	if !strings.Contains(in, ".") {
		return in
	}
	var out []string // output segments, each starting with "/" unless first
	for in != "" {
		switch {
		case strings.HasPrefix(in, "../"):
			in = in[3:]
		case strings.HasPrefix(in, "./"):
			in = in[2:]
		case strings.HasPrefix(in, "/./"):
			in = in[2:]
		case in == "/.":
			in = "/"
		case strings.HasPrefix(in, "/../"):
			in = in[3:]
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "/..":
			in = "/"
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "." || in == "..":
			in = ""
		default:
			j := strings.IndexByte(in[1:], '/')
			if j < 0 {
				out = append(out, in)
				in = ""
			} else {
				out = append(out, in[:j+1])
				in = in[j+1:]
			}
		}
	}
	return strings.Join(out, "")
}
