// Package creative measures audio ad creatives: it decodes an MP3 with
// github.com/hajimehoshi/go-mp3 and reports its real duration, format,
// peak level, BS.1770 integrated loudness and silences, then checks them
// against what the ad declares and the avail it must fill.
//
// The package is pure Go and allocation-light so the same code runs in the
// emulator's start-up check, the CLI and a separate inspect.wasm.
package creative

import (
	"fmt"
	"math"
	"runtime"
)

// SilenceThreshold is the level (dBFS) at or below which a sample counts as
// silence when measuring leading and trailing silence.
const SilenceThreshold = -60.0

// FloorDBFS is reported as the peak of digital silence, whose true level
// (-Inf) has no JSON form.
const FloorDBFS = -120.0

// mp3DecoderDelay is the synthesis delay of a Layer III decoder, added to
// the encoder delay of the LAME tag to find the first real sample.
const mp3DecoderDelay = 529

// Report is what Inspect measured. Durations are seconds.
type Report struct {
	// Duration is Samples / SampleRate: decoded samples minus the encoder
	// delay and padding when a LAME tag gives them.
	Duration   float64 `json:"duration"`
	Samples    int64   `json:"samples"` // per channel
	SampleRate int     `json:"sampleRate"`
	Channels   int     `json:"channels"`
	Format     string  `json:"format"`  // "MPEG-1 Layer III", ...
	Bitrate    int     `json:"bitrate"` // bits/s, average over the audio frames
	VBR        bool    `json:"vbr"`
	Frames     int     `json:"frames"`   // audio frames, not counting an info frame
	InfoTag    string  `json:"infoTag"`  // "Xing", "Info", "VBRI" or ""
	Encoder    string  `json:"encoder"`  // from the LAME tag, e.g. "LAME3.100"
	Gapless    bool    `json:"gapless"`  // encoder delay/padding known and removed
	Delay      int     `json:"delay"`    // encoder delay, samples
	Padding    int     `json:"padding"`  // encoder padding, samples
	ID3v2Bytes int     `json:"id3Bytes"` // bytes of leading ID3v2 tags

	// Levels is set when the fields below were measured (Inspect, not
	// Probe).
	Levels   bool    `json:"levels"`
	PeakDBFS float64 `json:"peakDbfs"` // sample peak, FloorDBFS for silence
	// Loudness is the BS.1770-4 integrated loudness (LUFS). When no block
	// passes the -70 LUFS absolute gate, Silent is set and Loudness is -70.
	Loudness        float64 `json:"loudness"`
	Silent          bool    `json:"silent"`
	LeadingSilence  float64 `json:"leadingSilence"`
	TrailingSilence float64 `json:"trailingSilence"`

	// Warnings are caveats on the measurement a QA user should see.
	Warnings []string `json:"warnings,omitempty"`
}

// warnMPEG2 is attached to MPEG-2 reports: go-mp3 v0.3.4 decodes some
// low-rate MPEG-2 streams wrongly without an error (seen here with
// 22.05 kHz mono at 32 kbit/s: peak +16 dB), which skews the levels; the
// duration, from the frame count, is unaffected.
const warnMPEG2 = "MPEG-2 (low sample rate): the decoder is unreliable on some such streams; peak and loudness may be wrong, duration is exact"

// Inspect decodes a whole MP3 file held in memory and measures it. It is
// safe for concurrent use; the cost is dominated by go-mp3 decoding, which
// Inspect spreads over up to GOMAXPROCS goroutines for files longer than a
// few seconds (the result is identical to a one-goroutine decode). It
// returns only when they are done. Malformed input yields an error
// wrapping ErrNotMP3, ErrTruncated, ErrCorrupt or ErrUnsupported; Inspect
// never panics.
func Inspect(data []byte) (*Report, error) {
	return inspectWith(data, runtime.GOMAXPROCS(0), 0)
}

// inspectWith is Inspect with workers goroutines and chunkFrames frames
// per chunk (0: automatic), for tests.
func inspectWith(data []byte, workers, chunkFrames int) (rep *Report, err error) {
	s, err := scan(data)
	if err != nil {
		return nil, err
	}
	// The frame scan rules out what go-mp3 is known to reject, but a
	// decoder bug must still not take down a server or a page.
	defer func() {
		if r := recover(); r != nil {
			rep, err = nil, fmt.Errorf("%w: decoder failed: %v", ErrCorrupt, r)
		}
	}()
	return decodeWith(data, s, workers, chunkFrames)
}

// Probe reads the frame headers only, without decoding: format, bitrate
// and the exact duration (frame count less the LAME tag's encoder delay and
// padding, the same count a full decode yields). Levels is false and the
// level fields (peak, loudness, silences) are not measured. It costs microseconds where Inspect
// costs the decode, so it suits duration checks over many files; its errors
// are Inspect's, except damage inside frames, which only decoding finds.
func Probe(data []byte) (*Report, error) {
	s, err := scan(data)
	if err != nil {
		return nil, err
	}
	rep := s.report()
	rep.Samples = int64(s.frames) * int64(s.first.samplesPerFrame())
	if s.gapless {
		rep.Samples -= int64(s.delay + s.padding)
	}
	rep.Duration = float64(rep.Samples) / float64(rep.SampleRate)
	return rep, nil
}

// report fills the fields known from the frame scan.
func (s *stream) report() *Report {
	h := s.first
	channels := 2
	if h.mono {
		channels = 1
	}
	spf := int64(h.samplesPerFrame())
	rep := &Report{
		SampleRate: h.sampleRate,
		Channels:   channels,
		Format:     formatName(h),
		VBR:        s.vbr,
		Frames:     s.frames,
		InfoTag:    s.infoTag,
		Encoder:    s.encoder,
		Gapless:    s.gapless,
		Delay:      s.delay,
		Padding:    s.padding,
		ID3v2Bytes: s.tagBytes,
		PeakDBFS:   FloorDBFS,
	}
	if h.version == mpeg2 {
		rep.Warnings = append(rep.Warnings, warnMPEG2)
	}
	// Nominal for CBR: the padding slots make the measured mean wobble
	// a few bits/s around the rate the file was encoded at.
	rep.Bitrate = s.bitrate * 1000
	if s.vbr {
		rep.Bitrate = int(math.Round(float64(s.audioSize) * 8 / (float64(int64(s.frames)*spf) / float64(h.sampleRate))))
	}
	return rep
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

func formatName(h header) string {
	v := map[mpegVersion]string{mpeg1: "MPEG-1", mpeg2: "MPEG-2", mpeg25: "MPEG-2.5"}[h.version]
	return v + " Layer III"
}
