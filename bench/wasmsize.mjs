// bench/wasmsize.mjs: what each Go package costs in the core. It reads an
// unstripped wasm build (its "name" section) and sums the code bytes of
// each function by package; the data section (pclntab, type descriptors,
// strings) is one row. Given the hello-world floor built the same way, a
// column says how much of each row is above it: what availkit adds.
// Compressed sizes per package do not exist (brotli works on the whole
// file), so the last column spreads the brotli size of the stripped build
// over the rows in proportion to their bytes: an estimate.
//   node bench/wasmsize.mjs unstripped.wasm [brotliBytes] [top] [floor-unstripped.wasm]
// Sizes are KB of 1000 bytes.

import { readFileSync } from 'node:fs';

const [file, brotliArg, topArg, floorFile] = process.argv.slice(2);
const brotli = Number(brotliArg) || 0;
const top = Number(topArg) || 30;

// read returns the code size of each function of a wasm file by name, and
// the size of its data section.
function read(path) {
  const buf = readFileSync(path);
  let pos = 8;
  const u32 = () => {
    let r = 0;
    let shift = 0;
    for (;;) {
      const b = buf[pos++];
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) return r;
    }
  };
  const name = () => {
    const n = u32();
    const s = buf.toString('utf8', pos, pos + n);
    pos += n;
    return s;
  };
  let imported = 0;
  const bodies = []; // code size of each defined function
  const names = new Map(); // function index → name
  let data = 0;
  while (pos < buf.length) {
    const id = buf[pos++];
    const size = u32();
    const end = pos + size;
    if (id === 2) { // imports: count the functions, which take the first indices
      for (let n = u32(); n > 0; n--) {
        name();
        name();
        const kind = buf[pos++];
        if (kind === 0) { imported++; u32(); } else if (kind === 1) { pos++; const f = u32(); u32(); if (f & 1) u32(); } else if (kind === 2) { const f = u32(); u32(); if (f & 1) u32(); } else { pos += 2; }
      }
    } else if (id === 10) {
      for (let n = u32(); n > 0; n--) {
        const len = u32();
        bodies.push(len);
        pos += len;
      }
    } else if (id === 11) {
      data = size;
    } else if (id === 0 && name() === 'name') {
      while (pos < end) {
        const sub = buf[pos++];
        const len = u32();
        const subEnd = pos + len;
        if (sub === 1) for (let n = u32(); n > 0; n--) { const i = u32(); names.set(i, name()); }
        pos = subEnd;
      }
    }
    pos = end;
  }
  if (!names.size) throw new Error(`${path}: no name section (build without -ldflags=-s)`);
  const by = new Map();
  bodies.forEach((len, i) => {
    const p = pkg(names.get(imported + i) || '?');
    by.set(p, (by.get(p) || 0) + len);
  });
  return { by, data };
}

// pkg maps a Go symbol of the name section to its package. The linker
// writes '/' as '_' there ("github.com_availkit_availkit_internal_engine.F",
// "internal_runtime_maps.F"), so the package ends at the first '.' past a
// leading domain; the compiler's generated equality functions are "type:".
function pkg(sym) {
  if (sym.startsWith('type_.')) return 'type: (generated ==, hash)';
  const domain = /^[a-z0-9-]+\.(com|org|net|io|in|dev)_/.exec(sym);
  const dot = sym.indexOf('.', domain ? domain[0].length : 0);
  const p = dot > 0 ? sym.slice(0, dot) : sym;
  if (p.startsWith('github.com_availkit_availkit_')) return `availkit/${p.slice(29).replaceAll('_', '/')}`;
  if (p === 'main') return 'availkit/wasm (main)';
  return domain ? p : p.replaceAll('_', '/');
}

const core = read(file);
const floor = floorFile ? read(floorFile) : { by: new Map(), data: 0 };
const total = [...core.by.values()].reduce((s, n) => s + n, 0) + core.data;
const kb = (n) => (n / 1000).toFixed(1);
const rows = [...core.by].sort((a, b) => b[1] - a[1]);
const row = (p, n, f) => {
  const above = floorFile ? ` ${kb(n - f)} |` : '';
  console.log(`| ${p} | ${kb(n)} |${above} ${(100 * n / total).toFixed(1)}% | ${brotli ? kb(brotli * n / total) : '-'} |`);
};
console.log(`\nCore size by Go package: code bytes of ${file}, ${kb(total)} KB code+data${brotli ? `; brotli of the stripped build ${kb(brotli)} KB` : ''}`);
console.log(`| package | code KB |${floorFile ? ' above the floor KB |' : ''} share | ≈ brotli KB |`);
console.log(`|---|---|${floorFile ? '---|' : ''}---|---|`);
for (const [p, n] of rows.slice(0, top)) row(p, n, floor.by.get(p) || 0);
row('(data section)', core.data, floor.data);
const rest = rows.slice(top);
if (rest.length) {
  row(`(${rest.length} more packages)`, rest.reduce((s, [, n]) => s + n, 0), rest.reduce((s, [p]) => s + (floor.by.get(p) || 0), 0));
}
const ours = rows.filter(([p]) => p.startsWith('availkit/')).reduce((s, [, n]) => s + n, 0);
console.log(`availkit's own packages: ${kb(ours)} KB code (${(100 * ours / total).toFixed(1)}%)`);
if (floorFile) {
  const std = rows.filter(([p]) => !p.startsWith('availkit/')).reduce((s, [p, n]) => s + n - (floor.by.get(p) || 0), 0);
  console.log(`standard library and runtime above the floor: ${kb(std)} KB code; data section above the floor: ${kb(core.data - floor.data)} KB`);
}
