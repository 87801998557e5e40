// Package corpustest locates the conformance corpus (real MediaTailor and
// VAST material written by others, kept outside the repository) for tests.
//
// The corpus is named by the AVAILKIT_CORPUS environment variable. When it
// is unset (a user's clone) conformance tests skip with one line saying so;
// when it is set but does not name a folder they fail, so a CI that meant to
// run them cannot pass without doing so.
package corpustest

import (
	"os"
	"path/filepath"
	"testing"
)

// Env is the environment variable naming the corpus folder.
const Env = "AVAILKIT_CORPUS"

// Dir returns the absolute path of sub inside the corpus, skipping t when
// AVAILKIT_CORPUS is unset and failing it when the folder is missing.
func Dir(t testing.TB, sub string) string {
	t.Helper()
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	if root == "" {
		t.Skip(Env + " is unset: conformance test against the real-world corpus skipped")
	}
	dir := filepath.Join(root, sub)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("%s=%s: corpus folder %s is missing", Env, os.Getenv(Env), dir)
	}
	return dir
}

// Root returns the corpus folder as an absolute path, "" when
// AVAILKIT_CORPUS is unset. A relative value is taken relative to the
// module root (the folder holding go.mod), not to the package directory go
// test runs in, so one setting serves every package.
func Root() (string, error) {
	v := os.Getenv(Env)
	if v == "" {
		return "", nil
	}
	if filepath.IsAbs(v) {
		return filepath.Clean(v), nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, v), nil
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return filepath.Join(wd, v), nil
}

// Files returns the files of dir matching pattern (filepath.Match syntax),
// failing t when there are none: an empty corpus folder must not pass.
func Files(t testing.TB, dir, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no %s in %s", pattern, dir)
	}
	return files
}
