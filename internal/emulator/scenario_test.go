package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vodReport creates a VOD HLS session with adsParams, serves its playlist
// and returns the tracking report.
func (h *harness) vodReport(ads map[string]string) (trackingResponse, string) {
	r, id := h.session("vod/index.m3u8", ads)
	h.mediaPlaylist(id, "0")
	return h.tracking(r.TrackingURL), id
}

func TestScenarios(t *testing.T) {
	h := newHarness(t, nil)
	tests := []struct {
		scenario string
		check    func(t *testing.T, tr trackingResponse, info sessionInfo)
	}{
		{"vpaid", func(t *testing.T, tr trackingResponse, _ sessionInfo) {
			ad := tr.Avails[0].Ads[0]
			require.Len(t, ad.MediaFiles.MediaFilesList, 1)
			mf := ad.MediaFiles.MediaFilesList[0]
			assert.Equal(t, "VPAID", mf.APIFramework)
			assert.Equal(t, "application/javascript", mf.MediaType)
			assert.True(t, strings.HasSuffix(mf.MediaFileURI, "/creatives/vpaid-good.js"), mf.MediaFileURI)
			assert.Contains(t, ad.AdParameters, "durationSeconds")
			// The slate fills at least the VAST duration (the shortest ad, 6 s).
			assert.GreaterOrEqual(t, ad.DurationInSeconds, 6.0)
		}},
		{"vpaid-broken-init", func(t *testing.T, tr trackingResponse, _ sessionInfo) {
			assert.True(t, strings.HasSuffix(tr.Avails[0].Ads[0].MediaFiles.MediaFilesList[0].MediaFileURI, "/creatives/vpaid-throws-init.js"))
		}},
		{"vpaid-mixed", func(t *testing.T, tr trackingResponse, _ sessionInfo) {
			ads := tr.Avails[0].Ads
			require.Len(t, ads, 3)
			assert.Empty(t, ads[0].MediaFiles.MediaFilesList)
			assert.Len(t, ads[1].MediaFiles.MediaFilesList, 1, "order in the pod is kept")
			assert.Empty(t, ads[2].MediaFiles.MediaFilesList)
		}},
		{"vpaid-mixed-broken", func(t *testing.T, tr trackingResponse, _ sessionInfo) {
			ads := tr.Avails[0].Ads
			require.Len(t, ads, 3)
			mf := ads[1].MediaFiles.MediaFilesList
			require.Len(t, mf, 1)
			assert.True(t, strings.HasSuffix(mf[0].MediaFileURI, "/creatives/vpaid-throws-init.js"), mf[0].MediaFileURI)
			// Each ad has its own error URL, so the failing unit's 901
			// reaches the collector as that ad's error alone.
			seen := map[string]bool{}
			for i, ad := range ads {
				var errs []string
				for _, e := range ad.TrackingEvents {
					if e.EventType == "error" {
						errs = append(errs, e.BeaconURLs...)
					}
				}
				require.Len(t, errs, 1, "ad %d", i)
				assert.Contains(t, errs[0], "[ERRORCODE]")
				assert.False(t, seen[errs[0]], "ad %d shares an error URL", i)
				seen[errs[0]] = true
			}
		}},
		{"vpaid-companions", func(t *testing.T, tr trackingResponse, _ sessionInfo) {
			ad := tr.Avails[0].Ads[0]
			assert.Empty(t, ad.CompanionAds, "the tracking JSON has none: the unit has its own")
			var p struct{ Companions string }
			require.NoError(t, json.Unmarshal([]byte(ad.AdParameters), &p), ad.AdParameters)
			assert.Contains(t, p.Companions, `<CompanionAds><Companion id="unit-300x250" width="300" height="250" adSlotID="side">`)
			assert.Contains(t, p.Companions, `/creatives/companion-300x250.png`)
			assert.Contains(t, p.Companions, `<Tracking event="creativeView">`)
		}},
		{"mp3", func(t *testing.T, tr trackingResponse, _ sessionInfo) {
			// Audio-only creatives are listed (an emulator extension) so the
			// QA page's Creatives panel can inspect them.
			ad := tr.Avails[0].Ads[0]
			require.Len(t, ad.MediaFiles.MediaFilesList, 1)
			mf := ad.MediaFiles.MediaFilesList[0]
			assert.Equal(t, "audio/mpeg", mf.MediaType)
			assert.Empty(t, mf.APIFramework)
			assert.True(t, strings.HasSuffix(mf.MediaFileURI, "/media/mp3/good.mp3"), mf.MediaFileURI)
		}},
		{"mp3-bad", func(t *testing.T, tr trackingResponse, _ sessionInfo) {
			mfs := tr.Avails[0].Ads[0].MediaFiles.MediaFilesList
			require.Len(t, mfs, 1)
			assert.True(t, strings.HasSuffix(mfs[0].MediaFileURI, "/media/mp3/bad.mp3"), mfs[0].MediaFileURI)
		}},
		{"empty", func(t *testing.T, tr trackingResponse, _ sessionInfo) {
			require.Len(t, tr.Avails, 2, "unfilled avails are still reported")
			assert.Empty(t, tr.Avails[0].Ads)
			assert.Equal(t, "PT0S", tr.Avails[0].Duration)
			assert.Len(t, tr.Avails[0].AdBreakTrackingEvents, 2)
		}},
		{"malformed", func(t *testing.T, tr trackingResponse, info sessionInfo) {
			assert.Empty(t, tr.Avails[0].Ads)
			require.NotEmpty(t, info.Skips)
			assert.Equal(t, "VAST_PARSING_ERROR", info.Skips[0].Reason)
		}},
		{"wrapper", func(t *testing.T, tr trackingResponse, _ sessionInfo) {
			ad := tr.Avails[0].Ads[0]
			imp := ad.TrackingEvents[0]
			require.Equal(t, "impression", imp.EventType)
			assert.Len(t, imp.BeaconURLs, 4, "3 wrapper impressions + the inline one")
			assert.Contains(t, imp.BeaconURLs[0], "wrapper=3")
		}},
		{"wrapper-5", func(t *testing.T, tr trackingResponse, _ sessionInfo) {
			assert.Len(t, tr.Avails[0].Ads, 2, "5 levels are followed")
		}},
		{"wrapper-6", func(t *testing.T, tr trackingResponse, info sessionInfo) {
			assert.Empty(t, tr.Avails[0].Ads)
			assert.Equal(t, "WRAPPER_LIMIT_EXCEEDED", info.Skips[0].Reason)
		}},
		{"new-creative", func(t *testing.T, tr trackingResponse, info sessionInfo) {
			require.Len(t, tr.Avails, 2)
			assert.Len(t, tr.Avails[0].Ads, 1, "the fresh creative is skipped on first sight")
			assert.Equal(t, "NEW_CREATIVE", info.Skips[0].Reason)
			assert.Len(t, tr.Avails[1].Ads, 2, "and played once transcoded")
		}},
		{"nonlinear", func(t *testing.T, tr trackingResponse, _ sessionInfo) {
			assert.Empty(t, tr.Avails)
			require.Len(t, tr.NonLinearAvails, 2)
			nl := tr.NonLinearAvails[0]
			assert.Empty(t, nl.Ads)
			assert.Equal(t, "PT0S", nl.Duration)
			require.Len(t, nl.NonLinearAdsList, 1)
			ad := nl.NonLinearAdsList[0].NonLinearAdList[0]
			assert.Equal(t, 480, ad.Width)
			assert.NotEmpty(t, ad.StaticResource)
			assert.NotEmpty(t, ad.ClickTracking)
		}},
		{"skippable", func(t *testing.T, tr trackingResponse, _ sessionInfo) {
			assert.Equal(t, "00:00:05", *tr.Avails[0].Ads[0].SkipOffset)
		}},
		{"vast3", func(t *testing.T, tr trackingResponse, _ sessionInfo) {
			assert.Len(t, tr.Avails[0].Ads, 2)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			tr, id := h.vodReport(map[string]string{"scenario": tc.scenario})
			_, b := h.do("GET", "/debug/sessions/"+id, "")
			var info sessionInfo
			require.NoError(t, json.Unmarshal([]byte(b), &info))
			tc.check(t, tr, info)
		})
	}
}

// TestForeignADS points the template at another ad server: the emulator
// fetches and parses it over HTTP.
func TestForeignADS(t *testing.T) {
	var gotUA, gotPath string
	ads := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotPath = r.UserAgent(), r.URL.RequestURI()
		_, _ = w.Write([]byte(`<VAST version="3.0"><Ad id="x1"><InLine><AdSystem>elsewhere</AdSystem><AdTitle>t</AdTitle>
<Impression><![CDATA[ https://ads.example/imp ]]></Impression><Creatives><Creative id="foreign-1"><Linear>
<Duration>00:00:08</Duration><MediaFiles><MediaFile delivery="progressive" type="video/mp4" width="640" height="360" bitrate="900">
<![CDATA[https://cdn.example/foreign.mp4]]></MediaFile></MediaFiles></Linear></Creative></Creatives></InLine></Ad></VAST>`))
	}))
	defer ads.Close()
	h := newHarness(t, func(c *Config) {
		c.PlaybackConfigurations[0].AdDecisionServerURL = ads.URL + "/ads?dev=[player_params.deviceType]&avail=[avail.index]&sid=[session.uuid]&d=[session.avail_duration_secs]"
	})
	body := `{"adsParams":{"DeviceType":"big tv"}}`
	resp, b := h.do("POST", "/v1/session/"+acct+"/availkit/vod/index.m3u8", body, "User-Agent", "availkit-test/1")
	require.Equal(t, 200, resp.StatusCode, b)
	var r initReply
	require.NoError(t, json.Unmarshal([]byte(b), &r))
	id := r.ManifestURL[strings.Index(r.ManifestURL, "=")+1:]
	h.mediaPlaylist(id, "0")
	tr := h.tracking(r.TrackingURL)
	assert.Equal(t, "availkit-test/1", gotUA, "the player's User-Agent is passed to the ADS")
	assert.Contains(t, gotPath, "dev=big+tv&avail=2&sid="+id+"&d=300", "inner adsParams keys are case-insensitive")
	require.Len(t, tr.Avails, 2)
	assert.Empty(t, tr.Avails[0].Ads, "a new creative is skipped on first sight")
	require.Len(t, tr.Avails[1].Ads, 1)
	ad := tr.Avails[1].Ads[0]
	assert.Equal(t, "foreign-1", ad.CreativeID)
	assert.Equal(t, "https://ads.example/imp", ad.TrackingEvents[0].BeaconURLs[0])
	assert.Equal(t, "PT8S", ad.Duration, "transcoded to the closest bundled rendition")
}

func TestBeaconCollector(t *testing.T) {
	h := newHarness(t, nil)
	tr, id := h.vodReport(nil)
	ev := tr.Avails[0].Ads[0].TrackingEvents[1]
	require.Equal(t, "start", ev.EventType)
	u := strings.Replace(ev.BeaconURLs[0], "[CACHEBUSTING]", "12345678", 1)
	require.True(t, strings.HasPrefix(u, h.ts.URL+"/beacon/"+id+"/start?"), u)
	resp, err := http.Get(u)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "image/gif", resp.Header.Get("Content-Type"))
	_, b := h.do("GET", "/debug/sessions/"+id+"/beacons", "")
	var hits []Beacon
	require.NoError(t, json.Unmarshal([]byte(b), &hits))
	require.Len(t, hits, 1)
	assert.Equal(t, Beacon{Session: id, EventType: "start", AdID: "avail1-ad1", AvailID: "1", ReceivedAt: h.clock.Now().UnixMilli(),
		TrackingAvailID: "0", TrackingAdID: "0",
		Method: "GET", Query: map[string]string{"ad": "avail1-ad1", "avail": "1", "cb": "12345678", "trackingAvailId": "0", "trackingAdId": "0"},
		RawQuery: "ad=avail1-ad1&avail=1&cb=12345678&trackingAvailId=0&trackingAdId=0"}, hits[0])
	_, b = h.do("GET", "/debug/sessions", "")
	assert.Contains(t, b, id)
	resp, _ = h.do("DELETE", "/debug/sessions/"+id+"/beacons", "")
	assert.Equal(t, 204, resp.StatusCode)
	_, b = h.do("GET", "/debug/sessions/"+id+"/beacons", "")
	assert.JSONEq(t, "[]", b)
}

func TestFaults(t *testing.T) {
	h := newHarness(t, nil)
	t.Run("tracking 5xx via adsParams", func(t *testing.T) {
		r, id := h.session("vod/index.m3u8", map[string]string{"fault_tracking_5xx_rate": "1"})
		h.mediaPlaylist(id, "0")
		resp, b := h.do("GET", r.TrackingURL, "")
		assert.Equal(t, 500, resp.StatusCode)
		assertErrorShape(t, resp, b, "InternalServiceError")
	})
	t.Run("malformed JSON via admin route", func(t *testing.T) {
		r, id := h.session("vod/index.m3u8", nil)
		resp, b := h.do("POST", "/debug/sessions/"+id+"/faults", `{"trackingMalformed":true}`)
		require.Equal(t, 200, resp.StatusCode, b)
		_, b = h.do("GET", r.TrackingURL, "")
		assert.False(t, json.Valid([]byte(b)), b)
		h.do("POST", "/debug/sessions/"+id+"/faults", `{"trackingMalformed":false}`)
		_, b = h.do("GET", r.TrackingURL, "")
		assert.True(t, json.Valid([]byte(b)))
	})
	t.Run("tracking latency", func(t *testing.T) {
		r, _ := h.session("vod/index.m3u8", map[string]string{"fault_trackingLatencyMs": "150"})
		start := time.Now()
		resp, _ := h.do("GET", r.TrackingURL, "")
		assert.Equal(t, 200, resp.StatusCode)
		assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
	})
	t.Run("expire now", func(t *testing.T) {
		r, id := h.session("vod/index.m3u8", nil)
		h.do("POST", "/debug/sessions/"+id+"/faults", `{"expireNow":true}`)
		resp, b := h.do("GET", r.TrackingURL, "")
		assert.Equal(t, 400, resp.StatusCode)
		assertErrorShape(t, resp, b, "BadRequestException")
	})
	t.Run("beacon host down", func(t *testing.T) {
		_, id := h.session("vod/index.m3u8", map[string]string{"fault_beacon_down": "true"})
		_, err := http.Get(h.ts.URL + "/beacon/" + id + "/start?ad=a")
		assert.Error(t, err, "the connection drops")
		_, b := h.do("GET", "/debug/sessions/"+id+"/beacons", "")
		assert.JSONEq(t, "[]", b)
	})
	t.Run("beacon slow", func(t *testing.T) {
		_, id := h.session("vod/index.m3u8", map[string]string{"fault_beacon_delay_ms": "120"})
		start := time.Now()
		resp, err := http.Get(h.ts.URL + "/beacon/" + id + "/start?ad=a")
		require.NoError(t, err)
		resp.Body.Close()
		assert.GreaterOrEqual(t, time.Since(start), 120*time.Millisecond)
	})
	t.Run("tracking resign: the same events, every beacon URL new on each reply", func(t *testing.T) {
		r, id := h.session("vod/index.m3u8", map[string]string{"fault_tracking_resign": "1"})
		h.mediaPlaylist(id, "0")
		urls := func() map[string]string { // event identity → its first beacon URL
			_, b := h.do("GET", r.TrackingURL, "")
			var resp struct {
				Avails []struct {
					Ads []struct {
						AdID           string `json:"adId"`
						TrackingEvents []struct {
							EventID    string   `json:"eventId"`
							EventType  string   `json:"eventType"`
							BeaconURLs []string `json:"beaconUrls"`
						} `json:"trackingEvents"`
					} `json:"ads"`
				} `json:"avails"`
			}
			require.NoError(t, json.Unmarshal([]byte(b), &resp), b)
			out := map[string]string{}
			for _, a := range resp.Avails {
				for _, ad := range a.Ads {
					for _, e := range ad.TrackingEvents {
						if len(e.BeaconURLs) > 0 && strings.Contains(e.BeaconURLs[0], "/beacon/") {
							out[ad.AdID+"/"+e.EventID+"/"+e.EventType] = e.BeaconURLs[0]
						}
					}
				}
			}
			return out
		}
		first, second := urls(), urls()
		require.NotEmpty(t, first)
		assert.Equal(t, len(first), len(second), "the same events")
		for k, u := range first {
			assert.Contains(t, u, "&sig=1&cb=[CACHEBUSTING]", k)
			assert.Equal(t, strings.Replace(u, "sig=1", "sig=2", 1), second[k], k)
		}
	})
	t.Run("bad fault JSON", func(t *testing.T) {
		_, id := h.session("vod/index.m3u8", nil)
		resp, b := h.do("POST", "/debug/sessions/"+id+"/faults", `{"trackingLatencyMs":"x"}`)
		assert.Equal(t, 400, resp.StatusCode)
		assertErrorShape(t, resp, b, "BadRequestException")
	})
}

func TestServesMediaAndCreatives(t *testing.T) {
	h := newHarness(t, nil)
	for _, tc := range []struct{ path, ctype string }{
		{"/media/content/main/video/seg-00001.m4s", "video/iso.segment"},
		{"/media/ads/ad-a/audio/init.mp4", "video/mp4"},
		{"/creatives/vpaid-good.js", "text/javascript; charset=utf-8"},
		{"/vast/assets/300x250.svg", "image/svg+xml"},
		{"/vast/default?session=s&avail=1", "application/xml"},
		{"/landing?ad=x", "text/html; charset=utf-8"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, b := h.do("GET", tc.path, "")
			require.Equal(t, 200, resp.StatusCode, b)
			assert.Equal(t, tc.ctype, resp.Header.Get("Content-Type"))
			assert.NotEmpty(t, b)
		})
	}
	resp, _ := h.do("GET", "/media/../go.mod", "")
	assert.Equal(t, 404, resp.StatusCode)
}

func TestConfig(t *testing.T) {
	c := DefaultConfig()
	assert.Equal(t, DefaultAccount, c.AccountID)
	require.Len(t, c.PlaybackConfigurations, 2)
	for _, pc := range c.PlaybackConfigurations {
		assert.Contains(t, pc.AdDecisionServerURL, "[player_params.scenario]", pc.Name)
	}
	assert.Equal(t, "availkit", c.PlaybackConfigurations[0].Name, "the first is the one serve prints")
	assert.Equal(t, []float64{0, 10, 20}, c.PlaybackConfigurations[1].VODCuePointsSecs, "a post-roll at the content's end")
	_, err := ParseConfig([]byte(`{"playbackConfigurations":[{"name":"x"}]}`))
	assert.Error(t, err)
	_, err = ParseConfig([]byte(`{"playbackConfigurations":[{"name":"x","adDecisionServerUrl":"/vast/x"}],}`))
	assert.Error(t, err)
}

func TestExpandTemplate(t *testing.T) {
	s := &Session{ID: "u-1", Num: 42, adsParams: map[string]string{"devicetype": "a b&c"}, userAgent: "UA"}
	got := expandTemplate("x?d=[player_params.deviceType]&id=[session.id]&u=[session.uuid]&ms=[session.avail_duration_ms]&s=[session.avail_duration_secs]&i=[avail.index]&e=[scte.event_id]&n=[player_params.none]&ua=[session.user_agent]", s, 3, 32500*time.Millisecond)
	assert.Equal(t, "x?d=a+b%26c&id=42&u=u-1&ms=32500&s=33&i=3&e=1003&n=&ua=UA", got)
}

func TestStats(t *testing.T) {
	h := newHarness(t, nil)
	r, _ := h.session("vod/index.m3u8", nil)
	for i := 0; i < 5; i++ {
		h.tracking(r.TrackingURL)
	}
	_, b := h.do("GET", "/debug/stats", "")
	var st Stats
	require.NoError(t, json.Unmarshal([]byte(b), &st))
	assert.Equal(t, int64(5), st.TrackingRequests)
	assert.Equal(t, 1, st.Sessions)
	assert.Greater(t, st.TrackingMaxMs, 0.0)
	assert.LessOrEqual(t, st.TrackingP50Ms, st.TrackingP99Ms)
}

func TestLatencyHistQuantiles(t *testing.T) {
	var h latencyHist
	for i := 1; i <= 100; i++ {
		h.add(time.Duration(i) * time.Millisecond)
	}
	assert.InDelta(t, 50*time.Millisecond, h.quantile(0.5), float64(5*time.Millisecond))
	assert.InDelta(t, 99*time.Millisecond, h.quantile(0.99), float64(10*time.Millisecond))
	assert.Equal(t, 100*time.Millisecond, h.quantile(1))
}

// TestPostRoll: the availkit-postroll configuration's VOD ends on a break
// after the last content segment: its avail starts where the content ends
// (pre-roll, 10 s, mid-roll, 10 s), and the playlist's last segments before
// ENDLIST are that break's, after a discontinuity.
func TestPostRoll(t *testing.T) {
	h := newHarness(t, nil)
	resp, b := h.do("POST", "/v1/session/"+acct+"/availkit-postroll/vod/index.m3u8", `{"adsParams":{"scenario":"default"}}`)
	require.Equal(t, 200, resp.StatusCode, b)
	var r initReply
	require.NoError(t, json.Unmarshal([]byte(b), &r))
	resp, master := h.do("GET", r.ManifestURL, "")
	require.Equal(t, 200, resp.StatusCode, master)
	var video string
	for _, line := range strings.Split(master, "\n") {
		if strings.HasPrefix(line, "#EXT-X-STREAM-INF") || line == "" || line[0] == '#' {
			continue
		}
		_, video = h.do("GET", line, "")
		break
	}
	require.Contains(t, video, "#EXT-X-ENDLIST")
	tr := h.tracking(r.TrackingURL)
	require.Len(t, tr.Avails, 3)
	pre, mid, post := tr.Avails[0], tr.Avails[1], tr.Avails[2]
	assert.Equal(t, 0.0, pre.StartTimeInSeconds)
	assert.InDelta(t, pre.DurationInSeconds+10, mid.StartTimeInSeconds, 1e-3)
	assert.InDelta(t, mid.StartTimeInSeconds+mid.DurationInSeconds+10, post.StartTimeInSeconds, 1e-3)
	require.NotEmpty(t, post.Ads)
	segs := strings.Split(strings.TrimSpace(video[strings.LastIndex(video, "#EXT-X-DISCONTINUITY"):]), "\n")
	for _, line := range segs {
		if line != "" && line[0] != '#' {
			assert.Contains(t, line, "/ads/", "after the last discontinuity: the post-roll's segments")
		}
	}
	var extinf float64
	for _, line := range segs {
		if v, ok := strings.CutPrefix(line, "#EXTINF:"); ok {
			d, err := strconv.ParseFloat(strings.TrimSuffix(v, ","), 64)
			require.NoError(t, err)
			extinf += d
		}
	}
	last := post.Ads[len(post.Ads)-1]
	assert.InDelta(t, last.DurationInSeconds, extinf, 0.05, "the last discontinuity opens the post-roll's last ad")
}
