//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main exists so `go build ./...` works natively; the real entry point is
// the js/wasm build (use `availkit inspect` on the command line).
func main() {
	fmt.Fprintln(os.Stderr, "inspectwasm: build with GOOS=js GOARCH=wasm; for the command line use `availkit inspect`")
	os.Exit(2)
}
