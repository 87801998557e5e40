// Page files for the embedding tests and bench/embed.sh: a CMS-like page that
// holds <availkit-player> elements and records, per element, every event it
// re-dispatches, every CSP violation and the first presented video frame.
// Nothing inline: under the strict CSP an inline script or style would not run.

export const ACCOUNT = '4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
export const initUrl = (asset) => `/v1/session/${ACCOUNT}/availkit/${asset}`;

// early.js is a classic script, run before the element module, so that a
// violation caused while the element starts is seen.
const early = `
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile, line: e.lineNumber });
});
`;

// page.js drives the page. elementUrl is where the element module lives
// (the built dist/ or an installed package).
const pageJs = (elementUrl) => `
import { EVENTS, loadedKit } from ${JSON.stringify(elementUrl)};

const log = [];
const firstFrame = {};
const t0 = {};
for (const type of EVENTS) {
  document.addEventListener(type, (e) => {
    const el = e.composedPath()[0];
    if (!el || el.localName !== 'availkit-player') return;
    log.push({ id: el.id, type, detail: JSON.parse(JSON.stringify(e.detail ?? null)), at: performance.now(), media: el.video.currentTime });
  });
}

function watch(el) {
  t0[el.id] = performance.now();
  const v = el.video;
  // The pre-roll starts at 0, so the first presented frame is an ad frame.
  v.requestVideoFrameCallback((now) => { firstFrame[el.id] = now - t0[el.id]; });
}

// add creates an element from attrs, in the document or (shadow: true) in
// the shadow root of a wrapper component, with a companion slot child.
function add(id, attrs, { shadow = false, slot = false, rate = 1 } = {}) {
  const el = document.createElement('availkit-player');
  el.id = id;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (slot) {
    const s = document.createElement('div');
    s.slot = 'companion';
    s.className = 'companion';
    s.dataset.width = '300';
    s.dataset.height = '250';
    s.dataset.adSlotId = 'side';
    el.append(s);
  }
  if (rate !== 1) {
    el.addEventListener('ready', () => { el.video.defaultPlaybackRate = rate; el.video.playbackRate = rate; }, { once: true });
  }
  let parent = document.getElementById('players');
  if (shadow) {
    const host = document.createElement('div');
    host.className = 'wrapper';
    host.id = 'wrap-' + id;
    parent.append(host);
    parent = host.attachShadow({ mode: 'open' });
  }
  watch(el);
  parent.append(el);
  return el;
}

function find(id) {
  return document.getElementById(id) || document.getElementById('wrap-' + id)?.shadowRoot?.getElementById(id);
}

window.embed = {
  add(id, attrs, opts) { add(id, attrs, opts); return true; },
  events(id, type) { return log.filter((e) => (!id || e.id === id) && (!type || e.type === type)); },
  violations() { return window.__violations.slice(); },
  firstFrame(id) { return firstFrame[id] ?? null; },
  state(id) {
    const el = find(id);
    if (!el) return null;
    const v = el.video;
    return { media: v.currentTime, paused: v.paused, ended: v.ended, rate: v.playbackRate,
      sessionId: el.session?.sessionId || '', trackingUrl: el.session?.trackingUrl || '',
      ui: el.session ? el.session.ui() : null, player: !el.player ? '' : typeof el.player.loadSource === 'function' ? 'hls.js' : typeof el.player.initialize === 'function' ? 'dash.js' : '?' };
  },
  // overlay reports what the ad UI inside the element's shadow root shows.
  overlay(id) {
    const el = find(id);
    const ui = el && el.shadowRoot.querySelector('.ak-player-ui');
    return ui ? { children: ui.children.length, text: ui.textContent.trim() } : null;
  },
  companion(id) {
    const el = find(id);
    const s = el && el.querySelector('[slot=companion]');
    return s ? s.children.length : -1;
  },
  async remove(id) {
    const el = find(id);
    const session = el.session;
    const player = el.player;
    el.remove();
    await new Promise((r) => setTimeout(r, 0));
    return { sessionDestroyed: !session || session.destroyed, elementSession: el.session === null,
      hlsMedia: player && 'media' in player ? player.media : null, videoSrc: el.video.getAttribute('src') };
  },
  async kitStats() {
    const p = loadedKit();
    return p ? (await p).stats() : null;
  },
  leaks() { return window.__leaks ? window.__leaks.snapshot() : null; },
  globals() { return Object.keys(window).filter((k) => !window.__globals0.includes(k)); },
};
window.embedReady = true;
`;

const css = `
body { font: 14px system-ui, sans-serif; margin: 16px; }
#players { display: grid; grid-template-columns: repeat(2, 480px); gap: 16px; }
.companion { width: 300px; height: 250px; }
`;

const html = (title) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="stylesheet" href="/page/page.css">
<script src="/pages/instrument.js"></script>
<script src="/page/early.js"></script>
<script src="/page/globals.js"></script>
<script type="module" src="/page/page.js"></script>
</head>
<body>
<h1>${title}</h1>
<div id="players"></div>
</body>
</html>
`;

// embedPages returns the in-memory files of the page project for
// startPageServer, importing the element from elementUrl.
export function embedPages(elementUrl, title = 'availkit embed') {
  return {
    '/page/index.html': { body: html(title), type: 'text/html; charset=utf-8' },
    '/page/early.js': { body: early },
    '/page/globals.js': { body: 'window.__globals0 = Object.keys(window);\n' },
    '/page/page.js': { body: pageJs(elementUrl) },
    '/page/page.css': { body: css },
  };
}
