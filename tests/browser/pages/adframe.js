// Driver of tests/browser/adframe.test.mjs: the README quick start (a kit
// from AvailKit.start with a coreStart mode, or AvailKit.load), one player,
// the session's break and ad events stamped when they are dispatched, and
// every presented frame's code read back (web/qa/framecode.js), so the
// Node side can pair each adstart with the first frame of its ad.

import { AvailKit } from '/dist/availkit.js';
import { record } from '/dist/qa/framecode.js';

const ACCOUNT = '4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const EVENTS = ['adbreakstart', 'adstart', 'adend', 'adbreakend', 'beacon', 'error'];
const video = document.getElementById('video');
const log = [];
const frames = []; // the read frames whose asset differs from the previous read frame's
let session = null;
let rec = null;

// task numbers the tasks the listeners run in: the events one flush of the
// core dispatches share a number (no microtask runs between listeners
// called from one dispatching script).
let task = 0;
let inTask = false;
function taskNo() {
  if (!inTask) {
    inTask = true;
    task++;
    queueMicrotask(() => { inTask = false; });
  }
  return task;
}

// Wall time (the clock framecode's entries use) of performance time t.
const wall = (t) => Date.now() - performance.now() + t;

// start: {player: 'hls' | 'dash' | 'native', kit: 'eager' | 'first-frame' | 'load', rate}.
async function start(o) {
  let last = '';
  rec = record(video, {
    onFrame(e) {
      if (!e.code || e.asset === last) return;
      last = e.asset;
      frames.push({ asset: e.asset, frame: e.frame, at: e.at, mediaTime: e.mediaTime });
    },
  });
  const kit = o.kit === 'load' ? await AvailKit.load() : AvailKit.start({ coreStart: o.kit });
  const dash = o.player === 'dash';
  session = await kit.createSession({
    sessionInitUrl: `${location.origin}/v1/session/${ACCOUNT}/availkit/vod/index.${dash ? 'mpd' : 'm3u8'}`,
    adsParams: { scenario: 'default' },
    video,
    container: document.getElementById('adui'),
  });
  for (const n of EVENTS) {
    session.addEventListener(n, (e) => log.push({ type: n, at: wall(performance.now()), task: taskNo(), detail: e.detail }));
  }
  let player;
  if (dash) {
    const dashjs = await import('/node_modules/dashjs/dist/modern/esm/dash.all.min.js');
    player = dashjs.MediaPlayer().create();
    player.updateSettings({ debug: { logLevel: 0 } });
    player.initialize(video, session.manifestUrl, true);
  } else if (o.player === 'hls') {
    const { default: Hls } = await import('/node_modules/hls.js/dist/hls.mjs');
    player = new Hls({ enableWorker: false });
    player.loadSource(session.manifestUrl);
    player.attachMedia(video);
  } else {
    video.src = session.manifestUrl;
  }
  session.attach(player);
  if (o.rate) {
    video.defaultPlaybackRate = o.rate;
    video.playbackRate = o.rate;
  }
  if (!dash) await video.play().catch((e) => log.push({ type: 'playrejected', detail: { message: e.message } }));
}

window.adframe = {
  start,
  events: (type) => log.filter((e) => e.type === type).map(({ type: t, at, task: n, detail }) =>
    ({ type: t, at, task: n, availId: detail.availId, adId: detail.adId || '', eventType: detail.eventType || '' })),
  frames: () => frames.slice(),
  session: () => (session ? session.currentTime : NaN),
  stop() {
    rec?.stop();
    session?.destroy();
  },
};
window.e2eReady = true; // openPage (harness.mjs) waits for it
