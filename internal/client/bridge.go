package client

import (
	"math/rand/v2"

	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/jsonw"
)

// What a host bridge (wasm/) hands the Session and gets back, where the
// shaping is plain Go: the bridge only moves the values across.

// NewRand returns a Deps.Rand for [CACHEBUSTING], a PCG seeded from 16
// random bytes of the host (crypto.getRandomValues in a page, which keeps
// crypto/rand out of the plugin) mixed with now, so that a host without a
// random source still gets a different sequence per session.
func NewRand(random [16]byte, now clock.Time) func() uint64 {
	var x, y uint64
	for i := range 8 {
		x = x<<8 | uint64(random[i])
		y = y<<8 | uint64(random[8+i])
	}
	return rand.New(rand.NewPCG(x^uint64(now.UnixNano()), y)).Uint64
}

// MarshalJSONTo writes r as the init object of the host's fetch hook:
// {method, headers, body, timeoutMs, maxBytes}; the URL goes beside it.
func (r Request) MarshalJSONTo(w *jsonw.Writer) {
	w.BeginObject()
	w.StrField("method", r.Method)
	w.Key("headers")
	w.BeginObject()
	for k, v := range r.Headers {
		w.StrField(k, v)
	}
	w.EndObject()
	w.StrField("body", r.Body)
	w.NumField("timeoutMs", float64(r.Timeout/clock.Millisecond))
	w.IntField("maxBytes", r.MaxBytes)
	w.EndObject()
}
