package beacon

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func fullContext() MacroContext {
	return MacroContext{
		Random:          1234567890123,
		Now:             time.Date(2016, 1, 17, 8, 15, 7, 127e6, time.FixedZone("EST", -5*3600)),
		AdPlayhead:      5*time.Second + 250*time.Millisecond,
		MediaPlayhead:   time.Hour + 2*time.Minute + 3*time.Second + 45*time.Millisecond + 999*time.Microsecond,
		ContentPlayhead: 100 * time.Hour,
		ErrorCode:       901,
		BreakPosition:   BreakMidroll,
		PlayerWidth:     640,
		PlayerHeight:    360,
		PlayerState:     StateMuted | StateFullscreen,
		InventoryState:  InvSkippable | InvAutoplayed,
		AssetURI:        "https://cdn.example.com/ad 1.mp4?a=b&c=d",
		PodSequence:     2,
		AdCount:         2,
		BreakDuration:   29500 * time.Millisecond,
		ClickType:       ClickTypeButton,
		Env:             fullEnv(),
		Reason:          2,
		ClickX:          10,
		ClickY:          20,
		HasClick:        true,
	}
}

func fullEnv() *Env {
	e := NewEnv()
	e.Set("DOMAIN", "example.com")
	e.Set("PAGEURL", "https://example.com/watch?v=1")
	e.Set("GDPRCONSENT", "CPc+/=")
	e.Set("PLAYERCAPABILITIES", "skip", "mute", "fullscreen")
	e.Set("NOT_CATALOGUED", "x")
	e.Set("CONTENTID", "")
	e.LimitAdTracking(false)
	return e
}

func TestExpand(t *testing.T) {
	full := fullContext()
	tests := []struct {
		name string
		raw  string
		c    MacroContext
		want string
	}{
		{"no macro", "https://a.example/t?e=start", full, "https://a.example/t?e=start"},
		{"cachebusting 8 digits", "https://a.example/t?cb=[CACHEBUSTING]", full, "https://a.example/t?cb=67890123"},
		{"cachebusting zero padded", "[CACHEBUSTING]", MacroContext{Random: 42}, "00000042"},
		{"timestamp with ms and zone", "ts=[TIMESTAMP]", full, "ts=2016-01-17T08%3A15%3A07.127-05%3A00"},
		{"timestamp UTC", "ts=[TIMESTAMP]", MacroContext{Now: time.Date(2024, 3, 1, 10, 0, 0, 5e6, time.UTC)}, "ts=2024-03-01T10%3A00%3A00.005Z"},
		{"timestamp positive zone", "[TIMESTAMP]", MacroContext{Now: time.Date(2024, 12, 31, 23, 59, 59, 999999999, time.FixedZone("IST", 5*3600+30*60))}, "2024-12-31T23%3A59%3A59.999%2B05%3A30"},
		{"playheads", "a=[ADPLAYHEAD]&m=[MEDIAPLAYHEAD]&c=[CONTENTPLAYHEAD]", full, "a=00%3A00%3A05.250&m=01%3A02%3A03.045&c=100%3A00%3A00.000"},
		{"errorcode", "e=[ERRORCODE]", full, "e=901"},
		{"break positions", "[BREAKPOSITION]", MacroContext{BreakPosition: BreakPostroll}, "3"},
		{"break other", "[BREAKPOSITION]", MacroContext{BreakPosition: 9}, "0"},
		{"player size", "s=[PLAYERSIZE]", full, "s=640,360"},
		{"player state list", "p=[PLAYERSTATE]", full, "p=muted,fullscreen"},
		{"inventory state list", "i=[INVENTORYSTATE]", full, "i=skippable,autoplayed"},
		{"empty state list", "p=[PLAYERSTATE]", MacroContext{}, "p="},
		{"asset uri encoded", "u=[ASSETURI]", full, "u=https%3A%2F%2Fcdn.example.com%2Fad%201.mp4%3Fa%3Db%26c%3Dd"},
		{"domain and page", "d=[DOMAIN]&p=[PAGEURL]", full, "d=example.com&p=https%3A%2F%2Fexample.com%2Fwatch%3Fv%3D1"},
		{"consent encoded", "g=[GDPRCONSENT]&l=[LIMITADTRACKING]", full, "g=CPc%2B%2F%3D&l=0"},
		{"capability list", "c=[PLAYERCAPABILITIES]", full, "c=skip,mute,fullscreen"},
		{"pod and count", "p=[PODSEQUENCE]&n=[ADCOUNT]&d=[BREAKMAXDURATION]&t=[CLICKTYPE]", full, "p=2&n=2&d=30&t=2"},
		{"click type none", "[CLICKTYPE]", MacroContext{ClickType: ClickTypeNone}, "0"},
		{"empty host value is unknown", "[CONTENTID]", full, "-1"},
		{"host cannot set a custom macro", "[NOT_CATALOGUED]", full, "[NOT_CATALOGUED]"},
		{"catalogued without value", "[IFA]/[TRANSACTIONID]/[GPPSTRING]/[DSAPARAMS]", full, "-1/-1/-1/-1"},
		{"reason and click", "r=[REASON]&c=[CLICKPOS]", full, "r=2&c=10,20"},
		{"serverside", "s=[SERVERSIDE]", full, "s=0"},
		{"unknown values are -1", "[ERRORCODE]/[PLAYERSIZE]/[ASSETURI]/[TIMESTAMP]/[ADPLAYHEAD]/[BREAKPOSITION]/[CLICKPOS]/[PODSEQUENCE]/[CLICKTYPE]/[PAGEURL]",
			MacroContext{AdPlayhead: -1}, "-1/-1/-1/-1/-1/-1/-1/-1/-1/-1"},
		{"unknown macro untouched", "x=[MYSERVER_ID]&y=[CACHEBUSTING]", full, "x=[MYSERVER_ID]&y=67890123"},
		{"lowercase not a macro", "[cachebusting]", full, "[cachebusting]"},
		{"percent form", "cb=%%CACHEBUSTING%%&x=%%UNKNOWN%%", full, "cb=67890123&x=%%UNKNOWN%%"},
		{"stray bracket before macro", "[[ERRORCODE]]", full, "[901]"},
		{"unterminated", "x=[CACHEBUSTING", full, "x=[CACHEBUSTING"},
		{"encoded percent left", "a=%20b%%", full, "a=%20b%%"},
		{"every occurrence", "[ERRORCODE][ERRORCODE]", full, "901901"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Expand(tt.raw, tt.c))
			assert.Equal(t, "pre:"+tt.want, string(AppendExpand([]byte("pre:"), tt.raw, tt.c)))
		})
	}
}

func TestWithheld(t *testing.T) {
	tests := []struct {
		name string
		env  func(e *Env)
		raw  string
		want string
	}{
		{"host withholds a known value", func(e *Env) { e.Set("PAGEURL", "https://p.example/"); e.Withhold("PAGEURL") }, "[PAGEURL]", "-2"},
		{"host withholds a dynamic macro", func(e *Env) { e.Withhold("CLICKPOS") }, "[CLICKPOS]", "-2"},
		{"limit ad tracking withholds device ids", func(e *Env) { e.Set("IFA", "abc"); e.LimitAdTracking(true) },
			"[LIMITADTRACKING]/[IFA]/[IFATYPE]/[DEVICEIP]/[LATLONG]/[DOMAIN]", "1/-2/-2/-2/-2/-1"},
		{"tracking allowed keeps them", func(e *Env) { e.Set("IFA", "abc"); e.LimitAdTracking(false) }, "[LIMITADTRACKING]/[IFA]", "0/abc"},
		{"coppa withholds device ids", func(e *Env) { e.Regulations("coppa") }, "[REGULATIONS]/[IFA]", "coppa/-2"},
		{"custom macro cannot be withheld", func(e *Env) { e.Withhold("MYID") }, "[MYID]", "[MYID]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := NewEnv()
			tt.env(e)
			assert.Equal(t, tt.want, Expand(tt.raw, MacroContext{ClickX: 1, HasClick: true, Env: e}))
		})
	}
}

func TestExpandNoMacroDoesNotAllocate(t *testing.T) {
	c := fullContext()
	allocs := testing.AllocsPerRun(100, func() { _ = Expand("https://a.example/t?e=start&x=1%2F2", c) })
	assert.Zero(t, allocs)
}

var knownMacros = func() []string {
	var n []string
	for _, c := range Catalogue {
		n = append(n, c.Name)
	}
	return n
}()

func FuzzExpand(f *testing.F) {
	for _, s := range []string{
		"https://a.example/t?cb=[CACHEBUSTING]&ts=[TIMESTAMP]",
		"[[ADPLAYHEAD]]%%PLAYERSIZE%%[UNKNOWN]",
		"%%%[ERRORCODE]%%", "[", "%%", "[X]", "[ASSETURI]]]",
	} {
		f.Add(s)
	}
	c := fullContext()
	f.Fuzz(func(t *testing.T, raw string) {
		out := Expand(raw, c)
		for _, m := range knownMacros {
			if strings.Contains(out, "["+m+"]") || strings.Contains(out, "%%"+m+"%%") {
				t.Fatalf("known macro %s left in %q (from %q)", m, out, raw)
			}
		}
		if !strings.ContainsAny(raw, "[%") && out != raw {
			t.Fatalf("text without macros changed: %q -> %q", raw, out)
		}
		// An unknown bracketed name survives verbatim.
		probe := raw + "[NOT_A_VAST_MACRO]"
		if !strings.HasSuffix(Expand(probe, c), "[NOT_A_VAST_MACRO]") {
			t.Fatalf("unknown macro altered after %q", raw)
		}
	})
}

func BenchmarkExpand(b *testing.B) {
	c := fullContext()
	raw := "https://ads.example.com/track?e=firstQuartile&cb=[CACHEBUSTING]&ts=[TIMESTAMP]&ap=[ADPLAYHEAD]&bp=[BREAKPOSITION]&ps=[PLAYERSIZE]&st=[PLAYERSTATE]"
	b.ReportAllocs()
	for b.Loop() {
		_ = Expand(raw, c)
	}
}

func BenchmarkExpandNoMacro(b *testing.B) {
	c := fullContext()
	raw := "https://ads.example.com/track?e=firstQuartile&id=8104386"
	b.ReportAllocs()
	for b.Loop() {
		_ = Expand(raw, c)
	}
}

func BenchmarkAppendExpandReused(b *testing.B) {
	c := fullContext()
	raw := "https://ads.example.com/track?e=firstQuartile&cb=[CACHEBUSTING]&ts=[TIMESTAMP]&ap=[ADPLAYHEAD]&bp=[BREAKPOSITION]&ps=[PLAYERSIZE]&st=[PLAYERSTATE]"
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendExpand(buf[:0], raw, c)
	}
}
