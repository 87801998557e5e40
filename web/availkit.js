// availkit.js — the loader and the Session class.
//
// The Go core (availkit.wasm) decides everything: when a beacon is due, what a
// seek may do, what the overlay shows. This module only moves numbers across
// the boundary and performs the side effects the core asks for. The per-frame
// path is the core's ak_update export (numbers in, a status word out); the
// object API (js.FuncOf methods, ~10 µs a call) is used only when that status
// says something happened. Types: availkit.d.ts.

import { adapters as defaultAdapters } from './adapters/index.js';

const here = import.meta.url;

// Status bits of ak_update; the core publishes the same values as
// core.status and load() checks they still agree.
const ST_ACTIONS = 1;
const ST_NEAR = 4;

// Player flags passed to ak_update (engine.Flags).
const F_PAUSED = 1;
const F_MUTED = 2;
const F_FULLSCREEN = 4;
const F_SEEKING = 8;
const F_ENDED = 16;
const F_RENDERED = 32;

// NEAR is the horizon (s) inside which the frame clock drives the core.
const NEAR = 0.5;
// Within PRECISE_MS (wall ms) of an event a timer set for its time re-reads
// currentTime: more than a frame at 24-30 fps, so it always covers the gap
// the frame clock would leave.
const PRECISE_MS = 50;
const FRAME_MS = 16;
// A seek the plugin issued is recognised on `seeking` within this tolerance
// (s): players round currentTime to their sample clock.
const SELF_SEEK_TOL = 0.05;
// GAP_JUMP (s) is the longest hop a player makes over a hole in its buffer
// (engine.GapJump).
const GAP_JUMP = 1.0;

const now = () => performance.timeOrigin + performance.now();

let goRuntime = null; // Promise of the wasm_exec.js module (defines globalThis.Go)

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

// AvailKit is one loaded copy of the core. Sessions created from it share the
// module instance.
export class AvailKit {
  // load fetches, compiles and starts the core. By default availkit.wasm and
  // wasm_exec.js are found beside this module; opts.wasmUrl, opts.wasmExecUrl,
  // opts.wasmBytes (a BufferSource) or opts.wasmModule override that.
  static async load(opts = {}) {
    const t0 = performance.now();
    const wasmUrl = String(opts.wasmUrl || new URL('./availkit.wasm', here));
    await loadGoRuntime(String(opts.wasmExecUrl || new URL('./wasm_exec.js', here)));
    const go = new globalThis.Go();
    const instance = await instantiate(go, { ...opts, wasmUrl });
    const exited = go.run(instance);
    // main publishes the core synchronously before it blocks; take it off the
    // global at once so that several kits can coexist.
    const core = globalThis.__availkit;
    delete globalThis.__availkit;
    if (!core || typeof core.newSession !== 'function') throw new Error('availkit: core did not start');
    if (core.status && (core.status.actions !== ST_ACTIONS || core.status.near !== ST_NEAR)) {
      throw new Error('availkit: core status bits do not match this availkit.js');
    }
    const kit = new AvailKit(core, instance.exports, performance.now() - t0);
    exited.then(() => kit._exit('the core exited'), (e) => kit._exit(String(e && e.message || e)));
    return kit;
  }

  constructor(core, exports, loadMs) {
    this.version = core.version;
    // stats() reports what the core holds: {sessions, funcs, timers}; tests
    // use it to prove destroy releases everything.
    this.stats = () => core.stats();
    this.loadMs = loadMs; // fetch + compile + instantiate + start, ms
    this._core = core;
    this._exports = exports;
    this._sessions = new Set();
    this._dead = null;
  }

  _exit(message) {
    this._dead = message;
    for (const s of this._sessions) s._fatal(message);
  }

  // createSession initialises a MediaTailor session (or adopts one made
  // server-side when opts.manifestUrl and opts.trackingUrl are given) and
  // resolves once manifestUrl is known. See SessionOptions in availkit.d.ts.
  async createSession(opts = {}) {
    if (this._dead) throw new Error(`availkit: ${this._dead}`);
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

// coreConfig keeps the data fields the core reads; DOM objects and functions
// stay on the JS side.
function coreConfig(o, nonce) {
  const c = {
    sessionInitUrl: o.sessionInitUrl || '',
    adsParams: o.adsParams || {},
    originParams: o.originParams || {},
    sessionInitHeaders: o.sessionInitHeaders || {},
    manifestUrl: o.manifestUrl || '',
    trackingUrl: o.trackingUrl || '',
    trackingMode: o.trackingMode || 'pagination',
    noSkip: o.noSkip || 'last',
  };
  for (const k of ['pollInterval', 'upcomingLead', 'progressInterval', 'requestTimeout']) {
    if (typeof o[k] === 'number') c[k] = o[k];
  }
  for (const k of ['jumpWatched', 'liveSnapBack']) if (typeof o[k] === 'boolean') c[k] = o[k];
  for (const k of ['reportingMode', 'manifestParams', 'availSuppression']) {
    if (o[k] !== undefined && o[k] !== null) c[k] = o[k];
  }
  if (typeof o.overlayAvails === 'boolean') c.overlayAvails = o.overlayAvails ? 'on' : 'off';
  else if (typeof o.overlayAvails === 'string') c.overlayAvails = o.overlayAvails;
  if (nonce) {
    c.nonce = nonce;
    c.nonceParam = o.nonceParam || 'nonce';
  }
  return c;
}

function defaultSendBeacon(url) {
  if (typeof fetch === 'function') {
    // no-cors: ad servers rarely send CORS headers and the answer is not
    // read. keepalive only while the page is hidden (it is before pagehide):
    // such a request outlives the page, but Chromium routes it through the
    // browser process, which made beacons sent while the player starts up
    // arrive 20-60 ms later.
    const keepalive = typeof document !== 'undefined' && document.visibilityState === 'hidden';
    return fetch(url, { mode: 'no-cors', keepalive, credentials: 'include', cache: 'no-store', priority: 'high' }).then(() => {});
  }
  return new Promise((resolve) => {
    const img = new Image();
    // A beacon answering 204 or a non-image fails to decode though it was
    // received, so both outcomes count as sent.
    img.onload = img.onerror = () => resolve();
    img.src = url;
  });
}

// httpOnly returns url when it is an absolute http(s) URL, else ''.
function httpOnly(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : '';
  } catch {
    return '';
  }
}

// Session is one ad-tracking session. It is an EventTarget; every event is a
// CustomEvent whose detail is documented in availkit.d.ts. The caller must
// call destroy() when done.
export class Session extends EventTarget {
  constructor(kit, opts) {
    super();
    this._kit = kit;
    this._opts = opts;
    this._exports = kit._exports;
    this.video = opts.video || null;
    this.container = opts.container || null;
    this.manifestUrl = '';
    this.trackingUrl = '';
    this.sessionId = '';
    this.destroyed = false;
    this._obj = null; // the core's session object
    this._handle = -1;
    this._adapter = null;
    this._adapterName = '';
    this._headless = false;
    this._subs = []; // [target, type, fn, options] to remove on destroy
    this._rvfc = 0; // pending requestVideoFrameCallback id
    this._raf = 0; // pending requestAnimationFrame id
    this._timer = 0; // pending precise setTimeout id
    this._frameTimer = 0; // frame-clock fallback without rVFC/rAF
    this._timerAt = 0; // performance.now() the precise timer is due
    this._heldEvents = []; // events emitted before createSession resolved
    this._holding = true;
    this._selfSeek = null; // {to, at}: media time of a seek we issued
    this._lastPlayhead = 0; // session time at the last tick
    this._rendered = false;
    this._waiting = false; // the element fired waiting and has not played since
    this._flags = 0;
    this._parts = []; // overlay, companions, vpaid: {destroy()}
    this._status = 0;
    this._pending = new Set(); // promises the core awaits, muted on destroy
    this._nonLinear = new Map(); // availId -> nonLinearAvails[] entry
  }

  async _init() {
    const o = this._opts;
    let nonce = '';
    if (typeof o.nonce === 'function') {
      const n = await o.nonce();
      if (n !== undefined && n !== null) nonce = String(n);
    }
    const hooks = {
      // The core emits outside of flush (poll results, beacon failures)
      // from promise callbacks; dispatching on a microtask keeps listeners
      // from re-entering the core while it is on the stack.
      emit: (type, json) => queueMicrotask(() => this._emit(type, JSON.parse(json))),
      sendBeacon: (url) => this._guard((o.sendBeacon || defaultSendBeacon)(url)),
      fetch: (url, init) => this._guard(this._fetch(url, init)),
      log: (level, msg) => this._log(level, msg),
    };
    const obj = this._kit._core.newSession(coreConfig(o, nonce), hooks);
    if (obj instanceof Error) throw obj;
    this._obj = obj;
    this._handle = this._obj.handle;
    this._kit._sessions.add(this);
    const r = await this._obj.init();
    this.manifestUrl = r.manifestUrl;
    this.trackingUrl = r.trackingUrl;
    this.sessionId = r.sessionId || '';
    await this._mountParts();
    // Listeners are added once createSession resolves; give them the events
    // the core emitted meanwhile on the next task.
    setTimeout(() => this._release(), 0);
  }

  // _learnNonLinear keeps the overlay avails of the latest tracking
  // response by availId. The core decides when an overlay shows (the
  // `nonlinear` event); the renderer wants the avail as MediaTailor sent it,
  // which _emit adds from here.
  _learnNonLinear(detail) {
    if (!detail || typeof detail.raw !== 'string' || !detail.raw.includes('"nonLinearAdList"')) return;
    let r;
    try {
      r = JSON.parse(detail.raw);
    } catch {
      return;
    }
    for (const a of (r && r.nonLinearAvails) || []) {
      if (a && a.availId) this._nonLinear.set(a.availId, a);
    }
  }

  _release() {
    this._holding = false;
    const held = this._heldEvents;
    this._heldEvents = [];
    for (const [t, d] of held) this._dispatch(t, d);
  }

  async _mountParts() {
    const o = this._opts;
    // Parts load on demand so a headless or UI-less page never fetches
    // them; the import() calls stay literal so bundlers can see them.
    const load = async (name, importer, make) => {
      try {
        const m = await importer();
        if (this.destroyed) return;
        const part = make(m);
        if (part) this._parts.push(part);
      } catch (e) {
        this._log('warn', `availkit: ${name}: ${e && e.message || e}`);
      }
    };
    const dom = typeof document !== 'undefined';
    const jobs = [];
    if (dom && this.container && o.ui !== false) {
      jobs.push(load('overlay', () => import('./ui/overlay.js'),
        (m) => m.createAdOverlay(this.container, this, o.uiOptions || {})));
    }
    if (dom && o.companionSlots && o.companionSlots.length) {
      jobs.push(load('companions', () => import('./companions/renderer.js'),
        (m) => m.createCompanionRenderer(this, o.companionSlots)));
    }
    if (dom && this.video && this.container && o.nonLinear !== false) {
      jobs.push(load('nonlinear', () => import('./overlay/nonlinear.js'),
        (m) => m.createNonLinearRenderer(this, this.video, this.container, o.nonLinearOptions || {})));
    }
    if (dom && this.video && this.container && o.vpaid !== false) {
      jobs.push(load('vpaid', () => import('./vpaid/runner.js'),
        (m) => m.createVPAIDRunner(this, this.video, this.container, o.vpaidOptions || {})));
    }
    await Promise.all(jobs);
  }

  // _guard wraps a promise the core awaits so that, once destroyed, it never
  // settles: the core's callbacks are released by then.
  _guard(p) {
    const g = new Promise((resolve, reject) => {
      Promise.resolve(p).then(
        (v) => { this._pending.delete(g); if (!this.destroyed) resolve(v); },
        (e) => { this._pending.delete(g); if (!this.destroyed) reject(e); },
      );
    });
    this._pending.add(g);
    return g;
  }

  async _fetch(url, init = {}) {
    const f = this._opts.fetch || globalThis.fetch;
    const ctl = typeof AbortController === 'function' ? new AbortController() : null;
    const timeout = init.timeoutMs > 0 && ctl ? setTimeout(() => ctl.abort(), init.timeoutMs) : 0;
    try {
      const res = await f(url, {
        method: init.method || 'GET',
        headers: init.headers || {},
        body: init.body || undefined,
        signal: ctl ? ctl.signal : undefined,
        cache: 'no-store',
      });
      const text = await res.text();
      const headers = {};
      if (res.headers && typeof res.headers.forEach === 'function') res.headers.forEach((v, k) => { headers[k] = v; });
      return { status: res.status, headers, text };
    } catch (e) {
      if (e && e.name === 'AbortError') throw new Error(`timeout after ${init.timeoutMs} ms`);
      throw e;
    } finally {
      if (timeout) clearTimeout(timeout);
    }
  }

  _log(level, msg) {
    const l = this._opts.log;
    if (typeof l === 'function') l(level, msg);
    else if (level === 'error' || level === 'warn') console[level](msg);
  }

  _emit(type, detail) {
    if (this.destroyed) return;
    if (type === 'trackingupdate') this._learnNonLinear(detail);
    if (type === 'nonlinear') detail = { ...(this._nonLinear.get(detail.availId) || {}), ...detail };
    if (type === 'trackingupdate' && this._adapter) {
      // Live windows slide: forget avails behind the seekable start, then
      // re-arm the clock, since a new break may be close.
      if (this._live) this._obj.prune(this._adapter.seekableStart());
      queueMicrotask(() => this._tick());
    }
    if (this._holding) this._heldEvents.push([type, detail]);
    else this._dispatch(type, detail);
  }

  // _dispatch delivers one event. A throwing listener must not break the
  // core's flush or the host player, so it is reported, not propagated.
  _dispatch(type, detail) {
    if (type === 'beacon' && detail) detail.firedAt = now();
    try {
      this.dispatchEvent(new CustomEvent(type, { detail }));
    } catch (e) {
      this._log('error', `availkit: ${type} listener threw: ${e && e.message || e}`);
    }
  }

  _fatal(message) {
    this._emit('error', { kind: 'internal', message });
    this._stopClock();
  }

  // _call invokes a core method, then performs whatever it queued.
  _call(name, ...args) {
    if (this.destroyed || !this._obj) return undefined;
    const r = this._obj[name](...args);
    this._flush();
    return r;
  }

  // _flush drains the core's queued events and seek and performs them.
  _flush() {
    if (this.destroyed || !this._obj) return null;
    const s = this._obj.flush();
    if (!s) return null;
    const batch = JSON.parse(s);
    for (const e of batch.events || []) this._emit(e.type, e.detail);
    if (batch.seek && !this._headless) this._seekMedia(batch.seek.to);
    if (batch.seek && this._headless) this._emit('seekrequest', batch.seek);
    return batch.seek || null;
  }

  // ---- players ------------------------------------------------------------

  // attach connects a player. player may be an hls.js instance, a dash.js
  // MediaPlayer, the <video> itself or nothing (the <video> of the options is
  // then driven directly). opts.adapters replaces the adapter list.
  attach(player, opts = {}) {
    if (this.destroyed) throw new Error('availkit: session destroyed');
    if (this._adapter) this.detach();
    if (!this.video) throw new Error('availkit: attach needs options.video (use update() for headless mode)');
    const list = opts.adapters || this._opts.adapters || defaultAdapters;
    const a = list.find((x) => x.canAttach(player));
    if (!a) throw new Error('availkit: no adapter for this player');
    const host = {
      manifestLoaded: (m) => this._manifestLoaded(m),
      clockChanged: () => this._tick(),
      error: (kind, message) => this._emit('error', { kind, message }),
      log: (level, msg) => this._log(level, msg),
    };
    this._adapterName = a.name;
    this._adapter = a.attach(player, this.video, host);
    this._listen();
    this._sizeChanged();
    this._rateChanged();
    this._tick();
    return this;
  }

  // detach disconnects the player and stops the frame clock; the session
  // stays usable (attach again, or headless update()).
  detach() {
    this._unlisten();
    this._stopClock();
    if (this._adapter) {
      try { this._adapter.detach(); } catch (e) { this._log('warn', `availkit: detach: ${e && e.message || e}`); }
    }
    this._adapter = null;
  }

  _manifestLoaded(m) {
    this._live = !!m.live;
    this._call('manifestLoaded', {
      live: !!m.live,
      targetDuration: +m.targetDuration || 0,
      minimumUpdatePeriod: +m.minimumUpdatePeriod || 0,
      duration: +m.duration || (this.video && Number.isFinite(this.video.duration) ? this._toSession(this.video.duration) : 0),
    });
    if (this._adapter) this._tick();
  }

  _on(target, type, fn, options) {
    if (!target || typeof target.addEventListener !== 'function') return;
    target.addEventListener(type, fn, options);
    this._subs.push([target, type, fn, options]);
  }

  _unlisten() {
    for (const [t, type, fn, options] of this._subs) t.removeEventListener(type, fn, options);
    this._subs = [];
  }

  _listen() {
    const v = this.video;
    const tick = () => this._tick();
    this._on(v, 'timeupdate', tick);
    this._on(v, 'play', tick);
    this._on(v, 'pause', tick);
    this._on(v, 'ended', tick);
    this._on(v, 'ratechange', () => { this._rateChanged(); this._tick(); });
    this._on(v, 'volumechange', tick);
    this._on(v, 'playing', () => { this._waiting = false; this._watchFirstFrame(); this._tick(); });
    this._on(v, 'waiting', () => { this._waiting = true; });
    this._on(v, 'seeking', () => this._onSeeking());
    this._on(v, 'seeked', tick);
    this._on(v, 'resize', () => this._sizeChanged());
    this._on(v, 'durationchange', () => this._durationChanged());
    if (typeof document !== 'undefined') {
      this._on(document, 'fullscreenchange', () => { this._sizeChanged(); this._tick(); });
      // Beacons due while the page goes away are sent now; keepalive
      // fetches survive the unload.
      this._on(document, 'visibilitychange', tick);
    }
    if (typeof window !== 'undefined') {
      this._on(window, 'pagehide', tick);
      this._on(window, 'resize', () => this._sizeChanged());
    }
  }

  // _rateChanged tells the core the playback rate: at 2× and more a 4 Hz
  // timeupdate moves the playhead by seconds, which the core would read as
  // seeks without it.
  _rateChanged() {
    const r = this.video && this.video.playbackRate;
    if (this._obj) this._obj.setRate(r > 0 ? r : 1);
  }

  _sizeChanged() {
    const el = this.video;
    if (!el || !this._obj) return;
    const w = el.clientWidth || el.videoWidth || 0;
    const h = el.clientHeight || el.videoHeight || 0;
    this._obj.setPlayerSize(w, h);
  }

  _durationChanged() {
    const d = this.video && this.video.duration;
    if (this._obj && Number.isFinite(d) && d > 0 && this._obj.setDuration) this._obj.setDuration(this._toSession(d));
  }

  // _watchFirstFrame sets the rendered flag once a frame is on screen and
  // playing: impressions wait for the ad to be actually seen. At `playing`
  // with the current frame decoded (readyState >= HAVE_CURRENT_DATA) the
  // element already shows it; waiting for the next presented frame instead
  // made the pre-roll's impression a frame (15-35 ms) late.
  _watchFirstFrame() {
    const v = this.video;
    if (this._rendered || !v) return;
    if (!v.paused && v.readyState >= 2) {
      this._rendered = true;
      return;
    }
    if (typeof v.requestVideoFrameCallback === 'function') {
      if (this._rvfcFirst) return;
      this._rvfcFirst = v.requestVideoFrameCallback(() => {
        this._rvfcFirst = 0;
        this._rendered = true;
        this._tick();
      });
    } else {
      this._rendered = true;
    }
  }

  _toSession(mediaTime) {
    return this._adapter ? this._adapter.toSession(mediaTime) : mediaTime;
  }

  _toMedia(sessionTime) {
    return this._adapter ? this._adapter.toMedia(sessionTime) : sessionTime;
  }

  _readFlags() {
    const v = this.video;
    let f = 0;
    if (v.paused) f |= F_PAUSED;
    if (v.muted || v.volume === 0) f |= F_MUTED;
    if (v.seeking) f |= F_SEEKING;
    if (v.ended) f |= F_ENDED;
    if (this._rendered) f |= F_RENDERED;
    if (typeof document !== 'undefined' && document.fullscreenElement) {
      const fs = document.fullscreenElement;
      if (fs === v || (fs.contains && fs.contains(v))) f |= F_FULLSCREEN;
    }
    return f;
  }

  // _tick feeds the core the playhead and arms the next wake-up. It is the
  // only caller of ak_update in attached mode.
  _tick() {
    if (this.destroyed || !this._adapter || this._handle < 0) return;
    const v = this.video;
    const ph = this._toSession(this._adapter.screenTime ? this._adapter.screenTime() : v.currentTime);
    if (v.seeking) return; // _onSeeking decides; the landing is ticked on seeked
    this._lastPlayhead = ph;
    this._flags = this._readFlags();
    this._status = this._exports.ak_update(this._handle, ph, now(), this._flags);
    if (this._status & ST_ACTIONS) this._flush();
    this._arm(ph);
  }

  // _arm schedules the next tick. Far from any event, timeupdate (~4 Hz) is
  // enough and nothing is armed. Within NEAR, every presented frame ticks.
  // Within about a frame, a timer set for the event's time re-reads
  // currentTime, which Chromium interpolates between frames, so a beacon
  // leaves a few ms after its time and never before: the core compares the
  // real playhead.
  _arm(ph) {
    const v = this.video;
    if (v.paused || v.seeking || v.ended) {
      this._stopClock();
      return;
    }
    const rate = v.playbackRate > 0 ? v.playbackRate : 1;
    const next = this._exports.ak_next(this._handle, ph); // session seconds
    const wall = (next / rate) * 1000;
    // The horizon is NEAR of wall time at least, so at high rates the frame
    // clock still starts before a 4 Hz timeupdate could step over the event.
    const horizon = NEAR * Math.max(1, rate);
    if (!(next <= horizon) && !(this._status & ST_NEAR)) {
      this._stopClock();
      return;
    }
    this._frame();
    if (next <= horizon && wall <= PRECISE_MS) {
      const due = performance.now() + wall + 0.5;
      if (this._timer && this._timerAt <= due + 1) return;
      if (this._timer) clearTimeout(this._timer);
      this._timerAt = due;
      this._timer = setTimeout(() => {
        this._timer = 0;
        this._tick();
      }, Math.max(0, wall + 0.5));
    }
  }

  // _frame asks for a tick on the next presented frame (rVFC), else the
  // next animation frame, else (no rendering loop, e.g. a worker or Node)
  // in FRAME_MS.
  _frame() {
    const v = this.video;
    if (this._rvfc || this._raf || this._frameTimer) return;
    if (typeof v.requestVideoFrameCallback === 'function') {
      this._rvfc = v.requestVideoFrameCallback(() => {
        this._rvfc = 0;
        this._tick();
      });
    } else if (typeof requestAnimationFrame === 'function') {
      this._raf = requestAnimationFrame(() => {
        this._raf = 0;
        this._tick();
      });
    } else {
      this._frameTimer = setTimeout(() => {
        this._frameTimer = 0;
        this._tick();
      }, FRAME_MS);
    }
  }

  _stopClock() {
    const v = this.video;
    if (this._rvfc && v && v.cancelVideoFrameCallback) v.cancelVideoFrameCallback(this._rvfc);
    if (this._rvfcFirst && v && v.cancelVideoFrameCallback) v.cancelVideoFrameCallback(this._rvfcFirst);
    if (this._raf && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(this._raf);
    if (this._timer) clearTimeout(this._timer);
    if (this._frameTimer) clearTimeout(this._frameTimer);
    this._rvfc = this._raf = this._timer = this._rvfcFirst = this._frameTimer = 0;
  }

  // ---- seeking --------------------------------------------------------------

  _seekMedia(sessionTime) {
    const to = this._toMedia(sessionTime);
    this._selfSeek = { to, at: performance.now() };
    if (this._adapter && typeof this._adapter.seek === 'function') this._adapter.seek(to);
    else this.video.currentTime = to;
  }

  // _onSeeking corrects seeks the plugin did not issue (native controls,
  // keyboard, scripts) after the fact: the core decides from where the
  // playhead was to where it is going.
  _onSeeking() {
    const v = this.video;
    if (this._selfSeek) {
      const own = Math.abs(v.currentTime - this._selfSeek.to) <= SELF_SEEK_TOL;
      this._selfSeek = null;
      if (own) return;
    }
    const from = this._lastPlayhead;
    const to = this._toSession(v.currentTime);
    const d = this._call('seek', from, to, this._gapJump(from, to) ? 'gap' : 'native');
    if (d && !d.allow) this._seekMedia(d.to);
    else this._lastPlayhead = to;
  }

  // _gapJump tells a player's own hop over a hole in its buffer (hls.js and
  // dash.js gap controllers, a stall nudge) from a user's seek: it is short
  // and forward, and it starts while the element waits for data or lands in
  // a buffered range that begins after where playback was. A user's short
  // seek lands inside data already playing through, and is judged by the
  // no-skip rules; refusing a gap jump instead would stall playback, since
  // the player retries it until it gives up.
  _gapJump(from, to) {
    if (!(to > from) || to - from >= GAP_JUMP) return false;
    if (this._waiting) return true;
    const v = this.video;
    const b = v.buffered;
    const t = v.currentTime;
    const fromMedia = this._toMedia(from);
    for (let i = 0; b && i < b.length; i++) {
      if (b.start(i) - 0.01 <= t && t <= b.end(i)) return b.start(i) > fromMedia + 0.001;
    }
    return false;
  }

  // seek moves the playhead to session time t through the no-skip policy and
  // returns the decision {allow, to, resumeAt}.
  seek(t) {
    if (this.destroyed) return null;
    const d = this._call('seek', this._playheadNow(), +t, 'api');
    if (d && this._adapter) this._seekMedia(d.to);
    return d;
  }

  _playheadNow() {
    return this._adapter ? this._toSession(this.video.currentTime) : this._lastPlayhead;
  }

  // ---- headless mode ----------------------------------------------------------

  // update feeds the playhead (session seconds) when no adapter is attached,
  // with the player state in opts ({paused, muted, fullscreen, seeking,
  // ended, rendered, rate}). It returns the seek the host must perform, or null.
  update(playhead, opts = {}) {
    if (this.destroyed || this._handle < 0) return null;
    this._headless = true;
    let f = 0;
    if (opts.paused) f |= F_PAUSED;
    if (opts.muted) f |= F_MUTED;
    if (opts.fullscreen) f |= F_FULLSCREEN;
    if (opts.seeking) f |= F_SEEKING;
    if (opts.ended) f |= F_ENDED;
    if (opts.rendered !== false) f |= F_RENDERED;
    if (typeof opts.rate === 'number' && opts.rate !== this._rate) {
      this._rate = opts.rate;
      this._obj.setRate(opts.rate > 0 ? opts.rate : 1);
    }
    this._lastPlayhead = +playhead;
    this._status = this._exports.ak_update(this._handle, +playhead, now(), f);
    if (this._status & ST_ACTIONS) {
      const s = this._obj.flush();
      if (!s) return null;
      const batch = JSON.parse(s);
      for (const e of batch.events || []) this._emit(e.type, e.detail);
      return batch.seek || null;
    }
    return null;
  }

  // nextEventIn returns the session seconds from playhead to the next
  // scheduled item (Infinity: none), for hosts that run their own clock.
  nextEventIn(playhead = this._playheadNow()) {
    return this._handle < 0 ? Infinity : this._exports.ak_next(this._handle, +playhead);
  }

  // requestSeek asks the core before a headless host seeks: it returns where
  // to go instead of `to` (the same value when allowed).
  requestSeek(to) {
    const d = this._call('seek', this._lastPlayhead, +to, this._adapter ? 'api' : 'native');
    return d ? d.to : +to;
  }

  // ---- controls and queries -----------------------------------------------------

  // skip skips the current ad when it is skippable; returns whether it did.
  skip() {
    return !!this._call('skip');
  }

  // clickThrough fires clickTracking and opens the ad's landing page in a new
  // window (http/https only, noopener). Call it from a user gesture. Returns
  // the URL opened, or ''.
  clickThrough() {
    const url = httpOnly(this._call('clickThrough') || '');
    if (url && typeof window !== 'undefined' && typeof window.open === 'function') {
      window.open(url, '_blank', 'noopener,noreferrer');
    }
    return url;
  }

  // ui returns the overlay state (see UIState in availkit.d.ts).
  ui() {
    if (this.destroyed || !this._obj) return null;
    return JSON.parse(this._obj.ui(this._playheadNow()));
  }

  // markers returns the avails for a seek bar: [{availId, start, duration, watched}].
  markers() {
    if (this.destroyed || !this._obj) return [];
    return JSON.parse(this._obj.markers());
  }

  contentTime(t = this._playheadNow()) {
    return this._obj ? this._obj.contentTime(+t) : +t;
  }

  streamTime(c) {
    return this._obj ? this._obj.streamTime(+c) : +c;
  }

  // currentTime is the playhead in session time.
  get currentTime() {
    return this._playheadNow();
  }

  // duration is the session duration in session time (NaN until known,
  // Infinity for live: hls.js gives live streams a finite media duration).
  get duration() {
    if (this._live) return Infinity;
    const d = this.video ? this.video.duration : NaN;
    return Number.isFinite(d) ? this._toSession(d) : d;
  }

  // manifestLoaded tells the core the player loaded the first media
  // manifest, which starts tracking polls. Adapters call it; headless hosts
  // call it themselves: {live, targetDuration, minimumUpdatePeriod, duration}.
  manifestLoaded(info = {}) {
    this._manifestLoaded(info);
  }

  // pollNow asks for a tracking poll now (VOD: after a manifest reload).
  pollNow() {
    this._call('pollNow');
  }

  // fireTracking fires extra tracking URLs (companions, VPAID) through the
  // core's dedupe and macro expansion; they are reported as beacon events.
  fireTracking(t) {
    return this._call('fireTracking', {
      availId: t.availId || '', adId: t.adId || '', eventType: t.eventType || '',
      urls: Array.from(t.urls || []), key: t.key || '',
    });
  }

  // vpaidEvent maps a VPAID creative event onto the ad's beacons.
  vpaidEvent(name, data = {}) {
    return this._call('vpaidEvent', String(name), data);
  }

  // adError reports an ad failure with a VAST error code (e.g. 405, 602):
  // the ad's and the break's error beacons fire once with [ERRORCODE].
  adError(code) {
    return !!this._call('adError', +code);
  }

  // vpaidStopped hands the slot back to content: the core seeks past the
  // stitched slate to the avail end.
  vpaidStopped(result = {}) {
    return this._call('vpaidStopped', result);
  }

  // destroy releases everything: listeners, timers, frame callbacks, the
  // adapter, UI parts and the core's session (its js.Funcs). Idempotent.
  destroy() {
    if (this.destroyed) return;
    this.detach();
    for (const p of this._parts) {
      try { p.destroy(); } catch (e) { this._log('warn', `availkit: destroy: ${e && e.message || e}`); }
    }
    this._parts = [];
    this.destroyed = true;
    this._heldEvents = [];
    this._pending.clear();
    if (this._obj) this._obj.destroy();
    this._obj = null;
    this._handle = -1;
    this._kit._sessions.delete(this);
  }
}

export default AvailKit;
