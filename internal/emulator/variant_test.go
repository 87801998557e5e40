package emulator

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

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
		r, _ := h.session("vod/index.mpd", map[string]string{"media": "ts"})
		_, mpd := h.do("GET", r.ManifestURL, "")
		assert.Contains(t, mpd, "init.mp4", "DASH has no TS variant")
		assert.NotContains(t, mpd, "/ts/")
	})
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
