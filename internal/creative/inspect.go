// Package creative measures audio ad creatives: it decodes an MP3 with
// github.com/hajimehoshi/go-mp3 and reports its real duration, format,
// peak level, BS.1770 integrated loudness and silences, then checks them
// against what the ad declares and the avail it must fill.
//
// The package is pure Go and allocation-light so the same code runs in the
// emulator's start-up check, the CLI and a separate inspect.wasm.
package creative

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/hajimehoshi/go-mp3"
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
// safe for concurrent use; the cost is dominated by go-mp3 decoding.
// Malformed input yields an error wrapping ErrNotMP3, ErrTruncated,
// ErrCorrupt or ErrUnsupported; Inspect never panics.
func Inspect(data []byte) (rep *Report, err error) {
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
	return decode(data, s)
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

// onlyReader hides bytes.Reader's Seek so go-mp3 does not pre-scan every
// frame header a second time.
type onlyReader struct{ r *bytes.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func decode(data []byte, s *stream) (*Report, error) {
	h := s.first
	channels := 2
	if h.mono {
		channels = 1
	}
	spf := int64(h.samplesPerFrame())
	total := int64(s.frames) * spf
	skip := int64(0)
	if s.gapless {
		total -= int64(s.delay + s.padding)
		skip = int64(s.delay + mp3DecoderDelay)
	}

	dec, err := mp3.NewDecoder(onlyReader{bytes.NewReader(data[s.start:s.end])})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if dec.SampleRate() != h.sampleRate {
		return nil, fmt.Errorf("%w: decoder sees %d Hz, header says %d Hz", ErrCorrupt, dec.SampleRate(), h.sampleRate)
	}

	m := newMeter(h.sampleRate, channels)
	const scale = 1.0 / 32768
	thr := int32(math.Ceil(32768 * math.Pow(10, SilenceThreshold/20)))
	var (
		peak        int32
		idx         int64 // output sample index after the skip
		firstLoud   = int64(-1)
		lastLoud    = int64(-1)
		decoded     int64
		buf         = make([]byte, 4*1152*8)
		carry       int
		decodeError error
		eof         bool
	)
	for idx < total {
		n, err := dec.Read(buf[carry:])
		n += carry
		// go-mp3 always emits 16-bit stereo; keep a partial frame for later.
		usable := n &^ 3
		for i := 0; i < usable && idx < total; i += 4 {
			decoded++
			if decoded <= skip {
				continue
			}
			l := int32(int16(uint16(buf[i]) | uint16(buf[i+1])<<8))
			r := l
			if channels == 2 {
				r = int32(int16(uint16(buf[i+2]) | uint16(buf[i+3])<<8))
			}
			al, ar := abs32(l), abs32(r)
			if ar > al {
				al = ar
			}
			if al > peak {
				peak = al
			}
			if al > thr {
				if firstLoud < 0 {
					firstLoud = idx
				}
				lastLoud = idx
			}
			m.add(float64(l)*scale, float64(r)*scale)
			idx++
		}
		carry = copy(buf, buf[usable:n])
		if err == io.EOF {
			eof = true
			break
		}
		if err != nil {
			decodeError = err
			break
		}
	}
	if decodeError != nil && !errors.Is(decodeError, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("%w: after %d samples: %v", ErrCorrupt, idx, decodeError)
	}
	samples := idx
	if idx < total {
		// With padding shorter than the decoder delay the tail is short by
		// design; any other shortfall means frames did not decode.
		if !eof || decoded < int64(s.frames)*spf {
			return nil, fmt.Errorf("%w: decoded %d of %d samples", ErrCorrupt, idx, total)
		}
		samples = total
	}
	if samples <= 0 {
		return nil, fmt.Errorf("%w: no audio decoded", ErrCorrupt)
	}

	rate := float64(h.sampleRate)
	rep := s.report()
	rep.Samples = samples
	rep.Duration = float64(samples) / rate
	rep.Levels = true
	if peak > 0 {
		rep.PeakDBFS = max(FloorDBFS, 20*math.Log10(float64(peak)/32768))
	}
	rep.Loudness, _ = m.integrated()
	rep.Silent = rep.Loudness <= blockLoudnessFloor
	if firstLoud < 0 {
		rep.LeadingSilence, rep.TrailingSilence = rep.Duration, rep.Duration
	} else {
		rep.LeadingSilence = float64(firstLoud) / rate
		rep.TrailingSilence = float64(samples-1-lastLoud) / rate
	}
	return rep, nil
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
