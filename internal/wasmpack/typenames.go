package wasmpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
)

// Every type descriptor Go keeps has a string form (abi.Type.Str, a name
// record such as "*engine.Action" or "map[string][]timeline.Ref"). The
// runtime only prints it: in a panic's message ("interface conversion:
// interface {} is *x.T, not *x.U") and in a fatal error. Method names are
// name records too, and those the runtime does read, to build an itab by
// matching an interface's methods with a type's; so do package paths, for
// unexported methods. StripTypeNames blanks only records that are a type's
// string form and cannot be any of those: their text is not an identifier
// (a method name is one) and names no package path.
//
// The types are found by walking the descriptors from the roots the
// linker lists in runtime.firstmoduledata (typelinks, itablinks) along
// every type a descriptor refers to. A type not reached keeps its name;
// nothing that is not a reached descriptor's name is written.
//
// Layouts, for go1.26 on a 64-bit target (GOARCH=wasm) (the module data:
// moduledata.go):
//
//	abi.Type:   Size_, PtrBytes (8 each), Hash u32, TFlag, Align_,
//	            FieldAlign_, Kind_ (u8 each), Equal, GCData (8 each),
//	            Str NameOff i32, PtrToThis TypeOff i32; 48 bytes, then the
//	            kind's fields, then abi.UncommonType if TFlagUncommon.
//	abi.Name:   flags u8 (exported, tag, pkgpath, embedded), varint
//	            length, bytes, [varint length, tag], [pkgpath NameOff].
const (
	typeLen        = 48
	typeTFlag      = 20
	typeAlign      = 21
	typeFieldAlign = 22
	typeKind       = 23
	typeStr        = 40
	typePtrToThis  = 44

	tflagUncommon = 1 << 0

	nameFlagExported = 1 << 0
)

// Kinds (abi.Kind) whose descriptors carry more than the common header.
const (
	kindArray     = 17
	kindChan      = 18
	kindFunc      = 19
	kindInterface = 20
	kindMap       = 21
	kindPointer   = 22
	kindSlice     = 23
	kindStruct    = 25
	kindMax       = 26
	kindMask      = 1<<5 - 1
)

// TypeNameStats says what StripTypeNames did.
type TypeNameStats struct {
	Types   int // type descriptors reached
	Names   int // name records blanked
	Bytes   int // bytes of text blanked
	Kept    int // reached types whose name had to stay (an identifier, or shared with a method or package path)
	Missing int // references that led outside the memory the module initialises (left alone)
}

var (
	errTypeWalk = errors.New("wasmpack: type descriptors not as go1.26 writes them")
	errNoNames  = errors.New("wasmpack: function names already blanked: strip type names before symbols")
	errReflect  = errors.New("wasmpack: the module links package reflect, which finds types by their names: type names kept")
)

// StripTypeNames returns module with the string form of its types blanked
// as described above: each blanked record keeps its flags and its length
// field's width and reads as "?", one byte long, so that a type whose
// descriptor takes the text without its leading '*' (TFlagExtraStar) reads
// "". Run it on a packed module before StripSymbols: it reads the function
// names to refuse a module that links package reflect. It fails, and the
// caller keeps the module, if so, or if the module data or a descriptor
// reached from it is not as go1.26 lays them out.
func StripTypeNames(module []byte) ([]byte, TypeNameStats, error) {
	var st TypeNameStats
	out, err := rewriteData(module, func(segs []Segment) ([]Segment, error) {
		si, at, err := findSymtab(segs)
		if err != nil {
			return nil, err
		}
		if err := linksReflect(segs[si].Data[at:]); err != nil {
			return nil, err
		}
		segs = slices.Clone(segs)
		for i := range segs {
			segs[i].Data = slices.Clone(segs[i].Data)
		}
		m := memory(segs)
		pc := uint64(segs[si].Offset) + uint64(at)
		md, err := m.findModuledata(pc, pc+binary.LittleEndian.Uint64(segs[si].Data[at+32:]))
		if err != nil {
			return nil, err
		}
		st, err = m.stripTypeNames(md)
		return segs, err
	})
	return out, st, err
}

// linksReflect refuses a module whose function names (the symbol table
// whose header starts h) are gone or include package reflect: reflect finds
// the types it builds (PointerTo, SliceOf, MapOf) by their string form.
func linksReflect(h []byte) error {
	offs, ok := symtabBounds(h)
	if !ok {
		return errSymtab
	}
	names := h[offs[0]:offs[1]]
	if !slices.ContainsFunc(names, func(c byte) bool { return c != 0 }) {
		return errNoNames
	}
	if bytes.HasPrefix(names, []byte("reflect.")) || bytes.Contains(names, []byte("\x00reflect.")) {
		return errReflect
	}
	return nil
}

// walker holds the state of one walk over the type descriptors.
type walker struct {
	m             memory
	types, etypes uint64
	seen          map[uint64]bool
	queue         []uint64
	str           map[uint64]bool // name records used as a type's string form
	keep          map[uint64]bool // name records read as method names or package paths
	st            TypeNameStats
}

func (m memory) stripTypeNames(md uint64) (TypeNameStats, error) {
	hdr := m.read(md, mdLen) // found by findModuledata: never nil
	w := &walker{
		m:      m,
		types:  binary.LittleEndian.Uint64(hdr[mdTypes:]),
		etypes: binary.LittleEndian.Uint64(hdr[mdEtypes:]),
		seen:   map[uint64]bool{},
		str:    map[uint64]bool{},
		keep:   map[uint64]bool{},
	}
	links, nlinks := binary.LittleEndian.Uint64(hdr[mdTypelinks:]), binary.LittleEndian.Uint64(hdr[mdTypelinks+8:])
	if nlinks > 0 {
		b := m.read(links, 4*nlinks)
		if b == nil {
			return w.st, errTypeWalk
		}
		for i := uint64(0); i < nlinks; i++ {
			w.push(w.types + uint64(binary.LittleEndian.Uint32(b[4*i:])))
		}
	}
	itabs, nitabs := binary.LittleEndian.Uint64(hdr[mdItablinks:]), binary.LittleEndian.Uint64(hdr[mdItablinks+8:])
	if nitabs > 0 {
		b := m.read(itabs, 8*nitabs)
		if b == nil {
			return w.st, errTypeWalk
		}
		for i := uint64(0); i < nitabs; i++ {
			// itab: Inter *InterfaceType, Type *Type, Hash, Fun.
			it := m.read(binary.LittleEndian.Uint64(b[8*i:]), 16)
			if it == nil {
				return w.st, errTypeWalk
			}
			w.push(binary.LittleEndian.Uint64(it))
			w.push(binary.LittleEndian.Uint64(it[8:]))
		}
	}
	for len(w.queue) > 0 {
		t := w.queue[len(w.queue)-1]
		w.queue = w.queue[:len(w.queue)-1]
		if err := w.visit(t); err != nil {
			return w.st, err
		}
	}
	return w.st, w.blank()
}

// push queues the descriptor at addr (0: none).
func (w *walker) push(addr uint64) {
	if addr == 0 || w.seen[addr] {
		return
	}
	w.seen[addr] = true
	w.queue = append(w.queue, addr)
}

// pushOff queues the descriptor at a TypeOff (0 and -1: none).
func (w *walker) pushOff(off uint32) {
	if off == 0 || off == 0xffffffff {
		return
	}
	w.push(w.types + uint64(off))
}

// keepOff and keepPtr record a name record the runtime reads.
func (w *walker) keepOff(off uint32) {
	if off != 0 && off != 0xffffffff {
		w.keep[w.types+uint64(off)] = true
	}
}

func (w *walker) keepPtr(addr uint64) {
	if addr != 0 {
		w.keep[addr] = true
	}
}

// visit reads the descriptor at t and queues what it refers to.
func (w *walker) visit(t uint64) error {
	if t < w.types || t >= w.etypes {
		w.st.Missing++
		return nil
	}
	h := w.m.read(t, typeLen)
	if h == nil {
		w.st.Missing++
		return nil
	}
	kind := h[typeKind] & kindMask
	align, falign := h[typeAlign], h[typeFieldAlign]
	if kind == 0 || kind > kindMax || !pow2(align) || !pow2(falign) {
		return errTypeWalk
	}
	w.st.Types++
	tflag := h[typeTFlag]
	if off := binary.LittleEndian.Uint32(h[typeStr:]); off != 0 {
		w.str[w.types+uint64(off)] = true
	}
	w.pushOff(binary.LittleEndian.Uint32(h[typePtrToThis:]))

	// The kind's fields, and where the uncommon type would start.
	var extra uint64
	var err error
	switch kind {
	case kindArray:
		extra, err = w.elems(t, 2, 24) // Elem, Slice, Len
	case kindChan:
		extra, err = w.elems(t, 1, 16) // Elem, Dir
	case kindPointer, kindSlice:
		extra, err = w.elems(t, 1, 8)
	case kindMap:
		extra, err = w.elems(t, 3, 64) // Key, Elem, Group; Hasher, sizes, flags
	case kindFunc:
		extra, err = 8, w.funcParams(t, tflag)
	case kindInterface:
		extra, err = 32, w.interfaceType(t)
	case kindStruct:
		extra, err = 32, w.structType(t)
	}
	if err != nil {
		return err
	}
	if tflag&tflagUncommon != 0 {
		return w.uncommon(t + typeLen + extra)
	}
	return nil
}

// elems queues the n type pointers that follow the header of t and
// returns the size of the kind's fields, size in all.
func (w *walker) elems(t uint64, n int, size uint64) (uint64, error) {
	b := w.m.read(t+typeLen, uint64(8*n))
	if b == nil {
		return 0, errTypeWalk
	}
	for i := range n {
		w.push(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return size, nil
}

// funcParams queues a func type's parameter and result types, which
// follow the uncommon type if there is one.
func (w *walker) funcParams(t uint64, tflag byte) error {
	b := w.m.read(t+typeLen, 4)
	if b == nil {
		return errTypeWalk
	}
	n := uint64(binary.LittleEndian.Uint16(b)) + uint64(binary.LittleEndian.Uint16(b[2:])&(1<<15-1))
	at := t + typeLen + 8
	if tflag&tflagUncommon != 0 {
		at += 16
	}
	ps := w.m.read(at, 8*n)
	if ps == nil {
		return errTypeWalk
	}
	for i := uint64(0); i < n; i++ {
		w.push(binary.LittleEndian.Uint64(ps[8*i:]))
	}
	return nil
}

// interfaceType keeps an interface's package path and method names, which
// itabs are built by, and queues its methods' types.
func (w *walker) interfaceType(t uint64) error {
	b := w.m.read(t+typeLen, 32)
	if b == nil {
		return errTypeWalk
	}
	w.keepPtr(binary.LittleEndian.Uint64(b))
	ms, n := binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b[16:])
	if n == 0 {
		return nil
	}
	mb := w.m.read(ms, 8*n)
	if mb == nil {
		return errTypeWalk
	}
	for i := uint64(0); i < n; i++ {
		w.keepOff(binary.LittleEndian.Uint32(mb[8*i:]))
		w.pushOff(binary.LittleEndian.Uint32(mb[8*i+4:]))
	}
	return nil
}

// structType keeps a struct's package path and field names (never read
// without reflect, but a field name may be the same record as a method
// name) and queues its fields' types.
func (w *walker) structType(t uint64) error {
	b := w.m.read(t+typeLen, 32)
	if b == nil {
		return errTypeWalk
	}
	w.keepPtr(binary.LittleEndian.Uint64(b))
	fs, n := binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b[16:])
	if n == 0 {
		return nil
	}
	fb := w.m.read(fs, 24*n)
	if fb == nil {
		return errTypeWalk
	}
	for i := uint64(0); i < n; i++ {
		w.keepPtr(binary.LittleEndian.Uint64(fb[24*i:]))
		w.push(binary.LittleEndian.Uint64(fb[24*i+8:]))
	}
	return nil
}

// uncommon keeps a named type's package path and method names and queues
// its methods' types.
func (w *walker) uncommon(u uint64) error {
	b := w.m.read(u, 16)
	if b == nil {
		return errTypeWalk
	}
	w.keepOff(binary.LittleEndian.Uint32(b))
	n := uint64(binary.LittleEndian.Uint16(b[4:]))
	if n == 0 {
		return nil
	}
	mb := w.m.read(u+uint64(binary.LittleEndian.Uint32(b[8:])), 16*n)
	if mb == nil {
		return errTypeWalk
	}
	for i := uint64(0); i < n; i++ {
		w.keepOff(binary.LittleEndian.Uint32(mb[16*i:]))
		w.pushOff(binary.LittleEndian.Uint32(mb[16*i+4:]))
	}
	return nil
}

// blank rewrites the name records used only as a type's string form.
func (w *walker) blank() error {
	for addr := range w.str {
		if w.keep[addr] {
			w.st.Kept++
			continue
		}
		h := w.m.bytes(addr, 1)
		if h == nil || h[0]&^nameFlagExported != 0 {
			w.st.Kept++ // a tag, a package path or an embedded field: not a string form
			continue
		}
		lb := w.m.bytes(addr+1, 2)
		if lb == nil {
			w.st.Kept++
			continue
		}
		n, width := uint64(lb[0]), uint64(1)
		if lb[0] >= 0x80 {
			if lb[1] >= 0x80 {
				return errTypeWalk // a string form of 16 KB or more
			}
			n, width = uint64(lb[0]&0x7f)|uint64(lb[1])<<7, 2
		}
		text := w.m.bytes(addr+1+width, n)
		if text == nil || n < 2 || identifier(text) || slices.Contains(text, '/') {
			w.st.Kept++
			continue
		}
		// Length 1 in the same width ("\x81\x00" is a valid varint), "?",
		// zeros after.
		lb[0] = 1
		if width == 2 {
			lb[0], lb[1] = 0x81, 0
		}
		text[0] = '?'
		clear(text[1:])
		w.st.Names++
		w.st.Bytes += int(n)
	}
	return nil
}

// identifier reports whether b could be a method name: letters, digits
// and '_' only (non-ASCII letters included).
func identifier(b []byte) bool {
	for _, c := range b {
		if !(c == '_' || c >= 0x80 || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func pow2(b byte) bool { return b != 0 && b&(b-1) == 0 }
