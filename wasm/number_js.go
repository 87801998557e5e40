package main

import (
	"github.com/availkit/availkit/internal/jsonscan"
	"github.com/availkit/availkit/wasm/jsconv"
)

// The numbers jsonscan's fast path cannot convert exactly go to the page's
// Number, so the plugin does not link strconv's parsers (see
// internal/jsonscan, decimal.go).
func init() { jsonscan.SetSlowFloat(jsconv.ParseNumber) }
