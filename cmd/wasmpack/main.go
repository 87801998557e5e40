// Command wasmpack rewrites a Go WebAssembly module in place so that it
// compresses better (see package internal/wasmpack): it joins the data
// segments, then blanks the function names, file names and line tables of
// Go's symbol table, which only tracebacks print, the tables only signals
// and tracebacks read, and the type names only panic messages print (a
// module that links package reflect must keep them: run it with -symbols).
// build.sh runs it on
// dist/availkit.wasm before making the .gz and .br copies:
//
//	go run ./cmd/wasmpack [-gap N] [-symbols] file.wasm
//
// -symbols keeps the names, lines and type names (a traceback of a debug
// build then says where it was). It prints what it did, one line per step.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/availkit/availkit/internal/wasmpack"
)

func main() {
	gap := flag.Int("gap", wasmpack.DefaultGap, "join data segments at most this many zero bytes apart")
	symbols := flag.Bool("symbols", false, "keep function names, file names, line tables and type names")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: wasmpack [-gap N] [-symbols] file.wasm")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *gap, !*symbols); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(path string, gap int, strip bool) error {
	in, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, st, err := wasmpack.Pack(in, gap)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Printf("wasmpack: %s: %d data segments -> %d, %d -> %d bytes\n", path, st.SegmentsBefore, st.SegmentsAfter, st.SizeBefore, st.SizeAfter)
	if strip {
		var ty wasmpack.TypeNameStats
		if out, ty, err = wasmpack.StripTypeNames(out); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		fmt.Printf("wasmpack: %s: %d types: %d names (%d bytes) blanked, %d kept\n", path, ty.Types, ty.Names, ty.Bytes, ty.Kept)
		var sy wasmpack.SymbolStats
		if out, sy, err = wasmpack.StripSymbols(out); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		fmt.Printf("wasmpack: %s: %d functions: %d bytes of names, %d of file tables, %d of line and other unused tables, %d of argument tables blanked\n", path, sy.Funcs, sy.Names, sy.Files, sy.Tables, sy.ArgInfo)
	}
	return os.WriteFile(path, out, 0o644)
}
