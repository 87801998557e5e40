package wasmpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// fakeFunc is one _func record of a hand-made symbol table.
type fakeFunc struct {
	name, pcsp, pcfile, pcln uint32
	pcdata                   []uint32
	nfuncdata                int
}

// fakeSymtab lays out a symbol table as cmd/link does (see symbols.go):
// header, names, cutab+filetab, pctab, then functab and _func records.
func fakeSymtab(names, files, pctab []byte, funcs []fakeFunc) []byte {
	hdr := make([]byte, pcHeaderLen)
	binary.LittleEndian.PutUint32(hdr, pcMagic)
	hdr[6], hdr[7] = 1, 8
	binary.LittleEndian.PutUint64(hdr[8:], uint64(len(funcs)))
	off := uint64(pcHeaderLen)
	for k, n := range []int{len(names), len(files) / 2, len(files) - len(files)/2, len(pctab)} {
		binary.LittleEndian.PutUint64(hdr[32+8*k:], off)
		off += uint64(n)
	}
	binary.LittleEndian.PutUint64(hdr[64:], off)
	b := append(append(append(hdr, names...), files...), pctab...)
	ftab := make([]byte, 8*(len(funcs)+1))
	var recs []byte
	for i, f := range funcs {
		binary.LittleEndian.PutUint32(ftab[8*i:], uint32(i))
		binary.LittleEndian.PutUint32(ftab[8*i+4:], uint32(len(ftab)+len(recs)))
		r := make([]byte, funcLen)
		binary.LittleEndian.PutUint32(r[funcNameOff:], f.name)
		binary.LittleEndian.PutUint32(r[funcPCSP:], f.pcsp)
		binary.LittleEndian.PutUint32(r[funcPCFile:], f.pcfile)
		binary.LittleEndian.PutUint32(r[funcPCLn:], f.pcln)
		binary.LittleEndian.PutUint32(r[funcNPCData:], uint32(len(f.pcdata)))
		binary.LittleEndian.PutUint32(r[funcCUOffset:], 1)
		binary.LittleEndian.PutUint32(r[funcStartLine:], 42)
		r[funcNFuncData] = byte(f.nfuncdata)
		for _, p := range f.pcdata {
			r = binary.LittleEndian.AppendUint32(r, p)
		}
		r = append(r, make([]byte, 4*f.nfuncdata)...)
		recs = append(recs, r...)
	}
	return append(append(b, ftab...), recs...)
}

func TestStripSymbols(t *testing.T) {
	names := []byte("main.main\x00main.f\x00")
	files := []byte("\x00\x00\x00\x00main.go\x00")
	// pctab: offset 0 is the runtime's "no table". Tables (value delta,
	// pc delta) pairs ended by a zero value delta:
	//   1: 02 04 00           pcsp of f0, also pcln of f1 (shared: kept)
	//   4: 06 81 01 00        pcfile of f0 only (two-byte pc delta)
	//   8: 00 02 04 02 00     pcln of f0 only (a zero first value delta)
	//  13: 08 02 00           stack maps of f1, also unsafe points of f0 (kept)
	//  16: 0a 02 00           unsafe points of f1 only
	//  19: 0c 02 00           argument liveness of f1 only
	pctab := []byte{0, 2, 4, 0, 6, 0x81, 1, 0, 0, 2, 4, 2, 0, 8, 2, 0, 0x0a, 2, 0, 0x0c, 2, 0}
	funcs := []fakeFunc{
		{name: 0, pcsp: 1, pcfile: 4, pcln: 8, pcdata: []uint32{13}, nfuncdata: 2},
		{name: 10, pcsp: 0, pcfile: 4, pcln: 1, pcdata: []uint32{16, 13, 0, 19}},
	}
	// pcdata fields after: unsafe points and argument liveness point nowhere.
	wantPCData := [][]uint32{{0}, {0, 13, 0, 0}}
	tab := fakeSymtab(names, files, pctab, funcs)
	// The table at a memory offset 8-aligned, after other data and inside
	// one segment, followed by data that must not change.
	lead := []byte("other data, before!!!!!!") // 24 bytes
	data := append(append(append([]byte{}, lead...), tab...), "after"...)
	in := module(sectionData, encodeSegments([]Segment{{16, []byte("first")}, {64, data}}))

	out, st, err := StripSymbols(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Errorf("size %d -> %d, want unchanged", len(in), len(out))
	}
	want := SymbolStats{Funcs: 2, Names: len(names), Files: len(files), Tables: 15}
	if st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}
	mem := image(t, out)
	got := mem[64+len(lead):]
	hdrEnd := pcHeaderLen
	if !bytes.Equal(got[:hdrEnd], tab[:hdrEnd]) {
		t.Error("header changed")
	}
	if !bytes.Equal(got[hdrEnd:hdrEnd+len(names)+len(files)], make([]byte, len(names)+len(files))) {
		t.Errorf("names and files not blanked: %q", got[hdrEnd:hdrEnd+len(names)+len(files)])
	}
	p := hdrEnd + len(names) + len(files)
	wantPC := []byte{0, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 2, 0, 0, 0, 0, 0, 0, 0}
	if !bytes.Equal(got[p:p+len(pctab)], wantPC) {
		t.Errorf("pctab = % x, want % x", got[p:p+len(pctab)], wantPC)
	}
	ln := got[p+len(pctab):]
	for i, f := range funcs {
		rec := ln[binary.LittleEndian.Uint32(ln[8*i+4:]):]
		field := func(o int) uint32 { return binary.LittleEndian.Uint32(rec[o:]) }
		if field(funcNameOff) != 0 || field(funcPCFile) != 0 || field(funcPCLn) != 0 || field(funcCUOffset) != 0 || field(funcStartLine) != 0 {
			t.Errorf("func %d: name, pcfile, pcln, cu or startLine left set", i)
		}
		if field(funcPCSP) != f.pcsp || field(funcNPCData) != uint32(len(f.pcdata)) || int(rec[funcNFuncData]) != f.nfuncdata {
			t.Errorf("func %d: pcsp, npcdata or nfuncdata changed", i)
		}
		for k, pd := range wantPCData[i] {
			if field(funcLen+4*k) != pd {
				t.Errorf("func %d: pcdata %d = %d, want %d", i, k, field(funcLen+4*k), pd)
			}
		}
	}
	if !bytes.Equal(mem[:64+len(lead)], image(t, in)[:64+len(lead)]) || !bytes.HasSuffix(mem, []byte("after")) {
		t.Error("memory outside the symbol table changed")
	}
}

func TestStripSymbolsErrors(t *testing.T) {
	good := fakeSymtab([]byte("f\x00"), nil, []byte{0, 2, 2, 0}, []fakeFunc{{pcsp: 1}})
	mod := func(data []byte) []byte { return module(sectionData, encodeSegments([]Segment{{0, data}})) }
	edit := func(f func(b []byte)) []byte {
		b := bytes.Clone(good)
		f(b)
		return b
	}
	runaway := fakeSymtab(nil, nil, []byte{0, 2, 2}, []fakeFunc{{pcsp: 1}}) // no end
	for _, tt := range []struct {
		name string
		in   []byte
		want error
	}{
		{"not wasm", []byte("\x7fELF\x02\x01\x01\x00"), errFormat},
		{"no symbol table", mod([]byte("no header here, just bytes of some length to scan through......................")), errNoSymtab},
		{"two", mod(append(append(bytes.Clone(good), make([]byte, 8-len(good)%8)...), good...)), errTwoSymtab},
		{"misaligned", module(sectionData, encodeSegments([]Segment{{4, good}})), errNoSymtab},
		{"ptrSize 4", mod(edit(func(b []byte) { b[7] = 4 })), errNoSymtab},
		{"offsets out of order", mod(edit(func(b []byte) { binary.LittleEndian.PutUint64(b[40:], 1) })), errNoSymtab},
		{"nfunc past the end", mod(edit(func(b []byte) { binary.LittleEndian.PutUint64(b[8:], 1000) })), errNoSymtab},
		{"func record past the end", mod(edit(func(b []byte) { binary.LittleEndian.PutUint32(b[len(b)-funcLen-12:], 1<<20) })), errSymtab},
		{"table runs off pctab", mod(runaway), errSymtab},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := StripSymbols(tt.in); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// FuzzStripSymbols feeds mutated symbol tables: StripSymbols must return an
// error or a module of the same size whose memory differs only inside the
// table, never panic.
func FuzzStripSymbols(f *testing.F) {
	f.Add(fakeSymtab([]byte("main.main\x00"), []byte("ab"), []byte{0, 2, 4, 0, 6, 0x81, 1, 0}, []fakeFunc{{pcsp: 1, pcfile: 4, pcln: 1, pcdata: []uint32{4}, nfuncdata: 1}}))
	f.Add(fakeSymtab(nil, nil, []byte{0, 2, 2, 0}, []fakeFunc{{pcsp: 1}, {pcln: 1}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := module(sectionData, encodeSegments([]Segment{{8, data}}))
		out, _, err := StripSymbols(in)
		if err != nil {
			return
		}
		if len(out) != len(in) {
			t.Fatalf("size %d -> %d", len(in), len(out))
		}
	})
}

// TestStripSymbolsGoModule strips a module built by this Go toolchain and
// runs it under Node: a program that grows its stack, collects garbage,
// recovers a panic deep in recursion and runs goroutines must print the
// same as before stripping, and the names and positions its traceback
// would print must be gone from the file.
func TestStripSymbolsGoModule(t *testing.T) {
	src := `package main

import (
	"os"
	"runtime"
	"strings"
)

type tree struct{ l, r *tree }

func grow(d int) *tree {
	if d == 0 {
		return &tree{}
	}
	return &tree{grow(d - 1), grow(d - 1)}
}

func count(t *tree) int {
	if t == nil {
		return 0
	}
	return 1 + count(t.l) + count(t.r)
}

func deepRecoverFrame(n int, buf [64]byte) (out string) {
	if n == 0 {
		var m map[string]int
		m["x"]++ // nil map: a runtime panic
	}
	defer func() {
		if n == 200 {
			if r := recover(); r != nil {
				out = "recovered: " + r.(error).Error()
			}
		}
	}()
	return deepRecoverFrame(n-1, buf)
}

func main() {
	var parts []string
	done := make(chan int)
	for i := 0; i < 4; i++ {
		go func() { done <- count(grow(12)) }()
	}
	total := 0
	for i := 0; i < 4; i++ {
		total += <-done
		runtime.GC()
	}
	parts = append(parts, strings.Repeat("n", total/8191), deepRecoverFrame(200, [64]byte{}))
	println(strings.Join(parts, " "))
	if len(os.Args) > 1 {
		explode(7, os.Args[1])
	}
}

//go:noinline
func explode(n int, s string) {
	if n == 7 {
		panic("boom")
	}
	println(s)
}
`
	built, dir := buildGoModule(t, src)
	packed, _, err := Pack(built, DefaultGap)
	if err != nil {
		t.Fatal(err)
	}
	stripped, st, err := StripSymbols(packed)
	if err != nil {
		t.Fatal(err)
	}
	if st.Funcs < 500 || st.Names < 10000 || st.Tables < 10000 || st.ArgInfo < 1000 {
		t.Errorf("stats %+v: expected a whole runtime's names and lines", st)
	}
	run := func(mod []byte, args ...string) (string, error) { return runGoModule(t, dir, mod, args...) }
	const want = "nnnn recovered: assignment to entry in nil map\n"
	for _, tt := range []struct {
		name string
		mod  []byte
	}{{"packed", packed}, {"stripped", stripped}} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := run(tt.mod)
			if err != nil || out != want {
				t.Errorf("output %q, err %v; want %q", out, err, want)
			}
			// An unrecovered panic still stops the program with its
			// value; only the frames' names and lines differ.
			out, err = run(tt.mod, "panic")
			if err == nil || !strings.Contains(out, "panic: boom") {
				t.Errorf("panic run: err %v, output %q", err, out)
			}
			named := strings.Contains(out, "main.main") && strings.Contains(out, "main.go:")
			if named != (tt.name == "packed") {
				t.Errorf("traceback names and lines shown = %v:\n%s", named, out)
			}
			// The arguments a frame is printed with (explode(0x7, ...)
			// come from the argument table, unlinked by stripping.
			if args := strings.Contains(out, "(0x7, "); args != (tt.name == "packed") {
				t.Errorf("traceback arguments shown = %v:\n%s", args, out)
			}
		})
	}
	if bytes.Contains(stripped, []byte("main.deepRecoverFrame")) || !bytes.Contains(packed, []byte("main.deepRecoverFrame")) {
		t.Error("function name: expected in the packed module only")
	}
}

func TestArgInfoLen(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []byte
		want int
	}{
		{"no arguments", []byte{0xff, 9}, 1},
		{"two words", []byte{0, 8, 8, 8, 0xff}, 5},
		{"an aggregate and ...", []byte{0xfe, 0, 8, 8, 8, 0xfd, 0xfc, 0xff, 1}, 8},
		{"offset too large", []byte{0xfb, 0xff}, 2},
		{"0xff as a size is not the end", []byte{0, 0xff, 0xff}, 3},
		{"no end", []byte{0, 8, 8}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := argInfoLen(tt.in); got != tt.want {
				t.Errorf("argInfoLen(% x) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

// TestZeroArgInfo: an unlinked argument table is zeroed, unless a funcdata
// still linked starts inside it (the linker may share bytes).
func TestZeroArgInfo(t *testing.T) {
	data := []byte{
		0, 8, 0xff, // table at 0: unlinked
		8, 8, 0xff, // table at 3: unlinked, but a kept funcdata starts at 4
		0xff, // table at 6: unlinked
		7, 7, // kept data
	}
	m := memory{{Offset: 1000, Data: bytes.Clone(data)}}
	n := m.zeroArgInfo(1000, funcdataUse{argInfo: []uint32{0, 3, 6}, kept: []uint32{7, 4}})
	want := []byte{0, 0, 0, 8, 8, 0xff, 0, 7, 7}
	if n != 4 || !bytes.Equal(m[0].Data, want) {
		t.Errorf("zeroed %d: % x, want 4: % x", n, m[0].Data, want)
	}
}
