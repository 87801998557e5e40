package emulator

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// astEpoch is MPD@availabilityStartTime of every live stream and the clock
// origin of the live channel: far in the past, like the real service, so
// that players really map their clocks.
var astEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func (srv *Server) hlsMaster(s *Session) string {
	if s.tsMedia() {
		return srv.hlsMasterTS(s)
	}
	content := srv.cat.Content(s.cfg.Content)
	vbw, abw := 0, 0
	for _, a := range srv.cat.assets {
		vbw = max(vbw, a.Video.Bandwidth)
		abw = max(abw, a.Audio.Bandwidth)
	}
	if vbw == 0 {
		vbw = 800000
	}
	if abw == 0 {
		abw = 128000
	}
	codecs := content.Video.Codecs
	if content.Audio.Codecs != "" {
		codecs += "," + content.Audio.Codecs
	}
	base := fmt.Sprintf("/v1/manifest/%s/%s/%s/", s.Account, s.Origin, s.ID)
	var b strings.Builder
	b.WriteString("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n")
	fmt.Fprintf(&b, "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=%q\n",
		s.withQuery(base+"1.m3u8"))
	fmt.Fprintf(&b, "#EXT-X-STREAM-INF:BANDWIDTH=%d,CODECS=%q,RESOLUTION=%dx%d,FRAME-RATE=30.000,AUDIO=\"aac\"\n%s\n",
		vbw+abw, codecs, content.Video.Width, content.Video.Height, s.withQuery(base+"0.m3u8"))
	return b.String()
}

// hlsMedia renders a media playlist; track is "video" or "audio".
func (srv *Server) hlsMedia(s *Session, segs []seg, track string, live bool) string {
	durs := make([]time.Duration, len(segs))
	target := 1
	for i, sg := range segs {
		// The audio playlist repeats the video durations: players place
		// the segment after each discontinuity at its playlist time, so
		// both tracks must agree there (AAC frames make each audio segment
		// a few ms longer; the overlap is overwritten in the buffer).
		d := sg.dur
		durs[i] = d
		target = max(target, int(math.Round(d.Seconds())))
	}
	var b strings.Builder
	b.WriteString("#EXTM3U\n#EXT-X-VERSION:6\n")
	fmt.Fprintf(&b, "#EXT-X-TARGETDURATION:%d\n", target)
	var msn, dsn int64
	if len(segs) > 0 {
		msn, dsn = segs[0].msn, segs[0].dsn
		if segs[0].disc {
			dsn--
		}
	}
	fmt.Fprintf(&b, "#EXT-X-MEDIA-SEQUENCE:%d\n#EXT-X-DISCONTINUITY-SEQUENCE:%d\n", msn, dsn)
	if !live {
		b.WriteString("#EXT-X-PLAYLIST-TYPE:VOD\n")
	}
	b.WriteString("#EXT-X-INDEPENDENT-SEGMENTS\n")
	var lastInit string
	for i, sg := range segs {
		if sg.disc {
			b.WriteString("#EXT-X-DISCONTINUITY\n")
		}
		if live {
			if i == 0 || sg.disc {
				fmt.Fprintf(&b, "#EXT-X-PROGRAM-DATE-TIME:%s\n", astEpoch.Add(sg.ch).Format("2006-01-02T15:04:05.000Z"))
			}
			if sg.kind == segContent && sg.idx == 0 {
				// The origin's own chapter marker, passed through untouched.
				fmt.Fprintf(&b, "#EXT-X-DATERANGE:ID=\"chapter-%d\",CLASS=\"com.availkit.chapter\",START-DATE=\"%s\",X-AVAILKIT-LOOP=\"%d\"\n",
					sg.loop, astEpoch.Add(sg.ch).Format("2006-01-02T15:04:05.000Z"), sg.loop)
			}
		}
		prefix := s.cfg.ContentSegmentURLPrefix
		if sg.kind != segContent {
			prefix = s.cfg.AdSegmentURLPrefix
		}
		// manifestParams go on every generated URL, content and ad alike,
		// as the service does.
		init := s.withQuery(prefix + s.initPath(sg.asset, track))
		if init != lastInit && !s.tsMedia() {
			fmt.Fprintf(&b, "#EXT-X-MAP:URI=%q\n", init)
			lastInit = init
		}
		u := s.withQuery(prefix + s.segPath(sg.asset, track, sg.idx))
		if sg.kind != segContent {
			u = srv.adSegmentURL(s, sg, track, u)
		}
		fmt.Fprintf(&b, "#EXTINF:%s,\n%s\n", strconv.FormatFloat(durs[i].Seconds(), 'f', 6, 64), u)
	}
	if !live {
		b.WriteString("#EXT-X-ENDLIST\n")
	}
	return b.String()
}
