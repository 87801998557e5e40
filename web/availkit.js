// availkit.js — the package entry: AvailKit (one loaded copy of the core)
// and the Session it creates.
//
// The Go core (availkit.wasm) decides everything; the modules under core/
// move numbers across the boundary and perform the side effects it asks
// for: loader.js starts the core, session.js coordinates one session,
// transport.js, clock.js, seeks.js and player.js do one job each, and
// events.js and constants.js hold the names and numbers shared with the
// core. Types: availkit.d.ts.

import { loadCore, prefetchCore, abortPrefetch, loadGoRuntime } from './core/loader.js';
import { Session } from './core/session.js';
import { AvailKitError } from './core/errors.js';

const here = import.meta.url;
const defaultWasmUrl = String(new URL('./availkit.wasm', here));
const defaultWasmExecUrl = String(new URL('./wasm_exec.js', here));

// FIRST_FRAME_WAIT_MS bounds how long a kit with coreStart 'first-frame'
// waits for a first frame before it starts its core anyway.
const FIRST_FRAME_WAIT_MS = 5000;

// Importing this module fetches nothing: by default the core waits for
// the first frame (coreStart), and a kit that wants it sooner says so
// (start({ coreStart: 'eager' }), load()). An import-time download was
// aborted by every such default kit (a wasted request on every page).

// AvailKit is one loaded copy of the core. Sessions created from it share the
// module instance.
export class AvailKit {
  // start begins loading the core and returns the AvailKit at once; its
  // ready promise settles when the core runs. createSession on a kit that is
  // not ready yet initialises the session and hands the player its manifest
  // URL without waiting for the core (see docs/startup.md). By default
  // availkit.wasm and wasm_exec.js are found beside this module;
  // opts.wasmUrl, opts.wasmExecUrl, opts.wasmBytes (a BufferSource) or
  // opts.wasmModule (a compiled WebAssembly.Module) override that.
  // opts.coreStart says when the core is fetched, compiled and started:
  // 'first-frame' (the default: after the first frame of an attached
  // video, or when a session needs the core sooner) or 'eager' (at once,
  // in parallel with the player). On a 2-core machine the eager core
  // delayed the first frame by 230-320 ms, the waiting one by 13-30 ms;
  // its crossed pre-roll beacons leave when it arrives (docs/startup.md).
  static start(opts = {}) {
    const t0 = performance.now();
    const kit = new AvailKit(null, null, 0);
    // A relative URL is the page's, as fetch reads it (a bundler's
    // `?url` import gives "/assets/…"): import() would read it against
    // this module instead.
    let wasmUrl, wasmExecUrl;
    try {
      const base = globalThis.document?.baseURI || globalThis.location?.href;
      wasmUrl = String(new URL(String(opts.wasmUrl || defaultWasmUrl), base));
      wasmExecUrl = String(new URL(String(opts.wasmExecUrl || defaultWasmExecUrl), base));
    } catch (e) {
      return kit._refuse(`wasmUrl or wasmExecUrl: ${e.message}`);
    }
    const coreStart = opts.coreStart === undefined ? 'first-frame' : opts.coreStart;
    if (coreStart !== 'eager' && coreStart !== 'first-frame') {
      return kit._refuse(`coreStart: ${coreStart} is neither 'eager' nor 'first-frame'`);
    }
    const own = opts.wasmBytes || opts.wasmModule;
    // A kit that waits for the first frame does not download either: on a
    // 2-core machine even receiving the core slowed the player down.
    abortPrefetch(own || coreStart !== 'eager' ? '' : wasmUrl);
    if (coreStart === 'eager') {
      if (!own) prefetchCore(wasmUrl);
      loadGoRuntime(wasmExecUrl).catch(() => { /* loadCore reports it */ });
    } else {
      kit._wanted = new Promise((resolve) => {
        kit._need = resolve;
        // A session that never shows a frame (audio only, or a video that
        // is never played) still gets its core: events and the poll go on.
        setTimeout(resolve, FIRST_FRAME_WAIT_MS);
      });
    }
    kit.ready = kit._wanted.then(() => loadCore({
      wasmUrl,
      wasmExecUrl,
      wasmBytes: opts.wasmBytes,
      wasmModule: opts.wasmModule,
    })).then(({ core, exports, exited }) => {
      kit._started(core, exports, performance.now() - t0);
      exited.then(() => kit._exit('the core exited'), (e) => kit._exit(String(e && e.message || e)));
      return kit;
    }, (e) => {
      kit._exit(String(e && e.message || e));
      throw e;
    });
    kit.ready.catch(() => { /* reported by createSession and to whoever awaits ready */ });
    return kit;
  }

  // load fetches, compiles and starts the core at once and resolves once
  // it runs: AvailKit.start({ ...opts, coreStart: 'eager' }).ready.
  static load(opts = {}) {
    return AvailKit.start({ ...opts, coreStart: 'eager' }).ready;
  }

  constructor(core, exports, loadMs) {
    this.version = '';
    this.loadMs = 0; // fetch + compile + instantiate + start, ms
    this.ready = Promise.resolve(this);
    this._core = null;
    this._exports = null;
    this._sessions = new Set();
    this._dead = null;
    this._wanted = Promise.resolve(); // settles when the core may compile (coreStart)
    this._need = () => {}; // settles _wanted at once
    if (core) this._started(core, exports, loadMs);
  }

  _started(core, exports, loadMs) {
    this.version = core.version;
    this.loadMs = loadMs;
    this._core = core;
    this._exports = exports;
  }

  // _refuse makes this kit one that never starts, for a configuration
  // error in message: ready rejects with it and sessions are refused.
  _refuse(message) {
    this.ready = Promise.reject(new AvailKitError({ kind: 'config', source: 'host', message: `availkit: ${message}` }));
    this.ready.catch(() => {});
    this._exit(message);
    return this;
  }

  // stats reports what the core holds: {sessions, funcs, timers}; tests
  // use it to prove destroy releases everything.
  stats() {
    if (this._dead || !this._core) return { sessions: 0, funcs: 0, timers: 0 }; // an exited or starting core holds nothing
    return this._core.stats();
  }

  // _exit is called once the Go program has stopped: every session is
  // told, and nothing calls into the core again.
  _exit(message) {
    if (this._dead) return;
    this._dead = message;
    for (const s of [...this._sessions]) s._fatal(message);
  }

  // createSession initialises a MediaTailor session (or adopts one made
  // server-side when opts.manifestUrl and opts.trackingUrl are given) and
  // resolves once manifestUrl is known. See SessionOptions in availkit.d.ts.
  // It rejects with an AvailKitError ({kind, source, status, message}).
  async createSession(opts = {}) {
    if (this._dead) throw new AvailKitError({ kind: 'internal', source: 'core', message: this._dead });
    const s = new Session(this, opts);
    try {
      await s._init();
    } catch (e) {
      s.destroy();
      throw e;
    }
    return s;
  }
}

export { Session, AvailKitError };
export { SESSION_EVENTS, PLAYER_EVENTS } from './core/events.js';
export default AvailKit;
