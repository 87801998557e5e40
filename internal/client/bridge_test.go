package client

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/availkit/availkit/internal/jsonw"
)

func TestNewRand(t *testing.T) {
	at := time.Unix(1700000000, 123)
	first := func(b [16]byte, now time.Time) uint64 { return NewRand(b, now)() }
	b := [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	assert.Equal(t, first(b, at), first(b, at), "same seed, same sequence")
	c := b
	c[15] ^= 1
	assert.NotEqual(t, first(b, at), first(c, at), "every byte counts")
	assert.NotEqual(t, first([16]byte{}, at), first([16]byte{}, at.Add(1)), "no random bytes: the time still differs")
}

func TestRequestFetchInit(t *testing.T) {
	r := Request{Method: "POST", URL: "http://h.test/s", Headers: map[string]string{"Content-Type": "application/json", `X-"q"`: "v"},
		Body: `{"a":1}`, Timeout: 4500 * time.Millisecond, MaxBytes: 1 << 20}
	var got map[string]any
	require.NoError(t, json.Unmarshal(jsonw.AppendJSON(nil, r), &got))
	assert.Equal(t, map[string]any{
		"method": "POST", "headers": map[string]any{"Content-Type": "application/json", `X-"q"`: "v"},
		"body": `{"a":1}`, "timeoutMs": 4500.0, "maxBytes": float64(1 << 20),
	}, got)
	require.NoError(t, json.Unmarshal(jsonw.AppendJSON(nil, Request{Method: "GET"}), &got))
	assert.Equal(t, map[string]any{"method": "GET", "headers": map[string]any{}, "body": "", "timeoutMs": 0.0, "maxBytes": 0.0}, got)
}
