/* inspect worker: runs inspect.wasm off the page's main thread, because
 * decoding a 30 s MP3 takes longer than a frame. Classic worker (it needs
 * importScripts for wasm_exec.js). Several of these split one decode
 * between them (Go's wasm has no threads). Protocol, one reply per id:
 *   {id, type:'init', module?: WebAssembly.Module, wasmUrl, wasmExecUrl} -> {id, ok:true} | {id, error}
 *   {id, type:'inspect'|'probe', bytes:ArrayBuffer, declared, slot} -> {id, result} | {id, error}
 *   {id, type:'part', bytes, k, n} -> {id, result:{ok, error?, kind?}, pcm?: ArrayBuffer (transferred)}
 *   {id, type:'inspectPCM', bytes, pcm:ArrayBuffer, declared, slot} -> {id, result} | {id, error}
 *   {id, type:'lint', bytes (a tracking JSON document), live: 'live'|'vod'|''} -> {id, result: lint report} | {id, error}
 */
/* global importScripts, Go */
'use strict';

let ready = null;

async function init(module, wasmUrl, wasmExecUrl) {
  importScripts(wasmExecUrl);
  const go = new Go();
  let instance;
  if (module) {
    // Compiled once by the page and shared: each worker only instantiates.
    instance = await WebAssembly.instantiate(module, go.importObject);
  } else {
    const resp = await fetch(wasmUrl);
    if (!resp.ok) throw new Error(`inspect.wasm: HTTP ${resp.status} for ${wasmUrl}`);
    ({ instance } = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject));
  }
  go.run(instance); // main registers the API synchronously, then blocks
  if (!self.__availkitInspect) throw new Error('inspect.wasm did not register __availkitInspect');
}

self.onmessage = async (e) => {
  const msg = e.data || {};
  try {
    if (msg.type === 'init') {
      ready = ready || init(msg.module, msg.wasmUrl, msg.wasmExecUrl);
      await ready;
      self.postMessage({ id: msg.id, ok: true });
      return;
    }
    if (!ready) throw new Error('inspect worker: not initialised');
    await ready;
    const api = self.__availkitInspect;
    const bytes = new Uint8Array(msg.bytes);
    if (msg.type === 'part') {
      const r = api.decodePartMP3(bytes, msg.k, msg.n);
      const pcm = r.pcm ? r.pcm.buffer : undefined;
      delete r.pcm;
      self.postMessage({ id: msg.id, result: r, pcm }, pcm ? [pcm] : []);
      return;
    }
    const t0 = performance.now();
    let result;
    if (msg.type === 'lint') result = api.lintTracking(bytes, msg.live || '');
    else if (msg.type === 'inspectPCM') result = api.inspectPCM(bytes, new Uint8Array(msg.pcm), msg.declared || 0, msg.slot || 0);
    else result = api[msg.type === 'probe' ? 'probeMP3' : 'inspectMP3'](bytes, msg.declared || 0, msg.slot || 0);
    result.elapsedMs = performance.now() - t0;
    self.postMessage({ id: msg.id, result });
  } catch (err) {
    self.postMessage({ id: msg.id, error: String((err && err.message) || err) });
  }
};
