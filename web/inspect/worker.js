/* inspect worker: runs inspect.wasm off the page's main thread, because
 * decoding a 30 s MP3 takes longer than a frame. Classic worker (it needs
 * importScripts for wasm_exec.js). Protocol, one reply per request id:
 *   {id, type:'init', wasmUrl, wasmExecUrl} -> {id, ok:true} | {id, error}
 *   {id, type:'inspect'|'probe', bytes:ArrayBuffer, declared, slot} -> {id, result} | {id, error}
 */
/* global importScripts, Go */
'use strict';

let ready = null;

async function init(wasmUrl, wasmExecUrl) {
  importScripts(wasmExecUrl);
  const go = new Go();
  const resp = await fetch(wasmUrl);
  if (!resp.ok) throw new Error(`inspect.wasm: HTTP ${resp.status} for ${wasmUrl}`);
  const { instance } = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
  go.run(instance); // main registers the API synchronously, then blocks
  if (!self.__availkitInspect) throw new Error('inspect.wasm did not register __availkitInspect');
}

self.onmessage = async (e) => {
  const msg = e.data || {};
  try {
    if (msg.type === 'init') {
      ready = ready || init(msg.wasmUrl, msg.wasmExecUrl);
      await ready;
      self.postMessage({ id: msg.id, ok: true });
      return;
    }
    if (!ready) throw new Error('inspect worker: not initialised');
    await ready;
    const t0 = performance.now();
    const fn = msg.type === 'probe' ? 'probeMP3' : 'inspectMP3';
    const result = self.__availkitInspect[fn](new Uint8Array(msg.bytes), msg.declared || 0, msg.slot || 0);
    result.elapsedMs = performance.now() - t0;
    self.postMessage({ id: msg.id, result });
  } catch (err) {
    self.postMessage({ id: msg.id, error: String((err && err.message) || err) });
  }
};
