package lint

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type obj = map[string]any

// event builds a tracking event at start seconds.
func event(typ string, start float64, urls ...string) obj {
	if len(urls) == 0 {
		urls = []string{"https://ads.example.com/" + typ}
	}
	return obj{"eventType": typ, "eventId": "e", "startTime": iso(start), "startTimeInSeconds": start, "beaconUrls": urls}
}

// setTime sets key (startTime, duration) and its InSeconds twin.
func setTime(o obj, key string, s float64) {
	o[key], o[key+"InSeconds"] = iso(s), s
}

func iso(s float64) string { return "PT" + strconv.FormatFloat(s, 'f', -1, 64) + "S" }

// cleanAd is an ad with every quartile at its place.
func cleanAd(id string, start, dur float64) obj {
	return obj{"adId": id, "startTime": iso(start), "startTimeInSeconds": start, "duration": iso(dur), "durationInSeconds": dur,
		"trackingEvents": []any{
			event("impression", start), event("start", start), event("firstQuartile", start+dur/4),
			event("midpoint", start+dur/2), event("thirdQuartile", start+3*dur/4), event("complete", start+dur),
		}}
}

func avail(id string, start, dur float64, ads ...obj) obj {
	list := []any{}
	for _, a := range ads {
		list = append(list, a)
	}
	return obj{"availId": id, "startTime": iso(start), "startTimeInSeconds": start, "duration": iso(dur), "durationInSeconds": dur,
		"ads": list, "adBreakTrackingEvents": []any{event("breakStart", start), event("breakEnd", start+dur)}}
}

func doc(avails ...obj) obj {
	list := []any{}
	for _, a := range avails {
		list = append(list, a)
	}
	return obj{"avails": list, "hlsAnchorMediaSequenceNumber": 100, "nextToken": "UFQxMFNfMjAyMy0wNy0wNlQyMToxMDowOC42NzQ4NDA1NjJaXzE%3D"}
}

func clean() obj { return doc(avail("1", 10, 30, cleanAd("a", 10, 15), cleanAd("b", 25, 15))) }

// at walks a built document: at(d, "avails", 0, "ads", 1) is that ad.
func at(v any, path ...any) obj {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(obj)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v.(obj)
}

func lintDoc(t *testing.T, d obj, opt Options) *Report {
	t.Helper()
	data, err := json.Marshal(d)
	require.NoError(t, err)
	r := Lint(data, opt)
	require.Nil(t, r.Error)
	return r
}

// codes renders findings as "severity code path" lines.
func codes(r *Report) []string {
	out := []string{}
	for _, f := range r.Findings {
		out = append(out, string(f.Severity)+" "+f.Code+" "+f.Path)
	}
	return out
}

func TestCleanDocumentHasNoFindings(t *testing.T) {
	r := lintDoc(t, clean(), Options{})
	assert.Empty(t, codes(r))
	require.Len(t, r.Timeline, 1)
	assert.Len(t, r.Timeline[0].Ads, 2)
	assert.Len(t, r.Schedule, 14, "2 break and 12 ad beacons")
	assert.Empty(t, lintDoc(t, clean(), Options{NoSchedule: true}).Schedule)
}

// TestFindings proves every finding: each case breaks the clean document in
// one way and expects exactly the findings that way causes.
func TestFindings(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(d obj)
		opt    Options
		want   []string
	}{
		{"breakEnd listed first", func(d obj) {
			a := at(d, "avails", 0)
			ev := a["adBreakTrackingEvents"].([]any)
			ev[0], ev[1] = ev[1], ev[0]
			setTime(ev[0].(obj), "startTime", 10)
			setTime(ev[1].(obj), "startTime", 10)
		}, Options{}, []string{"warning break-end-before-start avails[0].adBreakTrackingEvents[0]"}},
		{"breakEnd timed before breakStart", func(d obj) {
			setTime(at(d, "avails", 0, "adBreakTrackingEvents", 1), "startTime", 5)
		}, Options{}, []string{"warning break-end-before-start avails[0].adBreakTrackingEvents[1]"}},
		{"avail with no ads", func(d obj) {
			d["avails"] = append(d["avails"].([]any), obj{"availId": "2", "startTime": "PT0S", "duration": "PT0S", "ads": []any{}})
		}, Options{}, []string{"info avail-no-ads avails[1]"}},
		{"avail PT0S with ads", func(d obj) {
			a := at(d, "avails", 0)
			a["duration"], a["durationInSeconds"] = "PT0S", 0
		}, Options{}, []string{"warning avail-zero-duration avails[0].duration"}},
		{"ad with no duration", func(d obj) {
			ad := at(d, "avails", 0, "ads", 1)
			delete(ad, "duration")
			delete(ad, "durationInSeconds")
			ad["trackingEvents"] = []any{event("impression", 25)}
		}, Options{}, []string{"error ad-zero-duration avails[0].ads[1].duration", "info no-quartiles avails[0].ads[1].trackingEvents"}},
		{"overlapping avails", func(d obj) {
			d["avails"] = append(d["avails"].([]any), avail("2", 35, 15, cleanAd("c", 35, 15)))
		}, Options{}, []string{"error avails-overlap avails[1]"}},
		{"avail inside a long one, listed out of order", func(d obj) {
			d["avails"] = append(d["avails"].([]any), avail("3", 100, 10, cleanAd("e", 100, 10)), avail("2", 50, 10, cleanAd("d", 50, 10)))
			setTime(at(d, "avails", 0), "duration", 200) // avail 1 now runs 10–210 s
		}, Options{}, []string{"error avails-overlap avails[2]", "error avails-overlap avails[1]"}},
		{"chain of overlaps", func(d obj) {
			// 10–40, then 35–100 overlapping it, then 90–95 overlapping only the second.
			d["avails"] = append(d["avails"].([]any), avail("2", 35, 65, cleanAd("c", 35, 65)), avail("3", 90, 5, cleanAd("e", 90, 5)))
		}, Options{}, []string{"error avails-overlap avails[1]", "error avails-overlap avails[2]"}},
		{"ad outside its avail", func(d obj) {
			setTime(at(d, "avails", 0), "duration", 20)
		}, Options{}, []string{"warning ad-outside-avail avails[0].ads[1]"}},
		{"event before its ad", func(d obj) {
			setTime(at(d, "avails", 0, "ads", 1, "trackingEvents", 0), "startTime", 20)
		}, Options{}, []string{"error event-before-ad avails[0].ads[1].trackingEvents[0].startTime"}},
		{"event after its ad", func(d obj) {
			setTime(at(d, "avails", 0, "ads", 0, "trackingEvents", 5), "startTime", 25.5)
		}, Options{}, []string{"warning event-outside-ad avails[0].ads[0].trackingEvents[5].startTime"}},
		{"missing quartiles", func(d obj) {
			ad := at(d, "avails", 0, "ads", 0)
			ad["trackingEvents"] = ad["trackingEvents"].([]any)[:3]
		}, Options{}, []string{"warning missing-quartiles avails[0].ads[0].trackingEvents"}},
		{"quartile off its share", func(d obj) {
			setTime(at(d, "avails", 0, "ads", 0, "trackingEvents", 3), "startTime", 20)
		}, Options{}, []string{"warning quartile-time avails[0].ads[0].trackingEvents[3].startTime"}},
		{"InSeconds disagrees", func(d obj) {
			at(d, "avails", 0, "ads", 0)["startTimeInSeconds"] = 10.5
		}, Options{}, []string{"warning seconds-mismatch avails[0].ads[0].startTimeInSeconds"}},
		{"InSeconds truncated is fine", func(d obj) {
			ad := at(d, "avails", 0, "ads", 0, "trackingEvents", 2)
			ad["startTime"], ad["startTimeInSeconds"] = "PT13.7509999S", 13.750
		}, Options{}, []string{}},
		{"duplicate availId", func(d obj) {
			d["avails"] = append(d["avails"].([]any), avail("1", 100, 15, cleanAd("c", 100, 15)))
		}, Options{}, []string{"error duplicate-avail-id avails[1].availId"}},
		{"duplicate adId", func(d obj) {
			at(d, "avails", 0, "ads", 1)["adId"] = "a"
		}, Options{}, []string{"error duplicate-ad-id avails[0].ads[1].adId"}},
		{"same event twice", func(d obj) {
			ad := at(d, "avails", 0, "ads", 0)
			ad["trackingEvents"] = append(ad["trackingEvents"].([]any), event("midpoint", 17.5))
		}, Options{}, []string{"warning duplicate-event avails[0].ads[0].trackingEvents[6].beaconUrls[0]"}},
		{"beacon not http", func(d obj) {
			at(d, "avails", 0, "ads", 0, "trackingEvents", 1)["beaconUrls"] = []any{"`https://x.example/start`", "javascript:alert(1)"}
		}, Options{}, []string{"error beacon-not-http avails[0].ads[0].trackingEvents[1].beaconUrls[0]", "error beacon-not-http avails[0].ads[0].trackingEvents[1].beaconUrls[1]"}},
		{"about:blank beacon", func(d obj) {
			at(d, "avails", 0, "ads", 0, "trackingEvents", 0)["beaconUrls"] = []any{"about:blank"}
		}, Options{}, []string{"info beacon-about-blank avails[0].ads[0].trackingEvents[0].beaconUrls[0]"}},
		{"plain http beacons, one finding per host", func(d obj) {
			at(d, "avails", 0, "ads", 0, "trackingEvents", 0)["beaconUrls"] = []any{"http://x.example/imp"}
			at(d, "avails", 0, "ads", 0, "trackingEvents", 1)["beaconUrls"] = []any{"http://y.example/start", "http://x.example/start?a"}
		}, Options{}, []string{"info beacon-insecure avails[0].ads[0].trackingEvents[0].beaconUrls[0]",
			"info beacon-insecure avails[0].ads[0].trackingEvents[1].beaconUrls[0]"}},
		{"macros", func(d obj) {
			at(d, "avails", 0, "ads", 0, "trackingEvents", 0)["beaconUrls"] = []any{
				"https://x.example/imp?cb=[CACHEBUSTING]&t=%%TIMESTAMP%%&ifa=[IFA]&x=[MYMACRO]&y=%%OTHER%%&arr[]=1&h=[2001:db8::1]"}
			// [IFA] is catalogued, so the plugin expands it (-1 or -2):
			// only the two custom macros go out as written.
		}, Options{}, []string{
			"warning macro-unknown avails[0].ads[0].trackingEvents[0].beaconUrls[0]",
			"warning macro-unknown avails[0].ads[0].trackingEvents[0].beaconUrls[0]"}},
		{"VPAID without slate", func(d obj) {
			ad := at(d, "avails", 0, "ads", 1)
			delete(ad, "duration")
			delete(ad, "durationInSeconds")
			ad["trackingEvents"] = []any{}
			ad["mediaFiles"] = obj{"mediaFilesList": []any{obj{"apiFramework": "VPAID", "mediaType": "video/mp4", "mediaFileUri": "https://x.example/v.mp4"}}}
		}, Options{}, []string{"error ad-zero-duration avails[0].ads[1].duration",
			"error vpaid-no-slate avails[0].ads[1].mediaFiles.mediaFilesList[0]",
			"warning vpaid-media-type avails[0].ads[1].mediaFiles.mediaFilesList[0].mediaType",
			"info no-quartiles avails[0].ads[1].trackingEvents"}},
		{"companion without size", func(d obj) {
			at(d, "avails", 0, "ads", 0)["companionAds"] = []any{
				obj{"attributes": obj{"width": "REQUIRED", "height": "250"}, "staticResource": "https://x.example/c.png"},
				obj{"attributes": obj{"width": "300", "height": "250"}, "staticResource": "https://x.example/c.png"},
			}
		}, Options{}, []string{"warning companion-no-size avails[0].ads[0].companionAds[0].attributes"}},
		{"nextToken not base64", func(d obj) { d["nextToken"] = "page 2!" }, Options{},
			[]string{"warning next-token-not-base64 nextToken"}},
		{"nextToken unpadded base64url", func(d obj) { d["nextToken"] = "UFQxMFNfMjAyMy0wNy0wNlQyMToxMDowOC42NzQ4NDA1NjJaXzE" }, Options{}, []string{}},
		{"live without anchors", func(d obj) { delete(d, "hlsAnchorMediaSequenceNumber") }, Options{Live: LiveYes},
			[]string{"warning live-no-anchor "}},
		{"guessed live without anchors", func(d obj) {
			delete(d, "hlsAnchorMediaSequenceNumber")
			at(d, "avails", 0)["availProgramDateTime"] = "2023-07-31T16:53:40.577Z"
		}, Options{}, []string{"info live-no-anchor "}},
		{"VOD without anchors", func(d obj) { delete(d, "hlsAnchorMediaSequenceNumber") }, Options{}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := clean()
			tt.mutate(d)
			r := lintDoc(t, d, tt.opt)
			assert.Equal(t, tt.want, codes(r))
			for _, f := range r.Findings {
				assert.NotEmpty(t, f.Message)
			}
		})
	}
}

// TestEveryCodeIsTested keeps Codes and TestFindings in step: every code
// must appear in an expected finding of this file, and be listed once.
func TestEveryCodeIsTested(t *testing.T) {
	src, err := os.ReadFile("lint_test.go")
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, c := range Codes {
		assert.Contains(t, string(src), `"`+string(c.Severity)+" "+c.Code+" ", "no test expects %s", c.Code)
		assert.False(t, seen[c.Code], "duplicate code %s", c.Code)
		seen[c.Code] = true
	}
}

func TestDecodeErrorHasLineAndPath(t *testing.T) {
	r := Lint([]byte("{\n  \"avails\": [\n    {\"ads\": [...]}\n  ]\n}"), Options{})
	require.NotNil(t, r.Error)
	assert.Equal(t, "avails[0].ads[0]", r.Error.Path)
	assert.Equal(t, [2]int{3, 14}, [2]int{r.Error.Line, r.Error.Column})
	assert.Contains(t, r.Error.Message, "elision placeholder")
	assert.Empty(t, r.Findings)
	var b strings.Builder
	require.NoError(t, r.WriteText(&b, "x.json", false))
	assert.Equal(t, "x.json:3:14: error decode avails[0].ads[0]: expected object, got \"...\" (an elision placeholder, not JSON) at offset 29\n", b.String())
}

func TestSchedule(t *testing.T) {
	d := clean()
	// A pause beacon (action) and a VPAID ad in a second avail.
	ad := at(d, "avails", 0, "ads", 0)
	ad["trackingEvents"] = append(ad["trackingEvents"].([]any), event("pause", 10), event("clickTracking", 10))
	v := cleanAd("v", 100, 10)
	v["mediaFiles"] = obj{"mediaFilesList": []any{obj{"apiFramework": "VPAID", "mediaType": "application/javascript", "mediaFileUri": "https://x.example/v.js"}}}
	d["avails"] = append(d["avails"].([]any), avail("2", 100, 10, v))
	r := lintDoc(t, d, Options{})
	var got []string
	for _, b := range r.Schedule {
		line := b.Trigger + " " + b.AdID + " " + b.EventType
		if b.At >= 0 {
			line += " @" + strconv.FormatFloat(b.At, 'f', 2, 64)
		}
		got = append(got, line)
	}
	assert.Equal(t, []string{
		"playback  breakStart @10.00",
		"playback a impression @10.00", "playback a start @10.00", "playback a firstQuartile @13.75",
		"playback a midpoint @17.50", "playback a thirdQuartile @21.25", "playback a complete @25.00",
		"playback b impression @25.00", "playback b start @25.00", "playback b firstQuartile @28.75",
		"playback b midpoint @32.50", "playback b thirdQuartile @36.25", "playback b complete @40.00",
		"playback  breakEnd @40.00",
		"playback  breakStart @100.00", "playback  breakEnd @110.00",
		"action a pause", "manual a clickTracking",
		"vpaid v impression", "vpaid v start", "vpaid v firstQuartile", "vpaid v midpoint", "vpaid v thirdQuartile", "vpaid v complete",
	}, got)
	for _, b := range r.Schedule {
		if b.At >= 0 {
			assert.InDelta(t, b.Scheduled, b.At, 0.02, "%s fires within a frame of its time", b.EventType)
		}
	}
}
