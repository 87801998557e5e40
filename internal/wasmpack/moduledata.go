package wasmpack

import (
	"encoding/binary"
	"errors"
)

// The runtime describes the module to itself in runtime.firstmoduledata, a
// variable the linker fills: where the symbol table, the type descriptors
// and the funcdata are. Its layout, for go1.26 on a 64-bit target
// (GOARCH=wasm):
//
//	pcHeader at 0, funcnametab at 8, types at 296, etypes at 304, gofunc
//	(the base of funcdata offsets) at 320, typelinks (slice of int32
//	offsets from types) at 360, itablinks (slice of *itab) at 384.
const (
	mdTypes     = 296
	mdEtypes    = 304
	mdGofunc    = 320
	mdTypelinks = 360
	mdItablinks = 384
	mdLen       = 408
)

var (
	errNoModuledata  = errors.New("wasmpack: no runtime.firstmoduledata for the symbol table")
	errTwoModuledata = errors.New("wasmpack: more than one candidate runtime.firstmoduledata")
)

// memory is the module's initial memory, as its data segments.
type memory []Segment

// bytes returns the n bytes at addr, or nil if they are not all in one
// segment: what may be written.
func (m memory) bytes(addr, n uint64) []byte {
	for _, s := range m {
		start := uint64(s.Offset)
		if addr >= start && addr+n <= start+uint64(len(s.Data)) && addr+n >= addr {
			return s.Data[addr-start : addr-start+n]
		}
	}
	return nil
}

// read returns the n bytes at addr as the module starts: zeros where no
// segment sets them (Pack drops zeros at the ends of segments, even inside
// a variable). What it returns may be a copy; nil for a range past 4 GB or
// longer than any table of a module (a corrupt length).
func (m memory) read(addr, n uint64) []byte {
	if b := m.bytes(addr, n); b != nil {
		return b
	}
	if n > 1<<26 || addr+n < addr || addr+n > 1<<32 {
		return nil
	}
	out := make([]byte, n)
	for _, s := range m {
		start, end := uint64(s.Offset), uint64(s.Offset)+uint64(len(s.Data))
		lo, hi := max(addr, start), min(addr+n, end)
		if lo < hi {
			copy(out[lo-addr:], s.Data[lo-start:hi-start])
		}
	}
	return out
}

// findModuledata returns the address of the moduledata whose first field
// points to the symbol table header at pcHeader, and whose second (the
// funcnametab slice) to the names at funcnames.
func (m memory) findModuledata(pcHeader, funcnames uint64) (uint64, error) {
	found := uint64(0)
	for _, s := range m {
		// The moduledata is a Go variable: 8-byte aligned in memory.
		for i := int(-s.Offset & 7); i+8 <= len(s.Data); i += 8 {
			if binary.LittleEndian.Uint64(s.Data[i:]) != funcnames {
				continue
			}
			at := uint64(s.Offset) + uint64(i) - 8
			md := m.read(at, mdLen)
			if md == nil {
				continue
			}
			types := binary.LittleEndian.Uint64(md[mdTypes:])
			etypes := binary.LittleEndian.Uint64(md[mdEtypes:])
			if binary.LittleEndian.Uint64(md) != pcHeader || types == 0 || etypes <= types || etypes-types > 1<<30 {
				continue
			}
			if found != 0 {
				return 0, errTwoModuledata
			}
			found = at
		}
	}
	if found == 0 {
		return 0, errNoModuledata
	}
	return found, nil
}
