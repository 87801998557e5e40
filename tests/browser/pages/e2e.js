// Test driver page: the browser tests call window.e2e.* through
// page.evaluate. It records every session event with the wall time and the
// raw tracking JSON the plugin polled, so the Node side can compare them with
// the emulator's collector.

import { AvailKit } from '/dist/availkit.js';

const ACCOUNT = '4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const EVENTS = ['ready', 'trackingupdate', 'adbreakupcoming', 'adbreakstart', 'adstart', 'adprogress',
  'adskippable', 'adend', 'adbreakend', 'beacon', 'beaconerror', 'snapback', 'companion', 'nonlinear',
  'vpaidstart', 'vpaidend', 'simidstate', 'error'];

const video = document.getElementById('video');
const log = [];
const tracking = [];
let kit = null;
let session = null;
let player = null;
let playerKind = '';
let loadMs = NaN;
let handlers = [];

const pageFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = async (input, init) => {
  const res = await pageFetch(input, init);
  const url = typeof input === 'string' ? input : input && input.url;
  if (url && url.includes('/v1/tracking/')) {
    const body = await res.clone().text().catch(() => '');
    let json = null;
    try {
      json = JSON.parse(body);
    } catch {
      // malformed on purpose
    }
    tracking.push({ at: Date.now(), status: res.status, json });
  }
  return res;
};

// vlog keeps the element's own events (seeks, stalls) with the playhead
// and buffered ranges, for failure messages.
const vlog = [];
for (const t of ['seeking', 'seeked', 'waiting', 'playing', 'pause', 'stalled']) {
  video.addEventListener(t, () => {
    const b = [];
    for (let i = 0; i < video.buffered.length; i++) b.push(`${video.buffered.start(i).toFixed(3)}-${video.buffered.end(i).toFixed(3)}`);
    vlog.push(`${t}@${video.currentTime.toFixed(3)} [${b.join(' ')}]`);
    if (vlog.length > 60) vlog.shift();
  });
}

function record(type, detail) {
  log.push({ type, detail: JSON.parse(JSON.stringify(detail ?? null)), at: Date.now(), media: video.currentTime });
}

// makePlayer starts hls.js on the main thread unless worker is set: the
// tests' timing then includes its transmuxing, a pessimistic page. The
// on-screen bench runs it as hosts do, with its transmuxer worker (the ESM
// build needs the worker's URL).
async function makePlayer(kind, url, autoplay, worker) {
  playerKind = kind;
  if (kind === 'hls') {
    const { default: Hls } = await import('/node_modules/hls.js/dist/hls.mjs');
    const hls = new Hls(worker ? { enableWorker: true, workerPath: '/node_modules/hls.js/dist/hls.worker.js' } : { enableWorker: false });
    hls.loadSource(url);
    hls.attachMedia(video);
    return hls;
  }
  if (kind === 'dash') {
    const dashjs = await import('/node_modules/dashjs/dist/modern/esm/dash.all.min.js');
    const p = dashjs.MediaPlayer().create();
    p.updateSettings({ debug: { logLevel: 0 } });
    // autoplay=true: with false plus a native video.play(), dash.js 5.2 never
    // refreshes a dynamic MPD and live stops once the first MPD runs out.
    p.initialize(video, url, autoplay);
    return p;
  }
  video.src = url;
  return undefined;
}

window.e2e = {
  // start creates a session for {format, kind, player, scenario, noSkip, ui,
  // adsParams, rate, hlsWorker, requestTimeout, config (the emulator's playback
  // configuration, default availkit)} and starts playback; it resolves
  // with the session URLs.
  async start(o) {
    const t0 = performance.now();
    if (!kit) kit = await AvailKit.load();
    const asset = `${o.kind}/index.${o.format === 'dash' ? 'mpd' : 'm3u8'}`;
    session = await kit.createSession({
      sessionInitUrl: `${location.origin}/v1/session/${ACCOUNT}/${o.config || 'availkit'}/${asset}`,
      adsParams: { scenario: o.scenario || 'default', ...(o.adsParams || {}) },
      video,
      container: o.ui === false ? undefined : document.getElementById('adui'),
      companionSlots: [{ element: document.getElementById('slot'), width: 300, height: 250, adSlotId: 'side' }],
      noSkip: o.noSkip || 'last',
      ...(o.requestTimeout ? { requestTimeout: o.requestTimeout } : {}),
    });
    loadMs = performance.now() - t0;
    for (const n of EVENTS) {
      const h = (e) => record(n, e.detail);
      handlers.push([n, h]);
      session.addEventListener(n, h);
    }
    player = await makePlayer(o.player, session.manifestUrl, o.play !== false, !!o.hlsWorker);
    if (o.attach !== false) session.attach(player);
    if (o.rate) {
      video.defaultPlaybackRate = o.rate;
      video.playbackRate = o.rate;
    }
    // dash.js was initialised with autoplay and starts playback itself.
    if (o.play !== false && o.player !== 'dash') await video.play().catch((e) => record('playrejected', { message: e.message }));
    const id = session.sessionId || new URL(session.trackingUrl).pathname.split('/').pop();
    return { id, manifestUrl: session.manifestUrl, trackingUrl: session.trackingUrl, loadMs, wasmLoadMs: kit.loadMs };
  },
  state() {
    return {
      media: video.currentTime,
      session: typeof session?.currentTime === 'number' ? session.currentTime : NaN,
      paused: video.paused,
      ended: video.ended,
      seeking: video.seeking,
      duration: video.duration,
      rate: video.playbackRate,
      ui: session ? session.ui() : null,
    };
  },
  sessionDuration() {
    return String(session?.duration);
  },
  videoLog() {
    return vlog.slice();
  },
  events(type) {
    return type ? log.filter((e) => e.type === type) : log.slice();
  },
  tracking() {
    return tracking.slice();
  },
  // seekNative moves the element's clock directly, like native controls or
  // a keyboard shortcut would, so the post-seeking correction path is used.
  seekNative(mediaTime) {
    video.currentTime = mediaTime;
  },
  seekApi(sessionTime) {
    return session.seek(sessionTime);
  },
  skip() {
    return session.skip();
  },
  pollNow() {
    session.pollNow();
  },
  clickThrough() {
    return session.clickThrough();
  },
  clickLearnMore() {
    const b = document.querySelector('.ak-learn');
    if (!b || b.hidden) return false;
    b.click();
    return true;
  },
  clickSkip() {
    const b = document.querySelector('.ak-skip');
    if (!b || b.hidden || b.getAttribute('aria-disabled') === 'true') return false;
    b.click();
    return true;
  },
  overlay() {
    const q = (s) => document.querySelector(s);
    const root = q('.ak-overlay');
    return root ? {
      state: root.dataset.state,
      badge: q('.ak-badge')?.textContent || '',
      skip: q('.ak-skip')?.hidden ? null : q('.ak-skip')?.textContent,
      skipDisabled: q('.ak-skip')?.getAttribute('aria-disabled'),
      learn: !q('.ak-learn')?.hidden,
      markers: document.querySelectorAll('.ak-bar-marker').length,
    } : null;
  },
  pause() {
    video.pause();
  },
  play() {
    return video.play();
  },
  setRate(r) {
    video.playbackRate = r;
  },
  // destroy tears down the session, then the player, so that what is left
  // registered afterwards can be compared with a snapshot from before start.
  async destroy() {
    for (const [n, h] of handlers) session?.removeEventListener(n, h);
    handlers = [];
    session?.destroy();
    session = null;
    if (playerKind === 'hls') player?.destroy();
    else if (playerKind === 'dash') player?.reset();
    else {
      video.removeAttribute('src');
      video.load();
    }
    player = null;
  },
  // benchUpdate times the headless hot path, session.update(playhead), in
  // batches (performance.now is too coarse for one call) and returns the
  // median per-call cost in ns. The session plays no media: it measures the
  // JS→core crossing, not a player.
  async benchUpdate(batches, per) {
    if (!kit) kit = await AvailKit.load();
    const s = await kit.createSession({
      sessionInitUrl: `${location.origin}/v1/session/${ACCOUNT}/availkit/vod/index.m3u8`,
      adsParams: { scenario: 'default' },
    });
    const median = (fn) => {
      const per1 = [];
      let t = 30.0001; // content, away from every avail edge
      for (let b = 0; b < batches; b++) {
        const t0 = performance.now();
        for (let i = 0; i < per; i++) fn((t += 1e-7));
        per1.push(((performance.now() - t0) * 1e6) / per);
      }
      per1.sort((a, b) => a - b);
      return per1[Math.floor(per1.length / 2)];
    };
    // The per-frame path of an attached session: the ak_update export with
    // numbers only (what Session._tick calls), and the public headless
    // update(), which adds flag packing and a clock read.
    const exp = s._exports;
    const h = s._handle;
    const now = Date.now();
    const raw = median((t) => exp.ak_update(h, t, now, 0));
    const pub = median((t) => s.update(t));
    s.destroy();
    return { raw, pub, wasmLoadMs: kit.loadMs };
  },
  leaks() {
    return window.__leaks.snapshot();
  },
};
window.e2eReady = true;
