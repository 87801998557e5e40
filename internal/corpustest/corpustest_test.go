package corpustest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRoot(t *testing.T) {
	wd, err := os.Getwd()
	require.NoError(t, err)
	module := filepath.Dir(filepath.Dir(wd)) // internal/corpustest → repo root
	tests := []struct{ env, want string }{
		{"", ""},
		{"/abs/corpus/", "/abs/corpus"},
		{"../shared/corpus", filepath.Join(module, "../shared/corpus")},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			t.Setenv(Env, tt.env)
			got, err := Root()
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// fakeTB records how Dir ended a test without ending this one.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

func (f *fakeTB) Helper()                           {}
func (f *fakeTB) Skip(args ...any)                  { f.skipped = args[0].(string); panic(f) }
func (f *fakeTB) Fatalf(format string, args ...any) { f.failed = format; panic(f) }
func (f *fakeTB) Fatal(args ...any)                 { f.failed = "fatal"; panic(f) }

func run(tb *fakeTB, sub string) (dir string) {
	defer func() {
		if r := recover(); r != nil && r != tb {
			panic(r)
		}
	}()
	return Dir(tb, sub)
}

func TestDir(t *testing.T) {
	t.Run("unset skips", func(t *testing.T) {
		t.Setenv(Env, "")
		tb := &fakeTB{}
		run(tb, "x")
		assert.Contains(t, tb.skipped, "AVAILKIT_CORPUS is unset")
		assert.Empty(t, tb.failed)
	})
	t.Run("missing folder fails", func(t *testing.T) {
		t.Setenv(Env, filepath.Join(t.TempDir(), "nope"))
		tb := &fakeTB{}
		run(tb, "mediatailor")
		assert.Contains(t, tb.failed, "missing")
		assert.Empty(t, tb.skipped)
	})
	t.Run("present folder", func(t *testing.T) {
		root := t.TempDir()
		require.NoError(t, os.Mkdir(filepath.Join(root, "vast"), 0o755))
		t.Setenv(Env, root)
		tb := &fakeTB{}
		assert.Equal(t, filepath.Join(root, "vast"), run(tb, "vast"))
		assert.Empty(t, tb.failed+tb.skipped)
	})
}
