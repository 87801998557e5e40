package emulator

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPrecompressedWasm checks that dist/availkit.wasm is answered from its
// pre-compressed siblings as the browser accepts, with headers that let
// the browser keep the compiled module and revalidate it cheaply.
func TestPrecompressedWasm(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "dist", "only-raw"), 0o755))
	for name, body := range map[string]string{"availkit.wasm": "RAW", "availkit.wasm.br": "BROTLI", "availkit.wasm.gz": "GZIP",
		"only-raw/x.wasm": "RAWONLY"} {
		require.NoError(t, os.WriteFile(filepath.Join(root, "dist", filepath.FromSlash(name)), []byte(body), 0o644))
	}
	// The module's time has a fraction of a second; brotli(1) gives its
	// copy the time truncated to the second, and that copy is current.
	built := time.Now().Add(-time.Hour).Truncate(time.Second)
	for name, at := range map[string]time.Time{"availkit.wasm": built.Add(376 * time.Millisecond), "availkit.wasm.br": built, "availkit.wasm.gz": built} {
		require.NoError(t, os.Chtimes(filepath.Join(root, "dist", name), at, at))
	}
	h := newHarness(t, nil, func(o *Options) { o.Root = root })
	get := func(path string, hdr ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, req)
		return rec
	}
	etags := map[string]string{}
	for _, tc := range []struct{ accept, encoding, body string }{
		{"gzip, deflate, br, zstd", "br", "BROTLI"},
		{"gzip", "gzip", "GZIP"},
		{"br;q=0, gzip;q=0.8", "gzip", "GZIP"},
		{"identity", "", "RAW"},
		{"", "", "RAW"},
		{"br;q=0, gzip;q=0", "", "RAW"},
	} {
		t.Run("Accept-Encoding "+tc.accept, func(t *testing.T) {
			rec := get("/dist/availkit.wasm", "Accept-Encoding", tc.accept)
			require.Equal(t, 200, rec.Code)
			assert.Equal(t, tc.body, rec.Body.String())
			assert.Equal(t, tc.encoding, rec.Header().Get("Content-Encoding"))
			assert.Equal(t, "application/wasm", rec.Header().Get("Content-Type"), "streaming compilation needs it")
			assert.Equal(t, "Accept-Encoding", rec.Header().Get("Vary"))
			assert.Equal(t, "no-cache", rec.Header().Get("Cache-Control"))
			tag := rec.Header().Get("ETag")
			require.NotEmpty(t, tag)
			etags[tc.encoding] = tag
			re := get("/dist/availkit.wasm", "Accept-Encoding", tc.accept, "If-None-Match", tag)
			assert.Equal(t, 304, re.Code, "revalidation keeps the cached (compiled) module")
		})
	}
	assert.Len(t, etags, 3, "each encoding has its own ETag")
	rec := get("/dist/only-raw/x.wasm", "Accept-Encoding", "br, gzip")
	assert.Equal(t, "RAWONLY", rec.Body.String(), "no sibling: the plain file")
	assert.Empty(t, rec.Header().Get("Content-Encoding"))

	// A rebuilt module with stale siblings: the plain file, never old code.
	later := time.Now().Add(time.Minute)
	require.NoError(t, os.Chtimes(filepath.Join(root, "dist", "availkit.wasm"), later, later))
	rec = get("/dist/availkit.wasm", "Accept-Encoding", "br, gzip")
	assert.Equal(t, "RAW", rec.Body.String())
	assert.Empty(t, rec.Header().Get("Content-Encoding"))
}

// TestBundleCaching checks that the bundle's content-named chunks are
// cached for good (a warm visit sends no request for them) while every
// other file, whose name stays the same across builds, is revalidated.
func TestBundleCaching(t *testing.T) {
	root := t.TempDir()
	files := []string{"dist/chunk-GHS44WXO.js", "dist/availkit.min.js", "dist/chunk-abcdefgh.js", "dist/chunk-GHS44WXO.js.map",
		"dist/qa/chunk-GHS44WXO.js", "web/chunk-GHS44WXO.js"}
	for _, name := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte("x"), 0o644))
	}
	h := newHarness(t, nil, func(o *Options) { o.Root = root })
	for _, tc := range []struct{ path, cc string }{
		{"/dist/chunk-GHS44WXO.js", "public, max-age=31536000, immutable"},
		{"/dist/availkit.min.js", "no-cache"},
		{"/dist/chunk-abcdefgh.js", "no-cache"},     // not esbuild's hash alphabet
		{"/dist/chunk-GHS44WXO.js.map", "no-cache"}, // not the chunk
		{"/dist/qa/chunk-GHS44WXO.js", "no-cache"},  // not where the build writes chunks
		{"/web/chunk-GHS44WXO.js", "no-cache"},      // the plain modules are not content-named
	} {
		t.Run(tc.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.srv.ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
			require.Equal(t, 200, rec.Code)
			assert.Equal(t, tc.cc, rec.Header().Get("Cache-Control"))
		})
	}
}
