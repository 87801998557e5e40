package media

import (
	"fmt"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// firstPES returns the PTS and DTS (90 kHz) of the first PES packet of each
// elementary stream kind ('v' video 0xE0-0xEF, 'a' audio 0xC0-0xDF) in an
// MPEG-TS segment. DTS equals PTS when the header carries none.
func firstPES(t *testing.T, b []byte) map[byte][2]int64 {
	t.Helper()
	out := map[byte][2]int64{}
	require.Zero(t, len(b)%188, "not whole 188-byte packets")
	ts := func(p []byte) int64 {
		return int64(p[0]>>1&7)<<30 | int64(p[1])<<22 | int64(p[2]>>1)<<15 | int64(p[3])<<7 | int64(p[4]>>1)
	}
	for off := 0; off < len(b); off += 188 {
		p := b[off : off+188]
		require.Equal(t, byte(0x47), p[0], "sync byte at %d", off)
		if p[1]&0x40 == 0 { // no payload unit start
			continue
		}
		start := 4
		if afc := p[3] >> 4 & 3; afc == 2 {
			continue
		} else if afc == 3 {
			start += 1 + int(p[4])
		}
		pes := p[start:]
		if len(pes) < 14 || pes[0] != 0 || pes[1] != 0 || pes[2] != 1 {
			continue
		}
		var kind byte
		switch id := pes[3]; {
		case id >= 0xE0 && id <= 0xEF:
			kind = 'v'
		case id >= 0xC0 && id <= 0xDF:
			kind = 'a'
		default:
			continue
		}
		if _, seen := out[kind]; seen || pes[7]&0x80 == 0 {
			continue
		}
		pts := ts(pes[9:])
		dts := pts
		if pes[7]&0x40 != 0 {
			dts = ts(pes[14:])
		}
		out[kind] = [2]int64{pts, dts}
	}
	return out
}

// TestTSVariant checks the media/ts tree against the catalog: one muxed
// segment per CMAF segment of every stream asset, none extra, each holding
// both tracks, and the properties the variant exists for: the first video
// frame presented after its decode time (B-frames) and audio starting a few
// ms before video.
func TestTSVariant(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	n := 0
	for _, a := range c.Assets {
		if !a.IsCMAF() {
			continue
		}
		n++
		t.Run(a.ID, func(t *testing.T) {
			for i := 1; i <= len(a.Segments); i++ {
				b, err := fs.ReadFile(FS, fmt.Sprintf("ts/%s/seg-%05d.ts", a.Path, i))
				require.NoError(t, err)
				assert.Less(t, len(b), 1<<20, "segment %d over 1 MB", i)
				pes := firstPES(t, b)
				require.Contains(t, pes, byte('v'), "segment %d has no video", i)
				require.Contains(t, pes, byte('a'), "segment %d has no audio", i)
				if i == 1 {
					v, au := pes['v'], pes['a']
					// Two B-frames: 2 × 3000 ticks at 30 fps.
					assert.Equal(t, int64(6000), v[0]-v[1], "first video PTS − DTS")
					lead := float64(v[0]-au[0]) / 90
					assert.True(t, lead > 1 && lead < 30, "audio leads video by %.1f ms", lead)
				}
			}
			_, err := fs.Stat(FS, fmt.Sprintf("ts/%s/seg-%05d.ts", a.Path, len(a.Segments)+1))
			assert.ErrorIs(t, err, fs.ErrNotExist, "segment past the catalog's timeline")
		})
	}
	assert.Equal(t, 6, n, "stream assets")
}
