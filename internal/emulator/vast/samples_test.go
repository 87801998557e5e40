package vast

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/corpustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parseSample(t *testing.T, dir, rel string) *VAST {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, rel))
	require.NoError(t, err)
	v, err := Parse(data)
	require.NoError(t, err)
	return v
}

// TestIABSampleSemantics checks by hand what the emulator takes from key
// IAB samples: values, not only counts.
func TestIABSampleSemantics(t *testing.T) {
	dir := corpustest.Dir(t, "vast/iab_vast_samples")
	t.Run("4.2 linear in the default namespace", func(t *testing.T) {
		v := parseSample(t, dir, "VAST_4.2_Samples/Inline_Linear_Tag-test.xml")
		assert.Equal(t, "4.2", v.Version)
		a := v.Ads[0]
		assert.Equal(t, [2]string{"20001", "1"}, [2]string{a.ID, a.Sequence})
		assert.Equal(t, "iabtechlab", a.InLine.AdSystem)
		assert.Equal(t, "iabtechlab video ad", a.InLine.AdTitle)
		assert.Equal(t, []string{"https://example.com/track/impression"}, a.InLine.Impressions)
		assert.Equal(t, []string{"https://example.com/error"}, a.InLine.Errors)
		l := a.InLine.Creatives[0].Linear
		assert.Equal(t, "00:00:16", l.Duration)
		require.Len(t, l.MediaFiles, 3)
		assert.Equal(t, MediaFile{ID: "5241", Delivery: "progressive", Type: "video/mp4", Width: 1280, Height: 720, Bitrate: 2000,
			MinBitrate: 1500, MaxBitrate: 2500, Scalable: true, MaintainAspectRatio: true, Codec: "H.264",
			URL: "https://iab-publicfiles.s3.amazonaws.com/vast/VAST-4.0-Short-Intro.mp4"}, l.MediaFiles[0])
		assert.Equal(t, Tracking{Event: "progress", Offset: "00:00:10", URL: "http://example.com/tracking/progress-10"}, l.TrackingEvents[1])
		assert.Equal(t, "https://iabtechlab.com", l.VideoClicks.ClickThrough, "CDATA and its surrounding whitespace trimmed")
		require.Len(t, a.InLine.Extensions, 1)
		assert.Equal(t, "iab-Count", a.InLine.Extensions[0].Type)
	})
	t.Run("VAST 2 labels an mp4 VPAID", func(t *testing.T) {
		v := parseSample(t, dir, "VAST_1-2.0_Samples/Inline_LinearVAST2vpaid.xml")
		mf := v.Ads[0].InLine.Creatives[0].Linear.MediaFiles[0]
		assert.Equal(t, [2]string{"VPAID", "video/mp4"}, [2]string{mf.APIFramework, mf.Type})
	})
	t.Run("4.1 interactive creative file", func(t *testing.T) {
		v := parseSample(t, dir, "VAST_4.1_Samples/SSAI_stitching__VPAID_separation-test.xml")
		l := v.Ads[0].InLine.Creatives[0].Linear
		require.Len(t, l.InteractiveCreativeFiles, 1)
		assert.True(t, strings.HasPrefix(l.InteractiveCreativeFiles[0].URL, "https://pilot.iabtechlab.com/beacon?type=complete"))
	})
	t.Run("4.2 icon with click fallback", func(t *testing.T) {
		v := parseSample(t, dir, "VAST_4.2_Samples/IconClickFallbacks.xml")
		icons := v.Ads[0].InLine.Creatives[0].Linear.Icons
		require.Len(t, icons, 1)
		assert.Equal(t, "https://example.org/images/ad_icon_img.png", icons[0].StaticResource.URL, "spaces inside CDATA trimmed")
	})
	t.Run("4.1 verification", func(t *testing.T) {
		v := parseSample(t, dir, "VAST_4.1_Samples/Ad_Verification-test.xml")
		ver := v.Ads[0].InLine.AdVerifications
		require.Len(t, ver, 2)
		require.NotEmpty(t, ver[0].JavaScriptResource)
		assert.Equal(t, "https://verificationcompany1.com/verification_script1.js", ver[0].JavaScriptResource[0].URL)
		assert.Equal(t, "https://verificationcompany.com/untrusted.js", ver[1].JavaScriptResource[0].URL)
	})
	t.Run("3.0 wrapper", func(t *testing.T) {
		v := parseSample(t, dir, "VAST_3.0_Samples/Wrapper_Tag-test.xml")
		w := v.Ads[0].Wrapper
		require.NotNil(t, w)
		assert.True(t, strings.HasPrefix(w.VASTAdTagURI, "https://raw.githubusercontent.com/InteractiveAdvertisingBureau/VAST_Samples/"))
		assert.Equal(t, []string{"http://example.com/error"}, w.Errors)
	})
}

// serveDir serves a corpus folder over loopback, counting requests.
func serveDir(t *testing.T, dir string) (*httptest.Server, *int) {
	n := new(int)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*n++
		http.ServeFile(w, r, filepath.Join(dir, filepath.Base(r.URL.Path)))
	}))
	t.Cleanup(srv.Close)
	return srv, n
}

// httpGetter is a Getter over a real HTTP client, as the emulator's.
func httpGetter(c *http.Client) Getter {
	return func(ctx context.Context, u string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		return io.ReadAll(resp.Body)
	}
}

// TestDailymotionSamples resolves dailymotion's vast-client samples over
// loopback, relative VASTAdTagURIs included, and checks the ads found or
// the VAST error and the wrapper Error URLs to call.
func TestDailymotionSamples(t *testing.T) {
	dir := corpustest.Dir(t, "vast/dailymotion_vast_client_samples")
	srv, _ := serveDir(t, dir)
	get := httpGetter(srv.Client())
	tests := []struct {
		file string
		// ads are "id@depth" of the inline ads in pod order.
		ads  []string
		code int
		// errorURLs are the wrapper Error URLs with [ERRORCODE] expanded.
		errorURLs []string
	}{
		{file: "inline-linear.xml", ads: []string{"20001@0"}},
		{file: "sample.xml", ads: []string{"ad_id_0001@0", "ad_id_0002@0"}},
		{file: "vpaid.xml", ads: []string{"VPAID@0"}},
		{file: "wrapper-b.xml", ads: []string{"ad_id_0001@1", "ad_id_0002@1"}},
		// wrapper-a → wrapper-b → sample.xml, and wrapper-a → vpaid.xml.
		{file: "wrapper-a.xml", ads: []string{"ad_id_0001@2", "ad_id_0002@2", "VPAID@1"}},
		// VAST 1 style <VASTAdTagURL><URL> in a VAST 2 wrapper.
		{file: "wrapper-legacy.xml", ads: []string{"20001@1"}},
		// Sequenced ads first; the last wrapper's target, vpaid2.xml, has
		// no <Impression> (VAST error 101), so that branch is dropped.
		{file: "wrapper-multiple-ads.xml", ads: []string{"VPAID@1", "20001@1", "ad_id_0001@1", "ad_id_0002@1"}},
		{file: "vpaid2.xml", code: CodeSchema},
		// No ad, or an inline ad without creatives: nothing to play, no error.
		{file: "empty-no-ad.xml"},
		{file: "empty-no-creative.xml"},
		{file: "wrapper-empty.xml", code: CodeNoAds, errorURLs: []string{"http://example.com/wrapper-empty_wrapper-error"}},
		{file: "wrapper-empty-no-creative.xml", code: CodeNoAds, errorURLs: []string{"http://example.com/wrapper-no-creative_wrapper-error"}},
		{file: "wrapper-unavailable-url.xml", code: CodeWrapperURI, errorURLs: []string{"http://example.com/wrapper-invalid-xmlfile_wrapper-error"}},
		{file: "invalid-xmlfile.xml", code: CodeXML},
		{file: "outdated-vast.xml", code: CodeVersion},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := Unwrap(context.Background(), get, srv.URL+"/"+tt.file)
			if tt.code != 0 {
				require.Error(t, err)
				assert.Equal(t, tt.code, Code(err), "%v", err)
				assert.Equal(t, tt.errorURLs, nilIfEmpty(ErrorURLs(err)))
				return
			}
			require.NoError(t, err)
			var ids []string
			for _, r := range res {
				ids = append(ids, r.Ad.ID+"@"+strconv.Itoa(r.Depth))
			}
			assert.Equal(t, tt.ads, ids)
		})
	}
	t.Run("wrapper tracking is carried to the inline ad", func(t *testing.T) {
		res, err := Unwrap(context.Background(), get, srv.URL+"/wrapper-a.xml")
		require.NoError(t, err)
		r := res[0]
		assert.Equal(t, []string{"http://example.com/wrapperA-impression", "http://example.com/wrapperB-impression1", "http://example.com/wrapperB-impression2"}, r.WrapperImpressions)
		assert.Equal(t, []string{"http://example.com/wrapperA-error", "http://example.com/wrapperB-error"}, r.WrapperErrors)
		l := r.Ad.InLine.Creatives[0].Linear
		assert.Equal(t, "00:01:30.123", l.Duration)
		assert.Equal(t, "http://example.com/linear-clickthrough_adplayhead:[ADPLAYHEAD]", l.VideoClicks.ClickThrough, "macros left for the player")
		assert.Equal(t, []string{"http://example.com/linear-clicktracking1_ts:[TIMESTAMP]_adplayhead:[ADPLAYHEAD]", "http://example.com/linear-clicktracking2"}, l.VideoClicks.ClickTracking)
		assert.Equal(t, Tracking{Event: "progress", Offset: "60%", URL: "http://example.com/linear-progress-60%"}, l.TrackingEvents[7])
		assert.Equal(t, "http://example.com/linear-mezzanine.mp4", l.Mezzanine)
		assert.Equal(t, "00:00:10", res[1].Ad.InLine.Creatives[0].Linear.SkipOffset)
	})
	t.Run("error URL of an inline error expands ERRORCODE", func(t *testing.T) {
		v := parseSample(t, dir, "sample.xml")
		err := &Error{Code: 405, ErrorURLs: v.Ads[0].InLine.Errors}
		assert.Equal(t, []string{"http://example.com/error_405"}, ErrorURLs(err))
	})
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// TestWrapperDepth follows generated wrapper chains over loopback: five
// levels resolve to the corpus's inline ad, a sixth fails with 302 and the
// Error URL of every wrapper on the chain.
func TestWrapperDepth(t *testing.T) {
	dir := corpustest.Dir(t, "vast/dailymotion_vast_client_samples")
	inline, err := os.ReadFile(filepath.Join(dir, "inline-linear.xml"))
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// /chain/N serves a wrapper pointing at chain/N-1 (relative);
		// /chain/0 is the inline ad.
		n, _ := strconv.Atoi(filepath.Base(r.URL.Path))
		if n == 0 {
			w.Write(inline)
			return
		}
		fmt.Fprintf(w, `<VAST version="4.2" xmlns="http://www.iab.com/VAST"><Ad id="w%d"><Wrapper><AdSystem>t</AdSystem>
<VASTAdTagURI><![CDATA[ %d ]]></VASTAdTagURI><Error><![CDATA[http://err.example/w%d?c=[ERRORCODE]]]></Error>
<Impression>http://imp.example/w%d</Impression></Wrapper></Ad></VAST>`, n, n-1, n, n)
	}))
	defer srv.Close()
	get := httpGetter(srv.Client())
	res, err := Unwrap(context.Background(), get, srv.URL+"/chain/5")
	require.NoError(t, err)
	require.Len(t, res, 1)
	assert.Equal(t, 5, res[0].Depth)
	assert.Len(t, res[0].WrapperImpressions, 5)

	_, err = Unwrap(context.Background(), get, srv.URL+"/chain/6")
	require.Error(t, err)
	assert.Equal(t, CodeWrapperLimit, Code(err))
	var want []string
	for n := 6; n >= 1; n-- {
		want = append(want, fmt.Sprintf("http://err.example/w%d?c=302", n))
	}
	assert.Equal(t, want, ErrorURLs(err))
}
