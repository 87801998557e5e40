package emulator

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"strings"

	"github.com/availkit/availkit/media"
)

// Media variants. The default HLS and DASH media are CMAF (fMP4, separate
// audio and video tracks, no B-frames, audio trimmed to the cut), under
// the catalog's asset paths. A session created with adsParams media=<name>
// plays a variant instead, under <name>/<asset dir>/ of the catalog FS,
// encoded the way real ad creatives and origins usually are:
//
//   - "ts" (HLS only; scripts/make-media-ts.sh): muxed MPEG-TS segments
//     with B-frames and AAC priming;
//   - "bf" (HLS and DASH; scripts/make-media-bf.sh): CMAF fMP4 with
//     B-frames (composition offsets in the trun, ffmpeg's edit lists),
//     AAC priming kept, audio a few ms ahead of video; laid out like the
//     default media, video/ and audio/ with their init segments.
//
// Video cut points and EXTINF are those of the CMAF media, so the session
// timeline and the tracking response are the same for every variant. The
// DASH MPD of a bf session gives each Period the variant's own timing,
// read from its boxes (bfTiming).
const (
	mediaTS = media.VariantTS
	mediaBF = media.VariantBF
)

// checkMedia rejects a media adsParam the emulator has no variant for,
// or one its format cannot play (TS in a DASH session): a tester who asked
// for a variant and got the default media would judge the wrong stream.
func checkMedia(name string, dash bool) error {
	switch {
	case name == "", strings.EqualFold(name, mediaBF):
		return nil
	case strings.EqualFold(name, mediaTS):
		if dash {
			return errors.New("adsParams media=ts is HLS only (MPEG-TS segments); DASH sessions take media=bf (fMP4 with B-frames) or no media")
		}
		return nil
	}
	return fmt.Errorf("adsParams media=%q: the emulator's media variants are ts (HLS) and bf (HLS and DASH); leave media out for the default CMAF media", name)
}

// tsMedia reports whether session s plays the TS variant.
func (s *Session) tsMedia() bool {
	return !s.DASH && strings.EqualFold(s.adsParams["media"], mediaTS)
}

// bfMedia reports whether session s plays the fMP4 B-frame variant.
func (s *Session) bfMedia() bool {
	return strings.EqualFold(s.adsParams["media"], mediaBF)
}

// tsSegPath is the path of the i-th (0-based) muxed TS segment of a.
func tsSegPath(a *asset, i int) string {
	return fmt.Sprintf("%s/%s/seg-%05d.ts", mediaTS, a.Path, i+firstSegment)
}

// segPath is the path of the i-th segment of track for session s: the muxed
// TS segment (audio and video together, track ignored) or the CMAF one of
// the session's variant.
func (s *Session) segPath(a *asset, track string, i int) string {
	switch {
	case s.tsMedia():
		return tsSegPath(a, i)
	case s.bfMedia():
		return path.Join(mediaBF, a.SegPath(track, i))
	}
	return a.SegPath(track, i)
}

// initPath is the path of track's init segment for session s (CMAF
// variants; TS segments carry their own codec set-up).
func (s *Session) initPath(a *asset, track string) string {
	if s.bfMedia() {
		return path.Join(mediaBF, a.InitPath(track))
	}
	return a.InitPath(track)
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

// bfTrack is one track of an asset's bf variant as its boxes say: the
// timescale, each segment's earliest presentation time and duration, and
// the edit list's offset (media.TrackInit.Offset).
type bfTrack struct {
	timescale int64
	start     []int64
	ticks     []int64
	offset    float64
}

// bfTiming is an asset's bf variant timing, video and audio.
type bfTiming struct{ video, audio bfTrack }

// loadBF reads the bf variant's timing of a from fsys: nil without error
// when the tree has no bf variant of it (a --media tree made by
// make-media.sh alone), an error when its files are broken or do not
// match the catalog's segments.
func loadBF(fsys fs.FS, a *asset) (*bfTiming, error) {
	dir := path.Join(mediaBF, a.Path)
	if _, err := fs.Stat(fsys, path.Join(dir, "video", "init.mp4")); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var out bfTiming
	for _, tr := range []struct {
		name string
		dst  *bfTrack
	}{{"video", &out.video}, {"audio", &out.audio}} {
		ft, err := media.ReadFragTrack(fsys, path.Join(dir, tr.name))
		if err != nil {
			return nil, err
		}
		if len(ft.Frags) != len(a.Segments) {
			return nil, fmt.Errorf("%s/%s: %d segments, catalog %d", dir, tr.name, len(ft.Frags), len(a.Segments))
		}
		t := bfTrack{timescale: ft.Init.Timescale, offset: ft.Init.Offset()}
		for _, f := range ft.Frags {
			t.start = append(t.start, f.Earliest)
			t.ticks = append(t.ticks, f.Duration)
		}
		*tr.dst = t
	}
	return &out, nil
}

// dashTiming returns what a Period's SegmentTemplate says of track for
// session s: the timescale, the presentationTimeOffset (the media time
// shown at the Period's start), the S@t of the first listed segment and
// every segment's duration (indexed like the asset's segments).
//
// CMAF media: the catalog's ticks, segment k starting at the sum of the
// ones before it, the Period's first segment at its start.
//
// bf media: the video's first frame of the Period's first segment is
// presented at the Period's start: its earliest presentation time
// (decode time plus the B-frame delay, as Chromium's MSE places it: it
// applies no edit list). Audio keeps its timing to the video as the
// edit lists give it (to their millisecond): the audio media time of that
// same instant, so a segment's audio starting a few ms ahead or behind
// the video stays so.
func (s *Session) dashTiming(p dashPeriod, track string) (timescale, pto, t0 int64, ticks []int64) {
	if bf := p.asset.bf; s.bfMedia() && bf != nil {
		v := bf.video
		pto = v.start[p.first]
		tr := v
		if track == "audio" {
			tr = bf.audio
			at := float64(pto)/float64(v.timescale) + v.offset - tr.offset
			pto = int64(math.Round(at * float64(tr.timescale)))
		}
		return tr.timescale, pto, tr.start[p.idxs[0]], tr.ticks
	}
	timescale, ticks = p.asset.Timing(track)
	for k := 0; k < p.idxs[0]; k++ {
		if k == p.first {
			pto = t0
		}
		t0 += ticks[k]
	}
	if p.first == p.idxs[0] {
		pto = t0
	}
	return timescale, pto, t0, ticks
}
