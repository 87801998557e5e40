// Command wasmpack rewrites a WebAssembly module in place so that it
// compresses better, with the same initial memory (see package
// internal/wasmpack). build.sh runs it on dist/availkit.wasm before making
// the .gz and .br copies:
//
//	go run ./cmd/wasmpack [-gap N] file.wasm
//
// It prints one line: the segment count and the size before and after.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/availkit/availkit/internal/wasmpack"
)

func main() {
	gap := flag.Int("gap", wasmpack.DefaultGap, "join data segments at most this many zero bytes apart")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: wasmpack [-gap N] file.wasm")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *gap); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(path string, gap int) error {
	in, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, st, err := wasmpack.Pack(in, gap)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return err
	}
	fmt.Printf("wasmpack: %s: %d data segments -> %d, %d -> %d bytes\n", path, st.SegmentsBefore, st.SegmentsAfter, st.SizeBefore, st.SizeAfter)
	return nil
}
