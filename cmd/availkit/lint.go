package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
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
		fmt.Fprintln(fl.Output(), "usage: availkit lint [--json] [--schedule] [--live|--vod] [--init] FILE|URL...")
		fmt.Fprintln(fl.Output(), "Checks MediaTailor client-side tracking responses; - reads standard input. With --init the")
		fmt.Fprintln(fl.Output(), "URLs are session-initialization URLs: a session is started, its manifest loaded, its tracking linted.")
		fmt.Fprintln(fl.Output(), "Finding codes:")
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
	initURLs := fl.Bool("init", false, "URLs are session-initialization URLs (POST /v1/session/…)")
	body := fl.String("body", "{}", "JSON body of the session-initialization request (--init)")
	// Flags may come after the inputs too (availkit lint FILE --json), as
	// people type them.
	var inputs []string
	for rest := args; ; {
		if err := fl.Parse(rest); err != nil {
			return err
		}
		if fl.NArg() == 0 {
			break
		}
		inputs = append(inputs, fl.Arg(0))
		rest = fl.Args()[1:]
	}
	if len(inputs) == 0 {
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
	for _, in := range inputs {
		res := linted{Input: in}
		var data []byte
		var err error
		if *initURLs {
			data, err = initAndTrack(in, *body, client, *timeout)
		} else {
			data, err = readInput(in, client, *timeout)
		}
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

// initAndTrack starts a client-side tracking session at initURL, loads its
// manifest (and, for HLS, the first media playlist: MediaTailor fills the
// tracking data as the player loads playlists) and returns its tracking
// response.
func initAndTrack(initURL, body string, client *http.Client, timeout time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	do := func(method, u, body string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, method, u, strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
		if err == nil && resp.StatusCode/100 != 2 {
			err = fmt.Errorf("%s %s: HTTP %d", method, u, resp.StatusCode)
		}
		return data, err
	}
	data, err := do(http.MethodPost, initURL, body)
	if err != nil {
		return nil, fmt.Errorf("session init: %w", err)
	}
	var sess struct {
		ManifestURL string `json:"manifestUrl"`
		TrackingURL string `json:"trackingUrl"`
	}
	if err := json.Unmarshal(data, &sess); err != nil || sess.TrackingURL == "" {
		return nil, fmt.Errorf("session init: no trackingUrl in %q", truncate(string(data), 200))
	}
	base, err := url.Parse(initURL)
	if err != nil {
		return nil, err
	}
	resolve := func(ref string) string {
		r, err := url.Parse(ref)
		if err != nil {
			return ref
		}
		return base.ResolveReference(r).String()
	}
	if sess.ManifestURL != "" {
		manifest := resolve(sess.ManifestURL)
		m, err := do(http.MethodGet, manifest, "")
		if err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
		if first := firstMediaPlaylist(string(m)); first != "" {
			mb, _ := url.Parse(manifest)
			if r, err := url.Parse(first); err == nil && mb != nil {
				if _, err := do(http.MethodGet, mb.ResolveReference(r).String(), ""); err != nil {
					return nil, fmt.Errorf("media playlist: %w", err)
				}
			}
		}
	}
	return do(http.MethodGet, resolve(sess.TrackingURL), "")
}

// firstMediaPlaylist returns the first variant URI of an HLS multivariant
// playlist, "" for anything else (a DASH MPD, a media playlist).
func firstMediaPlaylist(m string) string {
	if !strings.HasPrefix(strings.TrimSpace(m), "#EXTM3U") || !strings.Contains(m, "#EXT-X-STREAM-INF") {
		return ""
	}
	next := false
	for _, line := range strings.Split(m, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "#EXT-X-STREAM-INF"):
			next = true
		case next && line != "" && !strings.HasPrefix(line, "#"):
			return line
		}
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
