package creative

import "fmt"

// DecodePart decodes part k (from 0) of n equal runs of the audio frames
// of an MP3 file held in memory, for callers that spread the decode over
// workers of their own (js/wasm has no threads; the QA page runs one Web
// Worker per part). It returns the part's PCM, 16-bit little-endian stereo
// (mono duplicated), 4 bytes per sample. A part past the last one of a
// short file is empty. Concatenated in part order, the parts equal the
// one-pass decode bit for bit and are what InspectPCM measures; each part
// costs a few frames of warm-up on top of its share.
//
// An error means the part did not decode; the caller should then use
// Inspect, the reference for damaged files, which gives the right error.
// DecodePart never panics.
func DecodePart(data []byte, k, n int) (pcm []byte, err error) {
	if n < 1 || k < 0 || k >= n {
		return nil, fmt.Errorf("creative: part %d of %d", k, n)
	}
	s, err := scan(data)
	if err != nil {
		return nil, err
	}
	size := (s.frames + n - 1) / n
	chunks := planChunks(data, s, n, size)
	if chunks == nil {
		chunks = []chunk{{from: 0, to: s.frames, rate: s.first.sampleRate, b: data[s.start:s.end]}}
	}
	if k >= len(chunks) {
		return []byte{}, nil
	}
	r := decodeChunk(chunks[k], int64(s.first.samplesPerFrame()))
	if !r.ok {
		return nil, fmt.Errorf("%w: part %d of %d did not decode", ErrCorrupt, k, n)
	}
	return r.pcm, nil
}

// InspectPCM is Inspect for a file whose audio frames are already decoded:
// pcm is DecodePart's output for parts 0 to n-1, concatenated. It returns
// an error wrapping ErrCorrupt when pcm is not the length of the file's
// audio.
func InspectPCM(data, pcm []byte) (*Report, error) {
	s, err := scan(data)
	if err != nil {
		return nil, err
	}
	channels, _, decodable, skip, total := s.geometry()
	if int64(len(pcm)) != decodable*4 {
		return nil, fmt.Errorf("%w: %d bytes of PCM for %d samples", ErrCorrupt, len(pcm), decodable)
	}
	a := newAnalyser(s.first.sampleRate, channels, skip, total)
	a.feed(pcm)
	return s.measured(a, decodable, true)
}
