package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"sort"
	"time"
)

// Asset kinds of the media catalog.
const (
	KindContent = "content"
	KindAd      = "ad"
	KindSlate   = "slate"
	KindMP3     = "mp3"
)

// Asset is one bundled, already "transcoded" rendition set: content, an ad
// creative or the slate. Segments are the video segment durations, which
// drive the stitched timeline; the audio track has its own (AAC frames do not
// divide 2 s evenly) and the same segment count.
type Asset struct {
	ID           string
	Kind         string
	Title        string
	Segments     []time.Duration
	VASTDuration time.Duration
	Video        VideoInfo
	Audio        AudioInfo
	// Dir is the asset's directory inside the catalog FS, e.g. "ads/ad-10s".
	Dir string
	// FirstNumber is the number of the first segment file (seg-%05d.m4s).
	FirstNumber int
}

// VideoInfo describes the video rendition.
type VideoInfo struct {
	Codecs    string `json:"codecs"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	Bandwidth int    `json:"bandwidth"`
	TrackTiming
}

// AudioInfo describes the audio rendition.
type AudioInfo struct {
	Codecs     string `json:"codecs"`
	Bandwidth  int    `json:"bandwidth"`
	SampleRate int    `json:"sampleRate"`
	TrackTiming
}

// TrackTiming is a track's exact segment timing in its media timescale.
// Empty Ticks means unknown: callers fall back to Asset.Segments.
type TrackTiming struct {
	Timescale int64     `json:"timescale"`
	Ticks     []int64   `json:"segmentTicks"`
	Secs      []float64 `json:"segments"`
}

// Timing returns a track's timescale and per-segment ticks ("video" or
// "audio"), derived from the asset's segment durations when the catalog
// has none.
func (a *Asset) Timing(track string) (int64, []int64) {
	t := a.Video.TrackTiming
	if track == "audio" {
		t = a.Audio.TrackTiming
	}
	if t.Timescale > 0 && len(t.Ticks) == len(a.Segments) {
		return t.Timescale, t.Ticks
	}
	ticks := make([]int64, len(a.Segments))
	for i, d := range a.Segments {
		ticks[i] = int64(d) * 90000 / int64(time.Second)
	}
	return 90000, ticks
}

// TrackSegments returns a track's segment durations.
func (a *Asset) TrackSegments(track string) []time.Duration {
	ts, ticks := a.Timing(track)
	out := make([]time.Duration, len(ticks))
	for i, t := range ticks {
		out[i] = time.Duration(t * int64(time.Second) / ts)
	}
	return out
}

// Duration is the sum of the segment durations.
func (a *Asset) Duration() time.Duration {
	var d time.Duration
	for _, s := range a.Segments {
		d += s
	}
	return d
}

// InitPath is the path of a track's initialization segment inside the
// catalog FS; track is "video" or "audio".
func (a *Asset) InitPath(track string) string { return a.Dir + "/" + track + "/init.mp4" }

// SegPath is the path of a track's i-th (0-based) media segment.
func (a *Asset) SegPath(track string, i int) string {
	return fmt.Sprintf("%s/%s/seg-%05d.m4s", a.Dir, track, i+a.FirstNumber)
}

// Catalog is the set of bundled assets and the file system holding their
// segments. It is read-only after construction and safe for concurrent use.
type Catalog struct {
	FS     fs.FS
	Assets []*Asset
}

// Content returns the content asset with the given id, or the first content
// asset when id is "".
func (c *Catalog) Content(id string) *Asset { return c.find(KindContent, id) }

// Slate returns the slate asset.
func (c *Catalog) Slate() *Asset { return c.find(KindSlate, "") }

// Ad returns the ad asset with the given id, nil when unknown.
func (c *Catalog) Ad(id string) *Asset {
	if id == "" {
		return nil
	}
	return c.find(KindAd, id)
}

// Ads returns the ad assets ordered by duration, then id.
func (c *Catalog) Ads() []*Asset {
	var out []*Asset
	for _, a := range c.Assets {
		if a.Kind == KindAd {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		di, dj := out[i].Duration(), out[j].Duration()
		if di != dj {
			return di < dj
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// ClosestAd returns the ad whose duration is closest to d; it stands for the
// transcode of a creative that is not bundled.
func (c *Catalog) ClosestAd(d time.Duration) *Asset {
	var best *Asset
	bestDiff := time.Duration(math.MaxInt64)
	for _, a := range c.Ads() {
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

func (c *Catalog) find(kind, id string) *Asset {
	for _, a := range c.Assets {
		if a.Kind == kind && (id == "" || a.ID == id) {
			return a
		}
	}
	return nil
}

type catalogEntry struct {
	ID           string    `json:"id"`
	Kind         string    `json:"kind"`
	Title        string    `json:"title"`
	Duration     float64   `json:"duration"`
	Segments     []float64 `json:"segments"`
	VASTDuration float64   `json:"vastDuration"`
	Video        VideoInfo `json:"video"`
	Audio        AudioInfo `json:"audio"`
	Path         string    `json:"path"`
	Dir          string    `json:"dir"`
}

// LoadCatalog reads catalog.json at the root of fsys (either an array of
// entries or {"assets": [...]}) and locates each asset's directory. Entries
// of kind mp3 are skipped: they are never stitched.
func LoadCatalog(fsys fs.FS) (*Catalog, error) {
	raw, err := fs.ReadFile(fsys, "catalog.json")
	if err != nil {
		return nil, err
	}
	var entries []catalogEntry
	if err := json.Unmarshal(raw, &entries); err != nil {
		var wrapped struct {
			Assets []catalogEntry `json:"assets"`
		}
		if err2 := json.Unmarshal(raw, &wrapped); err2 != nil {
			return nil, fmt.Errorf("catalog.json: %w", err)
		}
		entries = wrapped.Assets
	}
	c := &Catalog{FS: fsys}
	for _, e := range entries {
		if e.Kind != KindContent && e.Kind != KindAd && e.Kind != KindSlate {
			continue // progressive files (mp3, mp4) are served, never stitched
		}
		a := &Asset{ID: e.ID, Kind: e.Kind, Title: e.Title, Video: e.Video, Audio: e.Audio,
			VASTDuration: secondsToDuration(e.VASTDuration)}
		for _, s := range e.Segments {
			a.Segments = append(a.Segments, secondsToDuration(s))
		}
		if len(a.Segments) == 0 {
			return nil, fmt.Errorf("catalog.json: asset %q has no segments", e.ID)
		}
		a.Dir = locateDir(fsys, e)
		if a.Dir == "" {
			return nil, fmt.Errorf("catalog.json: no directory found for asset %q", e.ID)
		}
		if _, err := fs.Stat(fsys, a.Dir+"/video/seg-00000.m4s"); err != nil {
			a.FirstNumber = 1
		}
		c.Assets = append(c.Assets, a)
	}
	if c.Content("") == nil || c.Slate() == nil || len(c.Ads()) == 0 {
		return nil, errors.New("catalog.json: needs content, slate and at least one ad")
	}
	return c, nil
}

func locateDir(fsys fs.FS, e catalogEntry) string {
	cands := []string{e.Dir, e.Path}
	switch e.Kind {
	case KindContent:
		cands = append(cands, "content/"+e.ID)
	case KindAd:
		cands = append(cands, "ads/"+e.ID)
	case KindSlate:
		cands = append(cands, "slate/"+e.ID, "slate")
	}
	for _, d := range cands {
		if d == "" {
			continue
		}
		if _, err := fs.Stat(fsys, d+"/video/init.mp4"); err == nil {
			return d
		}
	}
	return ""
}

func secondsToDuration(s float64) time.Duration {
	return time.Duration(math.Round(s * 1e9))
}
