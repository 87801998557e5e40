package vastext

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

func ext(typ, content string) tracking.Extension {
	return tracking.Extension{Type: typ, Content: content}
}

func TestIcons(t *testing.T) {
	const wta = `<Icons><Icon program="GoogleWhyThisAd" width="20" height="18" xPosition="left" yPosition="top" offset="00:00:02.500">` +
		`<StaticResource creativeType="image/png"><![CDATA[ https://ads.test/wta.png ]]></StaticResource>` +
		`<IconClicks><IconClickThrough>https://ads.test/why?a=1&amp;b=2</IconClickThrough>` +
		`<IconClickTracking id="1"><![CDATA[https://b.test/c1]]></IconClickTracking><IconClickTracking><![CDATA[https://b.test/c2]]></IconClickTracking></IconClicks>` +
		`<IconViewTracking>https://b.test/v</IconViewTracking></Icon></Icons>`
	const fallback = `<IconClickFallbackImages program="googlewhythisad"><IconClickFallbackImage width="400" height="150">` +
		`<AltText>Alt &#38; text</AltText><StaticResource creativeType="image/png"><![CDATA[https://ads.test/dialog.png]]></StaticResource>` +
		`</IconClickFallbackImage></IconClickFallbackImages>`
	tests := []struct {
		name string
		exts []tracking.Extension
		want []Icon
	}{
		{"none", nil, nil},
		{"unrelated extension", []tracking.Extension{ext("availkit", "<Scenario>x</Scenario>")}, nil},
		{
			"icon with fallback from a separate extension, matched by program ignoring case",
			[]tracking.Extension{ext(TypeIcons, wta), ext(TypeFallbackImages, fallback)},
			[]Icon{{Program: "GoogleWhyThisAd", Width: 20, Height: 18, XPosition: "left", YPosition: "top",
				Offset: 2500 * time.Millisecond, StaticResource: "https://ads.test/wta.png", CreativeType: "image/png",
				ClickThrough: "https://ads.test/why?a=1&b=2", ClickTracking: []string{"https://b.test/c1", "https://b.test/c2"},
				ViewTracking:   []string{"https://b.test/v"},
				FallbackImages: []FallbackImage{{Width: 400, Height: 150, AltText: "Alt & text", StaticResource: "https://ads.test/dialog.png", CreativeType: "image/png"}}}},
		},
		{
			"namespaced, percentage duration, pixel positions, bad sizes",
			[]tracking.Extension{ext("x", `<v:Icon xmlns:v="http://www.iab.com/VAST" program="AdChoices" width="-3" height="abc" xPosition="12px" yPosition="middle" duration="50%"><v:IFrameResource>https://ads.test/i.html</v:IFrameResource></v:Icon>`)},
			[]Icon{{Program: "AdChoices", XPosition: "12", YPosition: "top", Duration: 5 * time.Second, IFrameResource: "https://ads.test/i.html"}},
		},
		{
			"self-closing and HTML resource with entities",
			[]tracking.Extension{ext("x", `<Icon program="p"/><Icon program="q"><HTMLResource><![CDATA[<b>i</b>]]></HTMLResource></Icon>`)},
			[]Icon{{Program: "p", XPosition: "right", YPosition: "top"}, {Program: "q", XPosition: "right", YPosition: "top", HTMLResource: "<b>i</b>"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Icons(tc.exts, 10*time.Second))
		})
	}
}

func TestIconsBadMarkup(t *testing.T) {
	for _, s := range []string{
		"<Icon", "<Icon program=\"a", "<Icon><StaticResource><![CDATA[x", "</Icon></Icon><Icon>", "<<<>>>&&&;",
		"<Icon program='a' width=10 height=\"2\"><StaticResource>&#xZZ;&#1114112;&bogus;</StaticResource></Icon>",
		"<!-- <Icon> --><?xml version='1.0'?><!DOCTYPE x><Icon program='real'/>",
	} {
		t.Run(s, func(t *testing.T) {
			assert.NotPanics(t, func() { Icons([]tracking.Extension{ext("x", s)}, 0) })
		})
	}
	got := Icons([]tracking.Extension{ext("x", "<!-- <Icon program='hidden'/> --><Icon program='real'/>")}, 0)
	require.Len(t, got, 1, "an icon inside a comment is not an icon")
	assert.Equal(t, "real", got[0].Program)
	got = Icons([]tracking.Extension{ext("x", "<Icon program='a' width=10><StaticResource>&#xZZ;&bogus;</StaticResource></Icon>")}, 0)
	require.Len(t, got, 1)
	assert.Equal(t, 10, got[0].Width, "unquoted attribute values are read")
	assert.Equal(t, "&#xZZ;&bogus;", got[0].StaticResource, "unknown entities are kept as written")
}

func TestIconsLimits(t *testing.T) {
	many := strings.Repeat(`<Icon program="p"><IconViewTracking>https://b.test/v</IconViewTracking></Icon>`, 50)
	got := Icons([]tracking.Extension{ext("x", many)}, 0)
	assert.Len(t, got, maxIcons)
	urls := strings.Repeat(`<IconClickTracking>https://b.test/c</IconClickTracking>`, 100)
	got = Icons([]tracking.Extension{ext("x", `<Icon><IconClicks>`+urls+`</IconClicks></Icon>`)}, 0)
	require.Len(t, got, 1)
	assert.Len(t, got[0].ClickTracking, maxURLs)
}

// TestFallbacksCorpus decodes the AWS player-controls "Why this ad" example
// (MediaTailor's extensions[] as published, mechanically repaired).
func TestFallbacksCorpus(t *testing.T) {
	dir := corpustest.Dir(t, "mediatailor/json")
	body, err := os.ReadFile(filepath.Join(dir, "doc_ad-reporting-client-side-ad-tracking-schema-player-controls_8.repaired.json"))
	require.NoError(t, err)
	r, err := tracking.Decode(body)
	require.NoError(t, err)
	ad := r.Avails[0].Ads[0]
	groups := Fallbacks(ad.Extensions)
	require.Len(t, groups, 2)
	assert.Equal(t, FallbackGroup{Program: "GoogleWhyThisAd", Images: []FallbackImage{{Width: 400, Height: 150, AltText: "Alt icon fallback",
		StaticResource: "https://storage.googleapis.com/interactive-media-ads/images/wta_dialog.png", CreativeType: "image/png"}}}, groups[0])
	assert.Equal(t, "AdChoices", groups[1].Program)
	require.Len(t, groups[1].Images, 2)
	assert.Equal(t, 800, groups[1].Images[1].Width)
	assert.Equal(t, "https://storage.googleapis.com/interactive-media-ads/images/wta_dialog.png?size=2x", groups[1].Images[1].StaticResource)
	assert.Empty(t, Icons(ad.Extensions, ad.Duration), "the example has fallback images but no <Icon> to draw")

	// With the icon the VAST's Linear carries, the fallback attaches.
	withIcon := append(ad.Extensions, ext(TypeIcons, `<Icons><Icon program="GoogleWhyThisAd" width="20" height="20"><StaticResource creativeType="image/png">https://ads.test/wta.png</StaticResource></Icon></Icons>`))
	icons := Icons(withIcon, ad.Duration)
	require.Len(t, icons, 1)
	assert.Equal(t, groups[0].Images, icons[0].FallbackImages)
}

// TestIconsVASTCorpus reads the <Icons> of real VAST samples as the
// emulator passes them (an "Icons" extension holding the element).
func TestIconsVASTCorpus(t *testing.T) {
	dir := corpustest.Dir(t, "vast")
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(dir, p))
		require.NoError(t, err)
		s := string(b)
		i, j := strings.Index(s, "<Icons>"), strings.Index(s, "</Icons>")
		require.True(t, i >= 0 && j > i, p)
		return s[i : j+len("</Icons>")]
	}
	t.Run("IAB 4.2 IconClickFallbacks", func(t *testing.T) {
		icons := Icons([]tracking.Extension{ext(TypeIcons, read("iab_vast_samples/VAST_4.2_Samples/IconClickFallbacks.xml"))}, 16*time.Second)
		require.Len(t, icons, 1)
		assert.Equal(t, "https://example.org/images/ad_icon_img.png", icons[0].StaticResource)
		assert.Equal(t, []FallbackImage{{AltText: "The live click interaction", StaticResource: "https://example.org/images/ad_icon_clicked.png"}}, icons[0].FallbackImages)
	})
	t.Run("dailymotion sample", func(t *testing.T) {
		icons := Icons([]tracking.Extension{ext(TypeIcons, read("dailymotion_vast_client_samples/sample.xml"))}, 0)
		require.Len(t, icons, 1)
		ic := icons[0]
		assert.Equal(t, Icon{Program: "ad1", APIFramework: "VPAID", Width: 60, Height: 20, XPosition: "left", YPosition: "bottom",
			Offset: 15 * time.Second, Duration: 90 * time.Second, PxRatio: "2",
			StaticResource: "http://example.com/linear-icon.gif", CreativeType: "image/gif",
			ClickThrough:  "http://example.com/linear-clickthrough",
			ClickTracking: []string{"http://example.com/linear-clicktracking1", "http://example.com/linear-clicktracking2"},
			ViewTracking:  []string{"http://example.com/linear-viewtracking"}}, ic)
	})
}
