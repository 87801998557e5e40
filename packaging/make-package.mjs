// make-package.mjs writes <dist>/package.json and <dist>/README.md so that
// dist/ is an installable npm package. VERSION at the repository root is the
// only place the version is written down; this script refuses anything that
// is not plain semver so a typo never reaches a registry.
//
//   node packaging/make-package.mjs dist
//
// It is called by `./build.sh package` after the build; it checks that every
// file the manifest points at exists, so a renamed module fails here and not
// in a user's bundler.

import { readFileSync, writeFileSync, existsSync, copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// readVersion returns the version in VERSION, trimmed.
export function readVersion(root = ROOT) {
  const v = readFileSync(path.join(root, 'VERSION'), 'utf8').trim();
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(v)) throw new Error(`VERSION: ${JSON.stringify(v)} is not semver`);
  return v;
}

// QA_ONLY lists what web/ holds for the QA page and the creative inspector,
// not for embedding pages; it stays out of the package.
const QA_ONLY = new Set(['qa', 'inspect']);

// runtimeFiles lists the package's files: every entry of web/ (copied to
// dist/ by the build) but the QA-only ones, then the build's own outputs:
// the minified bundle, the core with its pre-compressed copies (a host
// serves those with Content-Encoding; the loader decodes the .gz itself
// where it cannot).
// Reading web/ keeps a new module directory from being left out.
export function runtimeFiles(root = ROOT) {
  const web = readdirSync(path.join(root, 'web'), { withFileTypes: true })
    .filter((d) => !QA_ONLY.has(d.name) && !d.name.startsWith('.'))
    .map((d) => (d.isDirectory() ? `${d.name}/` : d.name));
  // The minified bundle: availkit.min.js, its shared chunks, and the
  // .min.js files beside the modules in the directories above.
  const bundle = ['availkit.min.js', 'chunk-*.js'];
  return [...new Set([...web, ...bundle, 'availkit.wasm', 'availkit.wasm.br', 'availkit.wasm.gz', 'wasm_exec.js', 'vendor/'])].sort();
}

// manifest returns the package.json object for version. Paths are relative
// to dist/.
export function manifest(version, files = runtimeFiles()) {
  return {
    name: 'availkit',
    version,
    description: 'Client-side ad reporting for AWS Elemental MediaTailor: a Go/WebAssembly core, hls.js/dash.js/native adapters, an ad UI and the <availkit-player> element.',
    keywords: ['mediatailor', 'ssai', 'vast', 'vpaid', 'hls.js', 'dash.js', 'webassembly', 'web-component'],
    type: 'module',
    // The package entries are the minified bundle (build.sh build_web):
    // what a page fetches to start a session is the entry and its chunks,
    // and every optional part loads on demand. The unminified ES modules
    // ship beside it and stay importable by path (availkit/availkit.js,
    // availkit/element/availkit-player.js) for debugging.
    main: './availkit.min.js',
    module: './availkit.min.js',
    types: './availkit.d.ts',
    exports: {
      '.': { types: './availkit.d.ts', import: './availkit.min.js', default: './availkit.min.js' },
      './element': {
        types: './element/availkit-player.d.ts',
        import: './element/availkit-player.min.js',
        default: './element/availkit-player.min.js',
      },
      './availkit.js': { types: './availkit.d.ts', default: './availkit.js' },
      './element/availkit-player.js': { types: './element/availkit-player.d.ts', default: './element/availkit-player.js' },
      './element/snippet': { types: './element/snippet.d.ts', default: './element/snippet.js' },
      './availkit.wasm': './availkit.wasm',
      './availkit.wasm.br': './availkit.wasm.br',
      './availkit.wasm.gz': './availkit.wasm.gz',
      './wasm_exec.js': './wasm_exec.js',
      './availkit.css': './availkit.css',
      './element/availkit-player.css': './element/availkit-player.css',
      './package.json': './package.json',
    },
    // files is a whitelist: the QA page (qa/), the creative inspector
    // (inspect/, inspect.wasm) and packed tarballs stay out. vendor/ ships
    // minified hls.js and dash.js with their licences so that the element
    // works from a CDN copy of this package without any other download.
    files,
    // Importing availkit.js has no side effect; these do: the element
    // registers <availkit-player>, wasm_exec.js defines globalThis.Go, the
    // VPAID frame script runs inside its iframe, CSS applies itself.
    sideEffects: ['./element/availkit-player.js', './element/availkit-player.min.js', './wasm_exec.js', './vpaid/frame.js', '*.css'],
    peerDependencies: { 'hls.js': '>=1.6', dashjs: '>=5' },
    peerDependenciesMeta: { 'hls.js': { optional: true }, dashjs: { optional: true } },
    engines: { node: '>=18' },
  };
}

// referenced lists every file path the manifest promises.
export function referenced(m) {
  const out = new Set([m.main, m.types]);
  const walk = (v) => {
    if (typeof v === 'string') out.add(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(m.exports);
  for (const f of m.sideEffects) if (f.startsWith('./')) out.add(f);
  out.delete('./package.json');
  return [...out].map((p) => p.replace(/^\.\//, ''));
}

function main(distArg) {
  const dist = path.resolve(distArg || path.join(ROOT, 'dist'));
  const m = manifest(readVersion());
  const missing = referenced(m).filter((f) => !existsSync(path.join(dist, f)));
  if (missing.length) {
    throw new Error(`make-package: ${dist} lacks ${missing.join(', ')} (run ./build.sh first; availkit.d.ts comes from web/)`);
  }
  writeFileSync(path.join(dist, 'package.json'), JSON.stringify(m, null, 2) + '\n');
  copyFileSync(path.join(ROOT, 'packaging/README.md'), path.join(dist, 'README.md'));
  process.stdout.write(`make-package: ${m.name}@${m.version} in ${dist}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv[2]);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
