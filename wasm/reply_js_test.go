package main

import (
	"strings"
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeReply: hooks.fetch's reply reaches the core with the body's
// bytes as they were sent (UTF-8, a byte-order mark and invalid UTF-8
// included, a long body) or, from a hook that gives text, with the text
// as js.Value.String reads it; a reply of another shape fails, naming the
// field.
func TestDecodeReply(t *testing.T) {
	eval := func(src string) js.Value { return js.Global().Call("eval", "("+src+")") }
	long := strings.Repeat(`{"u":"https://b.example/a0/progress?n=1"},`, 20000)
	js.Global().Set("__akLong", long)
	const enc = "new TextEncoder().encode"
	for _, c := range []struct{ name, src, body, err string }{
		{"bytes", `{status: 200, bytes: ` + enc + `('{"avails":[]}')}`, `{"avails":[]}`, ""},
		{"bytes non-ascii", `{status: 200, bytes: ` + enc + `('café ✓ 😀 end')}`, "café ✓ 😀 end", ""},
		{"bytes as sent", `{status: 200, bytes: new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0xff, 0x7d])}`, "\xef\xbb\xbf{\xff}", ""},
		{"bytes empty", `{status: 204, bytes: new Uint8Array(0)}`, "", ""},
		{"bytes long", `{status: 200, bytes: ` + enc + `(globalThis.__akLong)}`, long, ""},
		{"text", `{status: 200, text: 'café ✓ 😀 end'}`, "café ✓ 😀 end", ""},
		{"text lone surrogate", `{status: 200, text: 'a\ud800b'}`, "a\ufffdb", ""},
		{"status a string", `{status: '200', bytes: new Uint8Array(1)}`, "", "hooks.fetch: client: reply.status: expected number, got string"},
		{"fractional status", `{status: 200.5, text: 'x'}`, "", "hooks.fetch: client: reply.status: expected an integer, got 200.5"},
		{"text a number", `{status: 200, text: 5}`, "", "hooks.fetch: client: reply.text: expected string, got number"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := decodeReply(eval(c.src))
			if c.err != "" {
				require.Error(t, err)
				assert.Equal(t, c.err, "hooks.fetch: "+err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, eval(c.src).Get("status").Int(), r.Status)
			assert.Equal(t, c.body, r.Body)
		})
	}
}
