package emulator

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"time"

	"github.com/availkit/availkit/media"
)

// asset is the emulator's view of one stitchable media.Asset (content, ad
// or slate): segment durations as time.Duration, the timeline the stitched
// manifests follow, and the file paths inside the catalog's FS.
type asset struct {
	*media.Asset
	// Segments are the video segment durations; the audio track has its
	// own (AAC frames do not divide 2 s evenly) and the same count.
	Segments     []time.Duration
	VASTDuration time.Duration
	Video, Audio media.Track
	// bf is the timing of the asset's bf variant (variant.go), nil when
	// the media tree has none.
	bf *bfTiming
}

// catalog is the emulator's view of a media.Catalog: the stitchable assets
// and the file system holding their segments. It is read-only after
// construction and safe for concurrent use.
type catalog struct {
	FS     fs.FS
	assets []*asset
	ads    []*asset // by duration, then id
}

// newCatalog derives the emulator's view from the one catalog model. It
// needs content, a slate and at least one ad, each with an init segment in
// c.FS; file kinds (mp3, mp4) are served under /media/, never stitched.
func newCatalog(c *media.Catalog) (*catalog, error) {
	if c == nil || c.FS == nil {
		return nil, errors.New("emulator: no media catalog (or it has no file system)")
	}
	out := &catalog{FS: c.FS}
	for _, m := range c.Assets {
		if !m.IsCMAF() {
			continue
		}
		a := &asset{Asset: m, Video: *m.Video, Audio: *m.Audio, VASTDuration: seconds(m.VASTDuration)}
		for _, s := range m.Segments {
			a.Segments = append(a.Segments, seconds(s))
		}
		_, err := fs.Stat(c.FS, m.InitPath("video"))
		if err != nil {
			return nil, fmt.Errorf("emulator: catalog: %s %q: %w", m.Kind, m.ID, err)
		}
		if a.bf, err = loadBF(c.FS, a); err != nil {
			return nil, fmt.Errorf("emulator: catalog: %s %q: media variant %s: %w", m.Kind, m.ID, mediaBF, err)
		}
		out.assets = append(out.assets, a)
		if m.Kind == media.KindAd {
			out.ads = append(out.ads, a)
		}
	}
	slices.SortStableFunc(out.ads, func(a, b *asset) int {
		return cmp.Or(cmp.Compare(a.Duration(), b.Duration()), cmp.Compare(a.ID, b.ID))
	})
	if out.Content("") == nil || out.Slate() == nil || len(out.ads) == 0 {
		return nil, errors.New("emulator: catalog: needs content, slate and at least one ad")
	}
	return out, nil
}

// Timing returns a track's timescale and per-segment ticks ("video" or
// "audio"), derived from the segment durations when the catalog has none.
func (a *asset) Timing(track string) (int64, []int64) {
	t := a.Video
	if track == "audio" {
		t = a.Audio
	}
	if t.Timescale > 0 && len(t.SegmentTicks) == len(a.Segments) {
		return int64(t.Timescale), t.SegmentTicks
	}
	ticks := make([]int64, len(a.Segments))
	for i, d := range a.Segments {
		ticks[i] = int64(d) * 90000 / int64(time.Second)
	}
	return 90000, ticks
}

// Duration is the sum of the segment durations.
func (a *asset) Duration() time.Duration {
	var d time.Duration
	for _, s := range a.Segments {
		d += s
	}
	return d
}

// firstSegment is the number of a track's first segment file: media names
// them from 1 (seg-00001.m4s).
const firstSegment = 1

// SegPath is the path of a track's i-th (0-based) media segment.
func (a *asset) SegPath(track string, i int) string { return a.SegmentPath(track, i+firstSegment) }

// Content returns the content asset with the given id, or the first content
// asset when id is "".
func (c *catalog) Content(id string) *asset { return c.find(media.KindContent, id) }

// Slate returns the slate asset.
func (c *catalog) Slate() *asset { return c.find(media.KindSlate, "") }

// Ad returns the ad asset with the given id, nil when unknown.
func (c *catalog) Ad(id string) *asset {
	if id == "" {
		return nil
	}
	return c.find(media.KindAd, id)
}

// Ads returns the ad assets ordered by duration, then id.
func (c *catalog) Ads() []*asset { return c.ads }

// ClosestAd returns the ad whose duration is closest to d; it stands for the
// transcode of a creative that is not bundled.
func (c *catalog) ClosestAd(d time.Duration) *asset {
	var best *asset
	bestDiff := time.Duration(math.MaxInt64)
	for _, a := range c.ads {
		diff := a.Duration() - d
		if diff < 0 {
			diff = -diff
		}
		if diff < bestDiff {
			best, bestDiff = a, diff
		}
	}
	return best
}

func (c *catalog) find(kind, id string) *asset {
	for _, a := range c.assets {
		if a.Kind == kind && (id == "" || a.ID == id) {
			return a
		}
	}
	return nil
}

func seconds(s float64) time.Duration { return time.Duration(math.Round(s * 1e9)) }
