package engine

import (
	"strconv"
	"strings"
	"testing"
)

// The .scenario goldens are transcripts that -update rewrites; a regression
// blessed by -update would pass the byte comparison. The checks here are
// hand-written and run on every transcript before it is compared or
// written, so a transcript that breaks the VAST counting rules fails
// whatever the golden says.

// line is one parsed transcript line ("beacon ..." or "event ...").
type line struct {
	n         int // position in the transcript
	beacon    bool
	name      string // eventType for a beacon, event name otherwise
	avail, ad string
	timed     bool // a beacon with at=: a scheduled (Timed) event
	text      string
}

func parseTranscript(transcript string) []line {
	var out []line
	for i, s := range strings.Split(transcript, "\n") {
		f := strings.Fields(s)
		if len(f) < 3 || (f[0] != "beacon" && f[0] != "event") {
			continue
		}
		l := line{n: i, beacon: f[0] == "beacon", name: f[1], text: s}
		for _, kv := range f[2:] {
			switch {
			case strings.HasPrefix(kv, "avail="):
				l.avail = kv[6:]
			case strings.HasPrefix(kv, "ad="):
				l.ad = kv[3:]
			case strings.HasPrefix(kv, "at="):
				l.timed = true
			}
		}
		out = append(out, l)
	}
	return out
}

// progressRank orders an ad's progress beacons.
var progressRank = map[string]int{"start": 1, "firstQuartile": 2, "midpoint": 3, "thirdQuartile": 4, "complete": 5}

// checkSemantics applies the counting rules of VAST 4.x to a transcript:
//
//   - per ad, the impression comes before start, start before the
//     quartiles, the quartiles in order, complete last, each at most once
//     (VPAID ads excepted: their creative reports its own order);
//   - complete never follows the ad's skip; skip and error at most once;
//   - an ad's impression only after its adstart (it counts a frame shown);
//   - no timed beacon of an avail after its breakEnd, breakStart before
//     any ad beacon of its avail;
//   - resume only after a pause, never two pauses without a resume;
//   - adbreakstart/adbreakend and adstart/adend alternate, an ad only
//     inside its break.
func checkSemantics(t reporter, transcript string) {
	t.Helper()
	lines := parseTranscript(transcript)
	type adState struct {
		vpaid, started, skipped, impressed, paused bool
		rank                                       int
		once                                       map[string]int
	}
	ads := map[string]*adState{}
	adOf := func(l line) *adState {
		k := l.avail + "/" + l.ad
		s := ads[k]
		if s == nil {
			s = &adState{once: map[string]int{}}
			ads[k] = s
		}
		return s
	}
	breakEnded := map[string]bool{}
	breakStarted := map[string]int{} // transcript line of breakStart
	inBreak := map[string]bool{}
	inAd := map[string]bool{}
	fail := func(l line, why string) {
		t.Errorf("transcript line %d breaks a counting rule (%s): %s", l.n+1, why, l.text)
	}

	for _, l := range lines {
		if !l.beacon {
			switch l.name {
			case "adbreakstart":
				if inBreak[l.avail] {
					fail(l, "adbreakstart twice without adbreakend")
				}
				inBreak[l.avail] = true
			case "adbreakend":
				if !inBreak[l.avail] {
					fail(l, "adbreakend without adbreakstart")
				}
				inBreak[l.avail] = false
			case "adstart":
				if !inBreak[l.avail] {
					fail(l, "adstart outside its break")
				}
				if inAd[l.avail+"/"+l.ad] {
					fail(l, "adstart twice without adend")
				}
				inAd[l.avail+"/"+l.ad] = true
				s := adOf(l)
				s.started = true
				s.vpaid = s.vpaid || strings.Contains(l.text, " vpaid=")
			case "adend":
				if !inAd[l.avail+"/"+l.ad] {
					fail(l, "adend without adstart")
				}
				inAd[l.avail+"/"+l.ad] = false
			}
			continue
		}
		if l.ad == "" {
			switch l.name {
			case "breakStart":
				if breakStarted[l.avail] == -1 {
					fail(l, "breakStart after an ad beacon of its avail")
				}
				breakStarted[l.avail] = l.n
			case "breakEnd":
				breakEnded[l.avail] = true
			}
			continue
		}
		s := adOf(l)
		if l.timed && breakEnded[l.avail] {
			fail(l, "timed beacon after its break's breakEnd")
		}
		if _, ok := breakStarted[l.avail]; !ok && l.timed {
			// breakStart may be dropped (landing inside the break), but
			// it never follows an ad beacon of its avail.
			breakStarted[l.avail] = -1
		}
		switch l.name {
		case "impression":
			if !s.started {
				fail(l, "impression before its adstart")
			}
			s.impressed = true
		case "skip", "error":
			if s.once[l.name]++; s.once[l.name] > 1 {
				fail(l, l.name+" twice for one ad")
			}
			if l.name == "skip" {
				s.skipped = true
			}
		case "pause":
			if s.paused {
				fail(l, "two pauses without a resume")
			}
			s.paused = true
		case "resume":
			if !s.paused {
				fail(l, "resume without a pause")
			}
			s.paused = false
		}
		if r, ok := progressRank[l.name]; ok && !s.vpaid {
			if !s.impressed {
				fail(l, "progress beacon before the ad's impression")
			}
			if r <= s.rank {
				fail(l, "progress beacons out of order or repeated")
			}
			if l.name == "complete" && s.skipped {
				fail(l, "complete after skip")
			}
			s.rank = r
		}
	}
}

// expectation is a hand-written line of a .scenario head:
//
//	expect beacon TYPE AVAIL[/AD] N    the transcript has N such beacons
//	expect event NAME AVAIL[/AD] N     the transcript has N such events
//
// -update keeps the head verbatim, so these counts are the author's, not
// the transcript's.
type expectation struct {
	beacon    bool
	name      string
	avail, ad string
	n         int
	src       string
}

func parseExpect(t *testing.T, fields []string) expectation {
	t.Helper()
	if len(fields) != 5 || (fields[1] != "beacon" && fields[1] != "event") {
		t.Fatalf("bad expect line %q", strings.Join(fields, " "))
	}
	n, err := strconv.Atoi(fields[4])
	if err != nil {
		t.Fatalf("bad expect count in %q", strings.Join(fields, " "))
	}
	avail, ad, _ := strings.Cut(fields[3], "/")
	return expectation{beacon: fields[1] == "beacon", name: fields[2], avail: avail, ad: ad, n: n, src: strings.Join(fields, " ")}
}

func checkExpectations(t *testing.T, transcript string, exp []expectation) {
	t.Helper()
	lines := parseTranscript(transcript)
	for _, x := range exp {
		n := 0
		for _, l := range lines {
			if l.beacon == x.beacon && l.name == x.name && l.avail == x.avail && l.ad == x.ad {
				n++
			}
		}
		if n != x.n {
			t.Errorf("%s: the transcript has %d", x.src, n)
		}
	}
}

// reporter is the part of testing.T the checks use, so a test can prove
// they fail.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

type recorder struct{ failed bool }

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }

// TestSemanticChecksFail proves the checks catch what they claim to.
func TestSemanticChecksFail(t *testing.T) {
	start := "  event adbreakstart avail=a ads=1 dur=10.000 midroll ph=0.000\n  event adstart avail=a ad=x 1/1 dur=10.000 ph=0.000\n"
	imp := "  beacon impression avail=a ad=x id=1 at=0.000 ph=0 adph=0 midroll u\n"
	tests := []struct{ name, transcript string }{
		{"quartiles out of order", start + imp + "  beacon midpoint avail=a ad=x id=1 at=5.000 ph=5 adph=5 midroll u\n  beacon firstQuartile avail=a ad=x id=1 at=2.500 ph=5 adph=5 midroll u\n"},
		{"complete twice", start + imp + "  beacon complete avail=a ad=x at=10.000 ph=10 adph=10 midroll u\n  beacon complete avail=a ad=x at=10.000 ph=10 adph=10 midroll u\n"},
		{"start before impression", start + "  beacon start avail=a ad=x at=0.000 ph=0 adph=0 midroll u\n" + imp},
		{"impression without adstart", imp},
		{"complete after skip", start + imp + "  beacon skip avail=a ad=x ph=5 adph=5 midroll u\n  beacon complete avail=a ad=x at=10.000 ph=10 adph=10 midroll u\n"},
		{"resume without pause", start + imp + "  beacon resume avail=a ad=x ph=5 adph=5 midroll u\n"},
		{"two pauses", start + imp + "  beacon pause avail=a ad=x ph=5 adph=5 midroll u\n  beacon pause avail=a ad=x ph=5 adph=5 midroll u\n"},
		{"beacon after breakEnd", start + "  beacon breakEnd avail=a at=10.000 ph=10 adph=0 midroll u\n" + imp},
		{"breakStart after an ad beacon", start + imp + "  beacon breakStart avail=a at=0.000 ph=0 adph=0 midroll u\n"},
		{"adbreakstart twice", start + "  event adbreakstart avail=a ads=1 dur=10.000 midroll ph=0.000\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probe := &recorder{}
			checkSemantics(probe, tt.transcript)
			if !probe.failed {
				t.Errorf("not caught:\n%s", tt.transcript)
			}
		})
	}
}
