package creative

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/hajimehoshi/go-mp3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodableFixtures are the fixtures go-mp3 decodes: CBR, VBR, mono,
// MPEG-2, 32 kHz, with and without ID3v2 and Xing/Info, ID3v1 trailer.
var decodableFixtures = []string{
	"cbr128-stereo-44k", "vbr-stereo-48k", "mono-22k", "no-xing-no-id3-32k",
	"id3v1-trailer", "silence-padded", "loud-noise", "digital-silence",
}

// sequentialPCM is go-mp3's output for the audio frames of s, decoded in
// one go: the reference the chunked decode must reproduce.
func sequentialPCM(t *testing.T, data []byte, s *stream) []byte {
	d, err := mp3.NewDecoder(bytes.NewReader(data[s.start:s.end]))
	require.NoError(t, err)
	pcm, err := io.ReadAll(d)
	require.NoError(t, err)
	return pcm
}

// A chunk decoded with its warm-up must equal the same frames of the
// sequential decode bit for bit, whatever the cut points: that is what
// makes the parallel decode report exactly what the sequential one does.
func TestParallelDecodeIsExact(t *testing.T) {
	for _, name := range decodableFixtures {
		data := fixture(t, name+".mp3")
		s, err := scan(data)
		require.NoError(t, err)
		want := sequentialPCM(t, data, s)
		spf := int64(s.first.samplesPerFrame())
		require.Len(t, want, s.frames*int(spf)*4, "%s: go-mp3 decodes every frame", name)
		for _, size := range []int{1, 2, 3, 7, 16, 41} {
			t.Run(name+"/chunk="+itoa(size), func(t *testing.T) {
				chunks := planChunks(data, s, 2, size)
				require.NotEmpty(t, chunks)
				assert.Zero(t, chunks[0].warm, "the first chunk starts where the sequential decode does")
				var got []byte
				for _, c := range chunks {
					r := decodeChunk(c, spf)
					require.True(t, r.ok, "chunk %d-%d (warm-up from %d)", c.from, c.to, c.warm)
					got = append(got, r.pcm...)
				}
				require.Len(t, got, len(want))
				if i := firstDiff(got, want); i >= 0 {
					t.Fatalf("PCM differs from the sequential decode at sample %d (frame %d)", i/4, int64(i/4)/spf)
				}
			})
		}
	}
}

// The warm-up is needed: with two frames fewer than planned (one fewer
// is still exact, the plan keeps a frame of margin) the chunk's first
// frames differ from the sequential decode. This also shows
// TestParallelDecodeIsExact can fail.
func TestShortWarmupDiffers(t *testing.T) {
	for _, name := range []string{"cbr128-stereo-44k", "vbr-stereo-48k", "mono-22k"} {
		t.Run(name, func(t *testing.T) {
			data := fixture(t, name+".mp3")
			s, err := scan(data)
			require.NoError(t, err)
			want := sequentialPCM(t, data, s)
			spf := int64(s.first.samplesPerFrame())
			c := planChunks(data, s, 2, 40)[1]
			require.GreaterOrEqual(t, c.from-c.warm, 3)
			short := c
			short.warm = c.warm + 2
			short.b = c.b[frameBytes(data, s, c.warm, short.warm):]
			r := decodeChunk(short, spf)
			from := int64(c.from) * spf * 4
			if r.ok {
				i := firstDiff(r.pcm, want[from:from+int64(len(r.pcm))])
				require.GreaterOrEqual(t, i, 0, "a decoder warmed up too briefly matches")
				assert.Less(t, int64(i/4), spf, "it differs in the chunk's first frame")
			}
			exact := decodeChunk(c, spf)
			require.True(t, exact.ok)
			assert.Equal(t, -1, firstDiff(exact.pcm, want[from:from+int64(len(exact.pcm))]))
		})
	}
}

// The report must not depend on how many goroutines decode or where the
// chunks are cut.
func TestParallelReportEqualsSequential(t *testing.T) {
	for _, name := range decodableFixtures {
		data := fixture(t, name+".mp3")
		s, err := scan(data)
		require.NoError(t, err)
		seq, err := decodeWith(data, s, 1, 0)
		require.NoError(t, err)
		for _, c := range []struct{ workers, size int }{{2, 5}, {3, 16}, {4, 2}, {8, 1}} {
			t.Run(name+"/workers="+itoa(c.workers)+"/chunk="+itoa(c.size), func(t *testing.T) {
				par, err := decodeWith(data, s, c.workers, c.size)
				require.NoError(t, err)
				assert.Equal(t, seq, par)
			})
		}
	}
}

// A stream that go-mp3 cannot decode to the end fails the same way on
// every path (the parallel decode falls back to the sequential one), and
// damage it decodes through is reported the same way too.
func TestParallelDecodeDamagedLikeSequential(t *testing.T) {
	data := fixture(t, "cbr128-stereo-44k.mp3")
	s, err := scan(data)
	require.NoError(t, err)
	tests := []struct {
		frame   int
		fill    byte // over the frame's 32 bytes of side info
		wantErr string
	}{
		{20, 0xFF, "is_pos was too big"},
		{77, 0x55, "is_pos was too big"},
		{50, 0x00, ""},
	}
	for _, tt := range tests {
		t.Run(itoa(tt.frame), func(t *testing.T) {
			bad := append([]byte(nil), data...)
			side := s.start + frameBytes(data, s, 0, tt.frame) + 4
			for i := range 32 {
				bad[side+i] = tt.fill
			}
			seqRep, seqErr := decodeWith(bad, s, 1, 0)
			parRep, parErr := decodeWith(bad, s, 3, 4)
			if tt.wantErr == "" {
				require.NoError(t, seqErr)
				require.NoError(t, parErr)
				assert.Equal(t, seqRep, parRep)
				return
			}
			require.ErrorIs(t, seqErr, ErrCorrupt)
			assert.Contains(t, seqErr.Error(), tt.wantErr)
			require.Error(t, parErr)
			assert.Equal(t, seqErr.Error(), parErr.Error())
		})
	}
}

// frameBytes is the length of audio frames [from, to) of s.
func frameBytes(data []byte, s *stream, from, to int) int {
	pos, n := s.start, 0
	for i := 0; i < to; i++ {
		h, _ := parseHeader(data[pos:])
		if i >= from {
			n += h.size
		}
		pos += h.size
	}
	return n
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

func TestPlanChunks(t *testing.T) {
	src := fixture(t, "cbr128-stereo-44k.mp3")
	s, err := scan(src)
	require.NoError(t, err)
	assert.Nil(t, planChunks(src, s, 1, 0), "one worker: no chunks")
	assert.Nil(t, planChunks(src, s, 4, s.frames), "one chunk is no plan")
	chunks := planChunks(src, s, 2, 10)
	var frames int
	for i, c := range chunks {
		assert.Equal(t, frames, c.from, "chunk %d follows the previous one", i)
		assert.LessOrEqual(t, c.warm, c.from)
		frames = c.to
	}
	assert.Equal(t, s.frames, frames, "chunks cover every frame")
	assert.False(t, strings.HasPrefix(string(chunks[0].b), "ID3"), "chunks hold audio frames only")
}

// Parts decoded separately (as the QA page's Web Workers do) and measured
// with InspectPCM report exactly what Inspect does.
func TestDecodePartsThenInspectPCM(t *testing.T) {
	for _, name := range decodableFixtures {
		data := fixture(t, name+".mp3")
		s, err := scan(data)
		require.NoError(t, err)
		want := sequentialPCM(t, data, s)
		ref, err := Inspect(data)
		require.NoError(t, err)
		for _, n := range []int{1, 2, 3, 5} {
			t.Run(name+"/parts="+itoa(n), func(t *testing.T) {
				var pcm []byte
				for k := range n {
					p, err := DecodePart(data, k, n)
					require.NoError(t, err)
					pcm = append(pcm, p...)
				}
				assert.Equal(t, -1, firstDiff(pcm, want), "parts concatenated = one-pass decode")
				rep, err := InspectPCM(data, pcm)
				require.NoError(t, err)
				assert.Equal(t, ref, rep)
			})
		}
	}
}

func TestDecodePartsRejects(t *testing.T) {
	data := fixture(t, "cbr128-stereo-44k.mp3")
	_, err := DecodePart(data, 2, 2)
	assert.Error(t, err, "part out of range")
	_, err = DecodePart([]byte("not audio at all"), 0, 2)
	assert.ErrorIs(t, err, ErrNotMP3)
	p, err := DecodePart(data, 0, 2)
	require.NoError(t, err)
	_, err = InspectPCM(data, p)
	assert.ErrorIs(t, err, ErrCorrupt, "half the PCM is not the file")
	_, err = InspectPCM(fixture(t, "layer2.mp2"), p)
	assert.ErrorIs(t, err, ErrUnsupported)
}
