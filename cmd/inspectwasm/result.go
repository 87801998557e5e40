package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/availkit/availkit/internal/creative"
)

// result is what inspectMP3 hands to the page, as a plain object.
type result struct {
	OK       bool               `json:"ok"`
	Report   *creative.Report   `json:"report,omitempty"`
	Verdicts []creative.Verdict `json:"verdicts,omitempty"`
	Pass     bool               `json:"pass"`
	// Error and Kind (not-mp3, truncated, corrupt, unsupported, internal)
	// explain a file that could not be measured.
	Error string `json:"error,omitempty"`
	Kind  string `json:"kind,omitempty"`
}

// inspect measures data and checks it against the declared duration and
// slot (seconds, 0 skips). It never panics: a decoder failure becomes an
// "internal" result, so one bad creative cannot kill the QA page.
func inspect(data []byte, declared, slot float64) result {
	return measure(creative.Inspect, data, declared, slot)
}

// probe is inspect from the frame headers only (creative.Probe): exact
// duration and format at once, no levels.
func probe(data []byte, declared, slot float64) result {
	return measure(creative.Probe, data, declared, slot)
}

// inspectPCM is inspect for a file already decoded: pcm holds
// creative.DecodePart's parts 0..n-1 in order (one Web Worker each).
func inspectPCM(data, pcm []byte, declared, slot float64) result {
	return measure(func(b []byte) (*creative.Report, error) { return creative.InspectPCM(b, pcm) }, data, declared, slot)
}

// decodePart is creative.DecodePart as a result: ok false with Error and
// Kind when the part did not decode.
func decodePart(data []byte, k, n int) (pcm []byte, res result) {
	defer func() {
		if r := recover(); r != nil {
			pcm, res = nil, result{Error: fmt.Sprint("inspect: ", r), Kind: "internal"}
		}
	}()
	pcm, err := creative.DecodePart(data, k, n)
	if err != nil {
		return nil, result{Error: err.Error(), Kind: errorKind(err)}
	}
	return pcm, result{OK: true}
}

func measure(fn func([]byte) (*creative.Report, error), data []byte, declared, slot float64) (res result) {
	defer func() {
		if r := recover(); r != nil {
			res = result{Error: fmt.Sprint("inspect: ", r), Kind: "internal"}
		}
	}()
	rep, err := fn(data)
	if err != nil {
		return result{Error: err.Error(), Kind: errorKind(err)}
	}
	vs := creative.Check(rep, declared, slot)
	return result{OK: true, Report: rep, Verdicts: vs, Pass: creative.Passed(vs)}
}

func errorKind(err error) string {
	switch {
	case errors.Is(err, creative.ErrNotMP3):
		return "not-mp3"
	case errors.Is(err, creative.ErrTruncated):
		return "truncated"
	case errors.Is(err, creative.ErrCorrupt):
		return "corrupt"
	case errors.Is(err, creative.ErrUnsupported):
		return "unsupported"
	}
	return "internal"
}

// resultJSON is the wire form; JSON keeps the js glue to one JSON.parse
// instead of a reflective Go→JS converter in this small module.
func resultJSON(r result) string {
	b, err := json.Marshal(r)
	if err != nil {
		return `{"ok":false,"error":"inspect: cannot encode result","kind":"internal"}`
	}
	return string(b)
}
