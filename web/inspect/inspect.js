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
//   insp.close();
//
// By default the wasm runs in a Worker (decoding takes longer than a
// frame); { worker: false } runs it on the calling thread instead.

const here = import.meta.url;

/**
 * @param {{wasmUrl?: string|URL, wasmExecUrl?: string|URL, workerUrl?: string|URL, worker?: boolean}} [opts]
 * @returns {Promise<{inspect(bytes: ArrayBuffer|Uint8Array, o?: {declared?: number, slot?: number}): Promise<object>,
 *   probe(bytes: ArrayBuffer|Uint8Array, o?: {declared?: number, slot?: number}): Promise<object>,
 *   inspectUrl(url: string, o?: {declared?: number, slot?: number}): Promise<object>, close(): void}>}
 */
export async function loadInspector(opts = {}) {
  const wasmUrl = String(opts.wasmUrl || new URL('../inspect.wasm', here));
  const wasmExecUrl = String(opts.wasmExecUrl || new URL('../wasm_exec.js', here));
  const useWorker = opts.worker !== false && typeof Worker !== 'undefined';
  const run = useWorker
    ? await workerRunner(String(opts.workerUrl || new URL('./worker.js', here)), wasmUrl, wasmExecUrl)
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

async function workerRunner(workerUrl, wasmUrl, wasmExecUrl) {
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
  const ask = (msg, transfer = []) => new Promise((resolve, reject) => {
    const id = next++;
    pending.set(id, { resolve, reject });
    w.postMessage({ ...msg, id }, transfer);
  });
  await ask({ type: 'init', wasmUrl, wasmExecUrl });
  return {
    call: async (type, buf, declared, slot) => (await ask({ type, bytes: buf, declared, slot }, [buf])).result,
    close: () => {
      w.terminate();
      for (const p of pending.values()) p.reject(new Error('inspector closed'));
      pending.clear();
    },
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
