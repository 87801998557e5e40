package vast

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var media = []Media{
	{ID: "ad-b", Title: "B", Duration: 6 * time.Second, Width: 640, Height: 360, Bitrate: 50},
	{ID: "ad-d", Title: "D", Duration: 8 * time.Second, Width: 640, Height: 360, Bitrate: 50},
	{ID: "ad-a", Title: "A", Duration: 10 * time.Second, Width: 640, Height: 360, Bitrate: 50},
}

// TestEveryScenarioParses generates every documented scenario and checks
// the document round-trips through the parser with beacons on the collector.
func TestEveryScenarioParses(t *testing.T) {
	names := make([]string, 0, len(Scenarios))
	for n := range Scenarios {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			doc, err := Generate(Request{Scenario: name, Base: "http://emu", Session: "s1", AvailIndex: 2, Creatives: media})
			require.NoError(t, err)
			v, err := Parse(doc)
			if name == "malformed" {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			for _, a := range v.Ads {
				var urls []string
				if a.InLine != nil {
					urls = append(urls, a.InLine.Impressions...)
					for _, c := range a.InLine.Creatives {
						if c.Linear != nil {
							for _, tr := range c.Linear.TrackingEvents {
								urls = append(urls, tr.URL)
							}
						}
					}
				}
				if a.Wrapper != nil {
					urls = append(urls, a.Wrapper.Impressions...)
				}
				require.NotEmpty(t, urls)
				for _, u := range urls {
					assert.True(t, strings.HasPrefix(u, "http://emu/beacon/s1/"), u)
					assert.Contains(t, u, "[CACHEBUSTING]", "macros are left for the player")
				}
			}
		})
	}
}

func TestDefaultPods(t *testing.T) {
	for _, tc := range []struct {
		avail, ads int
		skip       []string
	}{{1, 2, []string{"", "00:00:05"}}, {2, 3, []string{"", "25%", ""}}} {
		t.Run(fmt.Sprint(tc.avail), func(t *testing.T) {
			doc, err := Generate(Request{Scenario: "default", Base: "http://emu", Session: "s", AvailIndex: tc.avail, Creatives: media})
			require.NoError(t, err)
			v, err := Parse(doc)
			require.NoError(t, err)
			require.Len(t, v.Ads, tc.ads)
			for i, a := range v.Ads {
				assert.Equal(t, fmt.Sprint(i+1), a.Sequence)
				assert.Equal(t, tc.skip[i], a.InLine.Creatives[0].Linear.SkipOffset)
			}
		})
	}
}

// TestUnwrap follows a chain of generated wrappers through a Getter that
// serves the generator, as the emulator does over HTTP.
func TestUnwrap(t *testing.T) {
	get := func(_ context.Context, raw string) ([]byte, error) {
		u, err := url.Parse(raw)
		if err != nil {
			return nil, err
		}
		q := u.Query()
		return Generate(Request{Scenario: strings.TrimPrefix(u.Path, "/vast/"), Base: "http://emu", Session: q.Get("session"),
			AvailIndex: 1, Creatives: media, Query: q})
	}
	for _, tc := range []struct {
		scenario string
		ads      int
		depth    int
		err      bool
	}{{"default", 2, 0, false}, {"wrapper-1", 2, 1, false}, {"wrapper-5", 2, 5, false}, {"wrapper-6", 0, 0, true}, {"empty", 0, 0, false}} {
		t.Run(tc.scenario, func(t *testing.T) {
			res, err := Unwrap(context.Background(), get, "http://emu/vast/"+tc.scenario+"?session=s9&avail=1")
			if tc.err {
				var wl *WrapperLimitError
				require.ErrorAs(t, err, &wl)
				assert.Len(t, wl.ErrorURLs, 6, "every wrapper's Error URL is kept")
				return
			}
			require.NoError(t, err)
			require.Len(t, res, tc.ads)
			for _, r := range res {
				assert.Equal(t, tc.depth, r.Depth)
				assert.Len(t, r.WrapperImpressions, tc.depth)
				assert.Len(t, r.WrapperTracking, 5*tc.depth)
			}
		})
	}
}

func TestParseLenient(t *testing.T) {
	v, err := Parse([]byte(`<?xml version="1.0"?><VAST version="3.0"><Ad id="1"><InLine><AdSystem> s </AdSystem>
<Impression>
  <![CDATA[ https://x/imp ]]>
</Impression><Creatives><Creative><CompanionAds><Companion width="1" height="2" adSlotID="v3slot">
<StaticResource creativeType="image/png"><![CDATA[ https://x/i.png ]]></StaticResource></Companion></CompanionAds></Creative>
<Creative><Linear skipoffset="10%"><Duration>00:00:15.500</Duration><Unknown/></Linear></Creative></Creatives></InLine></Ad></VAST>`))
	require.NoError(t, err)
	in := v.Ads[0].InLine
	assert.Equal(t, "https://x/imp", in.Impressions[0])
	assert.Equal(t, "s", in.AdSystem)
	assert.Equal(t, "v3slot", in.Creatives[0].CompanionAds.Companions[0].AdSlotID, "VAST 3 adSlotID is read")
	assert.Equal(t, "https://x/i.png", in.Creatives[0].CompanionAds.Companions[0].StaticResource.URL)
	d, err := ParseClock(in.Creatives[1].Linear.Duration)
	require.NoError(t, err)
	assert.Equal(t, 15500*time.Millisecond, d)
	_, err = ParseClock("00:61:00")
	assert.Error(t, err)
	d, err = ParseClock(" 30 ")
	require.NoError(t, err)
	assert.Equal(t, 30*time.Second, d, "bare seconds, as some ad servers write them")
	for _, bad := range []string{"", "NaN", "-5", "+5", "Inf", "1e3", "5s"} {
		_, err = ParseClock(bad)
		assert.Error(t, err, bad)
	}
	assert.Equal(t, "00:01:05.250", FormatClock(65250*time.Millisecond))
}

func TestParseErrorCodes(t *testing.T) {
	tests := []struct {
		name, doc string
		code      int
	}{
		{"not XML", `{ vast: null }`, CodeXML},
		{"truncated", `<VAST version="4.2"><Ad><InLine>`, CodeXML},
		{"VAST 1", `<VideoAdServingTemplate><Ad/></VideoAdServingTemplate>`, CodeVersion},
		{"VAST 5", `<VAST version="5.0"/>`, CodeVersion},
		{"other root", `<html/>`, CodeSchema},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc))
			require.Error(t, err)
			assert.Equal(t, tt.code, Code(err), "%v", err)
			assert.Contains(t, err.Error(), "vast: ")
		})
	}
	for _, ok := range []string{`<VAST/>`, `<VAST version="2.0"/>`, `<VAST version="4.3" xmlns="http://www.iab.com/VAST"/>`} {
		_, err := Parse([]byte(ok))
		assert.NoError(t, err, ok)
	}
}

func TestResolveURI(t *testing.T) {
	assert.Equal(t, "http://ads.example/v/b.xml", resolveURI("http://ads.example/v/a.xml?x=1", "b.xml"))
	assert.Equal(t, "http://ads.example/c", resolveURI("http://ads.example/v/a.xml", "/c"))
	assert.Equal(t, "https://other.example/d", resolveURI("http://ads.example/v/a.xml", "https://other.example/d"))
}

// TestErrorText pins the prefixes the emulator's skip reasons rely on.
func TestErrorText(t *testing.T) {
	assert.Equal(t, "vast: 100 XML parsing error: EOF", (&Error{Code: CodeXML, Msg: "XML parsing error", Err: io.EOF}).Error())
	assert.Equal(t, "vast wrapper: 301 VASTAdTagURI x unavailable: EOF", (&Error{Code: CodeWrapperURI, Msg: "VASTAdTagURI x unavailable", Err: io.EOF}).Error())
}
