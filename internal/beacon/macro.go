// Package beacon prepares and dispatches ad-tracking beacons: VAST 4 macro
// expansion, the http/https URL check, the counting rules of VAST 4.x (one
// table, RuleOf: state events once per ad view, player operations and clicks
// on every occurrence, MediaTailor's server-side share), dedupe by event
// identity rather than URL, and the retry-once policy. It performs no I/O
// itself; the sender is injected so the same policy runs natively in tests
// and under wasm.
package beacon

import (
	"strconv"

	"github.com/availkit/availkit/internal/clock"
)

// BreakPosition values for [BREAKPOSITION] (VAST 4 macro list). The zero
// value means unknown and expands to -1.
const (
	BreakUnknown    = 0
	BreakPreroll    = 1
	BreakMidroll    = 2
	BreakPostroll   = 3
	BreakStandalone = 4
)

// PlayerState flags for [PLAYERSTATE].
const (
	StateMuted = 1 << iota
	StateFullscreen
)

// InventoryState flags for [INVENTORYSTATE].
const (
	InvSkippable = 1 << iota
	InvAutoplayed
	InvMautoplayed
	InvOptin
)

// ClickType values for [CLICKTYPE], offset by one so that the zero value
// means unknown (-1).
const (
	ClickTypeUnknown = iota
	ClickTypeNone    // 0: not clickable
	ClickTypeVideo   // 1: the whole video area
	ClickTypeButton  // 2: a button or link
)

// MacroContext carries the values substituted into beacon URLs. Zero or
// negative values mean "unknown" and expand to -1, as VAST 4 asks for
// supported macros whose value the player does not have. Env supplies the
// session-wide values and the macros the host withholds (-2); any other
// catalogued macro (Catalogue) expands to -1, and names outside the
// catalogue are left untouched.
type MacroContext struct {
	// Env holds the session-wide values; nil has none.
	Env *Env
	// Random feeds [CACHEBUSTING]; only its last 8 decimal digits are used.
	Random uint64
	// Now feeds [TIMESTAMP]; the zero Time is unknown.
	Now clock.Time
	// Playheads feed [ADPLAYHEAD], [MEDIAPLAYHEAD] and [CONTENTPLAYHEAD];
	// negative is unknown.
	AdPlayhead, MediaPlayhead, ContentPlayhead clock.Duration
	// ErrorCode feeds [ERRORCODE] (a VAST error code such as 901).
	ErrorCode int
	// BreakPosition is one of the Break* constants.
	BreakPosition int
	// PlayerWidth and PlayerHeight feed [PLAYERSIZE] in CSS pixels.
	PlayerWidth, PlayerHeight int
	// PlayerState and InventoryState are State*/Inv* flag sets. An empty set
	// expands to the empty list.
	PlayerState, InventoryState uint8
	// AssetURI feeds [ASSETURI]: the media file of the playing ad.
	AssetURI string
	// PodSequence feeds [PODSEQUENCE] and AdCount [ADCOUNT]: the ad's
	// 1-based place in its break, and how many ads of the break have played
	// including this one.
	PodSequence, AdCount int
	// BreakDuration feeds [BREAKMAXDURATION] in whole seconds.
	BreakDuration clock.Duration
	// ClickType is one of the ClickType* constants.
	ClickType int
	// Reason feeds [REASON] (verificationNotExecuted codes 1–3).
	Reason int
	// ClickX, ClickY feed [CLICKPOS] when HasClick is set.
	ClickX, ClickY int
	HasClick       bool
}

// Expand substitutes the VAST 4 macros in raw, in a single pass: text
// produced by one macro is never scanned again. Known macros are written
// [NAME] or, as some ad servers do, %%NAME%%. Values are percent-encoded like
// encodeURIComponent; list values are joined by unencoded commas. raw is
// returned unchanged, without allocating, when it holds no macro.
func Expand(raw string, c MacroContext) string {
	i := firstMacroStart(raw)
	if i < 0 {
		return raw
	}
	b := appendExpand(make([]byte, 0, len(raw)+48), raw, &c)
	return string(b)
}

func firstMacroStart(raw string) int {
	for i := 0; i < len(raw); i++ {
		if raw[i] == '[' || raw[i] == '%' && i+1 < len(raw) && raw[i+1] == '%' {
			return i
		}
	}
	return -1
}

// AppendExpand appends Expand(raw, c) to dst, for callers that reuse a buffer.
func AppendExpand(dst []byte, raw string, c MacroContext) []byte {
	return appendExpand(dst, raw, &c)
}

func appendExpand(dst []byte, raw string, c *MacroContext) []byte {
	i := 0
	for i < len(raw) {
		ch := raw[i]
		var open, closeLen int
		switch {
		case ch == '[':
			open, closeLen = 1, 1
		case ch == '%' && i+1 < len(raw) && raw[i+1] == '%':
			open, closeLen = 2, 2
		default:
			dst = append(dst, ch)
			i++
			continue
		}
		name, ok := macroName(raw[i+open:], closeLen)
		if !ok {
			// One byte only: in "%%%NAME%%" the macro starts at the
			// second "%".
			dst = append(dst, ch)
			i++
			continue
		}
		if out, known := appendMacro(dst, name, c); known {
			dst = out
			i += open + len(name) + closeLen
			continue
		}
		// Unknown: keep the opener and let the scan continue inside, so a
		// stray "[" or "%%" does not hide a macro right after it.
		dst = append(dst, raw[i:i+open]...)
		i += open
	}
	return dst
}

// macroName returns the NAME of "NAME]" or "NAME%%" at the start of s.
func macroName(s string, closeLen int) (string, bool) {
	for j := 0; j < len(s) && j <= 40; j++ {
		c := s[j]
		switch {
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
			continue
		case closeLen == 1 && c == ']', closeLen == 2 && c == '%' && j+1 < len(s) && s[j+1] == '%':
			return s[:j], j > 0
		}
		return "", false
	}
	return "", false
}

func appendMacro(b []byte, name string, c *MacroContext) ([]byte, bool) {
	if c.Env != nil && c.Env.withheld[name] {
		return append(b, "-2"...), true
	}
	if out, ok := appendDynamic(b, name, c); ok {
		return out, true
	}
	if v, ok := c.Env.lookup(name); ok {
		return append(b, v...), true
	}
	if catalogued[name] {
		return append(b, "-1"...), true
	}
	return b, false
}

// appendDynamic writes the macros whose value changes from beacon to beacon.
func appendDynamic(b []byte, name string, c *MacroContext) ([]byte, bool) {
	switch name {
	case "CACHEBUSTING":
		v := c.Random % 1e8
		var d [8]byte
		for k := 7; k >= 0; k-- {
			d[k] = byte('0' + v%10)
			v /= 10
		}
		return append(b, d[:]...), true
	case "TIMESTAMP":
		if c.Now.IsZero() {
			return append(b, "-1"...), true
		}
		return appendTimestamp(b, c.Now), true
	case "ADPLAYHEAD":
		return appendPlayhead(b, c.AdPlayhead), true
	case "MEDIAPLAYHEAD":
		return appendPlayhead(b, c.MediaPlayhead), true
	case "CONTENTPLAYHEAD":
		return appendPlayhead(b, c.ContentPlayhead), true
	case "ERRORCODE":
		return appendPositive(b, c.ErrorCode), true
	case "REASON":
		return appendPositive(b, c.Reason), true
	case "BREAKPOSITION":
		switch {
		case c.BreakPosition <= 0:
			return append(b, "-1"...), true
		case c.BreakPosition > BreakStandalone:
			return append(b, '0'), true
		}
		return strconv.AppendInt(b, int64(c.BreakPosition), 10), true
	case "PLAYERSIZE":
		if c.PlayerWidth <= 0 || c.PlayerHeight <= 0 {
			return append(b, "-1"...), true
		}
		b = strconv.AppendInt(b, int64(c.PlayerWidth), 10)
		b = append(b, ',')
		return strconv.AppendInt(b, int64(c.PlayerHeight), 10), true
	case "CLICKPOS":
		if !c.HasClick {
			return append(b, "-1"...), true
		}
		b = strconv.AppendInt(b, int64(c.ClickX), 10)
		b = append(b, ',')
		return strconv.AppendInt(b, int64(c.ClickY), 10), true
	case "PLAYERSTATE":
		return appendFlags(b, c.PlayerState, playerStateNames[:]), true
	case "INVENTORYSTATE":
		return appendFlags(b, c.InventoryState, inventoryStateNames[:]), true
	case "ASSETURI":
		return appendString(b, c.AssetURI), true
	case "PODSEQUENCE":
		return appendPositive(b, c.PodSequence), true
	case "ADCOUNT":
		return appendPositive(b, c.AdCount), true
	case "BREAKMAXDURATION":
		return appendPositive(b, int((c.BreakDuration+clock.Second/2)/clock.Second)), true
	case "CLICKTYPE":
		if c.ClickType <= ClickTypeUnknown {
			return append(b, "-1"...), true
		}
		return strconv.AppendInt(b, int64(c.ClickType-1), 10), true
	case "SERVERSIDE":
		// The player fires client-side beacons itself.
		return append(b, '0'), true
	}
	return b, false
}

var (
	playerStateNames    = [...]string{"muted", "fullscreen"}
	inventoryStateNames = [...]string{"skippable", "autoplayed", "mautoplayed", "optin"}
)

func appendFlags(b []byte, set uint8, names []string) []byte {
	first := true
	for k, n := range names {
		if set&(1<<k) == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, n...)
	}
	return b
}

func appendPositive(b []byte, v int) []byte {
	if v <= 0 {
		return append(b, "-1"...)
	}
	return strconv.AppendInt(b, int64(v), 10)
}

func appendString(b []byte, s string) []byte {
	if s == "" {
		return append(b, "-1"...)
	}
	return appendEscaped(b, s)
}

// appendPlayhead writes HH:MM:SS.mmm (hours may exceed two digits), with the
// colons percent-encoded as VAST requires for every value.
func appendPlayhead(b []byte, d clock.Duration) []byte {
	if d < 0 {
		return append(b, "-1"...)
	}
	ms := int64(d / clock.Millisecond)
	h, m, s, f := ms/3600000, ms/60000%60, ms/1000%60, ms%1000
	if h < 10 {
		b = append(b, '0')
	}
	b = strconv.AppendInt(b, h, 10)
	b = append(b, "%3A"...)
	b = append(b, byte('0'+m/10), byte('0'+m%10))
	b = append(b, "%3A"...)
	b = append(b, byte('0'+s/10), byte('0'+s%10), '.')
	return append(b, byte('0'+f/100), byte('0'+f/10%10), byte('0'+f%10))
}

// appendTimestamp writes t as YYYY-MM-DDTHH:MM:SS.mmm±HH:MM (or Z for UTC),
// already percent-encoded. It is written out by hand because time's layout
// engine is sizeable in the wasm build and only this one format is needed.
func appendTimestamp(b []byte, t clock.Time) []byte {
	two := func(b []byte, v int) []byte { return append(b, byte('0'+v/10%10), byte('0'+v%10)) }
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	if year < 0 || year > 9999 {
		return append(b, "-1"...)
	}
	b = two(b, year/100)
	b = two(b, year%100)
	b = append(b, '-')
	b = two(b, int(month))
	b = append(b, '-')
	b = two(b, day)
	b = append(b, 'T')
	b = two(b, hour)
	b = append(b, "%3A"...)
	b = two(b, minute)
	b = append(b, "%3A"...)
	b = two(b, sec)
	ms := t.Nanosecond() / 1e6
	b = append(b, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	_, off := t.Zone()
	if off == 0 {
		return append(b, 'Z')
	}
	if off < 0 {
		b = append(b, '-')
		off = -off
	} else {
		b = append(b, "%2B"...)
	}
	b = two(b, off/3600)
	b = append(b, "%3A"...)
	return two(b, off/60%60)
}

// appendEscaped percent-encodes everything but RFC 3986 unreserved
// characters, which is encodeURIComponent minus its !'()* exceptions (those
// break some beacon parsers).
func appendEscaped[T string | []byte](b []byte, s T) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return b
}
