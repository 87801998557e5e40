package creative

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"

	"github.com/hajimehoshi/go-mp3"
)

// Decoding is split across cores: the audio frames are cut into chunks,
// each decoded by its own go-mp3 Decoder, and the PCM is analysed in frame
// order as the chunks complete. A Decoder that starts mid-stream has an
// empty bit reservoir and no filterbank history, so every chunk but the
// first starts a few frames early (see warmupStart) and drops that output;
// from the chunk's first frame on, its PCM equals the sequential decode's
// bit for bit (TestParallelDecodeIsExact).
const (
	// maxChunkFrames bounds a chunk's PCM buffer (1152 samples of 4 bytes
	// per MPEG-1 frame: 1.2 MB at 256 frames), so long podcasts do not need
	// their whole PCM in memory.
	maxChunkFrames = 256
	// minChunkFrames keeps the warm-up (4 or 5 frames at 128 kbit/s,
	// more at low rates) a small share of a chunk.
	minChunkFrames = 48
	// reservoirBytes is the farthest back main_data_begin can point (9 bits
	// in MPEG-1; 8 in MPEG-2).
	reservoirBytes = 511
)

// onlyReader hides bytes.Reader's Seek so go-mp3 does not pre-scan every
// frame header a second time.
type onlyReader struct{ r *bytes.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// decodeFrames decodes b, whole Layer III frames at rate Hz, with a fresh
// go-mp3 Decoder. It drops the first skip samples, then passes at most
// limit samples of 16-bit little-endian stereo PCM (go-mp3's only output
// form; mono is duplicated) to emit, in whole samples. n counts the samples
// decoded, skipped ones included. eof is set when the decoder reached the
// end of b; io.ErrUnexpectedEOF stops decoding without an error, like the
// end of a truncated file. Errors wrap ErrCorrupt.
func decodeFrames(b []byte, rate int, skip, limit int64, emit func([]byte)) (n int64, eof bool, err error) {
	dec, err := mp3.NewDecoder(onlyReader{bytes.NewReader(b)})
	if err != nil {
		return 0, false, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if dec.SampleRate() != rate {
		return 0, false, fmt.Errorf("%w: decoder sees %d Hz, header says %d Hz", ErrCorrupt, dec.SampleRate(), rate)
	}
	buf := make([]byte, 4*1152*8)
	carry := 0
	for n < skip+limit {
		got, err := dec.Read(buf[carry:])
		got += carry
		usable := got &^ 3 // a partial sample waits for the next Read
		p := buf[:usable]
		if k := min(int64(len(p)/4), max(0, skip-n)); k > 0 {
			n += k
			p = p[k*4:]
		}
		if rest := skip + limit - n; int64(len(p)/4) > rest {
			p = p[:rest*4]
		}
		if len(p) > 0 {
			emit(p)
			n += int64(len(p) / 4)
		}
		carry = copy(buf, buf[usable:got])
		if err == io.EOF {
			return n, true, nil
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return n, false, nil
		}
		if err != nil {
			return n, false, fmt.Errorf("%w: after %d samples: %v", ErrCorrupt, n, err)
		}
	}
	return n, false, nil
}

// analyser measures the decoded PCM in order: it drops the gapless skip
// (encoder plus decoder delay), keeps total samples, and tracks peak,
// loudness and the first and last sample above the silence threshold.
type analyser struct {
	channels  int
	skip      int64 // samples still to drop
	total     int64 // samples to measure
	idx       int64 // samples measured
	peak      int32
	thr       int32
	firstLoud int64
	lastLoud  int64
	m         *meter
}

func newAnalyser(rate, channels int, skip, total int64) *analyser {
	return &analyser{
		channels:  channels,
		skip:      skip,
		total:     total,
		thr:       int32(math.Ceil(32768 * math.Pow(10, SilenceThreshold/20))),
		firstLoud: -1,
		lastLoud:  -1,
		m:         newMeter(rate, channels),
	}
}

func (a *analyser) feed(pcm []byte) {
	if a.skip > 0 {
		k := min(int64(len(pcm)/4), a.skip)
		a.skip -= k
		pcm = pcm[k*4:]
	}
	if rest := a.total - a.idx; int64(len(pcm)/4) > rest {
		pcm = pcm[:rest*4]
	}
	const scale = 1.0 / 32768
	peak, idx := a.peak, a.idx
	for i := 0; i+3 < len(pcm); i += 4 {
		l := int32(int16(uint16(pcm[i]) | uint16(pcm[i+1])<<8))
		r := l
		if a.channels == 2 {
			r = int32(int16(uint16(pcm[i+2]) | uint16(pcm[i+3])<<8))
		}
		al, ar := abs32(l), abs32(r)
		if ar > al {
			al = ar
		}
		if al > peak {
			peak = al
		}
		if al > a.thr {
			if a.firstLoud < 0 {
				a.firstLoud = idx
			}
			a.lastLoud = idx
		}
		a.m.add(float64(l)*scale, float64(r)*scale)
		idx++
	}
	a.peak, a.idx = peak, idx
}

// decodeWith measures the audio frames of s with up to workers goroutines
// and chunks of chunkFrames frames (0 picks a size: one goroutine and no
// chunks for short files); tests force small chunks to exercise the seams.
func decodeWith(data []byte, s *stream, workers, chunkFrames int) (*Report, error) {
	h := s.first
	channels, spf, decodable, skip, total := s.geometry()
	newA := func() *analyser { return newAnalyser(h.sampleRate, channels, skip, total) }

	var (
		a       *analyser
		decoded int64
		eof     bool
	)
	chunks := planChunks(data, s, workers, chunkFrames)
	if len(chunks) > 1 {
		a = newA()
		if decodeParallel(chunks, min(workers, len(chunks)), spf, a.feed) {
			decoded, eof = decodable, true
		} else {
			// A chunk failed, perhaps only in its warm-up frames: the
			// sequential decode is the reference, errors included.
			a = nil
		}
	}
	if a == nil {
		a = newA()
		var err error
		decoded, eof, err = decodeFrames(data[s.start:s.end], h.sampleRate, 0, skip+total, a.feed)
		if err != nil {
			return nil, err
		}
	}
	return s.measured(a, decoded, eof)
}

// geometry returns the channel count, samples per frame, decodable
// samples, and the gapless skip and total of s.
func (s *stream) geometry() (channels int, spf, decodable, skip, total int64) {
	channels = 2
	if s.first.mono {
		channels = 1
	}
	spf = int64(s.first.samplesPerFrame())
	decodable = int64(s.frames) * spf
	total = decodable
	if s.gapless {
		total -= int64(s.delay + s.padding)
		skip = int64(s.delay + mp3DecoderDelay)
	}
	return channels, spf, decodable, skip, total
}

// measured turns an analyser that has seen the decoded PCM (decoded
// samples, the end of the stream reached when eof) into the report.
func (s *stream) measured(a *analyser, decoded int64, eof bool) (*Report, error) {
	_, _, decodable, _, total := s.geometry()
	samples := a.idx
	if samples < total {
		// With padding shorter than the decoder delay the tail is short by
		// design; any other shortfall means frames did not decode.
		if !eof || decoded < decodable {
			return nil, fmt.Errorf("%w: decoded %d of %d samples", ErrCorrupt, samples, total)
		}
		samples = total
	}
	if samples <= 0 {
		return nil, fmt.Errorf("%w: no audio decoded", ErrCorrupt)
	}

	rate := float64(s.first.sampleRate)
	rep := s.report()
	rep.Samples = samples
	rep.Duration = float64(samples) / rate
	rep.Levels = true
	if a.peak > 0 {
		rep.PeakDBFS = max(FloorDBFS, 20*math.Log10(float64(a.peak)/32768))
	}
	rep.Loudness, _ = a.m.integrated()
	rep.Silent = rep.Loudness <= blockLoudnessFloor
	if a.firstLoud < 0 {
		rep.LeadingSilence, rep.TrailingSilence = rep.Duration, rep.Duration
	} else {
		rep.LeadingSilence = float64(a.firstLoud) / rate
		rep.TrailingSilence = float64(samples-1-a.lastLoud) / rate
	}
	return rep, nil
}

// chunk is frames [from, to) of the audio frames, decoded from frame warm
// on; b holds the bytes of frames [warm, to).
type chunk struct {
	from, to, warm int
	rate           int // Hz
	b              []byte
}

// planChunks cuts the audio frames of s into chunks for workers
// goroutines: a multiple of workers, of equal size between minChunkFrames
// and maxChunkFrames, or chunkFrames each when that is set. It returns nil
// when one decoder is the better plan (files under 2×minChunkFrames, about
// 2.5 s, are not split unless chunkFrames asks).
func planChunks(data []byte, s *stream, workers, chunkFrames int) []chunk {
	if workers < 2 || chunkFrames <= 0 && s.frames < 2*minChunkFrames {
		return nil
	}
	size := chunkFrames
	if size <= 0 {
		per := (s.frames + workers - 1) / workers
		n := workers * ((per + maxChunkFrames - 1) / maxChunkFrames)
		size = max(minChunkFrames, (s.frames+n-1)/n)
	}
	if size >= s.frames {
		return nil
	}
	// Frame offsets; the stream was validated by scan, so every header
	// parses and the frames tile [start, end).
	offs := make([]int, 0, s.frames+1)
	for pos := s.start; pos < s.end; {
		offs = append(offs, pos)
		h, _ := parseHeader(data[pos:])
		pos += h.size
	}
	offs = append(offs, s.end)
	var out []chunk
	for from := 0; from < s.frames; from += size {
		to := min(from+size, s.frames)
		w := warmupStart(data, offs, from)
		out = append(out, chunk{from: from, to: to, warm: w, rate: s.first.sampleRate, b: data[offs[w]:offs[to]]})
	}
	return out
}

// warmupStart is the frame a decoder must start at so that the output of
// frame a equals the sequential decode's. go-mp3 decodes a frame whose
// main_data_begin reaches past the data it has read from garbage, so the
// decoder must have read reservoirBytes of main data before frame a-2: then
// frames a-2 and a-1 decode right, which refills the IMDCT overlap (one
// granule back) and the synthesis window (16 of a granule's 18 slots; an
// MPEG-2 frame is one granule, hence two frames).
func warmupStart(data []byte, offs []int, a int) int {
	w, got := max(0, a-2), 0
	for w > 0 && got < reservoirBytes {
		w--
		h, _ := parseHeader(data[offs[w]:])
		side := h.sideInfoSize() + 4
		if h.crc {
			side += 2
		}
		got += h.size - side
	}
	return w
}

// decodeParallel decodes chunks on workers goroutines and hands their PCM
// to feed in frame order, from the calling goroutine. At most 2×workers
// chunks are decoded ahead of feed. It reports false, having fed only part
// of the audio, when a chunk did not yield all its samples (decoder error,
// or a panic inside go-mp3).
func decodeParallel(chunks []chunk, workers int, spf int64, feed func([]byte)) bool {
	done := make([]chan chunkPCM, len(chunks))
	for i := range done {
		done[i] = make(chan chunkPCM, 1)
	}
	tokens := make(chan struct{}, 2*workers)
	quit := make(chan struct{})
	next := make(chan int, len(chunks))
	for i := range chunks {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case tokens <- struct{}{}:
				case <-quit:
					return
				}
				i, more := <-next
				if !more {
					return
				}
				done[i] <- decodeChunk(chunks[i], spf)
			}
		}()
	}
	ok := true
	for i := range chunks {
		r := <-done[i]
		if !r.ok {
			ok = false
			break
		}
		feed(r.pcm)
		<-tokens
	}
	close(quit) // stops workers waiting for a token after a failure
	wg.Wait()
	return ok
}

// chunkPCM is a decoded chunk; ok is false when it is incomplete.
type chunkPCM struct {
	pcm []byte
	ok  bool
}

// decodeChunk decodes c, dropping its warm-up frames. A panic in go-mp3
// (garbage warm-up data) makes the chunk fail instead of the process.
func decodeChunk(c chunk, spf int64) (r chunkPCM) {
	defer func() {
		if recover() != nil {
			r.pcm, r.ok = nil, false
		}
	}()
	want := int64(c.to-c.from) * spf
	pcm := make([]byte, 0, want*4)
	skip := int64(c.from-c.warm) * spf
	n, _, err := decodeFrames(c.b, c.rate, skip, want, func(p []byte) { pcm = append(pcm, p...) })
	r.pcm, r.ok = pcm, err == nil && n == skip+want
	return r
}
