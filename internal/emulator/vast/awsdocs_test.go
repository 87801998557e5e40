package vast

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/corpustest"
	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docVAST returns the VAST examples of an AWS documentation page (saved as
// markdown) by section heading, in page order, with the backticks the page
// puts around URLs stripped (the corpus's repair rule R1). The "..." the
// page uses for elided elements is plain XML text and stays.
func docVAST(t *testing.T, page string) map[string][]string {
	data, err := os.ReadFile(page)
	require.NoError(t, err)
	out := map[string][]string{}
	section := ""
	parts := strings.Split(string(data), "```")
	for i, p := range parts {
		if i%2 == 0 { // prose between code blocks
			for _, line := range strings.Split(p, "\n") {
				if strings.HasPrefix(line, "## ") {
					section = strings.TrimPrefix(line, "## ")
				}
			}
			continue
		}
		body := strings.TrimSpace(p)
		if strings.HasPrefix(body, "<?xml") || strings.HasPrefix(body, "<VAST") {
			out[section] = append(out[section], strings.ReplaceAll(body, "`", ""))
		}
	}
	return out
}

// TestAWSDocVASTPairs takes each VAST example of the player-controls page
// as an ad server's answer and checks that the parser extracts every value
// the page's tracking JSON shows MediaTailor derived from it: the inputs the
// emulator needs to produce the documented JSON.
func TestAWSDocVASTPairs(t *testing.T) {
	docs := corpustest.Dir(t, "mediatailor/aws-docs-md")
	jsonDir := corpustest.Dir(t, "mediatailor/json")
	blocks := docVAST(t, filepath.Join(docs, "ad-reporting-client-side-ad-tracking-schema-player-controls.md"))
	parse := func(t *testing.T, section string, i int) *InLine {
		t.Helper()
		require.Greater(t, len(blocks[section]), i, "VAST example %d of %q", i, section)
		v, err := Parse([]byte(blocks[section][i]))
		require.NoError(t, err)
		require.Len(t, v.Ads, 1)
		require.NotNil(t, v.Ads[0].InLine)
		return v.Ads[0].InLine
	}
	decode := func(t *testing.T, name string) *tracking.Ad {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(jsonDir, name))
		require.NoError(t, err)
		r, err := tracking.Decode(data)
		require.NoError(t, err)
		return &r.Avails[0].Ads[0]
	}
	event := func(ad *tracking.Ad, typ string) []string {
		for _, ev := range ad.TrackingEvents {
			if ev.EventType == typ {
				return ev.BeaconURLs
			}
		}
		return nil
	}

	t.Run("skippable", func(t *testing.T) {
		l := parse(t, "Skippable ads", 0).Creatives[0].Linear
		assert.Equal(t, "00:00:05", l.SkipOffset)
		// The page's JSON is a fragment (published with "..."): the value
		// is checked in its text.
		frag, err := os.ReadFile(filepath.Join(jsonDir, "doc_ad-reporting-client-side-ad-tracking-schema-player-controls_3.published.txt"))
		require.NoError(t, err)
		assert.Contains(t, string(frag), `"skipOffset": "`+l.SkipOffset+`"`)
	})
	t.Run("click-through", func(t *testing.T) {
		l := parse(t, "Ad click-through", 0).Creatives[0].Linear
		ad := decode(t, "doc_ad-reporting-client-side-ad-tracking-schema-player-controls_4.json")
		assert.Equal(t, []string{l.VideoClicks.ClickThrough}, event(ad, "clickThrough"))
		assert.Equal(t, l.VideoClicks.ClickTracking, event(ad, "clickTracking"))
		d, err := ParseClock(l.Duration)
		require.NoError(t, err)
		// The page's JSON comes from a stitched 14.982 s creative, not
		// the 15 s the VAST declares: MediaTailor reports what it
		// stitched.
		assert.Equal(t, 15*time.Second, d)
		assert.Equal(t, 14982*time.Millisecond, ad.Duration)
	})
	t.Run("companions", func(t *testing.T) {
		in := parse(t, "Companion ads", 0)
		var comps []Companion
		for _, c := range in.Creatives {
			if c.CompanionAds != nil {
				comps = append(comps, c.CompanionAds.Companions...)
			}
		}
		ad := decode(t, "doc_ad-reporting-client-side-ad-tracking-schema-player-controls_5.json")
		require.Len(t, comps, len(ad.CompanionAds))
		for i, c := range comps {
			j := ad.CompanionAds[i]
			assert.Equal(t, [3]string{c.ID, c.Width, c.Height}, [3]string{j.Attributes.ID, j.Attributes.Width, j.Attributes.Height})
			assert.Equal(t, c.StaticResource.URL, j.StaticResource)
			assert.Equal(t, c.CompanionClickThrough, j.CompanionClickThrough)
			require.Len(t, c.TrackingEvents, 1)
			assert.Equal(t, []tracking.TrackingEvent{{EventType: c.TrackingEvents[0].Event, BeaconURLs: []string{c.TrackingEvents[0].URL}}}, j.TrackingEvents)
		}
	})
	t.Run("SIMID in VAST 4 and in a VAST 3 extension", func(t *testing.T) {
		ad := decode(t, "doc_ad-reporting-client-side-ad-tracking-schema-player-controls_6.repaired.json")
		require.Len(t, ad.Extensions, 1)
		v4 := parse(t, "Interactive ads (SIMID)", 0).Creatives[0].Linear
		require.Len(t, v4.InteractiveCreativeFiles, 1)
		f := v4.InteractiveCreativeFiles[0]
		assert.Equal(t, [2]string{"SIMID", "text/html"}, [2]string{f.APIFramework, f.Type})
		assert.Contains(t, ad.Extensions[0].Content, f.URL, "MediaTailor passes the file on in extensions")
		v3 := parse(t, "Interactive ads (SIMID)", 1)
		require.Len(t, v3.Extensions, 1)
		assert.Equal(t, ad.Extensions[0].Type, v3.Extensions[0].Type)
		assert.Contains(t, v3.Extensions[0].Inner, f.URL)
	})
	t.Run("VPAID", func(t *testing.T) {
		l := parse(t, "Interactive ads (VPAID)", 0).Creatives[0].Linear
		require.Len(t, l.MediaFiles, 1)
		mf := l.MediaFiles[0]
		assert.Equal(t, [2]string{"VPAID", "application/javascript"}, [2]string{mf.APIFramework, mf.Type})
		assert.Equal(t, "https://googleads.github.io/googleads-ima-html5/vpaid/linear/VpaidVideoAd.js", mf.URL)
		assert.Contains(t, l.AdParameters, `"mimetype":"video/mp4"`, "the IMA sample creative needs these AdParameters")
		assert.Equal(t, "00:00:00", l.Duration, "the page's VAST declares no duration: the slate covers the avail")
		// The page's JSON (_7_b) shows a different ad (Innovid, 16.016 s,
		// adParameters ""): the page pairs this VAST with an unrelated
		// response, so only the shape is compared.
		ad := decode(t, "doc_ad-reporting-client-side-ad-tracking-schema-player-controls_7_b.repaired.json")
		assert.Equal(t, mf.APIFramework, ad.MediaFiles.MediaFilesList[0].APIFramework)
		assert.Equal(t, mf.Type, ad.MediaFiles.MediaFilesList[0].MediaType)
		assert.Empty(t, ad.AdParameters)
	})
	t.Run("Google WTA icons", func(t *testing.T) {
		in := parse(t, "Icons", 0)
		require.Len(t, in.Extensions, 1)
		ad := decode(t, "doc_ad-reporting-client-side-ad-tracking-schema-player-controls_8.repaired.json")
		assert.Equal(t, ad.Extensions[0].Type, in.Extensions[0].Type)
		for _, program := range []string{"GoogleWhyThisAd", "AdChoices"} {
			assert.Contains(t, in.Extensions[0].Inner, `program="`+program+`"`)
			assert.Contains(t, ad.Extensions[0].Content, `program="`+program+`"`)
		}
	})
}
