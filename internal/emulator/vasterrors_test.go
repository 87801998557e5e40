package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/emulator/vast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestADSErrorsFireErrorURLs fails ad requests in each way a wrapper chain
// can fail. The emulator files the avail's skip under a reason named by the
// VAST error code and, as the service does (players never see a wrapper),
// calls the Error URLs of the wrappers on the failed branch with
// [ERRORCODE] set to that code.
func TestADSErrorsFireErrorURLs(t *testing.T) {
	var mu sync.Mutex
	var hits []string // /err?… requests to the foreign ad server
	ads := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wrapper := func(tag string) string {
			return `<VAST version="4.2"><Ad id="w"><Wrapper><AdSystem>x</AdSystem>` +
				`<Error><![CDATA[http://` + r.Host + `/err?code=[ERRORCODE]&cb=[CACHEBUSTING]]]></Error>` +
				`<VASTAdTagURI><![CDATA[` + tag + `]]></VASTAdTagURI></Wrapper></Ad></VAST>`
		}
		switch r.URL.Path {
		case "/err":
			mu.Lock()
			hits = append(hits, r.URL.RawQuery)
			mu.Unlock()
		case "/to-404":
			_, _ = w.Write([]byte(wrapper("/missing")))
		case "/to-empty":
			_, _ = w.Write([]byte(wrapper("/empty")))
		case "/empty":
			_, _ = w.Write([]byte(`<VAST version="4.2"/>`))
		case "/to-garbage":
			_, _ = w.Write([]byte(wrapper("/garbage")))
		case "/garbage":
			_, _ = w.Write([]byte(`<VAST version="4.2"><Ad>`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer ads.Close()

	tests := []struct {
		name, template string
		reason         string
		code           int
		// fired is how many Error URLs are called; foreign says where.
		fired   int
		foreign bool
	}{
		{"wrapper tag 404", ads.URL + "/to-404", "ADS_ERROR", vast.CodeWrapperURI, 1, true},
		{"wrapper to no ads", ads.URL + "/to-empty", "VAST_NO_ADS", vast.CodeNoAds, 1, true},
		{"wrapper to bad XML", ads.URL + "/to-garbage", "VAST_PARSING_ERROR", vast.CodeXML, 1, true},
		// Six built-in wrappers: every one's Error URL, to the collector.
		{"wrapper limit", "/vast/wrapper-6?session=[session.uuid]&avail=[avail.index]", "WRAPPER_LIMIT_EXCEEDED", vast.CodeWrapperLimit, 6, false},
		// Not XML at the top: no wrapper, no Error URL to call.
		{"malformed", "/vast/malformed", "VAST_PARSING_ERROR", vast.CodeXML, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mu.Lock()
			hits = nil
			mu.Unlock()
			h := newHarness(t, func(c *Config) {
				c.PlaybackConfigurations[0].AdDecisionServerURL = tc.template
				c.PlaybackConfigurations[0].VODCuePointsSecs = []float64{10}
			})
			tr, id := h.vodReport(nil)
			require.Len(t, tr.Avails, 1)
			assert.Empty(t, tr.Avails[0].Ads)
			_, b := h.do("GET", "/debug/sessions/"+id, "")
			var info sessionInfo
			require.NoError(t, json.Unmarshal([]byte(b), &info))
			require.Len(t, info.Skips, 1)
			assert.True(t, strings.HasPrefix(info.Skips[0].Reason, tc.reason), info.Skips[0].Reason)
			assert.Equal(t, tc.code, info.Skips[0].VASTError)

			fired := func() []string {
				if tc.foreign {
					mu.Lock()
					defer mu.Unlock()
					return slices.Clone(hits)
				}
				_, b := h.do("GET", "/debug/sessions/"+id+"/beacons", "")
				var bs []Beacon
				require.NoError(t, json.Unmarshal([]byte(b), &bs))
				var out []string
				for _, x := range bs {
					if x.EventType == "error" {
						out = append(out, x.RawQuery)
					}
				}
				return out
			}
			if tc.fired == 0 {
				assert.Empty(t, fired())
				return
			}
			require.Eventually(t, func() bool { return len(fired()) >= tc.fired }, 5*time.Second, 10*time.Millisecond)
			got := fired()
			assert.Len(t, got, tc.fired)
			for _, q := range got {
				assert.Contains(t, q, "code="+itoa(tc.code))
				assert.NotContains(t, q, "[CACHEBUSTING]", "macros the service knows are expanded")
			}
		})
	}
}
