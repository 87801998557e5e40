package vastext_test

import (
	"testing"
	"time"

	"github.com/availkit/availkit/internal/tracking"
	"github.com/availkit/availkit/internal/vastext"
)

// FuzzIcons feeds any extension text (as an ad server may send it) to
// Icons and Fallbacks and checks what the player would draw or fire stays
// bounded: a few icons, a few URLs and images each, no negative time or
// size, and no panic.
func FuzzIcons(f *testing.F) {
	f.Add(`<Icons><Icon program="GoogleWhyThisAd" width="20" height="18" xPosition="left" yPosition="top" offset="00:00:02.500" duration="25%">`+
		`<StaticResource creativeType="image/png"><![CDATA[ https://ads.test/wta.png ]]></StaticResource>`+
		`<IconClicks><IconClickThrough>https://ads.test/why?a=1&amp;b=2</IconClickThrough>`+
		`<IconClickTracking><![CDATA[https://b.test/c1]]></IconClickTracking></IconClicks>`+
		`<IconViewTracking>https://b.test/v</IconViewTracking></Icon></Icons>`, int64(30e9))
	f.Add(`<IconClickFallbackImages program="x"><IconClickFallbackImage width="-400" height="99999999999999999999">`+
		`<AltText>Alt &#38; text &#99999999;</AltText><StaticResource><![CDATA[https://ads.test/d.png]]></StaticResource>`+
		`</IconClickFallbackImage></IconClickFallbackImages>`, int64(-1))
	f.Add(`<Icon offset="2562048:00:00" duration="-PT5S" width="1e300"><HTMLResource><![CDATA[<b>x</b>]]></HTMLResource></Icon><Icon offset="150%">`, int64(1<<62))
	f.Fuzz(func(t *testing.T, content string, adNanos int64) {
		exts := []tracking.Extension{{Type: vastext.TypeIcons, Content: content}, {Type: vastext.TypeFallbackImages, Content: content}}
		icons := vastext.Icons(exts, time.Duration(adNanos))
		if len(icons) > 8 {
			t.Fatalf("%d icons", len(icons))
		}
		for _, ic := range icons {
			if ic.Offset < 0 || ic.Duration < 0 || ic.Width < 0 || ic.Height < 0 {
				t.Fatalf("negative offset/duration/size: %+v", ic)
			}
			if len(ic.ClickTracking) > 16 || len(ic.ViewTracking) > 16 || len(ic.FallbackImages) > 8 {
				t.Fatalf("unbounded lists: %d clicks, %d views, %d images", len(ic.ClickTracking), len(ic.ViewTracking), len(ic.FallbackImages))
			}
			checkImages(t, ic.FallbackImages)
		}
		for _, g := range vastext.Fallbacks(exts) {
			if len(g.Images) > 8 {
				t.Fatalf("%d fallback images", len(g.Images))
			}
			checkImages(t, g.Images)
		}
	})
}

func checkImages(t *testing.T, imgs []vastext.FallbackImage) {
	for _, im := range imgs {
		if im.Width < 0 || im.Height < 0 {
			t.Fatalf("negative image size: %+v", im)
		}
	}
}

// FuzzFindSIMID: the extension list form of ParseSIMID (every extension
// searched) agrees with it on a single extension.
func FuzzFindSIMID(f *testing.F) {
	f.Add(`<InteractiveCreativeFile apiFramework="SIMID" variableDuration="true"><![CDATA[https://a.example/c.html]]></InteractiveCreativeFile>`)
	f.Fuzz(func(t *testing.T, content string) {
		a, okA := vastext.FindSIMID([]tracking.Extension{{Type: "x", Content: content}})
		b, okB := vastext.ParseSIMID(content)
		if okA != okB || a != b {
			t.Fatalf("FindSIMID %+v %v, ParseSIMID %+v %v", a, okA, b, okB)
		}
	})
}
