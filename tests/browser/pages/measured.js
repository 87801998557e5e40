// measured.js: driver page for the Open Measurement and icon browser tests
// (tests/browser/measured.test.mjs). window.m.start({player, scenario, omid,
// reject, rate}) creates a session on the emulator, with the test OM
// service (omid: 'fake') or without one, and plays it.

import { AvailKit } from '/dist/availkit.js';
import { createFakeOMService } from './omid-fake.js';

const ACCOUNT = '4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const EVENTS = ['adstart', 'adend', 'adbreakend', 'beacon', 'error'];
const video = document.getElementById('video');
const log = [];
let session = null;
let player = null;
let om = null;

async function makePlayer(kind, url) {
  if (kind === 'hls') {
    const { default: Hls } = await import('/node_modules/hls.js/dist/hls.mjs');
    const hls = new Hls({ enableWorker: false });
    hls.loadSource(url);
    hls.attachMedia(video);
    return hls;
  }
  const dashjs = await import('/node_modules/dashjs/dist/modern/esm/dash.all.min.js');
  const p = dashjs.MediaPlayer().create();
  p.updateSettings({ debug: { logLevel: 0 } });
  p.initialize(video, url, true);
  return p;
}

window.m = {
  async start(o) {
    const kit = await AvailKit.load();
    om = o.omid === 'fake' ? createFakeOMService({ reject: o.reject || [] }) : null;
    const asset = `vod/index.${o.player === 'dash' ? 'mpd' : 'm3u8'}`;
    session = await kit.createSession({
      sessionInitUrl: `${location.origin}/v1/session/${ACCOUNT}/availkit/${asset}`,
      adsParams: { scenario: o.scenario },
      video,
      container: document.getElementById('adui'),
      ...(om ? { omid: om } : {}),
    });
    for (const n of EVENTS) session.addEventListener(n, (e) => log.push({ type: n, detail: JSON.parse(JSON.stringify(e.detail ?? null)), at: Date.now() }));
    player = await makePlayer(o.player, session.manifestUrl);
    session.attach(player);
    if (o.rate) {
      video.defaultPlaybackRate = o.rate;
      video.playbackRate = o.rate;
    }
    if (o.player !== 'dash') await video.play().catch(() => {});
    return { id: session.sessionId || new URL(session.trackingUrl).pathname.split('/').pop() };
  },
  events(type) {
    return type ? log.filter((e) => e.type === type) : log.slice();
  },
  omLog() {
    return om ? om.log.map((e) => ({ adId: e.adId, vendor: e.vendor, type: e.type })) : [];
  },
  state() {
    return { media: video.currentTime, paused: video.paused, ended: video.ended, duration: video.duration, ui: session?.ui() ?? null };
  },
  icons() {
    const stage = document.querySelector('.stage').getBoundingClientRect();
    return [...document.querySelectorAll('.ak-icon')].map((b) => {
      const r = b.getBoundingClientRect();
      return { program: b.dataset.program, x: r.left - stage.left, y: r.top - stage.top, w: r.width, h: r.height };
    });
  },
  panel() {
    const p = document.querySelector('.ak-icon-panel');
    if (!p) return null;
    const img = p.querySelector('img');
    return { label: p.getAttribute('aria-label'), src: img?.src || '', w: img?.width || 0 };
  },
  closePanel() {
    document.querySelector('.ak-icon-panel-close')?.click();
  },
  play() {
    return video.play();
  },
  pause() {
    video.pause();
  },
  setVolume(v) {
    video.muted = false;
    video.volume = v;
  },
  destroy() {
    session?.destroy();
    if (player?.destroy) player.destroy();
    else player?.reset?.();
  },
};
window.e2eReady = true;
