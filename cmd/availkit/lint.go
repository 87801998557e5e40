package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/availkit/availkit/internal/lint"
)

func init() { commands["lint"] = runLint }

// linted is one input's result in `availkit lint --json` output.
type linted struct {
	Input  string       `json:"input"`
	Report *lint.Report `json:"report,omitempty"`
	// Error is set when the input could not be read or fetched.
	Error string `json:"error,omitempty"`
	// Millis is the time lint took, reading excluded.
	Millis float64 `json:"ms"`
}

// runLint checks MediaTailor tracking responses (files or tracking URLs)
// and exits non-zero when any has an error finding or cannot be decoded.
func runLint(args []string) error {
	return lintMain(args, os.Stdout, http.DefaultClient)
}

func lintMain(args []string, out io.Writer, client *http.Client) error {
	fl := flag.NewFlagSet("lint", flag.ContinueOnError)
	fl.Usage = func() {
		fmt.Fprintln(fl.Output(), "usage: availkit lint [--json] [--schedule] [--live|--vod] FILE|URL...")
		fmt.Fprintln(fl.Output(), "Checks MediaTailor client-side tracking responses; - reads standard input. Finding codes:")
		for _, c := range lint.Codes {
			fmt.Fprintf(fl.Output(), "  %-24s %-7s %s\n", c.Code, c.Severity, c.Doc)
		}
		fl.PrintDefaults()
	}
	asJSON := fl.Bool("json", false, "print JSON (findings, timeline, schedule) instead of text")
	withSchedule := fl.Bool("schedule", false, "print the beacon schedule in text output")
	live := fl.Bool("live", false, "the documents come from a live session")
	vod := fl.Bool("vod", false, "the documents come from a VOD session")
	timeout := fl.Duration("timeout", 10*time.Second, "timeout for fetching a URL")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() == 0 {
		fl.Usage()
		return errors.New("no input")
	}
	opt := lint.Options{}
	switch {
	case *live && *vod:
		return errors.New("--live and --vod exclude each other")
	case *live:
		opt.Live = lint.LiveYes
	case *vod:
		opt.Live = lint.LiveNo
	}
	var results []linted
	failed := false
	for _, in := range fl.Args() {
		res := linted{Input: in}
		data, err := readInput(in, client, *timeout)
		if err != nil {
			res.Error = err.Error()
			failed = true
			results = append(results, res)
			continue
		}
		start := time.Now()
		res.Report = lint.Lint(data, opt)
		res.Millis = float64(time.Since(start).Microseconds()) / 1000
		if res.Report.Error != nil || res.Report.Count(lint.Error) > 0 {
			failed = true
		}
		results = append(results, res)
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			return err
		}
	} else {
		for _, r := range results {
			if r.Error != "" {
				fmt.Fprintf(out, "%s: %s\n", r.Input, r.Error)
				continue
			}
			if err := r.Report.WriteText(out, r.Input, *withSchedule); err != nil {
				return err
			}
			fmt.Fprintf(out, "  (%.2f ms)\n", r.Millis)
		}
	}
	if failed {
		return errors.New("errors found")
	}
	return nil
}

// readInput reads a file, standard input ("-") or an http(s) URL.
func readInput(in string, client *http.Client, timeout time.Duration) ([]byte, error) {
	const limit = 16 << 20
	if in == "-" {
		return io.ReadAll(io.LimitReader(os.Stdin, limit))
	}
	if !strings.HasPrefix(in, "http://") && !strings.HasPrefix(in, "https://") {
		return os.ReadFile(in)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, in, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return io.ReadAll(io.LimitReader(resp.Body, limit))
}
