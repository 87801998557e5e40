// availkit.js — the package entry: AvailKit (one loaded copy of the core)
// and the Session it creates.
//
// The Go core (availkit.wasm) decides everything; the modules under core/
// move numbers across the boundary and perform the side effects it asks
// for: loader.js starts the core, session.js coordinates one session,
// transport.js, clock.js, seeks.js and player.js do one job each, and
// events.js and constants.js hold the names and numbers shared with the
// core. Types: availkit.d.ts.

import { loadCore } from './core/loader.js';
import { Session } from './core/session.js';
import { AvailKitError } from './core/errors.js';

const here = import.meta.url;

// AvailKit is one loaded copy of the core. Sessions created from it share the
// module instance.
export class AvailKit {
  // load fetches, compiles and starts the core. By default availkit.wasm and
  // wasm_exec.js are found beside this module; opts.wasmUrl, opts.wasmExecUrl,
  // opts.wasmBytes (a BufferSource) or opts.wasmModule override that.
  static async load(opts = {}) {
    const t0 = performance.now();
    const { core, exports, exited } = await loadCore({
      wasmUrl: String(opts.wasmUrl || new URL('./availkit.wasm', here)),
      wasmExecUrl: String(opts.wasmExecUrl || new URL('./wasm_exec.js', here)),
      wasmBytes: opts.wasmBytes,
      wasmModule: opts.wasmModule,
    });
    const kit = new AvailKit(core, exports, performance.now() - t0);
    exited.then(() => kit._exit('the core exited'), (e) => kit._exit(String(e && e.message || e)));
    return kit;
  }

  constructor(core, exports, loadMs) {
    this.version = core.version;
    this.loadMs = loadMs; // fetch + compile + instantiate + start, ms
    this._core = core;
    this._exports = exports;
    this._sessions = new Set();
    this._dead = null;
  }

  // stats reports what the core holds: {sessions, funcs, timers}; tests
  // use it to prove destroy releases everything.
  stats() {
    if (this._dead) return { sessions: 0, funcs: 0, timers: 0 }; // an exited core holds nothing
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
