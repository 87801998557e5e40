//go:build !js

package jsdeps

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// banned lists packages the plugin must not link, with the reason. Sizes
// are the brotli cost measured on this tree with go1.26 (the whole module
// budget is 620 KB, of which the hello-world floor takes 438 KB).
var banned = map[string]string{
	"fmt":           "formatting by reflection; ~100 KB and the design bans it",
	"net/http":      "a whole HTTP stack; requests go through hooks.fetch",
	"encoding/json": "reflection decoder; tracking has its own scanner, jsconv writes JSON",
	"reflect":       "151 KB brotli when jsconv used it (817 vs 666 KB); jsconv is hand-written instead",
	"net/url":       "imports fmt (through url.Error) and strconv tables; resolve URLs by hand",
	"crypto/rand":   "pulls crypto internals for a cache-buster; seed from crypto.getRandomValues",
	"log":           "imports fmt",
	"text/template": "reflection",
	"regexp":        "large automaton code for what strings.Cut does",
	"os":            "a file-system shim with no use in a page",
	"time":          "its init links internal/godebug, internal/bisect and runtime metrics: 41 KB brotli (651.7 vs 610.4 KB); use internal/clock",
	"sort":          "pdqsort per element type; the lists of the core are small (insertion or merge sort by hand)",
}

func TestPluginDeps(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "github.com/availkit/availkit/wasm")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 5 {
		t.Fatalf("go list -deps returned %d packages; the check would prove nothing", len(deps))
	}
	for _, d := range deps {
		if why, ok := banned[d]; ok {
			t.Errorf("the plugin links %s: %s (find the importer with: GOOS=js GOARCH=wasm go list -f '{{.ImportPath}} {{.Imports}}' -deps ./wasm)", d, why)
		}
	}
}

func TestInternalHasNoSyscallJS(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "github.com/availkit/availkit/internal/...")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		for _, imp := range f[1:] {
			if imp == "syscall/js" {
				t.Errorf("%s imports syscall/js; only wasm/ may", f[0])
			}
		}
	}
}

// bannedFuncs are standard-library functions the plugin must not link
// although their package is allowed, with the reason.
// They are spelled as the wasm name section spells them (internal/strconv
// as internal_strconv).
var bannedFuncs = map[string]string{
	"strconv.ParseFloat":          "NumError, which links strconv.Quote; use jsonscan.ParseFloat",
	"internal_strconv.ParseFloat": "exact parsing (Eisel-Lemire, big decimals): with the above 6 KB brotli; use jsonscan.ParseFloat",
	"strconv.ParseInt":            "returns a NumError (strconv.Quote); use jsonscan.ParseInt",
	"strconv.Atoi":                "returns a NumError (strconv.Quote); use jsonscan.ParseInt",
	"strconv.Quote":               "Unicode printability tables for error messages",
}

// TestPluginFuncs links the plugin with its function names kept and looks
// for the functions above.
func TestPluginFuncs(t *testing.T) {
	out := filepath.Join(t.TempDir(), "core.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "github.com/availkit/availkit/wasm")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	module, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	names := funcNames(t, module)
	if len(names) < 1000 || !names["runtime.main"] {
		t.Fatalf("read %d function names, no runtime.main: the check would prove nothing", len(names))
	}
	for fn, why := range bannedFuncs {
		if names[fn] {
			t.Errorf("the plugin links %s: %s", fn, why)
		}
	}
}

// funcNames reads the function names of a wasm module's "name" section.
func funcNames(t *testing.T, b []byte) map[string]bool {
	names := map[string]bool{}
	p := 8
	uleb := func() int {
		v, shift := 0, 0
		for p < len(b) {
			c := b[p]
			p++
			v |= int(c&0x7f) << shift
			shift += 7
			if c < 0x80 {
				return v
			}
		}
		t.Fatal("wasm: truncated")
		return 0
	}
	for p < len(b) {
		id := b[p]
		p++
		end := uleb()
		end += p
		if id == 0 {
			n := uleb()
			custom := string(b[p : p+n])
			p += n
			for custom == "name" && p < end {
				sub := b[p]
				p++
				subEnd := uleb()
				subEnd += p
				if sub == 1 { // function names
					for count := uleb(); count > 0; count-- {
						uleb() // index
						n := uleb()
						names[string(b[p:p+n])] = true
						p += n
					}
				}
				p = subEnd
			}
		}
		p = end
	}
	return names
}
