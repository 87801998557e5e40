// bench/jssize.mjs: how much JavaScript a page fetches to start a session,
// gzip -9 per file (as a server compresses each response), in KB of 1000
// bytes. It follows the imports of the built files in dist/:
//   start    the minified entry (availkit.min.js) and the chunks it
//            imports statically: what must arrive before the session
//            init is sent, createSession resolves and the player starts
//            (the core is not needed for that: connect.js, startup.js);
//   core     Go's wasm_exec.js, which the loader imports with the core
//            (after the first frame by default, at once when eager);
//   mount    what a session adds once the core runs: the mounting code
//            (dist's dynamic chunk with mountParts) and, with an ad
//            container, the ad overlay (ui/overlay.min.js);
//   parts    each lazy part, fetched only by an ad that needs it;
//   modules  the same start set without the bundle: availkit.js and the
//            web/ modules it imports statically, unminified (the figure
//            before the bundle existed).
// Prints FIGURE lines, then a table of the files.
//   node bench/jssize.mjs [distDir]

import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const dist = path.resolve(process.argv[2] || 'dist');
const gz = (f) => gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length;
const kb = (n) => (n / 1000).toFixed(1);

// imports returns the static and dynamic imports of a built file, as paths
// relative to dist.
function imports(file) {
  const src = readFileSync(path.join(dist, file), 'utf8');
  const rel = (s) => path.relative(dist, path.resolve(path.dirname(path.join(dist, file)), s));
  const all = (re) => [...src.matchAll(re)].map((m) => m[1]).filter((s) => s.startsWith('.')).map(rel);
  return {
    static: all(/(?:\bfrom\s*|\bimport\s*)["']([^"']+)["']/g),
    dynamic: all(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  };
}

// closure returns file and every file it imports statically, transitively.
function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const f of imports(file).static) closure(f, seen);
  return seen;
}

const sum = (files) => [...files].reduce((n, f) => n + gz(f), 0);

if (!existsSync(path.join(dist, 'availkit.min.js'))) {
  console.error('jssize: dist/availkit.min.js missing (./build.sh with node_modules)');
  process.exit(1);
}
const start = closure('availkit.min.js');
const core = gz('wasm_exec.js');
const dyn = new Set([...start].flatMap((f) => imports(f).dynamic));
const mountChunk = [...dyn].find((f) => /^chunk-/.test(f));
const mount = new Set();
for (const f of [...closure(mountChunk), ...closure('ui/overlay.min.js')]) if (!start.has(f) && f !== 'wasm_exec.js') mount.add(f);
const parts = [...new Set(imports(mountChunk).dynamic)].filter((f) => f !== 'ui/overlay.min.js').sort();
const modules = closure('availkit.js');
modules.add('wasm_exec.js');

console.log(`FIGURE js_start_session_gzip ${kb(sum(start))} KB`);
console.log(`FIGURE js_start_with_core_runtime_gzip ${kb(sum(start) + core)} KB`);
console.log(`FIGURE js_session_mount_overlay_gzip ${kb(sum(mount))} KB`);
console.log(`FIGURE js_quickstart_total_gzip ${kb(sum(start) + core + sum(mount))} KB`);
console.log(`FIGURE js_start_unbundled_gzip ${kb(sum(modules))} KB`);
console.log('\n| JavaScript | files | gzip KB |');
console.log('|---|---|---|');
console.log(`| to start a session (entry, its chunks) | ${start.size} | ${kb(sum(start))} |`);
console.log(`| with the core: wasm_exec.js | 1 | ${kb(core)} |`);
console.log(`| mounted when the core runs (mount chunk, ad overlay) | ${mount.size} | ${kb(sum(mount))} |`);
for (const p of parts) {
  const extra = [...closure(p)].filter((f) => !start.has(f) && !mount.has(f));
  console.log(`| lazy: ${p} | ${extra.length} | ${kb(sum(extra))} |`);
}
console.log(`| unbundled start set (availkit.js and its static imports, wasm_exec.js) | ${modules.size} | ${kb(sum(modules))} |`);
