package media

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBFVariant reads the boxes of media/bf (scripts/make-media-bf.sh) and
// checks the properties the variant exists for, per stream asset: one
// video and one audio fragment per catalog segment, none extra; video cut
// where the CMAF media is (every segment 2 s of 30 fps, the catalog's
// durations), B-frames (composition offsets in the trun, the first frame
// presented two frame durations after its decode time, behind ffmpeg's
// edit list); AAC with its priming kept (the audio runs longer than the
// CMAF media's trimmed track), audio starting a few ms before video, and
// audio segments a few ms off 2 s.
func TestBFVariant(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	n := 0
	for _, a := range c.Assets {
		if !a.IsCMAF() {
			continue
		}
		n++
		t.Run(a.ID, func(t *testing.T) {
			v, err := ReadFragTrack(FS, fmt.Sprintf("%s/%s/video", VariantBF, a.Path))
			require.NoError(t, err)
			au, err := ReadFragTrack(FS, fmt.Sprintf("%s/%s/audio", VariantBF, a.Path))
			require.NoError(t, err)
			require.Len(t, v.Frags, len(a.Segments), "video segments")
			require.Len(t, au.Frags, len(a.Segments), "audio segments")

			frame := v.Init.Timescale / 30
			require.Equal(t, int64(15360), v.Init.Timescale)
			reordered := false
			var at int64
			for i, f := range v.Frags {
				assert.Equal(t, at, f.DecodeTime, "video segment %d tfdt", i+1)
				assert.InDelta(t, a.Segments[i], float64(f.Duration)/float64(v.Init.Timescale), 1e-9, "video segment %d: the CMAF cut", i+1)
				// The key frame is presented two frames (the B-frame
				// delay) after its decode time, and no frame earlier.
				assert.Equal(t, 2*frame, f.Offsets[0], "video segment %d: first composition offset", i+1)
				assert.Equal(t, f.DecodeTime+2*frame, f.Earliest, "video segment %d: earliest presentation", i+1)
				for k := 1; k < len(f.Offsets); k++ {
					// A B-frame is presented before the frame decoded
					// ahead of it.
					if f.Offsets[k]+int64(k)*frame < f.Offsets[k-1]+int64(k-1)*frame {
						reordered = true
					}
				}
				at += f.Duration
			}
			assert.True(t, reordered, "no frame presented out of decode order: no B-frames")
			// ffmpeg's edit list hides the composition delay: an empty
			// edit of about two frames, then the media from 1024 ticks.
			require.NotEmpty(t, v.Init.Edits)
			assert.Equal(t, 2*frame, v.Init.Edits[len(v.Init.Edits)-1].MediaTime, "video edit: media time of the first real edit")

			require.Equal(t, int64(48000), au.Init.Timescale)
			var adur int64
			off2s := false
			for i, f := range au.Frags {
				assert.Equal(t, adur, f.DecodeTime, "audio segment %d tfdt", i+1)
				d := float64(f.Duration) / 48000
				if i < len(au.Frags)-1 && math.Abs(d-2) > 0.001 {
					off2s = true
				}
				adur += f.Duration
			}
			if len(au.Frags) > 1 {
				assert.True(t, off2s, "every audio segment exactly 2 s")
			}
			// Priming kept: the track holds the 1024 priming samples on top
			// of its source (the asset's length less the 25 ms the script
			// stops it short), to within the last AAC frame, which the
			// muxer shortens to the real end.
			src := int64(math.Round((a.Duration - 0.025) * 48000))
			assert.InDelta(t, float64(src+1024), float64(adur), 1023, "audio samples: source %d + priming 1024", src)
			// The first video frame (movie time: its media time plus its
			// track's edit offset) comes a few ms after the first audio.
			first := float64(v.Frags[0].Earliest)/float64(v.Init.Timescale) + v.Init.Offset()
			lead := (first - au.Init.Offset()) * 1000
			assert.True(t, lead > 2 && lead < 30, "audio leads video by %.1f ms", lead)
		})
	}
	assert.Equal(t, 6, n, "stream assets")
}

// TestParseFragmentSigned: trun version 1 carries signed composition
// offsets (what -movflags negative_cts_offsets writes); the earliest
// presentation time may then lie before the decode time.
func TestParseFragmentSigned(t *testing.T) {
	be := func(v uint32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }
	mk := func(typ string, body ...[]byte) []byte {
		var b []byte
		for _, x := range body {
			b = append(b, x...)
		}
		return append(append(be(uint32(8+len(b))), typ...), b...)
	}
	neg := func(v int32) []byte { return be(uint32(v)) }
	tfhd := mk("tfhd", be(0x8), be(1), be(512))
	tfdt := mk("tfdt", be(0), be(1000))
	trun := mk("trun", be(1<<24|0x800), be(3), neg(0), neg(1024), neg(-512))
	seg := mk("moof", mk("traf", tfhd, tfdt, trun))
	f, err := ParseFragment(seg, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, f.Samples)
	assert.Equal(t, int64(1536), f.Duration)
	assert.Equal(t, []int64{0, 1024, -512}, f.Offsets)
	assert.Equal(t, int64(1000), f.Earliest, "min(1000, 1512+1024, 2024-512)")

	_, err = ParseFragment(mk("moof", mk("traf", tfhd, trun)), nil)
	assert.Error(t, err, "no tfdt")
	_, err = ParseFragment(seg[:len(seg)-3], nil)
	assert.Error(t, err, "truncated")
}
