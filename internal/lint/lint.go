// Package lint is the tracking inspector: it checks a MediaTailor
// client-side tracking response for what makes players misreport ads, and
// shows the avail timeline and the beacon schedule the availkit plugin
// would follow for it.
//
// A finding names the JSON path of the value at fault, a stable code and a
// severity:
//
//   - error: the plugin cannot do what the document asks (a beacon that is
//     never sent, an event timed before its ad, overlapping avails);
//   - warning: legal but likely wrong, or something players commonly get
//     wrong (breakEnd listed before breakStart, missing quartiles);
//   - info: worth knowing, handled by the plugin (an unfilled avail,
//     about:blank placeholders, plain-http beacons).
//
// The package is pure Go with no I/O: the caller reads the document.
package lint

import (
	"errors"
	"slices"
	"strconv"

	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/jsonscan"
	"github.com/availkit/availkit/internal/tracking"
)

// Severity orders findings; the strings are what the JSON export carries.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

func (s Severity) rank() int {
	switch s {
	case Error:
		return 0
	case Warning:
		return 1
	}
	return 2
}

// Finding is one problem found in a document.
type Finding struct {
	Severity Severity `json:"severity"`
	// Code is a stable identifier ("break-end-before-start"), for filters
	// and tests; the codes are listed in Codes.
	Code string `json:"code"`
	// Path is the JSON path of the value at fault ("avails[0].ads[1]"),
	// "" for the whole document.
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Codes lists every finding code with its severity and a line saying what
// it means, for the command's help and the QA page.
var Codes = []struct {
	Code     string
	Severity Severity
	Doc      string
}{
	{"break-end-before-start", Warning, "breakEnd listed or timed before breakStart"},
	{"avail-no-ads", Info, "an avail with no ads (unfilled): only its break beacons fire"},
	{"avail-zero-duration", Warning, "an avail with ads but duration PT0S"},
	{"ad-zero-duration", Error, "an ad with duration PT0S or none"},
	{"avails-overlap", Error, "two avails overlap in time"},
	{"ad-outside-avail", Warning, "an ad starts before or ends after its avail"},
	{"event-before-ad", Error, "a timed beacon is due before its ad starts"},
	{"event-outside-ad", Warning, "a timed beacon is due after its ad ends"},
	{"missing-quartiles", Warning, "an ad with some but not all of firstQuartile, midpoint, thirdQuartile, complete"},
	{"no-quartiles", Info, "an ad with none of firstQuartile, midpoint, thirdQuartile, complete"},
	{"quartile-time", Warning, "a quartile event far from its share of the ad"},
	{"seconds-mismatch", Warning, "a *InSeconds value disagrees with its ISO-8601 string beyond truncation to ms"},
	{"duplicate-avail-id", Error, "two avails share an availId"},
	{"duplicate-ad-id", Error, "two ads of one avail share an adId"},
	{"duplicate-event", Warning, "one ad lists the same eventType and beacon URL twice"},
	{"beacon-not-http", Error, "a beacon URL that is not an absolute http(s) URL: never sent"},
	{"beacon-about-blank", Info, "an about:blank placeholder beacon: never sent"},
	{"beacon-insecure", Info, "plain http beacons (one finding per host): blocked as mixed content on https pages"},
	{"macro-unknown", Warning, "a [MACRO] that is not in the IAB VAST 4 catalogue: sent as written"},
	{"vpaid-no-slate", Error, "a VPAID media file on an ad with no slate time in the stream"},
	{"vpaid-media-type", Warning, "a VPAID media file that is not JavaScript"},
	{"companion-no-size", Warning, "a companion without a numeric width and height"},
	{"next-token-not-base64", Warning, "a nextToken that is not (URL-encoded) base64"},
	{"live-no-anchor", Warning, "a live document with neither hlsAnchorMediaSequenceNumber nor dashAvailabilityStartTime (info when live is only guessed from program date-times)"},
}

// DecodeError is a document the decoder refused.
type DecodeError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
	Offset  int    `json:"offset"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
}

// Options tune the checks.
type Options struct {
	// Live says the document comes from a live session; LiveUnknown guesses
	// from the document (program date-times, anchors).
	Live Liveness
	// NoSchedule skips the beacon schedule (the engine simulation).
	NoSchedule bool
}

// Liveness says whether a document comes from a live session.
type Liveness uint8

const (
	LiveUnknown Liveness = iota
	LiveYes
	LiveNo
)

// Report is the result of Lint.
type Report struct {
	// Error is set when the document could not be decoded; nothing else is
	// then.
	Error    *DecodeError `json:"error,omitempty"`
	Findings []Finding    `json:"findings"`
	// Timeline is the avails as the plugin merges them, ordered by start.
	Timeline []Avail `json:"timeline"`
	// Schedule is the beacons the plugin fires during uninterrupted
	// playback from 0 to the end of the last avail, in order, followed by
	// the beacons that only a viewer's action fires.
	Schedule []Beacon `json:"schedule"`
}

// Avail is one avail of the timeline drawing, in seconds of session time.
type Avail struct {
	ID       string  `json:"availId"`
	Start    float64 `json:"start"`
	End      float64 `json:"end"`
	Ads      []Ad    `json:"ads,omitempty"`
	Overlay  bool    `json:"overlay,omitempty"`
	Unfilled bool    `json:"unfilled,omitempty"`
}

// Ad is one ad of the timeline drawing.
type Ad struct {
	ID    string  `json:"adId"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	VPAID bool    `json:"vpaid,omitempty"`
	// Skip is the skip offset from the ad's start, -1 when not skippable.
	Skip float64 `json:"skip"`
}

// Lint checks one tracking response.
func Lint(data []byte, opt Options) *Report {
	r, err := tracking.Decode(data)
	if err != nil {
		rep := &Report{Findings: []Finding{}, Timeline: []Avail{}, Schedule: []Beacon{}}
		de := &DecodeError{Message: err.Error()}
		var te *tracking.Error
		if errors.As(err, &te) {
			de.Path, de.Message, de.Offset = te.Path, te.Msg, te.Offset
			de.Line, de.Column = jsonscan.LineCol(data, te.Offset)
		}
		rep.Error = de
		return rep
	}
	rep := Check(r, opt)
	rep.Findings = append(rep.Findings, checkSeconds(data)...)
	sortFindings(rep.Findings)
	return rep
}

// Check checks a decoded response; it cannot see what the decoder drops
// (the *InSeconds numbers beside an ISO string), which Lint adds.
func Check(r *tracking.Response, opt Options) *Report {
	c := &checker{r: r, opt: opt, out: []Finding{}}
	c.document()
	rep := &Report{Findings: c.out, Timeline: drawTimeline(r)}
	if !opt.NoSchedule {
		rep.Schedule = schedule(r)
	}
	if rep.Schedule == nil {
		rep.Schedule = []Beacon{}
	}
	sortFindings(rep.Findings)
	return rep
}

// sortFindings orders by severity, keeping document order within one.
func sortFindings(f []Finding) {
	slices.SortStableFunc(f, func(a, b Finding) int { return a.Severity.rank() - b.Severity.rank() })
}

// Count returns the number of findings of severity s.
func (r *Report) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// secsText renders d as seconds with millisecond precision ("17.818s").
func secsText(d clock.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + "s"
}
