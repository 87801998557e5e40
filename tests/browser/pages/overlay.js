// Overlay test page: a scripted stand-in for Session (an EventTarget with
// ui(), markers() and the control methods) so the overlay can be checked
// without wasm or media. The tests set window.fake.uiState and dispatch
// events, then read the DOM.

import { createAdOverlay } from '/web/ui/overlay.js';

class FakeSession extends EventTarget {
  constructor() {
    super();
    this.uiState = {};
    this.markerList = [];
    this.calls = [];
    this.currentTime = 0;
    this.duration = 120;
    this.listeners = 0;
  }
  addEventListener(t, f, o) {
    this.listeners++;
    super.addEventListener(t, f, o);
  }
  removeEventListener(t, f, o) {
    this.listeners--;
    super.removeEventListener(t, f, o);
  }
  ui() {
    return this.uiState;
  }
  markers() {
    return this.markerList;
  }
  skip() {
    this.calls.push(['skip']);
    return true;
  }
  clickThrough() {
    this.calls.push(['clickThrough']);
    return '';
  }
  seek(t) {
    this.calls.push(['seek', t]);
    return { allow: true, to: t };
  }
  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective}: ${e.blockedURI}`));

window.fake = new FakeSession();
window.overlay = null;
window.mount = (opts) => {
  window.overlay?.destroy();
  window.overlay = createAdOverlay(document.getElementById('adui'), window.fake, opts || {});
};
window.violations = violations;
window.q = (s) => {
  const e = document.querySelector(s);
  if (!e) return null;
  const cs = getComputedStyle(e);
  return {
    text: e.textContent,
    visible: cs.display !== 'none' && !e.hidden && cs.visibility !== 'hidden',
    attrs: Object.fromEntries([...e.attributes].map((a) => [a.name, a.value])),
  };
};
window.frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
window.pageReady = true;
