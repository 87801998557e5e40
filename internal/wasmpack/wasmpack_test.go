package wasmpack

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// image returns the initial memory of a module: every active segment copied
// at its offset, in order, as an engine instantiates it.
func image(t testing.TB, module []byte) []byte {
	t.Helper()
	var mem []byte
	r := reader{b: module, pos: 8}
	for r.pos < len(module) {
		id := r.byte()
		size := r.u32()
		payload := module[r.pos : r.pos+int(size)]
		r.pos += int(size)
		if id != sectionData {
			continue
		}
		segs, err := Segments(payload)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range segs {
			if end := int(s.Offset) + len(s.Data); end > len(mem) {
				mem = append(mem, make([]byte, end-len(mem))...)
			}
			copy(mem[s.Offset:], s.Data)
		}
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	// Trailing zeros are no difference: memory starts zeroed.
	return bytes.TrimRight(mem, "\x00")
}

// module encodes a module of the given sections (id, payload) after the
// header.
func module(sections ...any) []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	for i := 0; i < len(sections); i += 2 {
		b = appendSection(b, byte(sections[i].(int)), sections[i+1].([]byte))
	}
	return b
}

func TestJoin(t *testing.T) {
	seg := func(off uint32, data string) Segment { return Segment{off, []byte(data)} }
	tests := []struct {
		name   string
		in     []Segment
		gap    int
		want   []Segment
		errMsg error
	}{
		{"empty", nil, 8, nil, nil},
		{"one", []Segment{seg(16, "ab")}, 8, []Segment{seg(16, "ab")}, nil},
		{"adjacent", []Segment{seg(0, "ab"), seg(2, "cd")}, 0, []Segment{seg(0, "abcd")}, nil},
		{"gap at the limit", []Segment{seg(0, "ab"), seg(5, "cd")}, 3, []Segment{seg(0, "ab\x00\x00\x00cd")}, nil},
		{"gap over the limit", []Segment{seg(0, "ab"), seg(6, "cd")}, 3, []Segment{seg(0, "ab"), seg(6, "cd")}, nil},
		{"unsorted", []Segment{seg(10, "x"), seg(0, "a"), seg(4, "b")}, 5, []Segment{seg(0, "a\x00\x00\x00b\x00\x00\x00\x00\x00x")}, nil},
		{"empty segment dropped", []Segment{seg(0, "a"), seg(100, ""), seg(200, "b")}, 8, []Segment{seg(0, "a"), seg(200, "b")}, nil},
		{"three into two", []Segment{seg(0, "a"), seg(2, "b"), seg(50, "c")}, 8, []Segment{seg(0, "a\x00b"), seg(50, "c")}, nil},
		{"overlap", []Segment{seg(0, "abc"), seg(2, "d")}, 8, nil, errOverlap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := make([]Segment, len(tt.in))
			copy(in, tt.in)
			got, err := Join(tt.in, tt.gap)
			if !errors.Is(err, tt.errMsg) {
				t.Fatalf("err = %v, want %v", err, tt.errMsg)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d segments %v, want %v", len(got), got, tt.want)
			}
			for i := range got {
				if got[i].Offset != tt.want[i].Offset || !bytes.Equal(got[i].Data, tt.want[i].Data) {
					t.Errorf("segment %d = %d %q, want %d %q", i, got[i].Offset, got[i].Data, tt.want[i].Offset, tt.want[i].Data)
				}
			}
			for i := range in {
				if in[i].Offset != tt.in[i].Offset || !bytes.Equal(in[i].Data, tt.in[i].Data) {
					t.Errorf("input segment %d modified", i)
				}
			}
		})
	}
}

func TestLEB(t *testing.T) {
	for _, v := range []uint32{0, 1, 63, 64, 127, 128, 255, 16383, 16384, 1 << 21, 1<<31 - 1, 1 << 31, 1<<32 - 1} {
		r := reader{b: appendU32(nil, v)}
		if got := r.u32(); got != v || r.err != nil || r.pos != len(r.b) {
			t.Errorf("u32 %d: got %d, err %v", v, got, r.err)
		}
		r = reader{b: appendS32(nil, int32(v))}
		if got := r.s32(); got != int32(v) || r.err != nil || r.pos != len(r.b) {
			t.Errorf("s32 %d: got %d, err %v", int32(v), got, r.err)
		}
	}
	// Known encodings (WebAssembly spec, LEB128).
	for _, tt := range []struct {
		v    int32
		want string
	}{{0, "\x00"}, {63, "\x3f"}, {64, "\xc0\x00"}, {-1, "\x7f"}, {-64, "\x40"}, {-65, "\xbf\x7f"}, {0x40860, "\xe0\x90\x10"}} {
		if got := string(appendS32(nil, tt.v)); got != tt.want {
			t.Errorf("appendS32(%d) = %q, want %q", tt.v, got, tt.want)
		}
	}
	if got := string(appendU32(nil, 624485)); got != "\xe5\x8e\x26" {
		t.Errorf("appendU32(624485) = %q", got)
	}
}

func TestPack(t *testing.T) {
	data := encodeSegments([]Segment{{100, []byte("zz")}, {0, []byte("ab")}, {40, []byte("c")}})
	other := []byte{1, 2, 3}
	in := module(1, other, 12, appendU32(nil, 3), 10, []byte{0}, sectionData, data, 0, []byte("\x04name"))
	out, st, err := Pack(in, 64)
	if err != nil {
		t.Fatal(err)
	}
	if st.SegmentsBefore != 3 || st.SegmentsAfter != 1 || st.SizeBefore != len(in) || st.SizeAfter != len(out) {
		t.Errorf("stats = %+v", st)
	}
	want := module(1, other, 12, appendU32(nil, 1), 10, []byte{0},
		sectionData, encodeSegments([]Segment{{0, append(append(append([]byte("ab"), make([]byte, 38)...), 'c'), append(make([]byte, 59), "zz"...)...)}}),
		0, []byte("\x04name"))
	if !bytes.Equal(out, want) {
		t.Errorf("Pack =\n%q\nwant\n%q", out, want)
	}
	if !bytes.Equal(image(t, in), image(t, out)) {
		t.Error("memory image changed")
	}
}

func TestPackErrors(t *testing.T) {
	passive := append(appendU32(nil, 1), 1, 2, 'a', 'b')
	badExpr := append(appendU32(nil, 1), 0, 0x42, 0, opEnd, 1, 'a') // i64.const
	overlap := encodeSegments([]Segment{{0, []byte("abc")}, {1, []byte("d")}})
	for _, tt := range []struct {
		name string
		in   []byte
		want error
	}{
		{"not wasm", []byte("\x7fELF\x02\x01\x01\x00"), errFormat},
		{"short", []byte("\x00as"), errFormat},
		{"section past the end", append(module(), 1, 9, 0), errTruncated},
		{"segment past the end", module(sectionData, append(appendU32(nil, 1), 0, opI32Const, 0, opEnd, 9, 'a')), errTruncated},
		{"trailing bytes", module(sectionData, append(encodeSegments(nil), 0)), errTruncated},
		{"passive", module(sectionData, passive), errSegmentKind},
		{"not i32.const", module(sectionData, badExpr), errSegmentKind},
		{"overlap", module(sectionData, overlap), errOverlap},
	} {
		if _, _, err := Pack(tt.in, DefaultGap); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// FuzzPack checks, for random segment layouts and gaps, that the packed
// module initialises the same memory, has no more segments, and that
// packing it again changes nothing.
func FuzzPack(f *testing.F) {
	f.Add(uint64(1), uint8(8), uint16(20))
	f.Add(uint64(7), uint8(0), uint16(300))
	f.Add(uint64(42), uint8(255), uint16(3))
	f.Fuzz(func(t *testing.T, seed uint64, gap uint8, n uint16) {
		rng := rand.New(rand.NewPCG(seed, 0))
		var segs []Segment
		off := uint32(rng.IntN(5000))
		for range int(n % 512) {
			d := make([]byte, rng.IntN(40))
			for i := range d {
				if rng.IntN(3) > 0 {
					d[i] = byte(rng.Uint32())
				}
			}
			segs = append(segs, Segment{off, d})
			off += uint32(len(d) + rng.IntN(70))
		}
		rng.Shuffle(len(segs), func(i, j int) { segs[i], segs[j] = segs[j], segs[i] })
		in := module(1, []byte{1, 2}, sectionData, encodeSegments(segs))
		out, st, err := Pack(in, int(gap))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(image(t, in), image(t, out)) {
			t.Fatal("memory image changed")
		}
		if st.SegmentsAfter > st.SegmentsBefore {
			t.Errorf("segments %d -> %d", st.SegmentsBefore, st.SegmentsAfter)
		}
		again, st2, err := Pack(out, int(gap))
		if err != nil || !bytes.Equal(again, out) || st2.SegmentsAfter != st.SegmentsAfter {
			t.Errorf("packing twice changed the module (err %v)", err)
		}
	})
}

// buildGoModule builds src (a main package) for js/wasm with this Go
// toolchain, stripped as build.sh strips the plugin, and returns the module
// and the directory it was built in.
func buildGoModule(t *testing.T, src string) ([]byte, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a wasm module")
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		t.Skip("no go command:", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module m\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(gobin, "build", "-trimpath", "-ldflags=-s -w", "-o", "m.wasm", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	m, err := os.ReadFile(filepath.Join(dir, "m.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	return m, dir
}

// runGoModule writes mod to dir and runs it under Node with Go's
// wasm_exec_node.js and args, returning what it printed.
func runGoModule(t *testing.T, dir string, mod []byte, args ...string) (string, error) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to run the module:", err)
	}
	p := filepath.Join(dir, "run.wasm")
	if err := os.WriteFile(p, mod, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, append([]string{filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec_node.js"), p}, args...)...).CombinedOutput()
	return string(out), err
}

// TestPackGoModule packs a module built by this Go toolchain for js/wasm
// and checks the memory image and the rest of the file: the format Pack
// reads is the one cmd/link writes.
func TestPackGoModule(t *testing.T) {
	in, _ := buildGoModule(t, "package main\n\nimport \"strings\"\n\nvar s = []string{\"a\", \"b\"}\n\nfunc main() { println(strings.Join(s, \",\")) }\n")
	out, st, err := Pack(in, DefaultGap)
	if err != nil {
		t.Fatal(err)
	}
	if st.SegmentsBefore < 100 || st.SegmentsAfter >= st.SegmentsBefore/10 {
		t.Errorf("segments %d -> %d: expected the linker's many segments to be joined", st.SegmentsBefore, st.SegmentsAfter)
	}
	if !bytes.Equal(image(t, in), image(t, out)) {
		t.Fatal("memory image changed")
	}
	// Everything but the data section is the same bytes.
	strip := func(m []byte) []byte {
		var b []byte
		r := reader{b: m, pos: 8}
		for r.pos < len(m) {
			start := r.pos
			id := r.byte()
			size := r.u32()
			r.pos += int(size)
			if id != sectionData {
				b = append(b, m[start:r.pos]...)
			}
		}
		return b
	}
	if !bytes.Equal(strip(in), strip(out)) {
		t.Error("sections other than data changed")
	}
}
