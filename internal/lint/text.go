package lint

import (
	"io"
	"strconv"
	"strings"
)

// WriteText writes r for a terminal: the decode error or the findings
// ("severity code path: message"), the timeline and, with schedule set,
// the beacon schedule. name prefixes the report ("file.json").
func (r *Report) WriteText(w io.Writer, name string, withSchedule bool) error {
	var b strings.Builder
	if e := r.Error; e != nil {
		b.WriteString(name + ":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Column) + ": error decode ")
		if e.Path != "" {
			b.WriteString(e.Path + ": ")
		}
		b.WriteString(e.Message + "\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString(name + ": " + count(r.Count(Error), "error") + ", " + count(r.Count(Warning), "warning") + ", " + count(r.Count(Info), "note") + "\n")
	for _, f := range r.Findings {
		b.WriteString("  " + string(f.Severity) + " " + f.Code + " ")
		if f.Path != "" {
			b.WriteString(f.Path + ": ")
		}
		b.WriteString(f.Message + "\n")
	}
	b.WriteString("  timeline:\n")
	for _, a := range r.Timeline {
		kind := "avail"
		switch {
		case a.Overlay:
			kind = "overlay"
		case a.Unfilled:
			kind = "unfilled avail"
		}
		b.WriteString("    " + sec(a.Start) + " – " + sec(a.End) + "  " + kind + " " + strconv.Quote(a.ID) + "\n")
		for _, ad := range a.Ads {
			b.WriteString("      " + sec(ad.Start) + " – " + sec(ad.End) + "  ad " + strconv.Quote(ad.ID))
			if ad.VPAID {
				b.WriteString(" VPAID")
			}
			if ad.Skip >= 0 {
				b.WriteString(" skippable after " + sec(ad.Skip))
			}
			b.WriteByte('\n')
		}
	}
	if withSchedule {
		b.WriteString("  schedule:\n")
		for _, s := range r.Schedule {
			at := "on " + s.Trigger
			if s.At >= 0 {
				at = sec(s.At)
			}
			b.WriteString("    " + at + "  " + s.EventType + " ad " + strconv.Quote(s.AdID) + " " + s.URL)
			if !s.Sent {
				b.WriteString("  (not sent)")
			}
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sec(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) + "s" }

// count writes n and the noun, plural unless n is 1.
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
