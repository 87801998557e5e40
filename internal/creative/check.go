package creative

import (
	"fmt"
	"math"
)

// Limits are the tolerances Check applies.
type Limits struct {
	// MaxDrift is the largest accepted difference (s) between the real
	// duration and the declared duration or the slot.
	MaxDrift float64
	// TargetLUFS ± ToleranceLU is the accepted integrated loudness.
	TargetLUFS  float64
	ToleranceLU float64
}

// DefaultLimits: 0.5 s drift, −24 ± 2 LUFS (the broadcast commercial norm,
// ATSC A/85 style).
var DefaultLimits = Limits{MaxDrift: 0.5, TargetLUFS: -24, ToleranceLU: 2}

// Check names used in Verdict.Check.
const (
	CheckDeclared = "declared" // real duration vs the VAST <Duration>
	CheckSlot     = "slot"     // real duration vs the avail slot
	CheckLoudness = "loudness" // integrated loudness vs the target
)

// Verdict is the outcome of one check.
type Verdict struct {
	Check    string  `json:"check"`
	OK       bool    `json:"ok"`
	Measured float64 `json:"measured"`
	Expected float64 `json:"expected"`
	// Tolerance is the accepted |Measured-Expected|.
	Tolerance float64 `json:"tolerance"`
	Message   string  `json:"message"`
}

// Check applies DefaultLimits; see Limits.Check.
func Check(r *Report, declared, slot float64) []Verdict {
	return DefaultLimits.Check(r, declared, slot)
}

// Check compares a report with the declared duration and the slot length
// (seconds; 0 skips that check) and, when r.Levels, with the loudness
// target. It returns
// every verdict, passing ones included, so a UI can show what was checked.
func (l Limits) Check(r *Report, declared, slot float64) []Verdict {
	var out []Verdict
	dur := func(name, what string, want float64) Verdict {
		d := r.Duration - want
		v := Verdict{Check: name, Measured: r.Duration, Expected: want, Tolerance: l.MaxDrift,
			OK: math.Abs(d) <= l.MaxDrift}
		if v.OK {
			v.Message = fmt.Sprintf("%.3f s fits the %s %.3f s (%+.3f s)", r.Duration, what, want, d)
		} else {
			v.Message = fmt.Sprintf("%.3f s drifts %+.3f s from the %s %.3f s (limit %.1f s)", r.Duration, d, what, want, l.MaxDrift)
		}
		return v
	}
	if declared > 0 {
		out = append(out, dur(CheckDeclared, "declared", declared))
	}
	if slot > 0 {
		out = append(out, dur(CheckSlot, "slot", slot))
	}
	if !r.Levels {
		return out // a Probe report: loudness unknown
	}
	v := Verdict{Check: CheckLoudness, Measured: r.Loudness, Expected: l.TargetLUFS, Tolerance: l.ToleranceLU}
	d := r.Loudness - l.TargetLUFS
	v.OK = !r.Silent && math.Abs(d) <= l.ToleranceLU
	switch {
	case r.Silent:
		v.Message = "silent: no block above -70 LUFS"
	case v.OK:
		v.Message = fmt.Sprintf("%.1f LUFS within %.0f ± %.0f", r.Loudness, l.TargetLUFS, l.ToleranceLU)
	case d > 0:
		v.Message = fmt.Sprintf("%.1f LUFS is %.1f LU too loud (target %.0f ± %.0f)", r.Loudness, d, l.TargetLUFS, l.ToleranceLU)
	default:
		v.Message = fmt.Sprintf("%.1f LUFS is %.1f LU too quiet (target %.0f ± %.0f)", r.Loudness, -d, l.TargetLUFS, l.ToleranceLU)
	}
	return append(out, v)
}

// Passed reports whether every verdict is OK.
func Passed(vs []Verdict) bool {
	for _, v := range vs {
		if !v.OK {
			return false
		}
	}
	return true
}
