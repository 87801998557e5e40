package main

import (
	"strings"
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeReply: hooks.fetch's reply reaches the core with the text as
// js.Value.String reads it (non-ASCII, surrogate pairs, a lone surrogate
// as U+FFFD, a long body), and a reply of another shape fails as before,
// naming the field.
func TestDecodeReply(t *testing.T) {
	eval := func(src string) js.Value { return js.Global().Call("eval", "("+src+")") }
	long := strings.Repeat(`{"u":"https://b.example/a0/progress?n=1"},`, 20000)
	js.Global().Set("__akLong", long)
	for _, c := range []struct{ name, src, err string }{
		{"ascii", `{status: 200, text: '{"avails":[]}'}`, ""},
		{"non-ascii", `{status: 200, text: 'café ✓ 😀 end'}`, ""},
		{"lone surrogate", `{status: 200, text: 'a\ud800b'}`, ""},
		{"empty", `{status: 204, text: ''}`, ""},
		{"long", `{status: 200, text: globalThis.__akLong}`, ""},
		{"status a string", `{status: '200', text: 'x'}`, "hooks.fetch: client: reply.status: expected number, got string"},
		{"fractional status", `{status: 200.5, text: 'x'}`, "hooks.fetch: client: reply.status: expected an integer, got 200.5"},
		{"text a number", `{status: 200, text: 5}`, "hooks.fetch: client: reply.text: expected string, got number"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := eval(c.src)
			r, err := decodeReply(v)
			if c.err != "" {
				require.Error(t, err)
				assert.Equal(t, c.err, "hooks.fetch: "+err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, v.Get("status").Int(), r.Status)
			assert.Equal(t, v.Get("text").String(), r.Body)
		})
	}
}
