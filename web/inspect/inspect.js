// inspect.js loads inspect.wasm (the creative inspector, issue 6) for the
// QA page. It is separate from the player plugin so the plugin does not
// carry an MP3 decoder.
//
//   import { loadInspector } from './inspect/inspect.js';
//   const insp = await loadInspector();            // dist/ layout by default
//   const r = await insp.inspectUrl('/media/mp3/bad.mp3', { declared: 10, slot: 10 });
//   r.ok, r.pass, r.report.{duration, loudness, peakDbfs, ...}, r.verdicts[{check, ok, message}]
//   insp.probe(bytes, o) is the same from the frame headers only: exact
//   duration and format in microseconds, report.levels false, no loudness.
//   const rep = await insp.lint(trackingJSONText, { live: 'vod' });  // the tracking inspector
//   rep.error?.{path, message, line, column}, rep.findings[{severity, code, path, message}],
//   rep.codes{code: meaning}, rep.timeline[{availId, start, end, ads}], rep.schedule[{at, eventType, url, sent, trigger, …}]
//   insp.close();
//
// By default the wasm runs in Web Workers (decoding takes longer than a
// frame), one per CPU up to four, which split the decode of files longer
// than a few seconds between them; { workers: 1 } keeps to one, and
// { worker: false } runs it on the calling thread instead.

const here = import.meta.url;

// PART_MIN_FRAMES: shorter files (about 2.5 s) are decoded by one worker;
// splitting costs a few frames of warm-up per part plus the transfers.
const PART_MIN_FRAMES = 96;
// PART_MAX_PCM_BYTES caps the decoded PCM the split path holds at once
// (16-bit stereo: about 12 minutes at 44.1 kHz); longer files stream
// through one worker instead.
const PART_MAX_PCM_BYTES = 128 << 20;

/**
 * @param {{wasmUrl?: string|URL, wasmExecUrl?: string|URL, workerUrl?: string|URL, worker?: boolean, workers?: number}} [opts]
 *   workers: Web Workers that split one decode (default: the CPU count, at most 4).
 * @returns {Promise<{inspect(bytes: ArrayBuffer|Uint8Array, o?: {declared?: number, slot?: number}): Promise<object>,
 *   probe(bytes: ArrayBuffer|Uint8Array, o?: {declared?: number, slot?: number}): Promise<object>,
 *   inspectUrl(url: string, o?: {declared?: number, slot?: number}): Promise<object>, close(): void}>}
 */
export async function loadInspector(opts = {}) {
  const wasmUrl = String(opts.wasmUrl || new URL('../inspect.wasm', here));
  const wasmExecUrl = String(opts.wasmExecUrl || new URL('../wasm_exec.js', here));
  const useWorker = opts.worker !== false && typeof Worker !== 'undefined';
  const n = Math.max(1, Math.min(8, Math.floor(Number(opts.workers) ||
    Math.min(4, (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 1))));
  const run = useWorker
    ? await workerRunner(String(opts.workerUrl || new URL('./worker.js', here)), wasmUrl, wasmExecUrl, n)
    : await localRunner(wasmUrl, wasmExecUrl);

  const measure = (type) => (bytes, o = {}) => {
    const buf = bytes instanceof Uint8Array
      ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
      : bytes;
    return run.call(type, buf, Number(o.declared) || 0, Number(o.slot) || 0);
  };
  const inspect = measure('inspect');
  return {
    inspect,
    lint(text, o = {}) {
      const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : new Uint8Array(text);
      return run.lint(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), String(o.live || ''));
    },
    probe: measure('probe'),
    async inspectUrl(url, o = {}) {
      const resp = await fetch(url);
      if (!resp.ok) {
        return { ok: false, pass: false, kind: 'fetch', error: `HTTP ${resp.status} for ${url}` };
      }
      return inspect(await resp.arrayBuffer(), o);
    },
    close: run.close,
  };
}

// compile fetches and compiles inspect.wasm once for every worker.
async function compile(wasmUrl) {
  const resp = await fetch(wasmUrl);
  if (!resp.ok) throw new Error(`inspect.wasm: HTTP ${resp.status} for ${wasmUrl}`);
  if (WebAssembly.compileStreaming && /application\/wasm/.test(resp.headers.get('content-type') || '')) {
    return WebAssembly.compileStreaming(resp);
  }
  return WebAssembly.compile(await resp.arrayBuffer());
}

function startWorker(workerUrl) {
  const w = new Worker(workerUrl);
  const pending = new Map();
  let next = 1;
  w.onmessage = (e) => {
    const { id, error } = e.data || {};
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (error) p.reject(new Error(error));
    else p.resolve(e.data);
  };
  w.onerror = (e) => {
    for (const p of pending.values()) p.reject(new Error(`inspect worker: ${e.message || 'failed'}`));
    pending.clear();
  };
  return {
    ask: (msg, transfer = []) => new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      w.postMessage({ ...msg, id }, transfer);
    }),
    close() {
      w.terminate();
      for (const p of pending.values()) p.reject(new Error('inspector closed'));
      pending.clear();
    },
  };
}

// workerRunner runs n workers. An inspect of a long enough file is split:
// worker k decodes part k of n (creative.DecodePart), the first one then
// measures the concatenated PCM; any failure falls back to one worker's
// inspect, the reference for damaged files.
async function workerRunner(workerUrl, wasmUrl, wasmExecUrl, n) {
  let module = null;
  if (n > 1) {
    try {
      module = await compile(wasmUrl);
    } catch {
      n = 1; // let the single worker fetch it and report the error
    }
  }
  const pool = Array.from({ length: n }, () => startWorker(workerUrl));
  try {
    await Promise.all(pool.map((w) => w.ask({ type: 'init', module, wasmUrl, wasmExecUrl })));
  } catch (e) {
    pool.forEach((w) => w.close());
    throw e;
  }
  const [first] = pool;
  const one = async (type, buf, declared, slot) => (await first.ask({ type, bytes: buf, declared, slot }, [buf])).result;

  async function split(buf, declared, slot) {
    const t0 = performance.now();
    const probe = await one('probe', buf.slice(0), 0, 0);
    const rep = probe.ok && probe.report;
    if (!rep || rep.frames < PART_MIN_FRAMES || rep.frames * (rep.format.startsWith('MPEG-1') ? 1152 : 576) * 4 > PART_MAX_PCM_BYTES) {
      return null;
    }
    const parts = await Promise.all(pool.map((w, k) => {
      const b = buf.slice(0);
      return w.ask({ type: 'part', bytes: b, k, n }, [b]).catch(() => null);
    }));
    if (parts.some((p) => !p || !p.result.ok || !p.pcm)) return null;
    const pcm = new Uint8Array(parts.reduce((sum, p) => sum + p.pcm.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      pcm.set(new Uint8Array(p.pcm), at);
      at += p.pcm.byteLength;
    }
    const r = (await first.ask({ type: 'inspectPCM', bytes: buf, pcm: pcm.buffer, declared, slot }, [buf, pcm.buffer])).result;
    if (!r.ok && r.kind === 'corrupt') return null; // e.g. a part short: let inspect name the damage
    r.elapsedMs = performance.now() - t0;
    r.workers = n;
    return r;
  }

  return {
    lint: async (buf, live) => (await first.ask({ type: 'lint', bytes: buf, live }, [buf])).result,
    call: async (type, buf, declared, slot) => {
      if (type === 'inspect' && n > 1) {
        const r = await split(buf.slice(0), declared, slot);
        if (r) return r;
      }
      return one(type, buf, declared, slot);
    },
    close: () => pool.forEach((w) => w.close()),
  };
}

async function localRunner(wasmUrl, wasmExecUrl) {
  if (!globalThis.__availkitInspect) {
    if (typeof globalThis.Go !== 'function') await loadScript(wasmExecUrl);
    const go = new globalThis.Go();
    const resp = await fetch(wasmUrl);
    if (!resp.ok) throw new Error(`inspect.wasm: HTTP ${resp.status} for ${wasmUrl}`);
    const { instance } = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
    go.run(instance);
  }
  const api = globalThis.__availkitInspect;
  return {
    lint: async (buf, live) => api.lintTracking(new Uint8Array(buf), live),
    call: async (type, buf, declared, slot) => {
      const t0 = performance.now();
      const result = api[type === 'probe' ? 'probeMP3' : 'inspectMP3'](new Uint8Array(buf), declared, slot);
      result.elapsedMs = performance.now() - t0;
      return result;
    },
    close: () => {},
  };
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.appendChild(s);
  });
}

/**
 * verdictText turns a result into one line for a table cell.
 * @param {object} r result of inspect()
 */
export function verdictText(r) {
  if (!r || !r.ok) return `ERROR (${(r && r.kind) || 'unknown'}): ${(r && r.error) || 'no result'}`;
  const bad = (r.verdicts || []).filter((v) => !v.ok).map((v) => v.message);
  return bad.length ? `FAIL · ${bad.join(' · ')}` : 'PASS';
}
