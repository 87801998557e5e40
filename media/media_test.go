package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// box walks the ISO BMFF boxes in b, calling fn with each type and payload.
func boxes(t *testing.T, b []byte, fn func(typ string, payload []byte)) {
	t.Helper()
	for len(b) > 0 {
		require.GreaterOrEqual(t, len(b), 8, "box header")
		size := uint64(binary.BigEndian.Uint32(b))
		typ, hdr := string(b[4:8]), uint64(8)
		switch size {
		case 0:
			size = uint64(len(b))
		case 1:
			size, hdr = binary.BigEndian.Uint64(b[8:]), 16
		}
		require.LessOrEqual(t, size, uint64(len(b)), "box %s overruns", typ)
		fn(typ, b[hdr:size])
		b = b[size:]
	}
}

// initInfo reads the media timescale (mdhd), the trex default sample
// duration and, for video, the avcC profile/compat/level bytes.
func initInfo(t *testing.T, b []byte) (timescale, trexDur uint32, avc string) {
	var walk func(typ string, p []byte)
	walk = func(typ string, p []byte) {
		switch typ {
		case "moov", "trak", "mdia", "mvex":
			boxes(t, p, walk)
		case "mdhd":
			if p[0] == 1 {
				timescale = binary.BigEndian.Uint32(p[20:])
			} else {
				timescale = binary.BigEndian.Uint32(p[12:])
			}
		case "trex":
			trexDur = binary.BigEndian.Uint32(p[12:])
		}
	}
	boxes(t, b, walk)
	if i := bytes.Index(b, []byte("avcC")); i >= 0 {
		avc = fmt.Sprintf("avc1.%02x%02x%02x", b[i+5], b[i+6], b[i+7])
	}
	return timescale, trexDur, avc
}

// segmentTicks sums the sample durations of every fragment in a media
// segment (trun per-sample durations, else tfhd's, else trex's default).
func segmentTicks(t *testing.T, b []byte, trexDur uint32) (ticks int64) {
	var def uint32
	var walk func(typ string, p []byte)
	walk = func(typ string, p []byte) {
		switch typ {
		case "moof", "traf":
			def = trexDur
			boxes(t, p, walk)
		case "tfhd":
			flags := binary.BigEndian.Uint32(p) & 0xFFFFFF
			off := 8
			if flags&0x01 != 0 {
				off += 8
			}
			if flags&0x02 != 0 {
				off += 4
			}
			if flags&0x08 != 0 {
				def = binary.BigEndian.Uint32(p[off:])
			}
		case "trun":
			flags := binary.BigEndian.Uint32(p) & 0xFFFFFF
			n := int(binary.BigEndian.Uint32(p[4:]))
			off := 8
			if flags&0x01 != 0 {
				off += 4
			}
			if flags&0x04 != 0 {
				off += 4
			}
			per := 0
			for _, f := range []uint32{0x100, 0x200, 0x400, 0x800} {
				if flags&f != 0 {
					per += 4
				}
			}
			for i := range n {
				if flags&0x100 != 0 {
					ticks += int64(binary.BigEndian.Uint32(p[off+i*per:]))
				} else {
					ticks += int64(def)
				}
			}
		}
	}
	boxes(t, b, walk)
	return ticks
}

func TestCatalogMatchesFiles(t *testing.T) {
	cat, err := Load()
	require.NoError(t, err)
	var cmaf int
	for _, a := range cat.Assets {
		if !a.IsCMAF() {
			continue
		}
		cmaf++
		for _, tr := range []struct {
			name  string
			track *Track
		}{{"video", a.Video}, {"audio", a.Audio}} {
			t.Run(a.ID+"/"+tr.name, func(t *testing.T) {
				init, err := fs.ReadFile(FS, a.InitPath(tr.name))
				require.NoError(t, err)
				ts, trexDur, avc := initInfo(t, init)
				assert.EqualValues(t, tr.track.Timescale, ts, "timescale")
				if tr.name == "video" {
					assert.Equal(t, tr.track.Codecs, avc, "codecs string vs avcC")
				}
				files, err := fs.Glob(FS, path.Join(a.Path, tr.name, "seg-*.m4s"))
				require.NoError(t, err)
				require.Len(t, files, len(tr.track.Segments), "segment files vs catalog")
				require.Len(t, tr.track.SegmentTicks, len(tr.track.Segments))
				var sum float64
				for i, want := range tr.track.Segments {
					b, err := fs.ReadFile(FS, a.SegmentPath(tr.name, i+1))
					require.NoError(t, err)
					got := segmentTicks(t, b, trexDur)
					assert.Equal(t, tr.track.SegmentTicks[i], got, "segment %d ticks", i+1)
					assert.InDelta(t, want, float64(got)/float64(ts), 0.001, "segment %d seconds", i+1)
					sum += want
				}
				assert.InDelta(t, tr.track.Duration, sum, 1e-6)
			})
		}
		t.Run(a.ID+"/timeline", func(t *testing.T) {
			assert.Equal(t, a.Video.Segments, a.Segments)
			assert.InDelta(t, a.Duration, a.Video.Duration, 1e-9)
			for i, d := range a.Segments[:len(a.Segments)-1] {
				assert.InDelta(t, 2.0, d, 1e-9, "video segment %d must be exactly 2 s", i+1)
			}
			// Audio follows the video cut points to within one AAC frame,
			// so players see no A/V gap at a discontinuity.
			var at, vt float64
			for i := range a.Segments {
				at += a.Audio.Segments[i]
				vt += a.Segments[i]
				assert.InDelta(t, vt, at, 1024.0/48000, "audio end of segment %d", i+1)
			}
			if a.VASTDuration > 0 {
				assert.InDelta(t, a.VASTDuration, a.Duration, 1e-9)
			}
		})
	}
	assert.GreaterOrEqual(t, cmaf, 6, "content, four ads and a slate")
}

// Content, ads and slate must share one encoding so players cross the
// stitched discontinuities and periods without re-initialising.
func TestSharedEncoding(t *testing.T) {
	cat, err := Load()
	require.NoError(t, err)
	ref, ok := cat.Asset("main")
	require.True(t, ok)
	for _, a := range cat.Assets {
		if !a.IsCMAF() {
			continue
		}
		t.Run(a.ID, func(t *testing.T) {
			assert.Equal(t, ref.Video.Codecs, a.Video.Codecs)
			assert.Equal(t, ref.Video.Width, a.Video.Width)
			assert.Equal(t, ref.Video.Height, a.Video.Height)
			assert.Equal(t, ref.Video.FrameRate, a.Video.FrameRate)
			assert.Equal(t, ref.Video.Timescale, a.Video.Timescale)
			assert.Equal(t, ref.Audio.Codecs, a.Audio.Codecs)
			assert.Equal(t, ref.Audio.Timescale, a.Audio.Timescale)
			assert.Equal(t, ref.Audio.SampleRate, a.Audio.SampleRate)
			assert.Equal(t, ref.Audio.Channels, a.Audio.Channels)
			assert.Positive(t, a.Video.Bandwidth)
			assert.GreaterOrEqual(t, a.Video.Bandwidth, a.Video.AverageBandwidth)
		})
	}
}

func TestCatalogCoversTree(t *testing.T) {
	cat, err := Load()
	require.NoError(t, err)
	owned := map[string]bool{"catalog.json": true}
	for _, a := range cat.Assets {
		if a.IsCMAF() {
			owned[a.Path] = true
			owned[path.Join(VariantTS, a.Path)] = true // the TS variant (ts_test.go)
			owned[path.Join(VariantBF, a.Path)] = true // the fMP4 B-frame variant (bf_test.go)
		} else {
			owned[a.File] = true
		}
	}
	var total int64
	err = fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		for q := p; q != "."; q = path.Dir(q) {
			if owned[q] {
				return nil
			}
		}
		t.Errorf("%s is not in the catalog", p)
		return nil
	})
	require.NoError(t, err)
	// The CMAF media 3.8 MB, the TS variant 3.8, the B-frame variant 2.4,
	// the MP3 and progressive creatives 0.4: about 9.2 MB.
	assert.Less(t, total, int64(10<<20), "bundled media budget")
	t.Logf("bundled media: %.2f MB", float64(total)/(1<<20))
}

func TestCatalogLookups(t *testing.T) {
	cat, err := Load()
	require.NoError(t, err)
	tests := []struct {
		id, kind string
		vast     float64
	}{
		{"main", KindContent, 0}, {"ad-a", KindAd, 10}, {"ad-b", KindAd, 6}, {"ad-c", KindAd, 15},
		{"ad-d", KindAd, 8}, {"slate", KindSlate, 0}, {"vpaid-video", KindMP4, 6},
		{"good", KindMP3, 10}, {"bad", KindMP3, 10},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			a, ok := cat.Asset(tt.id)
			require.True(t, ok)
			assert.Equal(t, tt.kind, a.Kind)
			assert.Equal(t, tt.vast, a.VASTDuration)
			if !a.IsCMAF() {
				info, err := fs.Stat(FS, a.File)
				require.NoError(t, err)
				assert.Equal(t, info.Size(), a.Size)
			}
		})
	}
	_, ok := cat.Asset("nope")
	assert.False(t, ok)
	assert.Len(t, cat.Kind(KindAd), 4)
	a, _ := cat.Asset("ad-c")
	assert.Equal(t, "ads/ad-c/audio/seg-00008.m4s", a.SegmentPath("audio", 8))
	assert.Equal(t, "ads/ad-c/video/init.mp4", a.InitPath("video"))
}

func TestParseRejects(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not json", `{`, "catalog"},
		{"duplicate", `{"assets":[{"id":"x","kind":"mp3"},{"id":"x","kind":"mp3"}]}`, "duplicate id"},
		{"cmaf without tracks", `{"assets":[{"id":"a","kind":"ad","segments":[2]}]}`, "lacks tracks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestVerifyMP3(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Catalog)
		want   []string
	}{
		{"bundled catalog", func(*Catalog) {}, nil},
		{"good declared too short", func(c *Catalog) { a, _ := c.Asset("good"); a.VASTDuration = 9 }, []string{`"good"`, "declared"}},
		{"bad no longer marked", func(c *Catalog) { a, _ := c.Asset("bad"); a.DeliberatelyBad = false }, []string{`"bad"`, "declared", "loudness"}},
		{"good marked bad", func(c *Catalog) { a, _ := c.Asset("good"); a.DeliberatelyBad = true }, []string{`"good" is marked deliberatelyBad`}},
		{"catalog duration wrong", func(c *Catalog) { a, _ := c.Asset("good"); a.Duration = 10.2 }, []string{"decodes to 10.000 s, catalog says 10.200 s"}},
		{"missing file", func(c *Catalog) { a, _ := c.Asset("good"); a.File = "mp3/none.mp3" }, []string{"none.mp3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := Load()
			require.NoError(t, err)
			tt.change(cat)
			err = VerifyMP3(cat)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestVerifyMP3FS(t *testing.T) {
	good, err := fs.ReadFile(FS, "mp3/good.mp3")
	require.NoError(t, err)
	bad, err := fs.ReadFile(FS, "mp3/bad.mp3")
	require.NoError(t, err)
	entry := func(id string, extra string) string {
		return `{"id":"` + id + `","kind":"mp3","file":"mp3/` + id + `.mp3","duration":` + map[string]string{"good": "10", "bad": "11.5"}[id] + `,"vastDuration":10` + extra + `}`
	}
	tests := []struct {
		name, catalog string
		want          string
	}{
		{"on-disk media dir", "", ""},
		{"both correct", `{"assets":[` + entry("good", "") + `,` + entry("bad", `,"deliberatelyBad":true`) + `]}`, ""},
		{"bad creative unmarked", `{"assets":[` + entry("bad", "") + `]}`, `"bad": declared`},
		{"no catalog", "-", "catalog.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fsys fs.FS = os.DirFS(".")
			if tt.catalog != "" {
				m := fstest.MapFS{"mp3/good.mp3": {Data: good}, "mp3/bad.mp3": {Data: bad}}
				if tt.catalog != "-" {
					m["catalog.json"] = &fstest.MapFile{Data: []byte(tt.catalog)}
				}
				fsys = m
			}
			err := VerifyMP3FS(fsys)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.want)
		})
	}
}

// The loudness recorded at generation (ffmpeg ebur128) must agree with
// what the inspector measures, or the panel would contradict the catalog.
func TestMP3CatalogValues(t *testing.T) {
	cat, err := Load()
	require.NoError(t, err)
	for _, a := range cat.Kind(KindMP3) {
		t.Run(a.ID, func(t *testing.T) {
			assert.True(t, strings.HasSuffix(a.File, ".mp3"))
			assert.False(t, math.IsNaN(a.Loudness))
			if a.DeliberatelyBad {
				assert.Greater(t, math.Abs(a.Duration-a.VASTDuration), 0.5)
			} else {
				assert.InDelta(t, a.VASTDuration, a.Duration, 0.001)
				assert.InDelta(t, -24, a.Loudness, 0.5)
			}
		})
	}
}
