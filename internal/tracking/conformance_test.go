package tracking_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/corpustest"
	"github.com/availkit/availkit/internal/timeline"
	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusJSON is the folder of JSON examples taken from the AWS MediaTailor
// documentation and one capture from the real service (see the corpus's
// MANIFEST.md).
const corpusJSON = "mediatailor/json"

// docStem prefixes every documentation example in the corpus.
const docStem = "doc_ad-reporting-client-side-ad-tracking-schema-player-controls_"

// wantError is what decoding an invalid published example must say: the
// JSON path of the value at fault and what was expected there.
type wantError struct{ path, msg string }

// invalidPublished lists the published examples that are not JSON, with the
// error a user pasting them needs. Every other file must decode.
var invalidPublished = map[string]wantError{
	docStem + "1.published.txt": {"avails[0].ads[0]", `expected object, got "..." (an elision placeholder, not JSON)`},
	docStem + "2.published.txt": {"avails[0].ads[0]", `expected object, got "..." (an elision placeholder, not JSON)`},
	docStem + "3.published.txt": {"avails[0].ads[0].companionAds[0]", `expected object, got "..." (an elision placeholder, not JSON)`},
	// Two examples (clickThrough, then VPAID) printed as one block "}{".
	docStem + "7.published.txt": {"", "trailing data: a second JSON document follows the first"},
	// The Google "Why this ad" extension content has raw line breaks.
	docStem + "8.published.txt":                                    {"avails[0].ads[0].extensions[0].content", `raw line break in string (expected it escaped as \n)`},
	"doc_ad-reporting-client-side.awsdocs-4a2b3f6_2.published.txt": {"avails[0].ads[0].mediaFiles.mediaFilesList[2]", `expected object, got "..." (an elision placeholder, not JSON)`},
	// A missing comma between companionAds and extensions.
	"doc_ad-reporting-client-side.awsdocs-4a2b3f6_3.published.txt": {"avails[0].ads[0]", "expected ',' or '}'"},
}

// TestCorpusDecode decodes every tracking example of the corpus: valid and
// repaired ones without error, invalid ones with the path and expectation
// of invalidPublished. Files with hand-written checks (semantics) get them.
func TestCorpusDecode(t *testing.T) {
	dir := corpustest.Dir(t, corpusJSON)
	files := append(corpustest.Files(t, dir, "*.json"), corpustest.Files(t, dir, "*.published.txt")...)
	seen := map[string]bool{}
	for _, f := range files {
		name := filepath.Base(f)
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			r, err := tracking.Decode(data)
			if want, bad := invalidPublished[name]; bad {
				require.Error(t, err, "the published example is not JSON")
				var de *tracking.Error
				require.True(t, errors.As(err, &de))
				assert.Equal(t, want.path, de.Path)
				assert.True(t, strings.HasPrefix(de.Msg, want.msg), "message %q should start with %q", de.Msg, want.msg)
				assert.Nil(t, r)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, r)
			assert.NotEmpty(t, append(r.Avails, r.NonLinearAvails...), "every example holds an avail")
			if check := semantics[strings.TrimSuffix(strings.TrimSuffix(name, ".repaired.json"), ".json")]; check != nil {
				check(t, r)
			}
		})
	}
	for name := range invalidPublished {
		assert.True(t, seen[name], "corpus file %s is gone: update the table", name)
	}
	for stem := range semantics {
		assert.True(t, seen[stem+".json"] || seen[stem+".repaired.json"], "corpus file %s.json is gone: update the table", stem)
	}
}

// ns builds a duration from whole nanoseconds, as the ISO strings carry them.
func ns(n int64) time.Duration { return time.Duration(n) }

// semantics holds hand-written checks of what a player needs from key
// corpus files, by file stem (the .json and the .repaired.json of one
// example share their checks).
var semantics = map[string]func(t *testing.T, r *tracking.Response){
	// M1: the ISO strings carry nanoseconds; the InSeconds numbers are
	// truncated to ms and must not be what the decoder keeps.
	"doc_ad-reporting-client-side-beaconing_1": func(t *testing.T, r *tracking.Response) {
		ad := r.Avails[0].Ads[0]
		assert.Equal(t, ns(17817798612), ad.StartTime)
		assert.Equal(t, ns(15100000078), ad.Duration)
		types := []string{}
		for _, ev := range ad.TrackingEvents {
			types = append(types, ev.EventType)
		}
		assert.Equal(t, []string{"impression", "start", "firstQuartile", "midpoint", "thirdQuartile", "complete"}, types)
		assert.Equal(t, ns(29142798670), ad.TrackingEvents[4].StartTime, `"PT29.14279867S" keeps its trailing digits`)
		assert.Equal(t, ad.StartTime+ad.Duration, ad.TrackingEvents[5].StartTime, "complete is at the ad's end")
		assert.False(t, r.HasHLSAnchor)
	},
	// M2: a full ad object; null and empty members are zero values.
	"doc_ad-id-client-side-tracking-api_1": func(t *testing.T, r *tracking.Response) {
		ad := r.Avails[0].Ads[0]
		assert.Equal(t, "5", ad.AdID)
		assert.Equal(t, "AD-caribbean2-15", ad.AdTitle)
		assert.Equal(t, "1234", ad.CreativeID)
		assert.Equal(t, 30*time.Second, ad.StartTime)
		assert.Empty(t, ad.SkipOffset, "skipOffset null is not skippable")
		assert.Empty(t, ad.MediaFiles.MediaFilesList)
		assert.Equal(t, "UFQ1TTM0Ljk2N1NfMjAyMi0xMS0xOFQwNDozMzo1Mi4yNDUxOTdaXzE%3D", r.NextToken, "nextToken is kept as sent, URL-encoded")
	},
	// M5: clickThrough and clickTracking come as tracking events.
	docStem + "4": func(t *testing.T, r *tracking.Response) {
		evs := r.Avails[0].Ads[0].TrackingEvents
		require.Len(t, evs, 3)
		assert.Equal(t, "clickThrough", evs[1].EventType)
		assert.Equal(t, []string{"https://aws.amazon.com"}, evs[1].BeaconURLs)
		assert.Equal(t, "clickTracking", evs[2].EventType)
		assert.Equal(t, "2023-07-31T16:53:40.577Z", r.Avails[0].Ads[0].AdProgramDateTime)
		assert.False(t, r.HasHLSAnchor, "hlsAnchorMediaSequenceNumber null is absent")
	},
	// M6: two companions with their sizes and creativeView beacons.
	docStem + "5": func(t *testing.T, r *tracking.Response) {
		cs := r.Avails[0].Ads[0].CompanionAds
		require.Len(t, cs, 2)
		assert.Equal(t, [2]string{"300", "250"}, [2]string{cs[0].Attributes.Width, cs[0].Attributes.Height})
		assert.Equal(t, [2]string{"728", "90"}, [2]string{cs[1].Attributes.Width, cs[1].Attributes.Height})
		assert.Equal(t, "https://emt.com/companion/1238901823", cs[1].StaticResource)
		assert.Equal(t, "https://beacon.com/4", cs[1].CompanionClickThrough)
		require.Len(t, cs[0].TrackingEvents, 1)
		assert.Equal(t, tracking.TrackingEvent{EventType: "creativeView", BeaconURLs: []string{"https://beacon.com/1"}}, cs[0].TrackingEvents[0])
	},
	// M7: SIMID travels as an InteractiveCreativeFile extension.
	docStem + "6": func(t *testing.T, r *tracking.Response) {
		ext := r.Avails[0].Ads[0].Extensions
		require.Len(t, ext, 1)
		assert.Equal(t, "InteractiveCreativeFile", ext[0].Type)
		assert.Contains(t, ext[0].Content, `apiFramework="SIMID"`)
	},
	// M8 b: the VPAID example: a 16x9 JavaScript media file, the same URL
	// as mezzanine, an about:blank impression, 8 minutes in.
	docStem + "7_b": func(t *testing.T, r *tracking.Response) {
		ad := r.Avails[0].Ads[0]
		require.Len(t, ad.MediaFiles.MediaFilesList, 1)
		mf := ad.MediaFiles.MediaFilesList[0]
		assert.Equal(t, "VPAID", mf.APIFramework)
		assert.Equal(t, "application/javascript", mf.MediaType)
		assert.Equal(t, [2]int{16, 9}, [2]int{mf.Width, mf.Height})
		assert.Equal(t, mf.MediaFileURI, ad.MediaFiles.Mezzanine)
		assert.Equal(t, 8*time.Minute+42289*time.Millisecond, ad.StartTime)
		assert.Equal(t, []string{"about:blank"}, ad.TrackingEvents[0].BeaconURLs)
		assert.Empty(t, ad.AdParameters)
	},
	// M10: skippable after 3 s, Google "Why this ad" fallback images.
	docStem + "8": func(t *testing.T, r *tracking.Response) {
		ad := r.Avails[0].Ads[0]
		assert.Equal(t, "00:00:03", ad.SkipOffset)
		off, ok := tracking.ParseSkipOffset(ad.SkipOffset, ad.Duration)
		assert.True(t, ok)
		assert.Equal(t, 3*time.Second, off)
		require.Len(t, ad.Extensions, 1)
		assert.Equal(t, "IconClickFallbackImages", ad.Extensions[0].Type)
		assert.Contains(t, ad.Extensions[0].Content, "\n", "the repaired escapes decode to line breaks")
	},
	// M11: an overlay carried by a linear avail with no ads and PT0S.
	"doc_overlay-ads-client-side-tracking-metadata_1": func(t *testing.T, r *tracking.Response) {
		require.Len(t, r.Avails, 1)
		a := r.Avails[0]
		assert.Empty(t, a.Ads)
		assert.Zero(t, a.Duration)
		assert.Equal(t, 106080*time.Millisecond, a.StartTime)
		nl := a.NonLinearAdsList[0].NonLinearAdList[0]
		assert.Equal(t, [2]int{640, 360}, [2]int{nl.Width, nl.Height}, "sizes sent as strings decode as numbers")
		assert.Equal(t, "text/js_ref", nl.StaticResourceCreativeType)
		assert.Len(t, a.AdBreakTrackingEvents, 2)
	},
	"doc_overlay-ads-client-side-tracking-metadata_2": func(t *testing.T, r *tracking.Response) {
		assert.Empty(t, r.Avails)
		require.Len(t, r.NonLinearAvails, 1)
		assert.Equal(t, "828", r.NonLinearAvails[0].AvailID)
		assert.Len(t, r.NonLinearAvails[0].NonLinearAdsList[0].TrackingEvents, 1)
	},
	// M12: OM SDK verification with the {event, uri} tracking shape and
	// browserOptional as the string "true".
	"doc_ad-reporting-client-side-ad-tracking-integrations.OMSDK-section_1": func(t *testing.T, r *tracking.Response) {
		v := r.Avails[0].Ads[0].AdVerifications
		require.Len(t, v, 1)
		assert.Equal(t, "company.com-omid", v[0].Vendor)
		assert.True(t, v[0].JavaScriptResource[0].BrowserOptional)
		assert.Equal(t, []tracking.TrackingEvent{{EventType: "verificationNotExecuted", BeaconURLs: []string{"https://verification.com/trackingurl"}}}, v[0].TrackingEvents)
		assert.Equal(t, "verification params key value pairs", v[0].VerificationParameters)
	},
	// M9: the capture from the real service.
	"real_bitmovin-android_empty-avail_doubleclick": checkRealCapture,
}

// checkRealCapture checks the capture of the real service the way the
// service means it: an avail with no ads and PT0S is an unfilled break (no
// ad time, but its break beacons are due when playback crosses it), its
// breakEnd listed before breakStart still fires after it, and
// hlsAnchorMediaSequenceNumber 0 sent as a number is an anchor.
func checkRealCapture(t *testing.T, r *tracking.Response) {
	assert.True(t, r.HasHLSAnchor, "hlsAnchorMediaSequenceNumber: 0 is present")
	assert.Zero(t, r.HLSAnchorMediaSequence)
	assert.Empty(t, r.NextToken, "nextToken null")
	require.Len(t, r.Avails, 1)
	a := r.Avails[0]
	assert.Equal(t, "0", a.AvailID)
	assert.Empty(t, a.Ads)
	assert.Zero(t, a.Duration)
	assert.Zero(t, a.AdMarkerDuration)
	require.Len(t, a.AdBreakTrackingEvents, 2)
	assert.Equal(t, "breakEnd", a.AdBreakTrackingEvents[0].EventType, "the decoder keeps the order as sent")
	assert.True(t, strings.HasSuffix(a.AdBreakTrackingEvents[0].BeaconURLs[0], "&sig..."), "URLs kept as sent")

	tl := timeline.New()
	tl.Merge(r)
	var order []string
	for _, ref := range tl.Refs() {
		order = append(order, tl.Event(ref).Type)
	}
	assert.Equal(t, []string{"breakStart", "breakEnd"}, order, "the plugin fires breakStart first")
	assert.Zero(t, tl.AdDuration(), "no ad time: nothing to snap back to")
}

// FuzzDecodeCorpus seeds the decoder with every corpus file, valid or not,
// and checks it never panics and is deterministic.
func FuzzDecodeCorpus(f *testing.F) {
	if root, _ := corpustest.Root(); root != "" {
		files, _ := filepath.Glob(filepath.Join(root, corpusJSON, "*"))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte(`{"avails":[{"ads":[...]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r1, err1 := tracking.Decode(data)
		r2, err2 := tracking.Decode(data)
		if err1 != nil {
			require.Nil(t, r1)
			require.EqualError(t, err2, err1.Error())
			var de *tracking.Error
			require.True(t, errors.As(err1, &de))
			return
		}
		require.NoError(t, err2)
		require.Equal(t, r1, r2)
	})
}
