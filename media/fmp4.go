package media

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"path"
)

// This file reads the timing of fragmented MP4 (CMAF) tracks from their
// boxes: the emulator serves the "bf" variant (scripts/make-media-bf.sh)
// with the timing its files really have, which no catalog entry records,
// and the media tests prove from the same boxes that the variant carries
// B-frames and AAC priming. Only what those two need is parsed: one track
// per file, version 0 and 1 boxes.

// Edit is one edit list (elst) entry. Duration is in the movie timescale;
// MediaTime is in the track's timescale, -1 for an empty edit.
type Edit struct {
	Duration  int64
	MediaTime int64
}

// TrackInit is what an fMP4 init segment says about its one track.
type TrackInit struct {
	// Timescale is the track's media timescale (mdhd); MovieTimescale the
	// movie's (mvhd), the unit of Edit.Duration.
	Timescale      int64
	MovieTimescale int64
	Edits          []Edit
	// DefaultDuration is the trex default sample duration.
	DefaultDuration int64
}

// Offset is the movie time, in seconds, of the track's media time zero as
// the edit list places it: the empty edits in front, less the media time
// the first real edit starts at. ffmpeg writes an empty edit of each
// track's start (a B-frame composition delay, an audio lead) when it muxes
// several tracks of one presentation, so the tracks' Offsets give their
// relative timing. Players that ignore edit lists (Chromium's MSE does)
// place media time m at m/Timescale instead of m/Timescale + Offset.
func (t *TrackInit) Offset() float64 {
	var empty int64
	for _, e := range t.Edits {
		if e.MediaTime < 0 {
			empty += e.Duration
			continue
		}
		return float64(empty)/float64(max(t.MovieTimescale, 1)) - float64(e.MediaTime)/float64(max(t.Timescale, 1))
	}
	return float64(empty) / float64(max(t.MovieTimescale, 1))
}

// Fragment is what one media segment's movie fragment says about its
// track. Times are in the track's timescale.
type Fragment struct {
	// DecodeTime is the tfdt baseMediaDecodeTime: the decode time of the
	// first sample.
	DecodeTime int64
	// Duration is the sum of the sample durations.
	Duration int64
	Samples  int
	// TrunVersion is 1 when the composition offsets are signed.
	TrunVersion int
	// Offsets are the composition time offsets of the samples (all zero
	// when the trun carries none).
	Offsets []int64
	// Earliest is the earliest presentation time, decode time plus
	// composition offset, over the samples.
	Earliest int64
}

type box struct {
	typ  string
	body []byte
}

// boxes splits b into its top-level boxes.
func splitBoxes(b []byte) ([]box, error) {
	var out []box
	for len(b) > 0 {
		if len(b) < 8 {
			return nil, errors.New("fmp4: truncated box header")
		}
		size, hdr := uint64(binary.BigEndian.Uint32(b)), 8
		switch size {
		case 1:
			if len(b) < 16 {
				return nil, errors.New("fmp4: truncated box header")
			}
			size, hdr = binary.BigEndian.Uint64(b[8:]), 16
		case 0:
			size = uint64(len(b))
		}
		if size < uint64(hdr) || size > uint64(len(b)) {
			return nil, fmt.Errorf("fmp4: box %q of %d bytes in %d", b[4:8], size, len(b))
		}
		out = append(out, box{typ: string(b[4:8]), body: b[hdr:size]})
		b = b[size:]
	}
	return out, nil
}

// find returns the body of the first box at the end of the type path, e.g.
// find(b, "moov", "trak", "mdia", "mdhd").
func find(b []byte, types ...string) ([]byte, bool) {
	for i, t := range types {
		bs, err := splitBoxes(b)
		if err != nil {
			return nil, false
		}
		found := false
		for _, x := range bs {
			if x.typ == t {
				b, found = x.body, true
				break
			}
		}
		if !found {
			return nil, false
		}
		if i == len(types)-1 {
			return b, true
		}
	}
	return nil, false
}

// reader reads big-endian fields from a full box body, recording the first
// out-of-range read.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) n(size int) uint64 {
	if len(r.b) < size {
		r.bad, r.b = true, nil
		return 0
	}
	var v uint64
	for _, c := range r.b[:size] {
		v = v<<8 | uint64(c)
	}
	r.b = r.b[size:]
	return v
}

// ParseInit reads the timing of the one track of an fMP4 init segment.
func ParseInit(b []byte) (*TrackInit, error) {
	var t TrackInit
	mvhd, ok := find(b, "moov", "mvhd")
	if !ok {
		return nil, errors.New("fmp4: init: no moov/mvhd")
	}
	r := reader{b: mvhd}
	if r.n(4)>>24 == 1 {
		r.n(16)
	} else {
		r.n(8)
	}
	t.MovieTimescale = int64(r.n(4))
	mdhd, ok := find(b, "moov", "trak", "mdia", "mdhd")
	if !ok {
		return nil, errors.New("fmp4: init: no mdhd")
	}
	r = reader{b: mdhd}
	if r.n(4)>>24 == 1 {
		r.n(16)
	} else {
		r.n(8)
	}
	t.Timescale = int64(r.n(4))
	if elst, ok := find(b, "moov", "trak", "edts", "elst"); ok {
		r := reader{b: elst}
		v := r.n(4) >> 24
		for n := r.n(4); n > 0 && !r.bad; n-- {
			var e Edit
			if v == 1 {
				e.Duration, e.MediaTime = int64(r.n(8)), int64(r.n(8))
			} else {
				e.Duration, e.MediaTime = int64(r.n(4)), int64(int32(r.n(4)))
			}
			r.n(4) // media rate
			t.Edits = append(t.Edits, e)
		}
		if r.bad {
			return nil, errors.New("fmp4: init: truncated elst")
		}
	}
	if trex, ok := find(b, "moov", "mvex", "trex"); ok {
		r := reader{b: trex}
		r.n(12) // version/flags, track ID, sample description index
		t.DefaultDuration = int64(r.n(4))
	}
	if r.bad || t.Timescale == 0 {
		return nil, errors.New("fmp4: init: truncated or zero timescale")
	}
	return &t, nil
}

// ParseFragment reads the timing of the first track fragment of a media
// segment (styp, sidx, moof, mdat). init supplies the trex default sample
// duration; nil means none.
func ParseFragment(b []byte, init *TrackInit) (*Fragment, error) {
	traf, ok := find(b, "moof", "traf")
	if !ok {
		return nil, errors.New("fmp4: segment: no moof/traf")
	}
	bs, err := splitBoxes(traf)
	if err != nil {
		return nil, err
	}
	var f Fragment
	var defDur int64
	if init != nil {
		defDur = init.DefaultDuration
	}
	haveTfdt := false
	for _, x := range bs {
		r := reader{b: x.body}
		switch x.typ {
		case "tfhd":
			flags := r.n(4) & 0xffffff
			r.n(4) // track ID
			if flags&0x1 != 0 {
				r.n(8) // base data offset
			}
			if flags&0x2 != 0 {
				r.n(4) // sample description index
			}
			if flags&0x8 != 0 {
				defDur = int64(r.n(4))
			}
		case "tfdt":
			if r.n(4)>>24 == 1 {
				f.DecodeTime = int64(r.n(8))
			} else {
				f.DecodeTime = int64(r.n(4))
			}
			haveTfdt = true
		case "trun":
			vf := r.n(4)
			f.TrunVersion = int(vf >> 24)
			flags := vf & 0xffffff
			n := int(r.n(4))
			if flags&0x1 != 0 {
				r.n(4) // data offset
			}
			if flags&0x4 != 0 {
				r.n(4) // first sample flags
			}
			for i := 0; i < n && !r.bad; i++ {
				d := defDur
				if flags&0x100 != 0 {
					d = int64(r.n(4))
				}
				if flags&0x200 != 0 {
					r.n(4) // size
				}
				if flags&0x400 != 0 {
					r.n(4) // flags
				}
				var cto int64
				if flags&0x800 != 0 {
					if f.TrunVersion == 1 {
						cto = int64(int32(r.n(4)))
					} else {
						cto = int64(r.n(4))
					}
				}
				pt := f.DecodeTime + f.Duration + cto
				if f.Samples == 0 || pt < f.Earliest {
					f.Earliest = pt
				}
				f.Offsets = append(f.Offsets, cto)
				f.Duration += d
				f.Samples++
			}
		}
		if r.bad {
			return nil, fmt.Errorf("fmp4: segment: truncated %s", x.typ)
		}
	}
	if !haveTfdt || f.Samples == 0 {
		return nil, errors.New("fmp4: segment: no tfdt or no samples")
	}
	return &f, nil
}

// FragTrack is the timing of one fMP4 track: its init segment and every
// media segment in order.
type FragTrack struct {
	Init  *TrackInit
	Frags []*Fragment
}

// ReadFragTrack reads dir/init.mp4 and dir/seg-00001.m4s, seg-00002.m4s, ...
// up to the first missing one.
func ReadFragTrack(fsys fs.FS, dir string) (*FragTrack, error) {
	b, err := fs.ReadFile(fsys, path.Join(dir, "init.mp4"))
	if err != nil {
		return nil, err
	}
	init, err := ParseInit(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	t := &FragTrack{Init: init}
	for n := 1; ; n++ {
		name := path.Join(dir, fmt.Sprintf("seg-%05d.m4s", n))
		b, err := fs.ReadFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return nil, err
		}
		f, err := ParseFragment(b, init)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		t.Frags = append(t.Frags, f)
	}
	if len(t.Frags) == 0 {
		return nil, fmt.Errorf("%s: no media segments", dir)
	}
	return t, nil
}
