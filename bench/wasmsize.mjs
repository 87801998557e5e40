// bench/wasmsize.mjs: what each Go package costs in the core. It reads an
// unstripped wasm build (its "name" section) and sums the code bytes of
// each function by package; the data section is one row. Compressed sizes
// per package do not exist (brotli works on the whole file), so each row
// also shows its share of the brotli size of the stripped build.
//   node bench/wasmsize.mjs unstripped.wasm [brotliBytes] [top]

import { readFileSync } from 'node:fs';

const [file, brotliArg, topArg] = process.argv.slice(2);
const buf = readFileSync(file);
const brotli = Number(brotliArg) || 0;
const top = Number(topArg) || 30;

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
if (!names.size) throw new Error(`${file}: no name section (build without -ldflags=-s)`);

// pkg maps a Go symbol of the name section to its package. The linker
// writes '/' as '_' there ("github.com_availkit_availkit_internal_engine.F"),
// so the package ends at the first '.' past a leading domain.
const pkg = (sym) => {
  const domain = /^[a-z0-9-]+\.[a-z]+_/.exec(sym);
  const dot = sym.indexOf('.', domain ? domain[0].length : 0);
  return (dot > 0 ? sym.slice(0, dot) : sym).replace('github.com_availkit_availkit_', 'availkit/');
};
const by = new Map();
let code = 0;
bodies.forEach((len, i) => {
  const p = pkg(names.get(imported + i) || '?');
  by.set(p, (by.get(p) || 0) + len);
  code += len;
});
const total = code + data;
const rows = [...by].sort((a, b) => b[1] - a[1]);
const kb = (n) => (n / 1024).toFixed(1);
console.log(`\nCore size by Go package (code bytes of ${file}; ${kb(total)} KB code+data${brotli ? `, brotli of the stripped build ${kb(brotli)} KB` : ''})`);
console.log('| package | code KB | share | ≈ brotli KB |');
console.log('|---|---|---|---|');
for (const [p, n] of [...rows.slice(0, top), ['(data section)', data]]) {
  console.log(`| ${p} | ${kb(n)} | ${(100 * n / total).toFixed(1)}% | ${brotli ? kb(brotli * n / total) : '-'} |`);
}
const rest = rows.slice(top).reduce((s, [, n]) => s + n, 0);
if (rest) console.log(`| (${rows.length - top} more packages) | ${kb(rest)} | ${(100 * rest / total).toFixed(1)}% | ${brotli ? kb(brotli * rest / total) : '-'} |`);
const ours = rows.filter(([p]) => p.startsWith('availkit/')).reduce((s, [, n]) => s + n, 0);
console.log(`availkit's own packages: ${kb(ours)} KB code (${(100 * ours / total).toFixed(1)}%)`);
