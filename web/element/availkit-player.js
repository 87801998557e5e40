// <availkit-player> — a self-contained MediaTailor player for CMS embeds.
//
// Usage (one module script + the element):
//
//   <script type="module" src="/availkit/element/availkit-player.js"></script>
//   <availkit-player session-init-url="https://…/v1/session/<acct>/<origin>/index.m3u8"
//                    ads-params='{"deviceType":"web"}' controls muted autoplay>
//     <div slot="companion" data-width="300" data-height="250" data-ad-slot-id="side"></div>
//   </availkit-player>
//
// The element loads hls.js or dash.js only when the stream needs one, starts the
// session, attaches it, shows the ad UI inside its shadow root and re-dispatches
// every session event on itself (bubbling, composed). Everything it creates is
// released on disconnect, so CMS editors can move or remove it freely. It never
// writes inline styles or scripts, so it runs under a strict CSP (README,
// "Content-Security-Policy").

import { AvailKit } from '../availkit.js';
import { NO_SKIP } from '../core/constants.js';
import { PLAYER_EVENTS } from '../core/events.js';

const here = new URL('.', import.meta.url);

/**
 * libraries says where the element finds hls.js and dash.js when the page has
 * no global `Hls` / `dashjs` and the element has no hls-src / dash-src
 * attribute. Each entry is a module URL, or the library itself (the hls.js
 * class, the dash.js namespace) for bundler users who install the peers.
 * Hosts may replace entries before an element needs them. hlsWorker is the
 * transmuxer worker used with the default hls URL (hls.js's ESM build does
 * not inline it; a same-origin worker URL keeps a strict CSP satisfied).
 */
export const libraries = {
  hls: new URL('../vendor/hls.min.mjs', here).href,
  hlsWorker: new URL('../vendor/hls.worker.js', here).href,
  dash: new URL('../vendor/dash.all.min.js', here).href,
};

/**
 * EVENTS lists the session events the element re-dispatches on itself: all
 * but seekrequest, which exists only in headless mode (the element always
 * attaches a player).
 */
export const EVENTS = PLAYER_EVENTS;

// Changing any of these starts a new session.
const SESSION_ATTRS = ['session-init-url', 'ads-params', 'origin-params', 'engine', 'no-skip', 'companion-slots',
  'wasm-url', 'core-start', 'hls-src', 'dash-src'];
const MEDIA_ATTRS = ['controls', 'muted', 'autoplay', 'poster'];

let kit = null;
function loadKit(wasmUrl, coreStart) {
  // One wasm instance serves every element on the page; sessions are
  // separate. The kit is returned before its core runs: createSession
  // then initialises the session and the player loads while the core
  // starts. A failed load is forgotten so the next element retries.
  if (!kit) {
    const k = AvailKit.start({ ...(wasmUrl ? { wasmUrl } : {}), ...(coreStart ? { coreStart } : {}) });
    kit = k;
    k.ready.catch(() => { if (kit === k) kit = null; });
  }
  return kit;
}

/**
 * loadedKit returns the promise of the AvailKit every element shares
 * (resolved once its core runs), or null before the first element started
 * one. Hosts read kit.stats() or kit.version from it; they must not
 * destroy it.
 */
export function loadedKit() {
  return kit ? kit.ready : null;
}

const libCache = new Map();
function importOnce(url) {
  if (!libCache.has(url)) {
    const p = import(/* @vite-ignore */ url);
    libCache.set(url, p);
    p.catch(() => libCache.delete(url));
  }
  return libCache.get(url);
}

// resolveLib returns the library object for name ('hls' | 'dash') and the URL
// it came from ('' when it was not loaded by URL).
async function resolveLib(name, attrUrl) {
  const global = name === 'hls' ? globalThis.Hls : globalThis.dashjs;
  if (global) return { lib: global, url: '' };
  const src = attrUrl || libraries[name];
  if (src && typeof src !== 'string') return { lib: src, url: '' };
  const mod = await importOnce(new URL(src, document.baseURI).href);
  // A classic (UMD) build imported as a module sets the global instead.
  if (name === 'hls') return { lib: mod.default || mod.Hls || globalThis.Hls, url: src };
  return { lib: typeof mod.MediaPlayer === 'function' ? mod : mod.default || globalThis.dashjs, url: src };
}

// pageScriptsPending says whether the page's deferred and module scripts
// may still be waiting to run: the document is parsing, or parsed but
// DOMContentLoaded (which fires after them) has not started yet.
function pageScriptsPending() {
  if (document.readyState === 'loading') return true;
  if (document.readyState === 'complete') return false;
  const nav = typeof performance.getEntriesByType === 'function' ? performance.getEntriesByType('navigation')[0] : null;
  return !!nav && nav.domContentLoadedEventStart === 0;
}

// afterPageScripts calls fn once the page's own scripts have had their turn:
// an element in the HTML is upgraded when the element module runs, before a
// module script further down the page that adds the listeners, and a
// failure found at once (bad attribute JSON) must still reach them. A task
// after DOMContentLoaded also lets listeners added in its handlers hear it.
function afterPageScripts(fn) {
  if (pageScriptsPending()) document.addEventListener('DOMContentLoaded', () => setTimeout(fn, 0), { once: true });
  else setTimeout(fn, 0);
}

function parseJSONAttr(el, name) {
  const raw = el.getAttribute(name);
  if (raw == null || raw.trim() === '') return undefined;
  let v;
  try {
    v = JSON.parse(raw);
  } catch (err) {
    throw new Error(`${name} is not valid JSON: ${err.message}`);
  }
  if (!v || typeof v !== 'object') throw new Error(`${name} must be a JSON object or array`);
  return v;
}

// ENGINES are the values of the engine attribute.
const ENGINES = ['auto', 'hls', 'dash', 'native'];

// enumAttr returns el's attribute name, dflt when it is absent or empty;
// a value outside values throws (reported as an embed error at once, not
// a session that plays ads nobody reports).
function enumAttr(el, name, values, dflt) {
  const v = el.getAttribute(name) || dflt;
  if (!values.includes(v)) throw new Error(`${name} must be ${values.map((x) => `"${x}"`).join(', ')}, not "${v}"`);
  return v;
}

/**
 * engineFor decides which player library a manifest needs: an explicit
 * attribute wins, `.mpd` means dash.js, and HLS plays natively only where
 * there is no Media Source Extensions (iOS Safari before 17.1).
 */
export function engineFor(attr, manifestUrl, video) {
  if (attr === 'hls' || attr === 'dash' || attr === 'native') return attr;
  const path = new URL(manifestUrl, document.baseURI).pathname;
  if (path.endsWith('.mpd')) return 'dash';
  const mse = typeof MediaSource !== 'undefined' || typeof ManagedMediaSource !== 'undefined';
  if (!mse && video.canPlayType('application/vnd.apple.mpegurl')) return 'native';
  return 'hls';
}

/**
 * AvailKitPlayerElement is <availkit-player>. Read `session` (null until
 * ready), `player` (the hls.js / dash.js instance, null for native) and
 * `video`. Changing a session attribute restarts the session; media
 * attributes (controls, muted, autoplay, poster) apply in place.
 */
export class AvailKitPlayerElement extends HTMLElement {
  static get observedAttributes() {
    return [...SESSION_ATTRS, ...MEDIA_ATTRS];
  }

  constructor() {
    super();
    this._gen = 0;
    this._cleanups = [];
    this._started = false;
    this._restartQueued = false;
    this.session = null;
    this.player = null;
    // The detail of the latest `error` (the element's own or its session's),
    // null after a (re)start: readable by a host that attached its listener
    // late, or polls instead of listening.
    this.lastError = null;
    const root = this.attachShadow({ mode: 'open' });
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = new URL('../availkit.css', here).href;
    const css2 = document.createElement('link');
    css2.rel = 'stylesheet';
    css2.href = new URL('./availkit-player.css', here).href;
    this._frame = document.createElement('div');
    this._frame.className = 'ak-player';
    this._frame.setAttribute('part', 'frame');
    this.video = document.createElement('video');
    this.video.setAttribute('part', 'video');
    this.video.playsInline = true;
    this._ui = document.createElement('div');
    this._ui.className = 'ak-player-ui';
    this._frame.append(this.video, this._ui);
    const companions = document.createElement('slot');
    companions.name = 'companion';
    companions.setAttribute('part', 'companions');
    root.append(css, css2, this._frame, companions);
  }

  connectedCallback() {
    this._syncMediaAttributes();
    // A move (disconnect + connect in one task) keeps the running session.
    if (!this._started) this._queueRestart();
  }

  disconnectedCallback() {
    queueMicrotask(() => {
      if (!this.isConnected) this._teardown();
    });
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue || !this.isConnected) return;
    if (MEDIA_ATTRS.includes(name)) {
      this._syncMediaAttributes();
      return;
    }
    this._queueRestart();
  }

  // _queueRestart coalesces the attribute changes of one task (a CMS sets
  // several at once) into a single new session.
  _queueRestart() {
    if (this._restartQueued) return;
    this._restartQueued = true;
    queueMicrotask(() => {
      this._restartQueued = false;
      if (this.isConnected) this._restart();
    });
  }

  _syncMediaAttributes() {
    const v = this.video;
    v.controls = this.hasAttribute('controls');
    v.muted = this.hasAttribute('muted');
    v.defaultMuted = v.muted;
    v.autoplay = this.hasAttribute('autoplay');
    if (this.hasAttribute('poster')) v.poster = new URL(this.getAttribute('poster'), document.baseURI).href;
    else v.removeAttribute('poster');
  }

  // _companionSlots gathers slot="companion" children, then the
  // companion-slots attribute's [{selector, width, height, adSlotId}], whose
  // selectors are looked up in the element's own tree (document or shadow
  // root) so embeds inside components find their slots.
  _companionSlots() {
    const slots = [];
    for (const el of this.querySelectorAll(':scope > [slot="companion"]')) {
      slots.push({
        element: el,
        width: Number(el.dataset.width) || el.clientWidth || 300,
        height: Number(el.dataset.height) || el.clientHeight || 250,
        adSlotId: el.dataset.adSlotId || '',
        reserve: el.dataset.reserve !== 'false',
      });
    }
    const extra = parseJSONAttr(this, 'companion-slots');
    if (extra !== undefined && !Array.isArray(extra)) throw new Error('companion-slots must be a JSON array');
    const root = this.getRootNode();
    for (const s of extra || []) {
      const el = s && typeof s.selector === 'string' && root.querySelector ? root.querySelector(s.selector) : null;
      if (!el) throw new Error(`companion-slots: no element matches ${JSON.stringify(s && s.selector)}`);
      slots.push({ element: el, width: Number(s.width) || 300, height: Number(s.height) || 250, adSlotId: s.adSlotId || '', reserve: s.reserve !== false });
    }
    return slots;
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  _teardown() {
    this._gen++;
    this._started = false;
    for (const fn of this._cleanups.splice(0).reverse()) {
      try { fn(); } catch { /* a failing cleanup must not stop the others */ }
    }
    this.session = null;
    this.player = null;
    if (this.video.hasAttribute('src') || this.video.currentSrc) {
      this.video.removeAttribute('src');
      this.video.load();
    }
  }

  async _restart() {
    this._teardown();
    this._started = true;
    this.lastError = null;
    const gen = this._gen;
    const initUrl = this.getAttribute('session-init-url');
    if (!initUrl) return;
    try {
      const opts = {
        sessionInitUrl: new URL(initUrl, document.baseURI).href,
        adsParams: parseJSONAttr(this, 'ads-params'),
        originParams: parseJSONAttr(this, 'origin-params'),
        noSkip: enumAttr(this, 'no-skip', NO_SKIP, 'last'),
        video: this.video,
        container: this._ui,
        companionSlots: this._companionSlots(),
      };
      // The init URL names the asset (.m3u8 / .mpd), so the player library
      // can load while the core starts and the session is created.
      const engineAttr = enumAttr(this, 'engine', ENGINES, 'auto');
      const guess = engineFor(engineAttr, opts.sessionInitUrl, this.video);
      const early = guess === 'native' ? null : this._library(guess);
      if (early) early.catch(() => { /* reported when the player starts */ });
      const session = await loadKit(this.getAttribute('wasm-url') || undefined, this.getAttribute('core-start') || undefined)
        .createSession(opts);
      if (gen !== this._gen) { session.destroy(); return; }
      this.session = session;
      this._cleanups.push(() => session.destroy());
      // Session holds its first events until the next task, so listeners
      // added here miss nothing.
      for (const type of EVENTS) {
        const fn = (e) => {
          if (type === 'error') this.lastError = e.detail;
          this._emit(type, e.detail);
        };
        session.addEventListener(type, fn);
        this._cleanups.push(() => session.removeEventListener(type, fn));
      }
      const engine = engineFor(engineAttr, session.manifestUrl, this.video);
      await this._startPlayer(engine, session, gen, engine === guess ? early : null);
    } catch (err) {
      if (gen !== this._gen) return;
      const detail = { kind: 'embed', source: 'element', message: String((err && err.message) || err) };
      this.lastError = detail;
      // Not dispatched at once: see afterPageScripts. A restart meanwhile
      // (fixed attributes) makes it stale.
      afterPageScripts(() => {
        if (gen === this._gen) this._emit('error', detail);
      });
    }
  }

  _library(engine) {
    return resolveLib(engine, this.getAttribute(engine === 'hls' ? 'hls-src' : 'dash-src'));
  }

  async _startPlayer(engine, session, gen, early) {
    const video = this.video;
    if (engine === 'native') {
      session.attach();
      video.src = session.manifestUrl;
    } else if (engine === 'hls') {
      const { lib: Hls, url } = await (early || this._library('hls'));
      if (gen !== this._gen) return;
      if (typeof Hls !== 'function') throw new Error('hls.js did not load');
      const cfg = {};
      if (url && url === libraries.hls && libraries.hlsWorker) cfg.workerPath = libraries.hlsWorker;
      const hls = new Hls(cfg);
      this.player = hls;
      this._cleanups.push(() => hls.destroy());
      session.attach(hls);
      hls.loadSource(session.manifestUrl);
      hls.attachMedia(video);
    } else {
      const { lib: dashjs } = await (early || this._library('dash'));
      if (gen !== this._gen) return;
      if (!dashjs || typeof dashjs.MediaPlayer !== 'function') throw new Error('dash.js did not load');
      const player = dashjs.MediaPlayer().create();
      this.player = player;
      this._cleanups.push(() => player.reset());
      // Attach first so the adapter sees the first MANIFEST_LOADED.
      session.attach(player);
      player.initialize(video, session.manifestUrl, this.hasAttribute('autoplay'));
    }
    // dash.js autoplays by itself; a native play() on top of it leaves a live
    // MPD unrefreshed in dash.js 5.2.
    if (this.hasAttribute('autoplay') && engine !== 'dash') {
      video.play().catch(() => { /* autoplay refused: the viewer presses play */ });
    }
  }
}

if (!customElements.get('availkit-player')) {
  customElements.define('availkit-player', AvailKitPlayerElement);
}
