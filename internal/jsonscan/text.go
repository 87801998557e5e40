package jsonscan

// How the scanner names values, bytes and positions in its messages.

// Kind names the kind of JSON value that starts with byte c ("string",
// "number", …), "" if none does.
func Kind(c byte) string {
	switch c {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return "number"
	}
	return ""
}

func isNumberStart(c byte) bool { return c == '-' || c >= '0' && c <= '9' }

// charDesc names an unexpected input byte for an error message. strconv's
// quoting is avoided: it drags Unicode printability tables into the wasm.
func charDesc(c byte) string {
	if c > ' ' && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	const hex = "0123456789abcdef"
	return "byte 0x" + string([]byte{hex[c>>4], hex[c&15]})
}

// Expected reports that the next value is not of kind want ("expected
// number, got string"), or that there is no valid value at all.
func (s *Scanner) Expected(want string) error {
	c := s.Peek()
	got := Kind(c)
	if got == "" {
		if c == 0 {
			return s.Syntax("")
		}
		if want == "" {
			want = "a JSON value"
		}
		if c == '.' && len(s.data)-s.pos >= 3 && string(s.data[s.pos:s.pos+3]) == "..." {
			// Documentation examples elide content with "...".
			return s.Syntax("expected " + want + `, got "..." (an elision placeholder, not JSON)`)
		}
		return s.Syntax("expected " + want + ", got invalid character " + charDesc(c))
	}
	return s.Fail("expected " + want + ", got " + got)
}

// controlMsg describes a raw control byte inside a string; a raw line
// break (text pasted into JSON by hand) is the usual one.
func controlMsg(c byte) string {
	switch c {
	case '\n', '\r':
		return `raw line break in string (expected it escaped as \n)`
	case '\t':
		return `raw tab in string (expected it escaped as \t)`
	}
	return "control character " + charDesc(c) + " in string"
}

// Quote renders an offending value for an error message: cut to max bytes
// ("…" marks the cut; max <= 0 keeps it whole), with quotes and
// backslashes escaped and control bytes as \xNN. strconv.Quote is avoided:
// it pulls Unicode tables into the wasm build.
func Quote(s string, max int) string {
	const hex = "0123456789abcdef"
	n := len(s)
	if max > 0 && n > max {
		n = max
	}
	out := make([]byte, 0, n+8)
	out = append(out, '"')
	for i := 0; i < len(s); i++ {
		if max > 0 && i == max {
			out = append(out, "…"...)
			break
		}
		switch c := s[i]; {
		case c == '"' || c == '\\':
			out = append(out, '\\', c)
		case c < ' ' || c == 0x7f:
			out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
		default:
			out = append(out, c)
		}
	}
	return string(append(out, '"'))
}

// LineCol returns the 1-based line and column (in bytes) of offset in data,
// for messages about hand-edited documents, where an offset alone is hard
// to find.
func LineCol(data []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(data))
	line, start := 1, 0
	for i := 0; i < offset; i++ {
		if data[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return line, offset - start + 1
}
