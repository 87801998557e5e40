package wasmpack

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestStripTypeNamesGoModule blanks the type names of a module built by
// this Go toolchain and runs it under Node. The program builds itabs at run
// time (type assertions from any to interfaces with exported and
// unexported methods, on generic and pointer types), compares interface
// values, uses a map with a struct key and recovers a type assertion's
// panic: everything but that panic's message must print the same as
// before, and the message must have lost the type names.
func TestStripTypeNamesGoModule(t *testing.T) {
	src := `package main

import (
	"os"
	"strconv"
	"strings"
)

type shape interface{ area() int }
type Namer interface{ Name() string }
type sizer interface{ Size() int }

type square struct{ side int }

func (s square) area() int    { return s.side * s.side }
func (s square) Name() string { return "square" }

type rect struct{ w, h int }

func (r *rect) area() int    { return r.w * r.h }
func (r *rect) Name() string { return "rect" }
func (r *rect) Size() int    { return r.w + r.h }

type box[T any] struct{ v T }

func (b box[T]) Name() string { return "box" }

type key struct {
	a string
	b int
}

func describe(vals []any) []string {
	var out []string
	for _, v := range vals {
		if n, ok := v.(Namer); ok {
			out = append(out, n.Name())
		}
		if s, ok := v.(shape); ok {
			out = append(out, strconv.Itoa(s.area()))
		}
		if z, ok := v.(sizer); ok {
			out = append(out, strconv.Itoa(z.Size()))
		}
		switch v.(type) {
		case key:
			out = append(out, "key")
		case box[string]:
			out = append(out, "box[string]")
		}
	}
	return out
}

func main() {
	out := describe([]any{square{3}, &rect{2, 5}, box[int]{1}, box[string]{"x"}, 7, "s", key{"k", 1}})
	m := map[key]int{{"a", 1}: 1}
	m[key{"a", 1}]++
	out = append(out, strconv.Itoa(m[key{"a", 1}]))
	var x, y any = key{"k", 1}, key{"k", 1}
	if x == y {
		out = append(out, "eq")
	}
	msg := func() (s string) {
		defer func() { s = recover().(interface{ Error() string }).Error() }()
		var v any = &rect{}
		_ = v.(square)
		return ""
	}()
	os.Stdout.WriteString(strings.Join(out, " ") + "\n" + msg + "\n")
}
`
	built, dir := buildGoModule(t, src)
	packed, _, err := Pack(built, DefaultGap)
	if err != nil {
		t.Fatal(err)
	}
	typed, st, err := StripTypeNames(packed)
	if err != nil {
		t.Fatal(err)
	}
	// As build.sh runs them: type names first (they need the function
	// names), then the symbols, compared with the symbols alone.
	symbols, _, err := StripSymbols(packed)
	if err != nil {
		t.Fatal(err)
	}
	stripped, _, err := StripSymbols(typed)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := StripTypeNames(symbols); !errors.Is(err, errNoNames) {
		t.Errorf("after StripSymbols: err = %v, want %v", err, errNoNames)
	}
	if st.Types < 200 || st.Names < 100 || st.Bytes < 2000 || st.Missing != 0 {
		t.Errorf("stats %+v: expected a whole runtime's types", st)
	}
	if len(stripped) != len(symbols) {
		t.Errorf("size %d -> %d", len(symbols), len(stripped))
	}
	run := func(mod []byte) string {
		out, err := runGoModule(t, dir, mod)
		if err != nil {
			t.Fatalf("run: %v\n%s", err, out)
		}
		return out
	}
	const behaviour = "square 9 rect 10 7 box box box[string] key 2 eq\n"
	before, after := run(symbols), run(stripped)
	if !strings.HasPrefix(before, behaviour) || !strings.HasPrefix(after, behaviour) {
		t.Errorf("behaviour changed:\nbefore %q\nafter  %q\nwant   %q", before, after, behaviour)
	}
	if !strings.Contains(before, "*main.rect, not main.square") {
		t.Errorf("before: the panic message names the types: %q", before)
	}
	if strings.Contains(after, "main.rect") || strings.Contains(after, "main.square") || !strings.Contains(after, "interface conversion") {
		t.Errorf("after: the panic message still names the types: %q", after)
	}
	for _, name := range []string{"*main.rect", "*main.box[string]", "map[main.key]int"} {
		if !bytes.Contains(symbols, []byte(name)) || bytes.Contains(stripped, []byte(name)) {
			t.Errorf("%s: expected in the module before only", name)
		}
	}
	// Method names and package paths stay: itabs are built by them.
	for _, name := range []string{"Name", "area", "Size"} {
		if !bytes.Contains(stripped, []byte(name)) {
			t.Errorf("method name %q blanked", name)
		}
	}
}

func TestStripTypeNamesErrors(t *testing.T) {
	good := fakeSymtab([]byte("f\x00"), nil, []byte{0, 2, 2, 0}, []fakeFunc{{pcsp: 1}})
	mod := func(data []byte) []byte { return module(sectionData, encodeSegments([]Segment{{0, data}})) }
	for _, tt := range []struct {
		name string
		in   []byte
		want error
	}{
		{"not wasm", []byte("\x7fELF\x02\x01\x01\x00"), errFormat},
		{"no symbol table", mod([]byte("no header here, just bytes of some length to scan through......................")), errNoSymtab},
		{"symbol table without module data", mod(good), errNoModuledata},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := StripTypeNames(tt.in); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestIdentifier(t *testing.T) {
	for s, want := range map[string]bool{
		"Name": true, "area": true, "_x9": true, "héllo": true,
		"main.rect": false, "*int": false, "[]uint8": false, "func()": false, "interface {}": false,
	} {
		if got := identifier([]byte(s)); got != want {
			t.Errorf("identifier(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestStripTypeNamesReflect: a module that links package reflect keeps its
// type names (reflect.PointerTo and the like look types up by them).
func TestStripTypeNamesReflect(t *testing.T) {
	built, _ := buildGoModule(t, `package main

import (
	"os"
	"reflect"
)

func main() { os.Stdout.WriteString(reflect.PointerTo(reflect.TypeOf(1)).String()) }
`)
	packed, _, err := Pack(built, DefaultGap)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := StripTypeNames(packed); !errors.Is(err, errReflect) {
		t.Errorf("err = %v, want %v", err, errReflect)
	}
}

// FuzzStripTypeNames feeds mutated memory behind a symbol table:
// StripTypeNames must return an error or a module of the same size, never
// panic or read past what a corrupt length claims.
func FuzzStripTypeNames(f *testing.F) {
	f.Add(fakeSymtab([]byte("main.main\x00"), nil, []byte{0, 2, 2, 0}, []fakeFunc{{pcsp: 1}}), []byte{})
	f.Add(fakeSymtab([]byte("reflect.TypeOf\x00"), nil, []byte{0, 2, 2, 0}, []fakeFunc{{pcsp: 1}}), make([]byte, mdLen))
	f.Fuzz(func(t *testing.T, symtab, rest []byte) {
		in := module(sectionData, encodeSegments([]Segment{{8, symtab}, {uint32(16 + len(symtab)), rest}}))
		out, _, err := StripTypeNames(in)
		if err == nil && len(out) != len(in) {
			t.Fatalf("size %d -> %d", len(in), len(out))
		}
	})
}
