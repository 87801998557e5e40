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
// released on disconnect, so CMS editors can move or remove it freely.

import { AvailKit } from '../availkit.js';

const here = new URL('.', import.meta.url);

/**
 * libraries says where the element finds hls.js and dash.js when the page has not
 * loaded them and the element has no hls-src / dash-src attribute. Hosts may
 * replace the URLs before the first element connects.
 */
export const libraries = {
  hls: new URL('../vendor/hls.mjs', here).href,
  dash: new URL('../vendor/dash.all.min.js', here).href,
};

const SESSION_EVENTS = [
  'ready', 'trackingupdate', 'adbreakupcoming', 'adbreakstart', 'adstart', 'adprogress',
  'adskippable', 'adend', 'adbreakend', 'beacon', 'beaconerror', 'snapback', 'companion',
  'nonlinear', 'vpaidstart', 'vpaidend', 'error',
];

let kitPromise = null;
function loadKit(wasmUrl) {
  // One wasm instance serves every element on the page; sessions are separate.
  if (!kitPromise) kitPromise = AvailKit.load(wasmUrl ? { wasmUrl } : undefined);
  return kitPromise;
}

const libCache = new Map();
function importOnce(url) {
  if (!libCache.has(url)) libCache.set(url, import(url));
  return libCache.get(url);
}

function parseJSONAttr(el, name) {
  const raw = el.getAttribute(name);
  if (raw == null || raw.trim() === '') return undefined;
  try {
    const v = JSON.parse(raw);
    return v && typeof v === 'object' ? v : undefined;
  } catch (err) {
    throw new Error(`${name} is not valid JSON: ${err.message}`);
  }
}

/** engineFor decides which player library a manifest needs. */
export function engineFor(attr, manifestUrl, video) {
  if (attr === 'hls' || attr === 'dash' || attr === 'native') return attr;
  const path = new URL(manifestUrl, location.href).pathname;
  if (path.endsWith('.mpd')) return 'dash';
  const mse = typeof MediaSource !== 'undefined' || typeof ManagedMediaSource !== 'undefined';
  if (!mse && video.canPlayType('application/vnd.apple.mpegurl')) return 'native';
  return 'hls';
}

export class AvailKitPlayerElement extends HTMLElement {
  static get observedAttributes() {
    return ['session-init-url', 'ads-params', 'origin-params', 'engine', 'no-skip', 'poster', 'controls', 'muted', 'autoplay'];
  }

  constructor() {
    super();
    this._gen = 0;
    this._cleanups = [];
    this.session = null;
    this.player = null;
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
    root.append(css, css2, this._frame, companions);
  }

  connectedCallback() {
    this._syncMediaAttributes();
    this._restart();
  }

  disconnectedCallback() {
    this._teardown();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue || !this.isConnected) return;
    if (name === 'controls' || name === 'muted' || name === 'autoplay' || name === 'poster') {
      this._syncMediaAttributes();
      return;
    }
    this._restart();
  }

  _syncMediaAttributes() {
    const v = this.video;
    v.controls = this.hasAttribute('controls');
    v.muted = this.hasAttribute('muted');
    v.autoplay = this.hasAttribute('autoplay');
    if (this.hasAttribute('poster')) v.poster = this.getAttribute('poster');
    else v.removeAttribute('poster');
  }

  _companionSlots() {
    const slots = [];
    for (const el of this.querySelectorAll(':scope > [slot="companion"]')) {
      slots.push({
        element: el,
        width: Number(el.dataset.width) || el.clientWidth || 300,
        height: Number(el.dataset.height) || el.clientHeight || 250,
        adSlotId: el.dataset.adSlotId || '',
      });
    }
    const extra = parseJSONAttr(this, 'companion-slots');
    if (Array.isArray(extra)) {
      for (const s of extra) {
        const el = s && typeof s.selector === 'string' ? document.querySelector(s.selector) : null;
        if (el) slots.push({ element: el, width: Number(s.width) || 300, height: Number(s.height) || 250, adSlotId: s.adSlotId || '' });
      }
    }
    return slots;
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  _teardown() {
    this._gen++;
    for (const fn of this._cleanups.splice(0).reverse()) {
      try { fn(); } catch { /* a failing cleanup must not stop the others */ }
    }
    this.session = null;
    this.player = null;
    this.video.removeAttribute('src');
    this.video.load();
  }

  async _restart() {
    this._teardown();
    const gen = this._gen;
    const initUrl = this.getAttribute('session-init-url');
    if (!initUrl) return;
    try {
      const kit = await loadKit(this.getAttribute('wasm-url') || undefined);
      if (gen !== this._gen) return;
      const session = await kit.createSession({
        sessionInitUrl: new URL(initUrl, location.href).href,
        adsParams: parseJSONAttr(this, 'ads-params'),
        originParams: parseJSONAttr(this, 'origin-params'),
        noSkip: this.getAttribute('no-skip') || 'last',
        video: this.video,
        container: this._ui,
        companionSlots: this._companionSlots(),
      });
      if (gen !== this._gen) { session.destroy(); return; }
      this.session = session;
      this._cleanups.push(() => session.destroy());
      for (const type of SESSION_EVENTS) {
        const fn = (e) => this._emit(type, e.detail);
        session.addEventListener(type, fn);
        this._cleanups.push(() => session.removeEventListener(type, fn));
      }
      const engine = engineFor(this.getAttribute('engine') || 'auto', session.manifestUrl, this.video);
      await this._startPlayer(engine, session, gen);
    } catch (err) {
      if (gen !== this._gen) return;
      this._emit('error', { kind: 'embed', message: String(err && err.message || err) });
    }
  }

  async _startPlayer(engine, session, gen) {
    const video = this.video;
    if (engine === 'native') {
      video.src = session.manifestUrl;
      session.attach();
    } else if (engine === 'hls') {
      const mod = globalThis.Hls ? { default: globalThis.Hls } : await importOnce(this.getAttribute('hls-src') || libraries.hls);
      if (gen !== this._gen) return;
      const Hls = mod.default || mod.Hls;
      const hls = new Hls();
      this.player = hls;
      this._cleanups.push(() => hls.destroy());
      session.attach(hls);
      hls.loadSource(session.manifestUrl);
      hls.attachMedia(video);
    } else {
      const mod = globalThis.dashjs ? globalThis.dashjs : await importOnce(this.getAttribute('dash-src') || libraries.dash);
      if (gen !== this._gen) return;
      const dashjs = mod.default || mod;
      const player = dashjs.MediaPlayer().create();
      this.player = player;
      this._cleanups.push(() => player.reset());
      // Attach first so the adapter sees the first MANIFEST_LOADED.
      session.attach(player);
      player.initialize(video, session.manifestUrl, this.hasAttribute('autoplay'));
    }
    if (this.hasAttribute('autoplay')) {
      video.play().catch(() => { /* autoplay refused: the viewer presses play */ });
    }
  }
}

if (!customElements.get('availkit-player')) {
  customElements.define('availkit-player', AvailKitPlayerElement);
}
