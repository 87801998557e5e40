package creative

import (
	"bytes"
	"errors"
	"fmt"
)

// Errors returned by Inspect, wrapped with the byte offset and detail.
var (
	ErrNotMP3      = errors.New("creative: not an MP3 stream")
	ErrTruncated   = errors.New("creative: truncated MP3")
	ErrCorrupt     = errors.New("creative: corrupt MP3")
	ErrUnsupported = errors.New("creative: unsupported MP3")
)

// maxSyncSearch bounds how far past the tags Inspect looks for the first
// frame; real files start right after their tags, junk does not.
const maxSyncSearch = 64 << 10

type mpegVersion uint8

const (
	mpeg25 mpegVersion = 0
	mpeg2  mpegVersion = 2
	mpeg1  mpegVersion = 3
)

var (
	// bitrates[v1][layer-1], kbit/s; index 0 (free format) and 15 are invalid.
	bitrates = [2][3][16]int{
		{ // MPEG-2 and 2.5
			{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, -1},
			{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1},
			{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1},
		},
		{ // MPEG-1
			{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, -1},
			{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, -1},
			{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1},
		},
	}
	rates = [4][3]int{
		mpeg25: {11025, 12000, 8000},
		mpeg2:  {22050, 24000, 16000},
		mpeg1:  {44100, 48000, 32000},
	}
)

// header is a parsed MPEG audio frame header.
type header struct {
	version    mpegVersion
	layer      int // 1, 2 or 3
	crc        bool
	bitrate    int // kbit/s
	sampleRate int
	mono       bool
	size       int // whole frame, bytes
}

func (h header) samplesPerFrame() int {
	if h.version == mpeg1 {
		return 1152
	}
	return 576
}

// sideInfoSize is the Layer III side information length, after which a
// Xing/Info tag sits in the first frame.
func (h header) sideInfoSize() int {
	switch {
	case h.version == mpeg1 && h.mono:
		return 17
	case h.version == mpeg1:
		return 32
	case h.mono:
		return 9
	}
	return 17
}

// parseHeader decodes four header bytes. ok is false for anything that is
// not a well-formed Layer I/II/III header (reserved values, free format).
func parseHeader(b []byte) (h header, ok bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return h, false
	}
	h.version = mpegVersion(b[1] >> 3 & 3)
	if h.version == 1 {
		return h, false
	}
	switch b[1] >> 1 & 3 {
	case 1:
		h.layer = 3
	case 2:
		h.layer = 2
	case 3:
		h.layer = 1
	default:
		return h, false
	}
	h.crc = b[1]&1 == 0
	bi, si := b[2]>>4, b[2]>>2&3
	if si == 3 || bi == 0 || bi == 15 {
		return h, false
	}
	v1 := 0
	if h.version == mpeg1 {
		v1 = 1
	}
	h.bitrate = bitrates[v1][h.layer-1][bi]
	h.sampleRate = rates[h.version][si]
	pad := int(b[2] >> 1 & 1)
	h.mono = b[3]>>6 == 3
	switch {
	case h.layer == 1:
		h.size = (12000*h.bitrate/h.sampleRate + pad) * 4
	case h.layer == 3 && h.version != mpeg1:
		h.size = 72000*h.bitrate/h.sampleRate + pad
	default:
		h.size = 144000*h.bitrate/h.sampleRate + pad
	}
	return h, true
}

// stream is the frame layout of an MP3 file, found without decoding.
type stream struct {
	first     header
	bitrate   int // kbit/s of the first audio frame (the info frame's differs)
	tagBytes  int // ID3v2 bytes skipped
	start     int // offset of the first audio frame (after any Xing/Info/VBRI frame)
	end       int // end of the last complete frame
	frames    int // audio frames
	audioSize int // bytes of audio frames
	vbr       bool
	infoTag   string // "Xing", "Info", "VBRI" or ""
	encoder   string // LAME tag encoder string, e.g. "LAME3.100"
	delay     int    // encoder delay, samples (LAME tag)
	padding   int    // encoder padding, samples (LAME tag)
	gapless   bool   // delay/padding are known
}

// skipID3v2 returns the length of the ID3v2 tags at the start of b.
// Several tags in a row occur in the wild (re-tagged files).
func skipID3v2(b []byte) (int, error) {
	n := 0
	for len(b)-n >= 10 && string(b[n:n+3]) == "ID3" {
		s := b[n+6 : n+10]
		if (s[0]|s[1]|s[2]|s[3])&0x80 != 0 {
			return 0, fmt.Errorf("%w: ID3v2 tag at byte %d has a bad size", ErrCorrupt, n)
		}
		size := int(s[0])<<21 | int(s[1])<<14 | int(s[2])<<7 | int(s[3])
		size += 10
		if b[n+5]&0x10 != 0 { // footer present
			size += 10
		}
		if n+size > len(b) {
			return 0, fmt.Errorf("%w: ID3v2 tag at byte %d runs past the end", ErrTruncated, n)
		}
		n += size
	}
	return n, nil
}

// trailer reports whether b (the bytes after the last frame) is something
// that legitimately ends an MP3 file rather than damage.
func trailer(b []byte) bool {
	switch {
	case len(b) == 0,
		bytes.HasPrefix(b, []byte("TAG")),
		bytes.HasPrefix(b, []byte("APETAGEX")),
		bytes.HasPrefix(b, []byte("LYRICSBEGIN")):
		return true
	}
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// scan walks the frames of an MP3 file. It insists on a contiguous run of
// Layer III frames with one sample rate and channel count, because the
// decoder would silently produce wrong audio otherwise.
func scan(b []byte) (*stream, error) {
	tags, err := skipID3v2(b)
	if err != nil {
		return nil, err
	}
	s := &stream{tagBytes: tags}
	pos, found := tags, false
	for ; pos < len(b)-4 && pos-tags < maxSyncSearch; pos++ {
		h, ok := parseHeader(b[pos:])
		if !ok {
			continue
		}
		// A lone sync pattern is common in random data: demand that the
		// next frame follows, unless this one ends the file.
		next := pos + h.size
		if next+4 <= len(b) {
			if h2, ok := parseHeader(b[next:]); !ok || h2.version != h.version || h2.sampleRate != h.sampleRate {
				continue
			}
		} else if next > len(b) {
			continue
		}
		found = true
		break
	}
	if !found {
		return nil, fmt.Errorf("%w: no MPEG audio frame found", ErrNotMP3)
	}
	first, _ := parseHeader(b[pos:])
	if first.layer != 3 {
		return nil, fmt.Errorf("%w: MPEG Layer %d, only Layer III is decoded", ErrUnsupported, first.layer)
	}
	if first.version == mpeg25 {
		return nil, fmt.Errorf("%w: MPEG-2.5 (%d Hz), the decoder handles MPEG-1 and MPEG-2 only", ErrUnsupported, first.sampleRate)
	}
	s.first = first
	s.start = pos
	xingFrames := -1
	if n, ok := s.readInfoFrame(b[pos : pos+first.size]); ok {
		xingFrames = n
		pos += first.size
		s.start = pos
	}

	lastBitrate := 0
	for {
		if len(b)-pos < 4 {
			if !trailer(b[pos:]) {
				return nil, fmt.Errorf("%w: %d stray bytes at byte %d after frame %d", ErrTruncated, len(b)-pos, pos, s.frames)
			}
			break
		}
		h, ok := parseHeader(b[pos:])
		if !ok {
			if trailer(b[pos:]) {
				break
			}
			return nil, fmt.Errorf("%w: no frame sync at byte %d (after frame %d)", ErrCorrupt, pos, s.frames)
		}
		if h.layer != 3 || h.version != first.version || h.sampleRate != first.sampleRate || h.mono != first.mono {
			return nil, fmt.Errorf("%w: stream format changes at frame %d (byte %d)", ErrUnsupported, s.frames, pos)
		}
		if pos+h.size > len(b) {
			return nil, fmt.Errorf("%w: frame %d at byte %d needs %d bytes, %d left", ErrTruncated, s.frames, pos, h.size, len(b)-pos)
		}
		if lastBitrate != 0 && h.bitrate != lastBitrate {
			s.vbr = true
		}
		lastBitrate = h.bitrate
		if s.frames == 0 {
			s.bitrate = h.bitrate
		}
		s.frames++
		s.audioSize += h.size
		pos += h.size
	}
	s.end = pos
	if s.frames == 0 {
		return nil, fmt.Errorf("%w: no audio frames", ErrNotMP3)
	}
	if xingFrames > s.frames {
		return nil, fmt.Errorf("%w: header promises %d frames, %d present", ErrTruncated, xingFrames, s.frames)
	}
	if s.gapless && s.delay+s.padding >= s.frames*first.samplesPerFrame() {
		s.gapless, s.delay, s.padding = false, 0, 0
	}
	return s, nil
}

// readInfoFrame recognises a Xing/Info or VBRI frame (no audio, decodes as
// silence) and its LAME extension. n is the frame count it declares, -1 if
// none.
func (s *stream) readInfoFrame(f []byte) (n int, ok bool) {
	h := s.first
	off := 4 + h.sideInfoSize()
	if h.crc {
		off += 2
	}
	be32 := func(p []byte) int { return int(p[0])<<24 | int(p[1])<<16 | int(p[2])<<8 | int(p[3]) }
	if len(f) >= 4+32+18 && string(f[36:40]) == "VBRI" {
		s.infoTag = "VBRI"
		return be32(f[36+14:]), true
	}
	if len(f) < off+8 {
		return -1, false
	}
	tag := string(f[off : off+4])
	if tag != "Xing" && tag != "Info" {
		return -1, false
	}
	s.infoTag = tag
	flags := be32(f[off+4:])
	p := off + 8
	n = -1
	if flags&1 != 0 {
		if len(f) < p+4 {
			return -1, true
		}
		n = be32(f[p:])
		p += 4
	}
	if flags&2 != 0 {
		p += 4
	}
	if flags&4 != 0 {
		p += 100
	}
	if flags&8 != 0 {
		p += 4
	}
	// LAME extension: 9-byte encoder string, then delay and padding as two
	// 12-bit fields 21 bytes in.
	if len(f) >= p+24 && printable(f[p:p+4]) {
		s.encoder = string(bytes.TrimRight(f[p:p+9], "\x00 "))
		d := f[p+21:]
		s.delay = int(d[0])<<4 | int(d[1])>>4
		s.padding = int(d[1]&0xF)<<8 | int(d[2])
		s.gapless = true
	}
	return n, true
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7E {
			return false
		}
	}
	return true
}
