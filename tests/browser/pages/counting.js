// Driver of tests/browser/counting.test.mjs: one session with the counting
// options under test (reportingMode, a start position given one of four
// ways), its events recorded with the session playhead.

import { AvailKit } from '/dist/availkit.js';

const ACCOUNT = '4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const EVENTS = ['adbreakstart', 'adstart', 'adend', 'adbreakend', 'beacon', 'beaconerror', 'snapback', 'error'];
const video = document.getElementById('video');
const log = [];
const playheads = []; // session time at every timeupdate after the first playing
let session = null;

// start: {format, player, scenario, reportingMode, start, startHow:
// 'hls-startPosition' | 'dash-startTime' | 'currentTime' | 'startAt'}.
async function start(o) {
  const kit = await AvailKit.load();
  const asset = `vod/index.${o.format === 'dash' ? 'mpd' : 'm3u8'}`;
  session = await kit.createSession({
    sessionInitUrl: `${location.origin}/v1/session/${ACCOUNT}/availkit/${asset}`,
    adsParams: { scenario: o.scenario || 'default' },
    video,
    container: document.getElementById('adui'),
    reportingMode: o.reportingMode,
    startAt: o.startHow === 'startAt' ? o.start : undefined,
  });
  for (const n of EVENTS) session.addEventListener(n, (e) => log.push({ type: n, detail: e.detail, ph: session.currentTime }));
  let playing = false;
  video.addEventListener('playing', () => { playing = true; });
  video.addEventListener('timeupdate', () => { if (playing) playheads.push(session.currentTime); });
  let player;
  if (o.player === 'dash') {
    const dashjs = await import('/node_modules/dashjs/dist/modern/esm/dash.all.min.js');
    player = dashjs.MediaPlayer().create();
    player.updateSettings({ debug: { logLevel: 0 } });
    // dash.js's own start time (initialize's fourth argument).
    player.initialize(video, session.manifestUrl, true, o.startHow === 'dash-startTime' ? o.start : NaN);
  } else {
    const { default: Hls } = await import('/node_modules/hls.js/dist/hls.mjs');
    player = new Hls({ enableWorker: false, startPosition: o.startHow === 'hls-startPosition' ? o.start : -1 });
    player.loadSource(session.manifestUrl);
    player.attachMedia(video);
  }
  session.attach(player);
  if (o.startHow === 'currentTime') {
    // The host sets the position before the first play.
    if (video.readyState < 1) await new Promise((r) => video.addEventListener('loadedmetadata', r, { once: true }));
    video.currentTime = o.start;
  }
  if (o.player !== 'dash') await video.play().catch(() => {});
  return { id: session.sessionId || new URL(session.trackingUrl).pathname.split('/').pop() };
}

window.counting = {
  start,
  events: (type) => log.filter((e) => e.type === type),
  playheads: () => playheads.slice(),
  now: () => ({ session: session ? session.currentTime : NaN, paused: video.paused, muted: video.muted }),
  pause: () => video.pause(),
  play: () => video.play().then(() => true, (e) => e.name),
  mute: (m) => { video.muted = m; },
  stats: () => session.stats(),
  markers: () => session.markers(),
};
window.countingReady = true;
