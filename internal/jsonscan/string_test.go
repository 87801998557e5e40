package jsonscan

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStr: strings read as encoding/json reads them, whether plain, with
// escapes between long plain runs or with \u escapes and surrogates, and
// the scanner ends right after the closing quote.
func TestStr(t *testing.T) {
	long := strings.Repeat("https://b.example/a0/progress?n=1&x=y", 40)
	for _, in := range []string{
		`""`,
		`"plain"`,
		`"` + long + `"`,
		`"a\"b"`,
		`"` + long + `\n` + long + `\\` + long + `"`,
		`"\/\b\f\n\r\t"`,
		`"\u00e9t\u00E9"`,
		`"\ud83d\ude00 smile"`,
		`"lone \ud83d high"`,
		`"lone \ude00 low"`,
		`"high then \ud83d\u0041 letter"`,
		`"café ✓"`,
	} {
		t.Run(in[:min(len(in), 24)], func(t *testing.T) {
			var want string
			require.NoError(t, json.Unmarshal([]byte(in), &want))
			var s Scanner
			s.Reset([]byte(in + `,1`))
			got, err := s.Str()
			require.NoError(t, err)
			assert.Equal(t, want, got)
			assert.Equal(t, len(in), s.Offset(), "stops after the closing quote")
		})
	}
}

// TestStrErrors: malformed strings name what is wrong and where.
func TestStrErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`"abc`, "json: unexpected end of input"},
		{`"abc\`, "json: unexpected end of input"},
		{`"ab` + "\n" + `c"`, `json: raw line break in string (expected it escaped as \n) at offset 3`},
		{`"ab\n` + "\t" + `"`, `json: raw tab in string (expected it escaped as \t) at offset 5`},
		{`"a\x"`, "json: invalid escape at offset 3"},
		{`"a\u12"`, `json: invalid \u escape at offset 4`},
		{`"` + strings.Repeat("x", 100) + "\x01" + `"`, "json: control character byte 0x01 in string at offset 101"},
	} {
		t.Run(c.in, func(t *testing.T) {
			var s Scanner
			s.Reset([]byte(c.in))
			_, err := s.Str()
			require.Error(t, err)
			assert.Equal(t, c.want, err.Error())
		})
	}
}

// BenchmarkStrPlain is the cost of reading a beacon URL.
func BenchmarkStrPlain(b *testing.B) {
	in := []byte(`"https://b.example/a12/progress?n=345&cb=[CACHEBUSTING]&session=0f9c2a7e"`)
	var s Scanner
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		s.Reset(in)
		if _, err := s.RawString(); err != nil {
			b.Fatal(err)
		}
	}
}
