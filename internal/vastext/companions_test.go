package vastext

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/availkit/availkit/internal/corpustest"
	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func view(urls ...string) []tracking.TrackingEvent {
	return []tracking.TrackingEvent{{EventType: "creativeView", BeaconURLs: urls}}
}

// TestCompanions reads what VPAID units return from getAdCompanions.
func TestCompanions(t *testing.T) {
	tests := []struct {
		name string
		xml  string
		want []tracking.CompanionAd
	}{
		{
			name: "VAST 4 static companion with tracking, CDATA and entities",
			xml: `<CompanionAds required="all"><Companion id="c1" width="300" height="250" adSlotID="side" renderingMode="end-card">` +
				`<StaticResource creativeType="image/png"> <![CDATA[ https://ads.test/c.png ]]> </StaticResource>` +
				`<CompanionClickThrough>https://lp.test/?a=1&amp;b=2</CompanionClickThrough>` +
				`<CompanionClickTracking><![CDATA[https://b.test/click1]]></CompanionClickTracking>` +
				`<CompanionClickTracking>https://b.test/click2</CompanionClickTracking>` +
				`<TrackingEvents><Tracking event="creativeView">https://b.test/v1</Tracking>` +
				`<Tracking event="creativeView"><![CDATA[https://b.test/v2]]></Tracking>` +
				`<Tracking event="unknownEvent">https://b.test/other</Tracking></TrackingEvents>` +
				`<AltText> Buy now </AltText></Companion></CompanionAds>`,
			want: []tracking.CompanionAd{{
				Attributes:     tracking.CompanionAttributes{ID: "c1", Width: "300", Height: "250", AdSlotID: "side", RenderingMode: "end-card", Required: "all"},
				StaticResource: "https://ads.test/c.png", CompanionClickThrough: "https://lp.test/?a=1&b=2",
				CompanionClickTracking: "https://b.test/click1", AltText: "Buy now",
				TrackingEvents: view("https://b.test/v1", "https://b.test/v2"),
			}},
		},
		{
			name: "VAST 2/3 spelling (adSlotId), namespaced, iframe and html, no resource dropped",
			xml: `<?xml version="1.0"?><v:CompanionAds xmlns:v="http://www.iab.com/VAST">` +
				`<v:Companion width="728" height="90" adSlotId="banner"><v:IFrameResource>https://ads.test/f.html</v:IFrameResource></v:Companion>` +
				`<v:Companion width="300" height="60"><v:HTMLResource><![CDATA[<b>hi</b> ]]></v:HTMLResource>` +
				`<v:AdParameters>{"a":1}</v:AdParameters></v:Companion>` +
				`<v:Companion width="1" height="1"><v:CompanionClickThrough>https://lp.test</v:CompanionClickThrough></v:Companion>` +
				`</v:CompanionAds>`,
			want: []tracking.CompanionAd{
				{Attributes: tracking.CompanionAttributes{Width: "728", Height: "90", AdSlotID: "banner"}, IFrameResource: "https://ads.test/f.html"},
				{Attributes: tracking.CompanionAttributes{Width: "300", Height: "60"}, HTMLResource: "<b>hi</b> ", AdParameters: `{"a":1}`},
			},
		},
		{
			// XML white space is space, tab, CR and LF; a no-break space is
			// content (strings.TrimSpace would drop it).
			name: "XML white space trimmed, no-break space kept",
			xml: "<CompanionAds><Companion width=\"\t300\r\n\" height=\" 250\">" +
				"<StaticResource>\n\t https://ads.test/c.png \r\n</StaticResource><AltText>\u00a0Buy\u00a0</AltText></Companion></CompanionAds>",
			want: []tracking.CompanionAd{{
				Attributes:     tracking.CompanionAttributes{Width: "300", Height: "250"},
				StaticResource: "https://ads.test/c.png", AltText: "\u00a0Buy\u00a0",
			}},
		},
		{
			name: "a companion outside CompanionAds is ignored",
			xml:  `<Companion width="300" height="250"><StaticResource>https://ads.test/c.png</StaticResource></Companion><CompanionAds></CompanionAds>`,
			want: nil,
		},
		{name: "empty string", xml: "", want: nil},
		{name: "not XML", xml: "no companions here", want: nil},
		{name: "an unclosed companion is not taken", xml: `<CompanionAds><Companion width="300" height="250"><StaticResource>https://ads.test/c.png</StaticResource>`, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Companions(tt.xml))
		})
	}
}

// TestCompanionsBounded: a unit returning thousands of companions gets
// maxCompanions.
func TestCompanionsBounded(t *testing.T) {
	one := `<Companion width="300" height="250"><StaticResource>https://ads.test/c.png</StaticResource></Companion>`
	xml := "<CompanionAds>"
	for range 1000 {
		xml += one
	}
	assert.Len(t, Companions(xml+"</CompanionAds>"), maxCompanions)
}

// TestCompanionsIABSample reads the companion of the IAB's VAST 4.2
// Inline_Companion_Tag sample (a whole document: a unit may return more
// than the CompanionAds element).
func TestCompanionsIABSample(t *testing.T) {
	dir := corpustest.Dir(t, "vast/iab_vast_samples/VAST_4.2_Samples")
	data, err := os.ReadFile(filepath.Join(dir, "Inline_Companion_Tag-test.xml"))
	require.NoError(t, err)
	got := Companions(string(data))
	require.Len(t, got, 1)
	assert.Equal(t, tracking.CompanionAttributes{ID: "1232", Width: "100", Height: "150", AssetWidth: "250", AssetHeight: "200",
		ExpandedWidth: "350", ExpandedHeight: "250", AdSlotID: "3214", PxRatio: "1400"}, got[0].Attributes)
	assert.Equal(t, "https://www.iab.com/wp-content/uploads/2014/09/iab-tech-lab-6-644x290.png", got[0].StaticResource)
	assert.Equal(t, "https://iabtechlab.com", got[0].CompanionClickThrough)
}
