package vast

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// mp3Declared is the VAST duration of the bundled MP3 creatives.
const mp3Declared = 10 * time.Second

// MaxWrapperDepth is the number of wrapper levels MediaTailor follows.
const MaxWrapperDepth = 5

// Media describes one bundled ad creative the generator may reference.
type Media struct {
	ID       string
	Title    string
	Duration time.Duration
	Width    int
	Height   int
	Bitrate  int // kbps
}

// Request is one ad request to the built-in ad server.
type Request struct {
	// Scenario selects the document, see Scenarios.
	Scenario string
	// Base is the emulator's own origin ("http://127.0.0.1:8080"); every
	// beacon, asset and wrapper URL in the document is absolute on it.
	Base       string
	Session    string
	AvailIndex int
	// Creatives are the bundled ads, shortest first.
	Creatives []Media
	// Query is the ad request's query, forwarded to wrapped requests.
	Query url.Values
	// Version is the VAST version to emit ("3.0" or "4.2"); "" means 4.2.
	Version string
}

// Scenarios lists the scenario names Generate understands, with a line
// each; docs/emulator.md carries the same table.
var Scenarios = map[string]string{
	"default":               "avail 1: pod of 2 (companions of all three kinds; second ad skippable at 5 s); later avails: pod of 3 (one skippable at 25%)",
	"single":                "one non-skippable ad",
	"skippable":             "one ad skippable after 00:00:05",
	"companions":            "one ad with a static, an iframe and an HTML companion",
	"companions-hostile":    "one ad whose companions try script injection, javascript: clicks and a script StaticResource",
	"vpaid":                 "one VPAID 2.0 ad (/creatives/vpaid-good.js), slate stitched in its slot",
	"vpaid-broken-init":     "VPAID ad whose initAd throws (/creatives/vpaid-throws-init.js); alias vpaid-throws-init",
	"vpaid-hostile":         "VPAID ad that tries to escape its sandbox (/creatives/vpaid-hostile.js)",
	"vpaid-no-loaded":       "VPAID ad that never sends AdLoaded",
	"vpaid-no-stop":         "VPAID ad that never sends AdStopped",
	"vpaid-spam":            "VPAID ad that floods events",
	"vpaid-mixed":           "pod: MP4 ad, VPAID ad, MP4 ad (order preserved)",
	"vpaid-companions":      "one VPAID ad with no CompanionAds in the VAST whose unit returns a 300x250 companion from getAdCompanions",
	"vpaid-mixed-broken":    "pod: MP4 ad, a VPAID ad whose initAd throws (901 on its own error URL), MP4 ad",
	"wrapper":               "3 wrapper levels around the default inline ads (wrapper-N for N levels; N > 5 fails with VAST error 302)",
	"new-creative":          "pod whose first creative is not transcoded yet: skipped on first sight, played on later avails",
	"empty":                 "no ads (<VAST> with only an Error URL)",
	"empty-break-end-first": "no ads, and the unfilled avail lists breakEnd before breakStart, as a response captured from the real service does",
	"malformed":             "not XML: the avail is left unfilled",
	"nonlinear":             "an overlay (NonLinearAds) ad: reported in nonLinearAvails, nothing stitched",
	"mp3":                   "one audio-only (audio/mpeg) creative, /media/mp3/good.mp3 (10 s, -24 LUFS), mapped to a bundled ad",
	"mp3-bad":               "one audio-only creative, /media/mp3/bad.mp3 (declared 10 s, really 11.5 s at -14 LUFS): the QA inspector must flag it",
	"long":                  "pod of three longest ads: on live only the ads that fit the break play",
	"vast3":                 "the default pod as a VAST 3.0 document",
	"omid":                  "one ad with an OM verification (/creatives/omid-verification.js) and its verificationNotExecuted URL",
	"omid-vast3":            "the omid ad as VAST 3.0, the verification in <Extension type=\"AdVerifications\">",
	"omid-broken":           "one ad with two verifications: a script that 404s and a vendor the test OM service rejects",
	"icons":                 "one ad with an AdChoices icon (click-through) and a Google \"Why this ad\" icon (fallback image panel)",
}

// Generate returns the VAST document for r. Unknown scenarios get the
// default one, so any [player_params.scenario] value yields ads.
func Generate(r Request) ([]byte, error) {
	if r.Version == "" {
		r.Version = "4.2"
	}
	g := gen{Request: r}
	s := r.Scenario
	switch {
	case s == "malformed":
		return []byte("<VAST version=\"4.2\"><Ad><InLine>"), nil
	case s == "empty" || s == "empty-break-end-first":
		return Marshal(&VAST{Version: r.Version, Errors: []string{g.beacon("error", "", "code=[ERRORCODE]")}})
	case s == "wrapper" || strings.HasPrefix(s, "wrapper-"):
		return g.wrapper()
	case s == "vast3":
		g.Version = "3.0"
		s = "default"
	case s == "omid-vast3":
		g.Version = "3.0"
	}
	v := &VAST{Version: g.Version}
	switch s {
	case "single":
		v.Ads = []Ad{g.linear(1, 0, linearOpts{})}
	case "skippable":
		v.Ads = []Ad{g.linear(1, 1, linearOpts{skip: "00:00:05"})}
	case "companions":
		v.Ads = []Ad{g.linear(1, 1, linearOpts{companions: g.companions()})}
	case "companions-hostile":
		v.Ads = []Ad{g.linear(1, 1, linearOpts{companions: g.hostileCompanions()})}
	case "vpaid", "vpaid-broken-init", "vpaid-throws-init", "vpaid-no-loaded", "vpaid-no-stop", "vpaid-spam", "vpaid-hostile":
		file := s + ".js"
		switch s {
		case "vpaid":
			file = "vpaid-good.js"
		case "vpaid-broken-init":
			file = "vpaid-throws-init.js"
		}
		v.Ads = []Ad{g.linear(1, 1, linearOpts{vpaid: file})}
	case "simid", "simid-never-resolves", "simid-rejects", "simid-flood", "simid-navigate-top", "simid-click-no-gesture":
		v.Ads = []Ad{g.simid(s)}
	case "vpaid-ima", "vpaid-ima-empty":
		params := ""
		if s == "vpaid-ima" {
			params = fmt.Sprintf(`{"videos":[{"url":%q,"mimetype":"video/mp4"}]}`, r.Base+"/media/progressive/vpaid-video.mp4")
		}
		v.Ads = []Ad{g.linear(1, 1, linearOpts{vpaid: "vpaid-ima-sample.js", adParams: &params})}
	case "vpaid-companions":
		v.Ads = []Ad{g.linear(1, 1, linearOpts{vpaid: "vpaid-good.js", unitCompanions: true})}
	case "vpaid-mixed", "vpaid-mixed-broken":
		unit := "vpaid-good.js"
		if s == "vpaid-mixed-broken" {
			unit = "vpaid-throws-init.js"
		}
		v.Ads = []Ad{g.linear(1, 0, linearOpts{}), g.linear(2, 1, linearOpts{vpaid: unit}), g.linear(3, 1, linearOpts{})}
	case "new-creative":
		v.Ads = []Ad{g.linear(1, 1, linearOpts{fresh: true}), g.linear(2, 0, linearOpts{})}
	case "nonlinear":
		v.Ads = []Ad{g.nonLinear()}
	case "omid", "omid-vast3", "omid-broken", "icons":
		v.Ads = []Ad{g.measured(s)}
	case "mp3":
		v.Ads = []Ad{g.linear(1, 0, linearOpts{mp3: "good"})}
	case "mp3-bad":
		v.Ads = []Ad{g.linear(1, 0, linearOpts{mp3: "bad"})}
	case "long":
		n := len(r.Creatives)
		v.Ads = []Ad{g.linear(1, n-1, linearOpts{}), g.linear(2, n-1, linearOpts{}), g.linear(3, n-1, linearOpts{})}
	default:
		if r.AvailIndex <= 1 {
			v.Ads = []Ad{
				g.linear(1, 0, linearOpts{companions: g.companions()}),
				g.linear(2, 1, linearOpts{skip: "00:00:05"}),
			}
		} else {
			v.Ads = []Ad{
				g.linear(1, 1, linearOpts{}),
				g.linear(2, 0, linearOpts{skip: "25%", companions: g.companions()}),
				g.linear(3, 2, linearOpts{}),
			}
		}
	}
	if len(v.Ads) == 1 {
		v.Ads[0].Sequence = ""
	}
	return Marshal(v)
}

type gen struct{ Request }

type linearOpts struct {
	skip       string
	companions *CompanionAds
	vpaid      string
	// adParams, when set, replaces the VPAID unit's AdParameters.
	adParams *string
	// unitCompanions gives the VPAID unit companions of its own, returned
	// by getAdCompanions (AdParameters "companions").
	unitCompanions bool
	fresh          bool
	mp3            string // id of a bundled MP3 (media/mp3/<id>.mp3)
}

func (g *gen) adID(seq int) string { return fmt.Sprintf("avail%d-ad%d", g.AvailIndex, seq) }

// beacon is a collector URL; VAST macros stay unexpanded for the player.
func (g *gen) beacon(event, adID, extra string) string {
	q := "avail=" + strconv.Itoa(g.AvailIndex)
	if adID != "" {
		q = "ad=" + url.QueryEscape(adID) + "&" + q
	}
	if extra != "" {
		q += "&" + extra
	}
	sess := g.Session
	if sess == "" {
		sess = "unknown"
	}
	return fmt.Sprintf("%s/beacon/%s/%s?%s&cb=[CACHEBUSTING]", g.Base, url.PathEscape(sess), event, q)
}

func (g *gen) creative(i int) Media {
	if len(g.Creatives) == 0 {
		return Media{ID: "none", Duration: 10 * time.Second, Width: 640, Height: 360, Bitrate: 800}
	}
	if i < 0 {
		i = 0
	}
	return g.Creatives[i%len(g.Creatives)]
}

var linearEvents = []string{"start", "firstQuartile", "midpoint", "thirdQuartile", "complete",
	"pause", "resume", "mute", "unmute", "rewind", "playerExpand", "playerCollapse"}

func (g *gen) linear(seq, creative int, o linearOpts) Ad {
	c := g.creative(creative)
	id := g.adID(seq)
	var tr []Tracking
	events := linearEvents
	if o.skip != "" {
		events = append(append([]string(nil), events...), "skip")
	}
	for _, e := range events {
		tr = append(tr, Tracking{Event: e, URL: g.beacon(e, id, "")})
	}
	tr = append(tr, Tracking{Event: "progress", Offset: "00:00:03", URL: g.beacon("progress", id, "offset=3")})
	crID := "cr-" + c.ID
	mf := []MediaFile{{ID: "mf-" + c.ID, Delivery: "progressive", Type: "video/mp4", Width: c.Width, Height: c.Height,
		Bitrate: c.Bitrate, MaintainAspectRatio: true, Scalable: true,
		URL: fmt.Sprintf("%s/media/ads/%s/mezzanine.mp4", g.Base, c.ID)}}
	lin := &Linear{SkipOffset: o.skip, Duration: FormatClock(c.Duration), TrackingEvents: tr,
		VideoClicks: &Clicks{
			ClickThrough:  fmt.Sprintf("%s/landing?ad=%s", g.Base, url.QueryEscape(id)),
			ClickTracking: []string{g.beacon("clickTracking", id, "")},
		}, MediaFiles: mf}
	title := fmt.Sprintf("%s (%s)", c.Title, c.ID)
	switch {
	case o.vpaid != "":
		crID = "cr-" + strings.TrimSuffix(o.vpaid, ".js")
		title = "VPAID " + o.vpaid
		lin.AdParameters = fmt.Sprintf(`{"label":%q,"durationSeconds":%d,"clickThrough":%q}`,
			title, int(c.Duration/time.Second), lin.VideoClicks.ClickThrough)
		if o.unitCompanions {
			lin.AdParameters = g.unitParams(title, c.Duration, lin.VideoClicks.ClickThrough, id)
		}
		if o.adParams != nil {
			lin.AdParameters = *o.adParams
		}
		lin.MediaFiles = []MediaFile{{ID: "vpaid-" + o.vpaid, Delivery: "progressive", Type: "application/javascript",
			Width: 640, Height: 360, APIFramework: "VPAID", URL: g.Base + "/creatives/" + o.vpaid}}
	case o.mp3 != "":
		// Both bundled MP3s declare 10 s (media/catalog.json vastDuration);
		// bad.mp3 really lasts 11.5 s, which is what the QA inspector is
		// meant to catch.
		title = "audio " + o.mp3 + ".mp3"
		crID = "cr-mp3-" + o.mp3
		lin.Duration = FormatClock(mp3Declared)
		lin.MediaFiles = []MediaFile{{ID: "mp3-" + o.mp3, Delivery: "progressive", Type: "audio/mpeg", Bitrate: 128,
			URL: fmt.Sprintf("%s/media/mp3/%s.mp3", g.Base, o.mp3)}}
	case o.fresh:
		// A creative id the transcoder has never seen, per session so that
		// every test session meets it fresh.
		crID = "cr-fresh-" + g.Session
		lin.MediaFiles[0].URL = fmt.Sprintf("%s/vast/assets/fresh-%s.mp4", g.Base, url.PathEscape(g.Session))
	}
	crs := []Creative{{ID: crID, Sequence: "1", AdID: c.ID, Linear: lin}}
	if o.companions != nil {
		crs = append(crs, Creative{ID: crID + "-companions", Sequence: "1", CompanionAds: withCompanionTracking(g, o.companions, id)})
	}
	return Ad{ID: id, Sequence: strconv.Itoa(seq), InLine: &InLine{
		AdSystem:    "availkit-emulator",
		AdTitle:     title,
		Impressions: []string{g.beacon("impression", id, "")},
		Errors:      []string{g.beacon("error", id, "code=[ERRORCODE]")},
		Creatives:   crs,
		Extensions:  []Extension{{Type: "availkit", Inner: fmt.Sprintf("<Scenario>%s</Scenario>", escapeText(g.Scenario))}},
	}}
}

func withCompanionTracking(g *gen, c *CompanionAds, adID string) *CompanionAds {
	for i := range c.Companions {
		cp := &c.Companions[i]
		cp.TrackingEvents = []Tracking{{Event: "creativeView", URL: g.beacon("creativeView", adID, "companion="+cp.ID)}}
		cp.CompanionClickTracking = []string{g.beacon("companionClickTracking", adID, "companion="+cp.ID)}
	}
	return c
}

// unitParams is the AdParameters of a vpaid-good.js unit that returns a
// companion of its own from getAdCompanions: CompanionAds XML as ad
// servers write it, URLs in CDATA.
func (g *gen) unitParams(title string, d time.Duration, clickThrough, adID string) string {
	own := `<CompanionAds><Companion id="unit-300x250" width="300" height="250" adSlotID="side">` +
		`<StaticResource creativeType="image/png"><![CDATA[` + g.Base + `/creatives/companion-300x250.png]]></StaticResource>` +
		`<TrackingEvents><Tracking event="creativeView"><![CDATA[` + g.beacon("creativeView", adID, "companion=unit-300x250") +
		`]]></Tracking></TrackingEvents><AltText>availkit VPAID unit companion</AltText></Companion></CompanionAds>`
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // the markup stays readable in the VAST
	_ = enc.Encode(map[string]any{"label": title, "durationSeconds": int(d / time.Second), "clickThrough": clickThrough, "companions": own})
	return strings.TrimSpace(b.String())
}

func (g *gen) companions() *CompanionAds {
	land := g.Base + "/landing?companion="
	return &CompanionAds{Required: "none", Companions: []Companion{
		{ID: "static-300x250", Width: "300", Height: "250", AdSlotID: "side",
			StaticResource:        &StaticResource{CreativeType: "image/svg+xml", URL: g.Base + "/vast/assets/300x250.svg"},
			CompanionClickThrough: land + "static", AltText: "availkit static companion"},
		{ID: "iframe-728x90", Width: "728", Height: "90", AdSlotID: "banner",
			IFrameResource: g.Base + "/vast/assets/iframe-728x90.html"},
		{ID: "html-300x60", Width: "300", Height: "60", AdSlotID: "html",
			HTMLResource: `<div style="font:14px sans-serif;background:#ffd;padding:8px">availkit HTML companion <a href="` + land + `html" target="_blank">learn more</a></div>`},
	}}
}

func (g *gen) hostileCompanions() *CompanionAds {
	return &CompanionAds{Required: "all", Companions: []Companion{
		{ID: "hostile-html", Width: "300", Height: "250", AdSlotID: "side",
			HTMLResource: `<script>try{parent.document.body.innerHTML='pwned'}catch(e){};try{top.location='javascript:alert(1)'}catch(e){}</script><img src=x onerror="parent.postMessage('hostile','*')">`},
		{ID: "hostile-static", Width: "728", Height: "90", AdSlotID: "banner",
			StaticResource:        &StaticResource{CreativeType: "application/x-javascript", URL: g.Base + "/vast/assets/hostile.js"},
			CompanionClickThrough: "javascript:alert(document.domain)"},
		{ID: "hostile-iframe", Width: "300", Height: "60", AdSlotID: "html",
			IFrameResource: "javascript:alert(1)", CompanionClickThrough: "data:text/html,<script>alert(1)</script>"},
	}}
}

func (g *gen) nonLinear() Ad {
	id := g.adID(1)
	var tr []Tracking
	for _, e := range []string{"creativeView", "acceptInvitation", "adExpand", "adCollapse", "minimize", "close", "overlayViewDuration"} {
		tr = append(tr, Tracking{Event: e, URL: g.beacon(e, id, "")})
	}
	return Ad{ID: id, InLine: &InLine{
		AdSystem: "availkit-emulator", AdTitle: "overlay banner",
		Impressions: []string{g.beacon("impression", id, "")},
		Errors:      []string{g.beacon("error", id, "code=[ERRORCODE]")},
		Creatives: []Creative{{ID: "cr-overlay", Sequence: "1", NonLinearAds: &NonLinearAds{
			TrackingEvents: tr,
			NonLinears: []NonLinear{{ID: "overlay-480x70", Width: 480, Height: 70, Scalable: true, MaintainAspectRatio: true,
				MinSuggestedDuration: "00:00:10",
				StaticResource:       &StaticResource{CreativeType: "image/svg+xml", URL: g.Base + "/vast/assets/480x70.svg"},
				ClickThrough:         g.Base + "/landing?overlay=1",
				ClickTracking:        []ClickTracking{{ID: "overlay", URL: g.beacon("nonLinearClickTracking", id, "")}},
			}},
		}}},
	}}
}

func (g *gen) wrapper() ([]byte, error) {
	depth := 3
	if n, err := strconv.Atoi(strings.TrimPrefix(g.Scenario, "wrapper-")); err == nil {
		depth = n
	}
	next := "default"
	if depth > 1 {
		next = "wrapper-" + strconv.Itoa(depth-1)
	}
	q := url.Values{}
	for k, v := range g.Query {
		q[k] = v
	}
	tag := fmt.Sprintf("%s/vast/%s?%s", g.Base, next, q.Encode())
	id := fmt.Sprintf("avail%d-wrapper%d", g.AvailIndex, depth)
	lvl := "wrapper=" + strconv.Itoa(depth)
	var tr []Tracking
	for _, e := range []string{"start", "firstQuartile", "midpoint", "thirdQuartile", "complete"} {
		tr = append(tr, Tracking{Event: e, URL: g.beacon(e, id, lvl)})
	}
	return Marshal(&VAST{Version: g.Version, Ads: []Ad{{ID: id, Wrapper: &Wrapper{
		AdSystem:     "availkit-emulator-wrapper",
		VASTAdTagURI: tag,
		Impressions:  []string{g.beacon("impression", id, lvl)},
		Errors:       []string{g.beacon("error", id, lvl+"&code=[ERRORCODE]")},
		Creatives: []Creative{{Linear: &Linear{TrackingEvents: tr,
			VideoClicks: &Clicks{ClickTracking: []string{g.beacon("clickTracking", id, lvl)}}}}},
	}}}})
}

func escapeText(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}
