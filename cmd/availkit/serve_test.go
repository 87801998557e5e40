package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/availkit/availkit/media"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// copyMedia returns the embedded media as a MapFS the test may alter.
func copyMedia(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	require.NoError(t, fs.WalkDir(media.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(media.FS, p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	}))
	return out
}

func TestOpenMedia(t *testing.T) {
	t.Run("embedded by default", func(t *testing.T) {
		// From a directory without media/, as a user running the binary
		// anywhere.
		wd, err := os.Getwd()
		require.NoError(t, err)
		require.NoError(t, os.Chdir(t.TempDir()))
		t.Cleanup(func() { _ = os.Chdir(wd) })
		cat, err := openMedia("")
		require.NoError(t, err)
		_, ok := cat.Asset("main")
		assert.True(t, ok, "content main")
		assert.NotEmpty(t, cat.Kind(media.KindAd))
	})
	t.Run("--media dir", func(t *testing.T) {
		cat, err := openMedia(filepath.Join("..", "..", "media"))
		require.NoError(t, err)
		assert.NotEmpty(t, cat.Kind(media.KindSlate))
	})
	t.Run("missing dir", func(t *testing.T) {
		_, err := openMedia(filepath.Join(t.TempDir(), "nope"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "nope")
	})
	tests := []struct {
		name   string
		mutate func(m fstest.MapFS)
		want   []string
	}{
		{"good creative fails inspection", func(m fstest.MapFS) {
			m["mp3/good.mp3"] = m["mp3/bad.mp3"]
		}, []string{"MP3 ad catalogue", `"good"`}},
		{"deliberately bad creative passes", func(m fstest.MapFS) {
			m["mp3/bad.mp3"] = m["mp3/good.mp3"]
		}, []string{"MP3 ad catalogue", `"bad"`, "deliberatelyBad"}},
		{"creative missing", func(m fstest.MapFS) {
			delete(m, "mp3/good.mp3")
		}, []string{"MP3 ad catalogue", `"good"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := copyMedia(t)
			tc.mutate(m)
			_, err := loadMediaFS(m, "test media")
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// TestServeRejectsBadPublicBase checks that a --public-base the emulator
// could not hand out as an origin stops `availkit serve` before it listens.
func TestServeRejectsBadPublicBase(t *testing.T) {
	for _, base := range []string{"emu.example:8080", "http://emu.example/prefix"} {
		t.Run(base, func(t *testing.T) {
			err := serve([]string{"--addr", "127.0.0.1:0", "--public-base", base})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "public base")
		})
	}
}
