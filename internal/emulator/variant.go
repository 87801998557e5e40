package emulator

import (
	"fmt"
	"strings"
)

// Media variants. The default HLS and DASH media are CMAF (fMP4, separate
// audio and video tracks, no B-frames). An HLS session created with
// adsParams media=ts plays the "ts" variant instead (scripts/make-media-ts.sh):
// muxed MPEG-TS segments with B-frames and AAC priming, the way real ad
// creatives and origins are usually encoded, under ts/<asset dir>/ of the
// catalog FS. Segment cut points and EXTINF are those of the CMAF media, so
// the session timeline and the tracking response are the same.
const mediaTS = "ts"

// tsMedia reports whether session s plays the TS variant.
func (s *Session) tsMedia() bool {
	return !s.DASH && strings.EqualFold(s.adsParams["media"], mediaTS)
}

// tsSegPath is the path of the i-th (0-based) muxed TS segment of a.
func tsSegPath(a *asset, i int) string {
	return fmt.Sprintf("%s/%s/seg-%05d.ts", mediaTS, a.Path, i+firstSegment)
}

// segPath is the path of the i-th segment of track for session s: the muxed
// TS segment (audio and video together, track ignored) or the CMAF one.
func (s *Session) segPath(a *asset, track string, i int) string {
	if s.tsMedia() {
		return tsSegPath(a, i)
	}
	return a.SegPath(track, i)
}

// hlsMasterTS is the master playlist of a TS session: one variant carrying
// both tracks, no audio rendition.
func (srv *Server) hlsMasterTS(s *Session) string {
	content := srv.cat.Content(s.cfg.Content)
	bw := 0
	for _, a := range srv.cat.assets {
		bw = max(bw, a.Video.Bandwidth+a.Audio.Bandwidth)
	}
	// MPEG-TS packetisation adds about a tenth to the elementary streams.
	bw += bw / 10
	base := fmt.Sprintf("/v1/manifest/%s/%s/%s/", s.Account, s.Origin, s.ID)
	var b strings.Builder
	b.WriteString("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n")
	fmt.Fprintf(&b, "#EXT-X-STREAM-INF:BANDWIDTH=%d,CODECS=\"%s,%s\",RESOLUTION=%dx%d,FRAME-RATE=30.000\n%s\n",
		bw, content.Video.Codecs, content.Audio.Codecs, content.Video.Width, content.Video.Height, s.withQuery(base+"0.m3u8"))
	return b.String()
}
