// Package wasmpack rewrites the data section of a WebAssembly module so that
// the module compresses better, leaving the memory it initialises unchanged.
//
// Go's linker (cmd/link, GOARCH=wasm) cuts the initial memory image into one
// data segment per stretch of non-zero bytes, starting a new segment at every
// run of more than 8 zero bytes: that keeps the uncompressed file small. The
// plugin ships compressed, and there the trade goes the other way: a run of
// zeros costs brotli a few bits, while each segment header (an offset that
// differs every time, a length) costs several bytes. availkit.wasm had about
// 50,000 segments, mostly split at gaps of 9-32 zero bytes (padding and zero
// fields of type descriptors and function records). Pack joins segments
// whose gap is at most a given number of bytes, writing the zeros out: the
// file grows by about half a megabyte uncompressed and shrinks by about 50 KB
// brotli and 80 KB gzip.
//
// Only active segments for memory 0 with an i32.const offset are handled,
// which is all Go's linker writes; anything else is an error, and the caller
// keeps the module as it was.
package wasmpack

import (
	"errors"
	"slices"
)

// DefaultGap is the gap Pack is called with by cmd/wasmpack. Measured on
// availkit.wasm (go1.26.8): 32 leaves 97 segments, 256 leaves 4 and the
// smallest brotli file; beyond it nothing changes but the noise.
const DefaultGap = 256

const (
	sectionData      = 11
	sectionDataCount = 12
	opI32Const       = 0x41
	opEnd            = 0x0b
)

// Segment is an active data segment of memory 0: Data is copied to memory
// at Offset when the module is instantiated.
type Segment struct {
	Offset uint32
	Data   []byte
}

// Stats says what Pack did.
type Stats struct {
	SegmentsBefore, SegmentsAfter int
	SizeBefore, SizeAfter         int // bytes of the whole module
}

var (
	errFormat      = errors.New("wasmpack: not a WebAssembly module")
	errTruncated   = errors.New("wasmpack: truncated module")
	errSegmentKind = errors.New("wasmpack: data segment other than active, memory 0, i32.const offset")
	errOverlap     = errors.New("wasmpack: data segments overlap")
)

// Pack returns module with its data section rewritten: segments sorted by
// offset and every two neighbours whose gap is at most maxGap zero bytes
// joined into one. The memory the module initialises is byte for byte the
// same; every other section is copied byte for byte. A DataCount section, if
// any, is updated to the new count.
func Pack(module []byte, maxGap int) ([]byte, Stats, error) {
	st := Stats{SizeBefore: len(module)}
	out, err := rewriteData(module, func(segs []Segment) ([]Segment, error) {
		st.SegmentsBefore = len(segs)
		joined, err := Join(segs, maxGap)
		st.SegmentsAfter = len(joined)
		return joined, err
	})
	if err != nil {
		return nil, st, err
	}
	st.SizeAfter = len(out)
	return out, st, nil
}

// rewriteData returns module with the segments of its data section replaced
// by what edit returns for them, and the DataCount section, if any, updated
// to the new count. The segments edit is given alias module: it must not
// write to them. Every other section is copied byte for byte.
func rewriteData(module []byte, edit func([]Segment) ([]Segment, error)) ([]byte, error) {
	if len(module) < 8 || string(module[:4]) != "\x00asm" {
		return nil, errFormat
	}
	type section struct {
		id      byte
		raw     []byte // the section as read, header included
		payload []byte // nil: copy raw
	}
	var sections []section
	var segs []Segment
	r := reader{b: module, pos: 8}
	for r.pos < len(module) {
		start := r.pos
		id := r.byte()
		size := r.u32()
		if r.err != nil || size > uint32(len(module)-r.pos) {
			return nil, errTruncated
		}
		payload := module[r.pos : r.pos+int(size)]
		r.pos += int(size)
		s := section{id: id, raw: module[start:r.pos]}
		if id == sectionData {
			var err error
			if segs, err = Segments(payload); err != nil {
				return nil, err
			}
			if segs, err = edit(segs); err != nil {
				return nil, err
			}
			s.payload = encodeSegments(segs)
		}
		sections = append(sections, s)
	}
	out := slices.Clone(module[:8])
	for _, s := range sections {
		if s.id == sectionDataCount {
			// The DataCount section (before the code section) must name
			// the number of segments the data section now has.
			s.payload = appendU32(nil, uint32(len(segs)))
		}
		if s.payload == nil {
			// Copied byte for byte: Go's linker pads section sizes to
			// five bytes, and there is no reason to touch them.
			out = append(out, s.raw...)
			continue
		}
		out = appendSection(out, s.id, s.payload)
	}
	return out, nil
}

// Segments decodes the payload of a data section.
func Segments(payload []byte) ([]Segment, error) {
	r := reader{b: payload}
	n := r.u32()
	if r.err != nil {
		return nil, errTruncated
	}
	var segs []Segment
	for i := uint32(0); i < n; i++ {
		flag := r.u32()
		if flag != 0 || r.byte() != opI32Const {
			if r.err != nil {
				return nil, errTruncated
			}
			return nil, errSegmentKind
		}
		off := r.s32()
		if r.byte() != opEnd {
			if r.err != nil {
				return nil, errTruncated
			}
			return nil, errSegmentKind
		}
		size := r.u32()
		if r.err != nil || size > uint32(len(payload)-r.pos) {
			return nil, errTruncated
		}
		segs = append(segs, Segment{Offset: uint32(off), Data: payload[r.pos : r.pos+int(size)]})
		r.pos += int(size)
	}
	if r.pos != len(payload) {
		return nil, errTruncated
	}
	return segs, nil
}

// Join sorts segs by offset and joins neighbours at most maxGap bytes apart,
// filling the gap with zeros. It fails if two segments overlap (the order of
// active segments would then decide the memory, which Join does not keep).
// segs is not modified.
func Join(segs []Segment, maxGap int) ([]Segment, error) {
	sorted := slices.Clone(segs)
	slices.SortStableFunc(sorted, func(a, b Segment) int {
		switch {
		case a.Offset < b.Offset:
			return -1
		case a.Offset > b.Offset:
			return 1
		}
		return 0
	})
	var out []Segment
	for _, s := range sorted {
		if len(s.Data) == 0 {
			continue // initialises nothing
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			end := uint64(last.Offset) + uint64(len(last.Data))
			if uint64(s.Offset) < end {
				return nil, errOverlap
			}
			if gap := uint64(s.Offset) - end; gap <= uint64(maxGap) {
				// A fresh slice: Data may alias the input module.
				d := make([]byte, 0, len(last.Data)+int(gap)+len(s.Data))
				d = append(d, last.Data...)
				d = append(d, make([]byte, gap)...)
				last.Data = append(d, s.Data...)
				continue
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// encodeSegments encodes the payload of a data section.
func encodeSegments(segs []Segment) []byte {
	b := appendU32(nil, uint32(len(segs)))
	for _, s := range segs {
		b = append(b, 0, opI32Const)
		b = appendS32(b, int32(s.Offset))
		b = append(b, opEnd)
		b = appendU32(b, uint32(len(s.Data)))
		b = append(b, s.Data...)
	}
	return b
}

func appendSection(b []byte, id byte, payload []byte) []byte {
	b = append(b, id)
	b = appendU32(b, uint32(len(payload)))
	return append(b, payload...)
}

// appendU32 appends v as unsigned LEB128.
func appendU32(b []byte, v uint32) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// appendS32 appends v as signed LEB128, the encoding of i32.const's operand:
// offsets of 2 GiB and more are negative there.
func appendS32(b []byte, v int32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// reader decodes LEB128 and bytes; the first error sticks and later reads
// return zero.
type reader struct {
	b   []byte
	pos int
	err error
}

func (r *reader) byte() byte {
	if r.err != nil || r.pos >= len(r.b) {
		r.err = errTruncated
		return 0
	}
	c := r.b[r.pos]
	r.pos++
	return c
}

func (r *reader) u32() uint32 {
	var v uint32
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		v |= uint32(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.err = errTruncated
	return 0
}

func (r *reader) s32() int32 {
	var v int32
	shift := 0
	for shift < 35 {
		c := r.byte()
		v |= int32(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 32 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
	}
	r.err = errTruncated
	return 0
}
