package wasmpack

import (
	"encoding/binary"
	"errors"
	"slices"
)

// Go's runtime keeps a symbol table in the initial memory (the pclntab,
// described by runtime.pcHeader and runtime._func in go1.20 and later). Parts
// of it the program needs to run: the frame sizes and stack maps the garbage
// collector and the unwinder read (pcsp and pcdata tables, funcdata), the
// function IDs that mark special frames. The rest is there to be printed:
// function names, file names, line tables. Two pcdata tables serve only
// code that never runs in a browser: the unsafe points (asynchronous
// preemption and debugger calls, which need signals) and the argument
// liveness a traceback prints. Those are about a tenth of availkit.wasm once
// compressed, and nothing in the plugin prints a traceback a user could read
// (the core recovers at its boundary and reports the panic's value), so
// StripSymbols blanks them, as garble's -tiny mode does for native binaries.
// The stack maps and the inline tree stay: the garbage collector, stack
// copying and recover read them.
//
// Layout, as written by cmd/link for a 64-bit target (GOARCH=wasm):
//
//	pcHeader: magic u32, pad1, pad2, minLC, ptrSize u8, nfunc, nfiles,
//	          unused, funcnameOffset, cuOffset, filetabOffset, pctabOffset,
//	          pclnOffset (8 bytes each); the offsets are from the header.
//	funcnametab | cutab | filetab | pctab | pclntable, in that order.
//	pclntable:  functab{entryoff, funcoff u32} × (nfunc+1), then the _func
//	            records funcoff points to (from the pclntable's start).
//	_func:      entryOff u32, nameOff i32, args i32, deferreturn u32,
//	            pcsp, pcfile, pcln, npcdata, cuOffset u32, startLine i32,
//	            funcID, flag, pad, nfuncdata u8, pcdata [npcdata]u32,
//	            funcdata [nfuncdata]u32.
const (
	pcMagic     = 0xfffffff1 // abi.Go120PCLnTabMagic
	pcHeaderLen = 72

	funcNameOff   = 4
	funcPCSP      = 16
	funcPCFile    = 20
	funcPCLn      = 24
	funcNPCData   = 28
	funcCUOffset  = 32
	funcStartLine = 36
	funcNFuncData = 43
	funcLen       = 44

	// pcdata tables (abi.PCDATA_*) a browser never reads.
	pcdataUnsafePoint = 0
	pcdataArgLive     = 3

	// funcdata (abi.FUNCDATA_*) only a traceback or the execution tracer
	// reads: the arguments a traceback prints, their liveness, and the
	// function a wrapper wraps. noFuncdata is the runtime's "none".
	funcdataArgInfo     = 5
	funcdataArgLiveInfo = 6
	funcdataWrapInfo    = 7
	noFuncdata          = ^uint32(0)

	// abi.TraceArgs*: the argument table's markers and its longest form.
	traceArgsEndSeq         = 0xff
	traceArgsStartAgg       = 0xfe
	traceArgsEndAgg         = 0xfd
	traceArgsDotdotdot      = 0xfc
	traceArgsOffsetTooLarge = 0xfb
	traceArgsMaxLen         = (5*3+2)*10 + 1
)

// SymbolStats says what StripSymbols blanked, in bytes of the initial
// memory.
type SymbolStats struct {
	Funcs   int // functions in the table
	Names   int // funcnametab
	Files   int // cutab and filetab
	Tables  int // pctab bytes only the dropped tables used: files, lines, unsafe points, argument liveness
	ArgInfo int // bytes of the argument tables a traceback prints (funcdata), zeroed
}

var (
	errNoSymtab  = errors.New("wasmpack: no Go symbol table (pcHeader) in the data section")
	errTwoSymtab = errors.New("wasmpack: more than one candidate Go symbol table")
	errSymtab    = errors.New("wasmpack: Go symbol table not as go1.20+ cmd/link writes it")
)

// StripSymbols returns module with the names, file names, line tables,
// unsafe-point and argument-liveness tables of Go's symbol table set to
// zero, and the fields of every function record that point to them set to
// zero, so that the runtime finds no name (funcname returns "") and no
// position (funcline returns "?", 0). Every byte the runtime reads to run
// the program in a browser is unchanged; the module's size is unchanged too
// (the zeros are what compresses). The data section's
// segments are kept as they are: run Pack first, or the zeros stay split
// into many segments.
//
// It fails, and the caller keeps the module, unless exactly one symbol table
// of the layout above is found, whole, in one segment, with offsets in
// order.
func StripSymbols(module []byte) ([]byte, SymbolStats, error) {
	var st SymbolStats
	out, err := rewriteData(module, func(segs []Segment) ([]Segment, error) {
		si, at, err := findSymtab(segs)
		if err != nil {
			return nil, err
		}
		segs = slices.Clone(segs)
		for i := range segs {
			segs[i].Data = slices.Clone(segs[i].Data)
		}
		var fd funcdataUse
		if st, fd, err = stripSymtab(segs[si].Data[at:]); err != nil {
			return segs, err
		}
		h := segs[si].Data[at:]
		pc := uint64(segs[si].Offset) + uint64(at)
		m := memory(segs)
		// The tables unlinked are also zeroed where the module data says
		// where they are (a hand-made table in a test has none).
		if md, err := m.findModuledata(pc, pc+binary.LittleEndian.Uint64(h[32:])); err == nil {
			st.ArgInfo = m.zeroArgInfo(binary.LittleEndian.Uint64(m.read(md+mdGofunc, 8)), fd)
		}
		return segs, nil
	})
	return out, st, err
}

// funcdataUse is what stripSymtab saw of the funcdata: the argument tables
// it unlinked and every offset still linked (offsets from moduledata.gofunc).
type funcdataUse struct {
	argInfo []uint32
	kept    []uint32
}

// zeroArgInfo zeroes the argument tables (abi.FUNCDATA_ArgInfo: a run of
// offset and size bytes, aggregate and "..." markers, ended by 0xff) no
// longer linked, unless a funcdata still linked starts inside one (a
// table the linker shared), and returns the bytes zeroed.
func (m memory) zeroArgInfo(gofunc uint64, fd funcdataUse) int {
	slices.Sort(fd.kept)
	n := 0
	for _, off := range fd.argInfo {
		p := m.read(gofunc+uint64(off), traceArgsMaxLen)
		if p == nil {
			continue
		}
		l := argInfoLen(p)
		if l == 0 {
			continue
		}
		if i, _ := slices.BinarySearch(fd.kept, off); i < len(fd.kept) && fd.kept[i] < off+uint32(l) {
			continue
		}
		if b := m.bytes(gofunc+uint64(off), uint64(l)); b != nil {
			clear(b)
			n += l
		}
	}
	return n
}

// argInfoLen is the length of the argument table at the start of p, end
// marker included; 0 if it does not end in p.
func argInfoLen(p []byte) int {
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case traceArgsEndSeq:
			return i + 1
		case traceArgsStartAgg, traceArgsEndAgg, traceArgsDotdotdot, traceArgsOffsetTooLarge:
		default:
			i++ // an offset, then its size
		}
	}
	return 0
}

// findSymtab returns the segment and offset in it of the one pcHeader whose
// tables all lie in that segment.
func findSymtab(segs []Segment) (seg, at int, err error) {
	seg, at = -1, -1
	for si, s := range segs {
		d := s.Data
		for i := 0; i+pcHeaderLen <= len(d); i++ {
			// The header is a Go variable: 8-byte aligned in memory.
			if (int(s.Offset)+i)%8 != 0 || binary.LittleEndian.Uint32(d[i:]) != pcMagic {
				continue
			}
			if _, ok := symtabBounds(d[i:]); !ok {
				continue
			}
			if seg >= 0 {
				return 0, 0, errTwoSymtab
			}
			seg, at = si, i
		}
	}
	if seg < 0 {
		return 0, 0, errNoSymtab
	}
	return seg, at, nil
}

// symtabBounds reads the header at the start of h and checks that its
// tables are in order and inside h.
func symtabBounds(h []byte) (offs [5]uint64, ok bool) {
	if h[4] != 0 || h[5] != 0 || h[6] != 1 || h[7] != 8 {
		return offs, false // pad1, pad2, minLC (wasm: 1), ptrSize
	}
	nfunc := binary.LittleEndian.Uint64(h[8:])
	prev := uint64(pcHeaderLen)
	for k := range offs {
		offs[k] = binary.LittleEndian.Uint64(h[32+8*k:])
		if offs[k] < prev || offs[k] > uint64(len(h)) {
			return offs, false
		}
		prev = offs[k]
	}
	// The pclntable starts with nfunc+1 functab entries.
	if nfunc == 0 || nfunc > uint64(len(h)) || offs[4]+(nfunc+1)*8 > uint64(len(h)) {
		return offs, false
	}
	return offs, true
}

// stripSymtab blanks the symbol table whose header starts h.
func stripSymtab(h []byte) (SymbolStats, funcdataUse, error) {
	var fd funcdataUse
	offs, ok := symtabBounds(h)
	if !ok {
		return SymbolStats{}, fd, errSymtab
	}
	names, cutab, pctab := h[offs[0]:offs[1]], h[offs[1]:offs[3]], h[offs[3]:offs[4]]
	pcln := h[offs[4]:]
	nfunc := int(binary.LittleEndian.Uint64(h[8:]))
	st := SymbolStats{Funcs: nfunc, Names: len(names), Files: len(cutab)}

	// A pctab table may be shared by several functions and several uses:
	// only bytes that no pcsp or pcdata table covers are blanked.
	keep := make([]bool, len(pctab))
	drop := make([]bool, len(pctab))
	for f := 0; f < nfunc; f++ {
		fo := uint64(binary.LittleEndian.Uint32(pcln[f*8+4:]))
		if fo+funcLen > uint64(len(pcln)) {
			return st, fd, errSymtab
		}
		fn := pcln[fo:]
		npcdata := uint64(binary.LittleEndian.Uint32(fn[funcNPCData:]))
		end := funcLen + 4*(npcdata+uint64(fn[funcNFuncData]))
		if fo+end > uint64(len(pcln)) {
			return st, fd, errSymtab
		}
		if !mark(pctab, keep, binary.LittleEndian.Uint32(fn[funcPCSP:])) {
			return st, fd, errSymtab
		}
		for k := uint64(0); k < uint64(fn[funcNFuncData]); k++ {
			field := fn[funcLen+4*(npcdata+k):]
			off := binary.LittleEndian.Uint32(field)
			switch {
			case off == noFuncdata:
			case k == funcdataArgInfo:
				fd.argInfo = append(fd.argInfo, off)
				binary.LittleEndian.PutUint32(field, noFuncdata)
			case k == funcdataArgLiveInfo || k == funcdataWrapInfo:
				binary.LittleEndian.PutUint32(field, noFuncdata)
			default:
				fd.kept = append(fd.kept, off)
			}
		}
		for k := uint64(0); k < npcdata; k++ {
			field := fn[funcLen+4*k:]
			set := keep
			if k == pcdataUnsafePoint || k == pcdataArgLive {
				set = drop
			}
			if !mark(pctab, set, binary.LittleEndian.Uint32(field)) {
				return st, fd, errSymtab
			}
			if k == pcdataUnsafePoint || k == pcdataArgLive {
				binary.LittleEndian.PutUint32(field, 0) // the runtime's "no table"
			}
		}
		if !mark(pctab, drop, binary.LittleEndian.Uint32(fn[funcPCFile:])) ||
			!mark(pctab, drop, binary.LittleEndian.Uint32(fn[funcPCLn:])) {
			return st, fd, errSymtab
		}
		// Zeroed rather than left pointing at zeros: thousands of
		// distinct offsets compress worse than zeros.
		for _, field := range []int{funcNameOff, funcPCFile, funcPCLn, funcCUOffset, funcStartLine} {
			binary.LittleEndian.PutUint32(fn[field:], 0)
		}
	}
	for i := range pctab {
		if drop[i] && !keep[i] {
			pctab[i] = 0
			st.Tables++
		}
	}
	clear(names)
	clear(cutab)
	return st, fd, nil
}

// mark sets used[i] for the bytes of the pctab table at off (0: none) and
// reports whether the table ends inside pctab. A table is a run of
// (value delta, pc delta) varint pairs, ended by a zero value delta after
// the first pair (runtime.step).
func mark(pctab []byte, used []bool, off uint32) bool {
	if off == 0 {
		return true
	}
	p := int(off)
	for first := true; ; first = false {
		if p >= len(pctab) {
			return false
		}
		if pctab[p] == 0 && !first {
			p++
			break
		}
		for range 2 {
			n := uvarintLen(pctab[p:])
			if n == 0 {
				return false
			}
			p += n
		}
	}
	for i := int(off); i < p; i++ {
		used[i] = true
	}
	return true
}

// uvarintLen is the length of the varint at the start of b, 0 if it does
// not end in b.
func uvarintLen(b []byte) int {
	for i, c := range b {
		if c < 0x80 {
			return i + 1
		}
		if i == 9 {
			return 0
		}
	}
	return 0
}
