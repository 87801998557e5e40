package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/availkit/availkit/internal/creative"
)

func init() { commands["inspect"] = runInspect }

// inspected is one file's result in `availkit inspect --json` output.
type inspected struct {
	File     string             `json:"file"`
	Report   *creative.Report   `json:"report,omitempty"`
	Verdicts []creative.Verdict `json:"verdicts,omitempty"`
	Pass     bool               `json:"pass"`
	Error    string             `json:"error,omitempty"`
}

// runInspect measures MP3 creatives for batch QA and exits non-zero when
// any file fails a check or cannot be read, so it can gate a pipeline.
func runInspect(args []string) error {
	return inspectMain(args, os.Stdout)
}

func inspectMain(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fl.Usage = func() {
		fmt.Fprintln(fl.Output(), "usage: availkit inspect [--json] [--probe] [--declared 10s] [--slot 10s] [--drift 0.5s] [--target -24] [--tolerance 2] file.mp3...")
		fl.PrintDefaults()
	}
	asJSON := fl.Bool("json", false, "print JSON instead of a table")
	probeOnly := fl.Bool("probe", false, "read frame headers only: exact duration, no decode, no loudness")
	declared := fl.Duration("declared", 0, "duration the VAST <Duration> declares (0: not checked)")
	slot := fl.Duration("slot", 0, "length of the avail slot the creative fills (0: not checked)")
	drift := fl.Duration("drift", 500*time.Millisecond, "largest accepted duration drift")
	target := fl.Float64("target", creative.DefaultLimits.TargetLUFS, "loudness target, LUFS")
	tol := fl.Float64("tolerance", creative.DefaultLimits.ToleranceLU, "loudness tolerance, LU")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() == 0 {
		fl.Usage()
		return errors.New("no files")
	}
	lim := creative.Limits{MaxDrift: drift.Seconds(), TargetLUFS: *target, ToleranceLU: *tol}

	var results []inspected
	failed := 0
	for _, name := range fl.Args() {
		res := inspected{File: name}
		data, err := os.ReadFile(name)
		if err == nil {
			measure := creative.Inspect
			if *probeOnly {
				measure = creative.Probe
			}
			res.Report, err = measure(data)
		}
		if err != nil {
			res.Error = err.Error()
		} else {
			res.Verdicts = lim.Check(res.Report, declared.Seconds(), slot.Seconds())
			res.Pass = creative.Passed(res.Verdicts)
		}
		if !res.Pass {
			failed++
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
		printTable(out, results)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files failed", failed, len(results))
	}
	return nil
}

func printTable(out io.Writer, results []inspected) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tDURATION\tRATE\tCH\tKBIT/S\tPEAK\tLOUDNESS\tSILENCE IN/OUT\tVERDICT")
	for _, r := range results {
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t-\tERROR %s\n", r.File, r.Error)
			continue
		}
		p := r.Report
		mode := ""
		if p.VBR {
			mode = " vbr"
		}
		verdict := "PASS"
		for _, v := range r.Verdicts {
			if !v.OK {
				if verdict == "PASS" {
					verdict = "FAIL"
				}
				verdict += " · " + v.Message
			}
		}
		peak, loud, sil := "-", "-", "-"
		if p.Levels {
			peak = fmt.Sprintf("%.1f dBFS", p.PeakDBFS)
			loud = fmt.Sprintf("%.1f LUFS", p.Loudness)
			sil = fmt.Sprintf("%.2f/%.2f s", p.LeadingSilence, p.TrailingSilence)
		}
		for _, w := range p.Warnings {
			verdict += " (warning: " + w + ")"
		}
		fmt.Fprintf(tw, "%s\t%.3f s\t%d\t%d\t%d%s\t%s\t%s\t%s\t%s\n",
			r.File, p.Duration, p.SampleRate, p.Channels, (p.Bitrate+500)/1000, mode, peak, loud, sil, verdict)
	}
	tw.Flush()
}
