// loader.js fetches, compiles and starts the Go core (availkit.wasm) and
// takes its API object off the global it publishes.
//
// Fetching starts as early as possible (prefetchCore, called when
// availkit.js is imported) unless the kit waits for the first frame
// (coreStart); compiling starts when the kit asks for it and streams from
// a cacheable response, so that a second visit reuses the code the
// browser cached. The marks availkit:compiled and availkit:ready
// go to the performance timeline (the fetch is in its resource timing).

import { checkCore } from './constants.js';

let goRuntime = null; // Promise of the wasm_exec.js module (defines globalThis.Go)
const compiled = new Map(); // wasm URL → {module: Promise<WebAssembly.Module>, abort()}

const mark = (name) => {
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') {
    try { performance.mark(`availkit:${name}`); } catch { /* a mark is only a measurement */ }
  }
};

// loadGoRuntime imports Go's wasm_exec.js once per page; a failed import is
// forgotten so that the next load retries.
export function loadGoRuntime(url) {
  if (!goRuntime) {
    goRuntime = globalThis.Go ? Promise.resolve() : import(/* @vite-ignore */ url).then(() => {
      if (!globalThis.Go) throw new Error('availkit: wasm_exec.js did not define Go');
    });
    goRuntime.catch(() => { goRuntime = null; });
  }
  return goRuntime;
}

const GZIP = [0x1f, 0x8b];
const WASM = [0x00, 0x61, 0x73, 0x6d];

// startsWith reports whether bytes begins with magic.
const startsWith = (bytes, magic) => magic.every((b, i) => bytes[i] === b);

/**
 * wasmResponse turns what the server sent for a core URL into a Response
 * WebAssembly.compileStreaming accepts (application/wasm, raw wasm bytes).
 * A response whose body is still gzip (a .gz file from a host that did not
 * set Content-Encoding) is decompressed with DecompressionStream on the way,
 * so a plain static host transfers the compressed size. A response that is
 * already application/wasm is passed through untouched: the browser then
 * keeps the compiled code in its cache.
 */
export async function wasmResponse(res) {
  const type = (res.headers.get('content-type') || '').split(';')[0].trim().toLowerCase();
  if (type === 'application/wasm') return res;
  // Peek at the first bytes without losing them.
  const reader = res.body.getReader();
  const head = [];
  let chunks = [];
  while (head.length < 4) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    for (const b of value) if (head.length < 4) head.push(b);
  }
  const body = new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(ch);
      chunks = null;
    },
    async pull(c) {
      const { done, value } = await reader.read();
      if (done) c.close();
      else c.enqueue(value);
    },
    cancel(reason) { return reader.cancel(reason); },
  });
  let stream = body;
  if (startsWith(head, GZIP)) {
    if (typeof DecompressionStream !== 'function') throw new Error('availkit: the gzip core needs DecompressionStream');
    stream = body.pipeThrough(new DecompressionStream('gzip'));
  } else if (!startsWith(head, WASM)) {
    throw new Error(`availkit: ${res.url || 'the core'} is neither wasm nor gzip`);
  }
  return new Response(stream, { headers: { 'content-type': 'application/wasm' } });
}

// fetchCore fetches url. A same-origin .wasm answered without
// Content-Encoding comes from a host that does not compress: its .gz
// sibling (shipped beside it) is fetched instead, and the uncompressed
// transfer is cancelled after its first round trip.
async function fetchCore(url, signal) {
  const res = await fetch(url, { signal, credentials: 'same-origin' });
  if (!res.ok) throw new Error(`availkit: ${url}: HTTP ${res.status}`);
  const plain = /\.wasm(\?|#|$)/.test(new URL(url).pathname + new URL(url).search)
    && res.type === 'basic' && !res.headers.get('content-encoding');
  if (plain && typeof DecompressionStream === 'function') {
    const gzUrl = new URL(url);
    gzUrl.pathname += '.gz';
    const gz = await fetch(gzUrl, { signal, credentials: 'same-origin' }).catch(() => null);
    if (gz && gz.ok) {
      res.body.cancel().catch(() => {});
      return gz;
    }
  }
  return res;
}

/**
 * prefetchCore starts fetching the core at url (once per URL) and returns
 * its {compile, abort}: compile() starts compiling the response (once) and
 * returns a Promise of the WebAssembly.Module. Nothing runs yet; loadCore
 * instantiates it.
 */
export function prefetchCore(url) {
  let p = compiled.get(url);
  if (p) return p;
  const ctl = typeof AbortController === 'function' ? new AbortController() : null;
  const res = fetchCore(url, ctl ? ctl.signal : undefined);
  res.catch(() => { /* compile reports it */ });
  let module = null;
  const compile = () => {
    if (module) return module;
    module = res.then((r) => (WebAssembly.compileStreaming
      ? WebAssembly.compileStreaming(wasmResponse(r))
      : wasmResponse(r).then((w) => w.arrayBuffer()).then((b) => WebAssembly.compile(b))))
      .then((m) => {
        mark('compiled');
        return m;
      });
    // A failed compile is forgotten so that the next load retries.
    module.catch(() => { if (compiled.get(url) === p) compiled.delete(url); });
    return module;
  };
  p = { compile, abort: () => { if (ctl) ctl.abort(); compiled.delete(url); } };
  compiled.set(url, p);
  return p;
}

/**
 * abortPrefetch cancels the prefetches of every URL but keep (the host
 * chose another core).
 */
export function abortPrefetch(keep) {
  for (const [url, p] of compiled) if (url !== keep) p.abort();
}

function moduleOf({ wasmUrl, wasmBytes, wasmModule }) {
  if (wasmModule) return Promise.resolve(wasmModule);
  if (wasmBytes) return WebAssembly.compile(wasmBytes);
  return prefetchCore(wasmUrl).compile();
}

/**
 * loadCore starts one copy of the core. wasmUrl and wasmExecUrl must be
 * absolute; wasmBytes or wasmModule skip the fetch. It resolves to
 * {core, exports, exited}: core is the object main published (version,
 * status, newSession, stats), exports the module's exports (ak_update,
 * ak_next), exited a promise that settles when the Go program stops.
 */
export async function loadCore(opts) {
  const [module] = await Promise.all([moduleOf(opts), loadGoRuntime(opts.wasmExecUrl)]);
  const go = new globalThis.Go();
  // Go's collector in wasm runs a whole mark phase on the main thread
  // before it returns to JavaScript. At the default GOGC=100 a 2.5 MB
  // tracking reply went through four of them, 50-130 ms each; at 400 one or
  // two (bench/bigreply.mjs), and the core's memory stayed 13.5 MiB.
  go.env = { ...go.env, GOGC: '400' };
  const instance = await WebAssembly.instantiate(module, go.importObject);
  const exited = go.run(instance);
  // main publishes the core synchronously before it blocks; take it off the
  // global at once so that several kits can coexist.
  const core = globalThis.__availkit;
  delete globalThis.__availkit;
  if (!core || typeof core.newSession !== 'function') throw new Error('availkit: core did not start');
  checkCore(core);
  mark('ready');
  warmWhenIdle(core);
  return { core, exports: instance.exports, exited };
}

// WARM_WITHIN_MS bounds how long the warm-up waits for an idle moment.
const WARM_WITHIN_MS = 1000;

// warmWhenIdle runs the core's warm-up (client.WarmUp) once the page is
// idle: Chromium compiles WebAssembly a function at a time on its first
// call, and without it a session's first tracking reply and its pre-roll's
// first beacons paid for that compilation (40-60 ms and 15-20 ms, native
// <video>; docs/onscreen.md). A core without warm() (an older build) is
// left as it is.
function warmWhenIdle(core) {
  if (typeof core.warm !== 'function') return;
  const run = () => {
    try {
      core.warm();
      mark('warm');
    } catch { /* an optimisation only */ }
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: WARM_WITHIN_MS });
  else setTimeout(run, 0);
}
