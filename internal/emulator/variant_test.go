package emulator

import (
	"encoding/xml"
	"fmt"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/availkit/availkit/media"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var extinfLine = regexp.MustCompile(`#EXTINF:[0-9.]+,`)

// TestTSVariantPlaylists checks what a player of a media=ts session is
// served: one muxed variant, segments from ts/ with no init segment, and the
// same timeline (EXTINF, discontinuities) as the CMAF media, so the
// tracking response holds for both.
func TestTSVariantPlaylists(t *testing.T) {
	h := newHarness(t, nil)
	cmaf, cmafID := h.session("vod/index.m3u8", map[string]string{"scenario": "default"})
	_, cmafMaster := h.do("GET", cmaf.ManifestURL, "")
	cmafVideo := h.mediaPlaylist(cmafID, "0")

	for _, media := range []string{"ts", "TS"} {
		t.Run("media="+media, func(t *testing.T) {
			r, id := h.session("vod/index.m3u8", map[string]string{"scenario": "default", "media": media})
			resp, master := h.do("GET", r.ManifestURL, "")
			require.Equal(t, 200, resp.StatusCode)
			assert.NotContains(t, master, "#EXT-X-MEDIA:", "muxed segments: no separate audio rendition")
			assert.Equal(t, 1, strings.Count(master, "#EXT-X-STREAM-INF:"))
			assert.Contains(t, master, `CODECS="avc1.4d401e,mp4a.40.2"`)
			assert.NotContains(t, master, "AUDIO=")

			video := h.mediaPlaylist(id, "0")
			assert.NotContains(t, video, "#EXT-X-MAP", "TS segments carry their own codec set-up")
			assert.NotContains(t, video, ".m4s")
			uris := 0
			for _, line := range strings.Split(video, "\n") {
				if line == "" || line[0] == '#' {
					continue
				}
				uris++
				assert.Regexp(t, `^/media/ts/(content/main|ads/ad-[a-z]|slate)/seg-\d{5}\.ts(\?|$)`, line)
			}
			assert.Equal(t, strings.Count(video, "#EXTINF"), uris)
			assert.Equal(t, extinfLine.FindAllString(cmafVideo, -1), extinfLine.FindAllString(video, -1), "same EXTINF as the CMAF media")
			assert.Equal(t, strings.Count(cmafVideo, "#EXT-X-DISCONTINUITY\n"), strings.Count(video, "#EXT-X-DISCONTINUITY\n"))
		})
	}

	t.Run("other sessions keep CMAF", func(t *testing.T) {
		assert.Contains(t, cmafMaster, "#EXT-X-MEDIA:TYPE=AUDIO")
		assert.Contains(t, cmafVideo, "#EXT-X-MAP")
		assert.NotContains(t, cmafVideo, "/media/ts/")
	})
}

// TestMediaParamRejected: a variant the emulator does not have, or TS in a
// DASH session, is refused at session start with a message that names the
// variants, rather than served as the default media.
func TestMediaParamRejected(t *testing.T) {
	h := newHarness(t, nil)
	cases := []struct {
		name, asset, body, query, want string
	}{
		{"ts in DASH", "vod/index.mpd", `{"adsParams":{"media":"ts"}}`, "", "HLS only"},
		{"ts in a live DASH session, as a query", "live/index.mpd", `{}`, "?ads.media=TS", "HLS only"},
		{"unknown variant", "vod/index.m3u8", `{"adsParams":{"media":"mp4"}}`, "", "media variants are ts (HLS) and bf"},
		{"unknown variant, DASH", "vod/index.mpd", `{"adsParams":{"media":"cmaf"}}`, "", "ts (HLS) and bf"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, b := h.do("POST", "/v1/session/"+acct+"/availkit/"+c.asset+c.query, c.body)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, b)
			assert.True(t, strings.HasPrefix(resp.Header.Get("x-amzn-ErrorType"), "BadRequestException:"), resp.Header.Get("x-amzn-ErrorType"))
			assert.Contains(t, b, c.want)
		})
	}
	for _, ok := range []struct{ asset, media string }{{"vod/index.m3u8", "ts"}, {"vod/index.mpd", "bf"}, {"vod/index.m3u8", "BF"}, {"vod/index.mpd", ""}} {
		t.Run("accepted: "+ok.asset+" media="+ok.media, func(t *testing.T) {
			h.session(ok.asset, map[string]string{"media": ok.media})
		})
	}
}

// TestTSVariantServerSide: with server-side reporting, ad segment requests
// go through the emulator and must land on the TS segment.
func TestTSVariantServerSide(t *testing.T) {
	h := newHarness(t, nil)
	_, id := h.sessionBody("vod/index.m3u8", `{"reportingMode":"server","adsParams":{"media":"ts"}}`)
	video := h.mediaPlaylist(id, "0")
	var seg string
	for _, line := range strings.Split(video, "\n") {
		if strings.Contains(line, "/v1/segment/") {
			seg = line
			break
		}
	}
	require.NotEmpty(t, seg, "no server-side ad segment URL in\n%s", video)
	resp, _ := h.do("GET", seg[strings.Index(seg, "/v1/segment/"):], "")
	require.Equal(t, http.StatusMovedPermanently, resp.StatusCode)
	assert.Regexp(t, `/media/ts/ads/ad-[a-z]/seg-\d{5}\.ts`, resp.Header.Get("Location"))
}

// realHarness runs the emulator on the bundled media (media.Load), which
// holds the bf variant's real files; the synthetic test catalog has none.
func realHarness(t *testing.T) *harness {
	t.Helper()
	c, err := media.Load()
	require.NoError(t, err)
	return newHarness(t, nil, func(o *Options) { o.Catalog = c })
}

// uris lists the URI lines of a playlist and the URIs of its EXT-X-MAPs.
func uris(playlist string) (segs, maps []string) {
	for _, line := range strings.Split(playlist, "\n") {
		switch {
		case strings.HasPrefix(line, "#EXT-X-MAP:URI="):
			maps = append(maps, strings.Trim(strings.TrimPrefix(line, "#EXT-X-MAP:URI="), `"`))
		case line != "" && line[0] != '#':
			segs = append(segs, line)
		}
	}
	return segs, maps
}

// TestBFVariantPlaylists: an HLS session created with media=bf gets the
// CMAF playlist shape (an audio rendition, EXT-X-MAP per asset) with every
// init and media segment from media/bf, and the same timeline (EXTINF,
// discontinuities) as the CMAF media, for both tracks.
func TestBFVariantPlaylists(t *testing.T) {
	h := realHarness(t)
	_, cmafID := h.session("vod/index.m3u8", map[string]string{"scenario": "default"})
	cases := []struct {
		name  string
		media string
		bf    bool
	}{
		{"media=bf", "bf", true},
		{"media=BF (case-insensitive)", "BF", true},
		{"media=ts is not bf", "ts", false},
		{"no media param", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ads := map[string]string{"scenario": "default"}
			if c.media != "" {
				ads["media"] = c.media
			}
			r, id := h.session("vod/index.m3u8", ads)
			_, master := h.do("GET", r.ManifestURL, "")
			for _, n := range []string{"0", "1"} {
				pl := h.mediaPlaylist(id, n)
				segs, maps := uris(pl)
				require.NotEmpty(t, segs)
				for _, u := range append(segs, maps...) {
					if c.bf {
						assert.Regexp(t, `^/media/bf/(content/main|ads/ad-[a-d]|slate)/(video|audio)/(init\.mp4|seg-\d{5}\.m4s)(\?|$)`, u)
					} else {
						assert.NotContains(t, u, "/bf/")
					}
				}
				if !c.bf {
					continue
				}
				assert.Contains(t, master, "#EXT-X-MEDIA:TYPE=AUDIO", "separate audio rendition, as the CMAF media")
				assert.Len(t, maps, strings.Count(pl, "#EXT-X-DISCONTINUITY\n")+1, "one EXT-X-MAP per asset pass")
				cmaf := h.mediaPlaylist(cmafID, n)
				assert.Equal(t, extinfLine.FindAllString(cmaf, -1), extinfLine.FindAllString(pl, -1), "track %s: same EXTINF as the CMAF media", n)
				assert.Equal(t, strings.Count(cmaf, "#EXT-X-DISCONTINUITY\n"), strings.Count(pl, "#EXT-X-DISCONTINUITY\n"))
				// Every URI names a file the emulator serves.
				for _, u := range []string{segs[0], segs[len(segs)-1], maps[0]} {
					resp, _ := h.do("GET", u, "")
					assert.Equal(t, 200, resp.StatusCode, u)
				}
			}
		})
	}
}

type mpdDoc struct {
	Periods []struct {
		ID    string `xml:"id,attr"`
		Start string `xml:"start,attr"`
		Sets  []struct {
			ContentType string `xml:"contentType,attr"`
			Template    struct {
				Timescale int64  `xml:"timescale,attr"`
				PTO       int64  `xml:"presentationTimeOffset,attr"`
				Start     int    `xml:"startNumber,attr"`
				Init      string `xml:"initialization,attr"`
				Media     string `xml:"media,attr"`
				S         []struct {
					T *int64 `xml:"t,attr"`
					D int64  `xml:"d,attr"`
					R int    `xml:"r,attr"`
				} `xml:"SegmentTimeline>S"`
			} `xml:"SegmentTemplate"`
		} `xml:"AdaptationSet"`
	} `xml:"Period"`
}

func (h *harness) mpd(t *testing.T, ads map[string]string) mpdDoc {
	t.Helper()
	r, _ := h.session("vod/index.mpd", ads)
	resp, body := h.do("GET", r.ManifestURL, "")
	require.Equal(t, 200, resp.StatusCode, body)
	var d mpdDoc
	require.NoError(t, xml.Unmarshal([]byte(body), &d))
	require.NotEmpty(t, d.Periods)
	return d
}

// TestBFVariantMPD: a DASH session created with media=bf lists media/bf's
// segments with their real timing, read back here from the files the MPD
// names: per Period, the video's presentationTimeOffset is the
// presentation time (tfdt + composition offset, as MSE places it) of the
// Period's first frame, so that frame is shown at Period@start, where the
// tracking response puts it; every S@t is the segment's earliest
// presentation time and every S@d its duration; the audio's offset keeps
// the 8 ms lead the edit lists give it. Period starts and ids are the CMAF
// media's.
func TestBFVariantMPD(t *testing.T) {
	h := realHarness(t)
	cmaf := h.mpd(t, map[string]string{"scenario": "default"})
	bf := h.mpd(t, map[string]string{"scenario": "default", "media": "bf"})
	require.Len(t, bf.Periods, len(cmaf.Periods))
	read := func(u string) []byte {
		resp, b := h.do("GET", u, "")
		require.Equal(t, 200, resp.StatusCode, u)
		return []byte(b)
	}
	midAsset := 0
	for i, p := range bf.Periods {
		assert.Equal(t, cmaf.Periods[i].ID, p.ID)
		assert.Equal(t, cmaf.Periods[i].Start, p.Start)
		require.Len(t, p.Sets, 2)
		var videoStart float64 // seconds of movie time (edit list applied) at the Period's start
		for _, set := range p.Sets {
			tp := set.Template
			name := fmt.Sprintf("period %s %s", p.ID, set.ContentType)
			assert.True(t, strings.HasPrefix(tp.Init, "/media/bf/"), "%s: init %s", name, tp.Init)
			assert.True(t, strings.HasPrefix(tp.Media, "/media/bf/"), "%s: media %s", name, tp.Media)
			init, err := media.ParseInit(read(tp.Init))
			require.NoError(t, err)
			assert.Equal(t, init.Timescale, tp.Timescale, "%s: timescale", name)
			require.NotEmpty(t, tp.S)
			require.NotNil(t, tp.S[0].T)
			at, n := *tp.S[0].T, tp.Start
			for _, s := range tp.S {
				for r := 0; r <= s.R; r++ {
					f, err := media.ParseFragment(read(strings.Replace(tp.Media, "$Number%05d$", fmt.Sprintf("%05d", n), 1)), init)
					require.NoError(t, err)
					assert.Equal(t, f.Earliest, at, "%s seg %d: S@t", name, n)
					assert.Equal(t, f.Duration, s.D, "%s seg %d: S@d", name, n)
					if n == tp.Start && set.ContentType == "video" {
						assert.Equal(t, f.Earliest, tp.PTO, "%s: presentationTimeOffset is the first frame's presentation time", name)
						assert.Equal(t, f.DecodeTime+1024, tp.PTO, "%s: two B-frames behind the decode time", name)
						if tp.Start > 1 {
							midAsset++
						}
					}
					at += s.D
					n++
				}
			}
			if set.ContentType == "video" {
				videoStart = float64(tp.PTO)/float64(tp.Timescale) + init.Offset()
			} else {
				audioStart := float64(tp.PTO)/float64(tp.Timescale) + init.Offset()
				assert.InDelta(t, 0, (audioStart-videoStart)*1000, 0.05, "%s: audio keeps the edit lists' timing to the video", name)
				lead := float64(tp.PTO-*tp.S[0].T) / float64(tp.Timescale) * 1000
				assert.True(t, lead > -30 && lead < 30, "%s: the first audio segment starts %.1f ms before the Period", name, lead)
			}
		}
	}
	assert.Positive(t, midAsset, "no Period resumes an asset mid-way (content after a mid-roll)")
}

// TestBFVariantTimingFallback: a media tree without a bf variant (a --media
// tree made by make-media.sh alone) still starts; a bf tree whose files do
// not match the catalog does not.
func TestBFVariantTimingFallback(t *testing.T) {
	c := testCatalog(t)
	cat, err := newCatalog(c)
	require.NoError(t, err)
	for _, a := range cat.assets {
		assert.Nil(t, a.bf, a.ID)
	}
	real, err := media.Load()
	require.NoError(t, err)
	cases := []struct {
		name   string
		mutate func(fstest.MapFS)
		err    string
	}{
		{"a segment too many", func(m fstest.MapFS) {
			m["bf/slate/video/seg-00002.m4s"] = m["bf/slate/video/seg-00001.m4s"]
		}, "2 segments, catalog 1"},
		{"a broken init segment", func(m fstest.MapFS) {
			m["bf/slate/audio/init.mp4"] = &fstest.MapFile{Data: []byte("not mp4")}
		}, "fmp4"},
		{"a broken media segment", func(m fstest.MapFS) {
			m["bf/slate/audio/seg-00001.m4s"] = &fstest.MapFile{Data: []byte{0, 0, 0, 8, 'm', 'o', 'o', 'f'}}
		}, "fmp4"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := fstest.MapFS{}
			require.NoError(t, fs.WalkDir(real.FS, ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || strings.HasPrefix(p, "ts/") || strings.HasPrefix(p, "mp3/") {
					return err
				}
				b, err := fs.ReadFile(real.FS, p)
				m[p] = &fstest.MapFile{Data: b}
				return err
			}))
			ok, err := media.LoadFS(m)
			require.NoError(t, err)
			_, err = newCatalog(ok)
			require.NoError(t, err, "the unchanged tree")
			tc.mutate(m)
			_, err = newCatalog(ok)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
		})
	}
}

// TestBFVariantServerSide: with server-side reporting, ad segment requests
// go through the emulator and must land on the bf segment, HLS and DASH.
func TestBFVariantServerSide(t *testing.T) {
	h := realHarness(t)
	for _, c := range []struct{ asset, list string }{{"vod/index.m3u8", "hls"}, {"vod/index.mpd", "dash"}} {
		t.Run(c.list, func(t *testing.T) {
			r, id := h.sessionBody(c.asset, `{"reportingMode":"server","adsParams":{"media":"bf"}}`)
			var seg string
			if c.list == "hls" {
				for _, line := range strings.Split(h.mediaPlaylist(id, "0"), "\n") {
					if strings.Contains(line, "/v1/segment/") {
						seg = line[strings.Index(line, "/v1/segment/"):]
						break
					}
				}
			} else {
				_, mpd := h.do("GET", r.ManifestURL, "")
				m := regexp.MustCompile(`media="[^"]*(/v1/segment/[^"]*video/d)\$Number\$(-[^"?]*)`).FindStringSubmatch(mpd)
				require.NotNil(t, m, "no server-side segment template in\n%s", mpd)
				seg = m[1] + "1" + m[2]
			}
			require.NotEmpty(t, seg, "no server-side ad segment URL")
			resp, _ := h.do("GET", seg, "")
			require.Equal(t, http.StatusMovedPermanently, resp.StatusCode)
			assert.Regexp(t, `/media/bf/ads/ad-[a-d]/video/seg-\d{5}\.m4s`, resp.Header.Get("Location"))
		})
	}
}

// TestBFDashTiming: dashTiming for Periods that start mid-asset or whose
// listed window begins after the Period's first segment (live): the
// presentationTimeOffset stays on the Period's first frame, S@t moves to
// the first listed segment; CMAF sessions keep the catalog's ticks.
func TestBFDashTiming(t *testing.T) {
	c, err := media.Load()
	require.NoError(t, err)
	cat, err := newCatalog(c)
	require.NoError(t, err)
	main := cat.Content("")
	require.NotNil(t, main.bf)
	bf := &Session{adsParams: map[string]string{"media": "bf"}}
	cmaf := &Session{adsParams: map[string]string{}}
	const v0, a0 = 1024, 384 // two frames at 15360 Hz; the video's start at 48 kHz, 8 ms after the audio's
	cases := []struct {
		name        string
		s           *Session
		first, from int
		track       string
		ts, pto, t0 int64
	}{
		{"bf video, whole asset", bf, 0, 0, "video", 15360, v0, v0},
		{"bf video, from segment 6", bf, 5, 5, "video", 15360, 5*30720 + v0, 5*30720 + v0},
		{"bf video, live window from segment 8", bf, 5, 7, "video", 15360, 5*30720 + v0, 7*30720 + v0},
		{"bf audio, whole asset", bf, 0, 0, "audio", 48000, a0, 0},
		{"bf audio, from segment 6", bf, 5, 5, "audio", 48000, 5*96000 + a0, main.bf.audio.start[5]},
		{"bf audio, live window from segment 8", bf, 5, 7, "audio", 48000, 5*96000 + a0, main.bf.audio.start[7]},
		{"cmaf video, live window", cmaf, 5, 7, "video", 15360, 5 * 30720, 7 * 30720},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := dashPeriod{asset: main, first: tc.first, idxs: []int{tc.from, tc.from + 1}}
			ts, pto, t0, ticks := tc.s.dashTiming(p, tc.track)
			assert.Equal(t, tc.ts, ts)
			assert.Equal(t, tc.pto, pto, "presentationTimeOffset")
			assert.Equal(t, tc.t0, t0, "S@t")
			assert.Len(t, ticks, len(main.Segments))
		})
	}
}
