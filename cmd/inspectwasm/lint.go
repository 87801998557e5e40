package main

import (
	"encoding/json"

	"github.com/availkit/availkit/internal/lint"
)

// lintReport is lint.Report with the finding codes' one-line meanings, so
// the QA page can explain a code without a copy of the list.
type lintReport struct {
	*lint.Report
	Codes map[string]string `json:"codes"`
}

// lintJSON lints a tracking document for the QA page's Inspect panel, as
// `availkit lint --json --schedule` does; live is "live", "vod" or "" (guess
// from the document).
func lintJSON(data []byte, live string) string {
	opt := lint.Options{}
	switch live {
	case "live":
		opt.Live = lint.LiveYes
	case "vod":
		opt.Live = lint.LiveNo
	}
	rep := lintReport{Report: lint.Lint(data, opt), Codes: map[string]string{}}
	for _, c := range rep.Findings {
		for _, k := range lint.Codes {
			if k.Code == c.Code {
				rep.Codes[c.Code] = k.Doc
			}
		}
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return `{"error":{"path":"","message":"lint: ` + err.Error() + `"},"findings":[],"timeline":[],"schedule":[]}`
	}
	return string(b)
}
