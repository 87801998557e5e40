// Driver of tests/browser/companionslot.test.mjs: the README's companion
// slot, unstyled (no CSS size: only its declared 300×250), either as an
// <availkit-player> slot="companion" child or as a Session API host's
// companionSlots element, with a paragraph below. It records the boxes of
// the slot and of the paragraph at each ad event, once laid out.

import { AvailKit } from '/dist/availkit.js';
import '/dist/element/availkit-player.js';

const ACCOUNT = '4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const INIT = `/v1/session/${ACCOUNT}/availkit/vod/index.m3u8`;
const host = document.getElementById('host');
const below = document.getElementById('below');
const log = [];
let slot = null;
let stop = () => {};

const box = (el) => {
  const r = el.getBoundingClientRect();
  return { top: r.top, height: r.height, width: r.width };
};

// snap records the boxes after the event's listeners (the companion
// renderer's among them) have run and the page has been laid out.
function snap(type, detail) {
  const at = { type, adId: detail?.adId || '', companions: Array.isArray(detail?.companions) ? detail.companions.length : -1 };
  queueMicrotask(() => log.push({ ...at, slot: box(slot), below: box(below), children: slot.children.length }));
}

const EVENTS = ['ready', 'adbreakstart', 'adstart', 'companion', 'adend', 'adbreakend'];

// start: {how: 'element' | 'api'}.
async function start(o) {
  slot = document.createElement('div');
  slot.id = 'slot';
  if (o.how === 'element') {
    const el = document.createElement('availkit-player');
    el.setAttribute('session-init-url', INIT);
    el.setAttribute('ads-params', '{"scenario":"default"}');
    for (const a of ['controls', 'muted', 'autoplay']) el.setAttribute(a, '');
    el.style.width = '480px';
    slot.slot = 'companion';
    slot.dataset.width = '300';
    slot.dataset.height = '250';
    slot.dataset.adSlotId = 'side';
    el.append(slot);
    for (const t of EVENTS) el.addEventListener(t, (e) => snap(t, e.detail));
    host.append(el);
    // Layout, not timing, is checked: the pre-roll plays at 4x.
    el.video.addEventListener('playing', () => { el.video.playbackRate = 4; });
    stop = () => el.remove();
    return;
  }
  const stage = document.createElement('div');
  stage.className = 'stage';
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  const ui = document.createElement('div');
  ui.id = 'adui';
  stage.append(video, ui);
  host.append(stage, slot);
  const kit = await AvailKit.load();
  const session = await kit.createSession({
    sessionInitUrl: location.origin + INIT, adsParams: { scenario: 'default' }, video, container: ui,
    companionSlots: [{ element: slot, width: 300, height: 250, adSlotId: 'side' }],
  });
  for (const t of EVENTS) session.addEventListener(t, (e) => snap(t, e.detail));
  const { default: Hls } = await import('/node_modules/hls.js/dist/hls.mjs');
  const hls = new Hls({ enableWorker: false });
  hls.loadSource(session.manifestUrl);
  hls.attachMedia(video);
  session.attach(hls);
  video.addEventListener('playing', () => { video.playbackRate = 4; });
  video.play().catch(() => {});
  stop = () => { session.destroy(); hls.destroy(); };
}

window.slotpage = {
  start,
  log: () => log.slice(),
  now: () => ({ slot: box(slot), below: box(below), children: slot.children.length }),
  stop: () => stop(),
  inline: () => ({ minWidth: slot.style.minWidth, minHeight: slot.style.minHeight }),
};
window.e2eReady = true; // openPage (harness.mjs) waits for it
