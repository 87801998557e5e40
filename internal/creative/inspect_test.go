package creative

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// golden holds ffmpeg's measurements of each fixture (testdata/gen.sh).
type golden struct {
	Samples    int64    `json:"samples"`
	SampleRate int      `json:"sampleRate"`
	Channels   int      `json:"channels"`
	Loudness   float64  `json:"loudness"`
	SamplePeak *float64 `json:"samplePeak"`
}

func loadGolden(t testing.TB) map[string]golden {
	b, err := os.ReadFile("testdata/ffmpeg.json")
	require.NoError(t, err)
	var g map[string]golden
	require.NoError(t, json.Unmarshal(b, &g))
	return g
}

func fixture(t testing.TB, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func TestInspectMatchesFFmpeg(t *testing.T) {
	g := loadGolden(t)
	tests := []struct {
		name    string
		format  string
		bitrate int // 0: VBR, not checked exactly
		infoTag string
		gapless bool
		id3     bool
	}{
		{"cbr128-stereo-44k", "MPEG-1 Layer III", 128000, "Info", true, true},
		{"vbr-stereo-48k", "MPEG-1 Layer III", 0, "Xing", true, true},
		{"mono-22k", "MPEG-2 Layer III", 64000, "Info", true, true},
		{"no-xing-no-id3-32k", "MPEG-1 Layer III", 64000, "", false, false},
		{"id3v1-trailer", "MPEG-1 Layer III", 96000, "Info", true, true},
		{"silence-padded", "MPEG-1 Layer III", 64000, "Info", true, true},
		{"loud-noise", "MPEG-1 Layer III", 128000, "Info", true, true},
		{"digital-silence", "MPEG-1 Layer III", 32000, "Info", true, true},
	}
	require.Len(t, g, len(tests)+1, "every generated fixture has a case (+ mono-8k-mpeg25, rejected)")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, ok := g[tt.name]
			require.True(t, ok, "golden values for %s", tt.name)
			r, err := Inspect(fixture(t, tt.name+".mp3"))
			require.NoError(t, err)

			assert.Equal(t, want.Samples, r.Samples, "decoded samples vs ffmpeg")
			assert.InDelta(t, float64(want.Samples)/float64(want.SampleRate), r.Duration, 1e-9)
			assert.Equal(t, want.SampleRate, r.SampleRate)
			assert.Equal(t, want.Channels, r.Channels)
			assert.Equal(t, tt.format, r.Format)
			assert.Equal(t, tt.infoTag, r.InfoTag)
			assert.Equal(t, tt.gapless, r.Gapless)
			assert.Equal(t, tt.id3, r.ID3v2Bytes > 0)
			if tt.format == "MPEG-2 Layer III" {
				assert.Equal(t, []string{warnMPEG2}, r.Warnings)
			} else {
				assert.Empty(t, r.Warnings)
			}
			if tt.bitrate > 0 {
				assert.Equal(t, tt.bitrate, r.Bitrate)
				assert.False(t, r.VBR)
			} else {
				assert.True(t, r.VBR)
				assert.Positive(t, r.Bitrate)
			}
			if want.Loudness <= -70 {
				assert.True(t, r.Silent)
				assert.Equal(t, -70.0, r.Loudness)
			} else {
				assert.False(t, r.Silent)
				assert.InDelta(t, want.Loudness, r.Loudness, 0.5, "BS.1770 integrated vs ffmpeg ebur128")
			}
			if want.SamplePeak == nil {
				assert.Equal(t, FloorDBFS, r.PeakDBFS)
			} else {
				// ffmpeg prints the peak to 0.1 dB.
				assert.InDelta(t, *want.SamplePeak, r.PeakDBFS, 0.3, "sample peak vs ffmpeg")
			}
		})
	}
}

// Probe must give the same duration and format as a full decode, from the
// headers alone.
func TestProbeAgreesWithInspect(t *testing.T) {
	for name := range loadGolden(t) {
		if name == "mono-8k-mpeg25" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			b := fixture(t, name+".mp3")
			full, err := Inspect(b)
			require.NoError(t, err)
			quick, err := Probe(b)
			require.NoError(t, err)
			assert.Equal(t, full.Samples, quick.Samples)
			assert.Equal(t, full.Duration, quick.Duration)
			assert.Equal(t, full.Bitrate, quick.Bitrate)
			assert.Equal(t, full.Format, quick.Format)
			assert.True(t, full.Levels)
			assert.False(t, quick.Levels)
		})
	}
	_, err := Probe([]byte("not audio at all"))
	assert.ErrorIs(t, err, ErrNotMP3)
}

func TestSilences(t *testing.T) {
	tests := []struct {
		name              string
		leading, trailing float64
	}{
		{"silence-padded", 1.0, 1.0},
		{"cbr128-stereo-44k", 0, 0},
		{"digital-silence", 2.0, 2.0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Inspect(fixture(t, tt.name+".mp3"))
			require.NoError(t, err)
			// The codec smears a transient over a granule (~13 ms).
			assert.InDelta(t, tt.leading, r.LeadingSilence, 0.03)
			assert.InDelta(t, tt.trailing, r.TrailingSilence, 0.03)
		})
	}
}

// BS.1770-4 calibration: a 0 dBFS 997 Hz sine in one front channel reads
// −3.01 LKFS. Holding at every rate shows the filter coefficients are
// recomputed for the rate rather than borrowed from the 48 kHz table.
func TestMeterCalibration(t *testing.T) {
	for _, fs := range []int{48000, 44100, 32000, 22050, 16000} {
		t.Run(itoa(fs), func(t *testing.T) {
			m := newMeter(fs, 2)
			for i := range 5 * fs {
				m.add(math.Sin(2*math.Pi*997*float64(i)/float64(fs)), 0)
			}
			got, ok := m.integrated()
			require.True(t, ok)
			assert.InDelta(t, -3.01, got, 0.05)
		})
	}
	t.Run("relative gate drops the quiet half", func(t *testing.T) {
		// 3 s at 0 dBFS then 3 s 30 dB lower: blocks below -13 LUFS are
		// gated, so the result stays near the loud part, not their mean.
		const fs = 48000
		m := newMeter(fs, 1)
		for i := range 6 * fs {
			a := 1.0
			if i >= 3*fs {
				a = math.Pow(10, -30.0/20)
			}
			m.add(a*math.Sin(2*math.Pi*997*float64(i)/fs), 0)
		}
		got, _ := m.integrated()
		assert.InDelta(t, -3.01, got, 0.3)
	})
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestInspectRejects(t *testing.T) {
	good := fixture(t, "cbr128-stereo-44k.mp3")
	s, err := scan(good)
	require.NoError(t, err)
	frame := s.first.size // CBR without padding varies by a byte; offsets below stay inside frames
	rnd := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 50000)
	for i := range noise {
		noise[i] = byte(rnd.UintN(256))
	}
	junkMiddle := append([]byte(nil), good...)
	for i := s.start + 20*frame; i < s.start+20*frame+64; i++ {
		junkMiddle[i] = 0x55
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrNotMP3},
		{"random bytes", noise, ErrNotMP3},
		{"wav header", append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 4000)...), ErrNotMP3},
		{"text", []byte("<VAST version=\"4.0\"></VAST>"), ErrNotMP3},
		{"id3 tag only", good[:s.tagBytes], ErrNotMP3},
		{"id3 size past end", good[:s.tagBytes-1], ErrTruncated},
		{"layer II", fixture(t, "layer2.mp2"), ErrUnsupported},
		{"MPEG-2.5", fixture(t, "mono-8k-mpeg25.mp3"), ErrUnsupported},
		{"cut mid-frame", good[:s.start+10*frame+100], ErrTruncated},
		{"cut on a frame boundary, Info promises more", good[:frameEnd(t, good, s, 30)], ErrTruncated},
		{"junk inside", junkMiddle, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Inspect(tt.in)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, r)
			assert.NotEmpty(t, err.Error())
		})
	}
}

// frameEnd returns the offset just past audio frame n.
func frameEnd(t *testing.T, b []byte, s *stream, n int) int {
	pos := s.start
	for range n {
		h, ok := parseHeader(b[pos:])
		require.True(t, ok)
		pos += h.size
	}
	return pos
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name           string
		r              Report
		declared, slot float64
		ok             map[string]bool
		msg            string
	}{
		{"fits", Report{Levels: true, Duration: 10.0, Loudness: -24.0}, 10, 10,
			map[string]bool{CheckDeclared: true, CheckSlot: true, CheckLoudness: true}, "within"},
		{"long by 1.5 s and loud", Report{Levels: true, Duration: 11.5, Loudness: -14.0}, 10, 10,
			map[string]bool{CheckDeclared: false, CheckSlot: false, CheckLoudness: false}, "too loud"},
		{"drift at the limit passes", Report{Levels: true, Duration: 10.5, Loudness: -22.0}, 10, 0,
			map[string]bool{CheckDeclared: true, CheckLoudness: true}, "fits"},
		{"short for the slot", Report{Levels: true, Duration: 6.0, Loudness: -26.0}, 6, 10,
			map[string]bool{CheckDeclared: true, CheckSlot: false, CheckLoudness: true}, "drifts -4.000 s from the slot"},
		{"too quiet", Report{Levels: true, Duration: 10, Loudness: -30.0}, 0, 0,
			map[string]bool{CheckLoudness: false}, "too quiet"},
		{"silent", Report{Levels: true, Duration: 10, Loudness: -70, Silent: true}, 0, 0,
			map[string]bool{CheckLoudness: false}, "silent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := Check(&tt.r, tt.declared, tt.slot)
			got := map[string]bool{}
			var msgs string
			for _, v := range vs {
				got[v.Check] = v.OK
				msgs += v.Message + "\n"
			}
			assert.Equal(t, tt.ok, got)
			assert.Contains(t, msgs, tt.msg)
			all := true
			for _, ok := range tt.ok {
				all = all && ok
			}
			assert.Equal(t, all, Passed(vs))
		})
	}
	t.Run("probe report has no loudness verdict", func(t *testing.T) {
		vs := Check(&Report{Duration: 10}, 10, 10)
		assert.Len(t, vs, 2)
		assert.True(t, Passed(vs))
	})
	t.Run("custom limits", func(t *testing.T) {
		l := Limits{MaxDrift: 0.1, TargetLUFS: -23, ToleranceLU: 1}
		vs := l.Check(&Report{Levels: true, Duration: 10.2, Loudness: -24.5}, 10, 0)
		assert.False(t, Passed(vs))
		assert.Len(t, vs, 2)
	})
}

func FuzzInspect(f *testing.F) {
	for _, name := range []string{"cbr128-stereo-44k.mp3", "mono-22k.mp3", "no-xing-no-id3-32k.mp3", "id3v1-trailer.mp3", "layer2.mp2"} {
		b := fixture(f, name)
		f.Add(b[:min(len(b), 2500)])
	}
	f.Add([]byte("ID3\x04\x00\x00\x00\x00\x00\x05hello\xff\xfb\x90\x00"))
	f.Add([]byte{0xFF, 0xFB, 0x90, 0x64})
	f.Fuzz(func(t *testing.T, b []byte) {
		// Inspect, and the chunked decode cut every 2 frames so that damage
		// lands in warm-up frames too.
		for _, workers := range []int{1, 3} {
			r, err := inspectWith(b, workers, 2)
			if err != nil {
				if r != nil {
					t.Fatal("report with error")
				}
				continue
			}
			if r.SampleRate <= 0 || r.Samples <= 0 || math.IsNaN(r.Loudness) || math.IsNaN(r.PeakDBFS) || r.Duration <= 0 {
				t.Fatalf("implausible report %+v", r)
			}
		}
	})
}
