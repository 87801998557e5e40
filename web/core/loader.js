// loader.js fetches, compiles and starts the Go core (availkit.wasm) and
// takes its API object off the global it publishes.

import { checkCore } from './constants.js';

let goRuntime = null; // Promise of the wasm_exec.js module (defines globalThis.Go)

// loadGoRuntime imports Go's wasm_exec.js once per page; a failed import is
// forgotten so that the next load retries.
function loadGoRuntime(url) {
  if (!goRuntime) {
    goRuntime = globalThis.Go ? Promise.resolve() : import(/* @vite-ignore */ url).then(() => {
      if (!globalThis.Go) throw new Error('availkit: wasm_exec.js did not define Go');
    });
    goRuntime.catch(() => { goRuntime = null; });
  }
  return goRuntime;
}

async function instantiate(go, { wasmUrl, wasmBytes, wasmModule }) {
  if (wasmModule) return WebAssembly.instantiate(wasmModule, go.importObject);
  if (wasmBytes) return (await WebAssembly.instantiate(wasmBytes, go.importObject)).instance;
  const res = fetch(wasmUrl);
  if (WebAssembly.instantiateStreaming) {
    try {
      return (await WebAssembly.instantiateStreaming(res, go.importObject)).instance;
    } catch (e) {
      // A server without application/wasm makes streaming fail; retry the
      // slow way before giving up.
      if (!(e instanceof TypeError)) throw e;
    }
  }
  const r = await fetch(wasmUrl);
  if (!r.ok) throw new Error(`availkit: ${wasmUrl}: HTTP ${r.status}`);
  return (await WebAssembly.instantiate(await r.arrayBuffer(), go.importObject)).instance;
}

/**
 * loadCore starts one copy of the core. wasmUrl and wasmExecUrl must be
 * absolute; wasmBytes or wasmModule skip the fetch. It resolves to
 * {core, exports, exited}: core is the object main published (version,
 * status, newSession, stats), exports the module's exports (ak_update,
 * ak_next), exited a promise that settles when the Go program stops.
 */
export async function loadCore({ wasmUrl, wasmExecUrl, wasmBytes, wasmModule }) {
  await loadGoRuntime(wasmExecUrl);
  const go = new globalThis.Go();
  const instance = await instantiate(go, { wasmUrl, wasmBytes, wasmModule });
  const exited = go.run(instance);
  // main publishes the core synchronously before it blocks; take it off the
  // global at once so that several kits can coexist.
  const core = globalThis.__availkit;
  delete globalThis.__availkit;
  if (!core || typeof core.newSession !== 'function') throw new Error('availkit: core did not start');
  checkCore(core);
  return { core, exports: instance.exports, exited };
}
