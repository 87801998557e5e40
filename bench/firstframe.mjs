// Where the pre-roll's first beacons wait (see bench/firstframe.sh).
//
// For each player (AK_FIRSTFRAME=hls,dash,native; hls.js with its worker),
// AK_FIRSTFRAME_RUNS fresh pages play the VOD session's start on the
// emulator with the kit loaded first (AvailKit.load, as the on-screen bench
// does), and the page records on performance.now(): the element's events,
// its first presented frame (requestVideoFrameCallback: expected display
// time and the callback), the tracking poll (request, response, body read)
// and trackingupdate, the core's marks (ready, warm) and each beacon
// request's start. Per player it prints the medians, in ms:
//   firstframe_poll_<p>        the tracking poll leaves, after the media
//                              playlist's response (native) or the
//                              manifest's (hls.js, dash.js)
//   firstframe_reply_<p>       body read → trackingupdate (the core's work)
//   firstframe_callback_<p>    first frame displayed → its frame callback
//   firstframe_beacon_<p>      first frame displayed → the first beacon request
//   firstframe_late_reply_<p>  runs whose trackingupdate came after the
//                              first frame (the beacons waited for it)
// AK_BENCH_VERBOSE=1 prints each run's timeline.

import { startEmulator, launchBrowser, openPage, percentile } from '../tests/browser/harness.mjs';

const players = (process.env.AK_FIRSTFRAME || 'hls,dash,native').split(',').filter(Boolean);
const RUNS = Number(process.env.AK_FIRSTFRAME_RUNS) || 5;
const VERBOSE = process.env.AK_BENCH_VERBOSE === '1';
const fig = (name, v, unit) => console.log(`FIGURE ${name} ${Number.isFinite(v) ? +v.toFixed(1) : 'NaN'} ${unit}`);
const median = (xs) => percentile(xs.filter(Number.isFinite).sort((a, b) => a - b), 50);

// recorder runs in the page before its scripts: it wraps fetch (beacons are
// no-cors fetches; the tracking poll is the one GET to /v1/tracking/) and
// watches the page's first <video>.
function recorder() {
  const T = (window.__ff = []);
  const now = () => performance.now();
  const f = window.fetch;
  window.fetch = function (u, o) {
    const url = String(u);
    if (o && o.mode === 'no-cors') T.push({ k: 'beacon', at: now(), what: url.split('/').pop().split('?')[0] });
    else if (url.includes('/v1/tracking/')) {
      T.push({ k: 'poll', at: now() });
      return f.apply(this, arguments).then((r) => {
        const ab = r.arrayBuffer.bind(r);
        r.arrayBuffer = () => ab().then((b) => { T.push({ k: 'body', at: now() }); return b; });
        return r;
      });
    }
    return f.apply(this, arguments);
  };
  document.addEventListener('DOMContentLoaded', () => {
    const v = document.querySelector('video');
    for (const t of ['loadedmetadata', 'loadeddata', 'playing']) v.addEventListener(t, () => T.push({ k: t, at: now() }), { once: true });
    v.requestVideoFrameCallback((t, m) => T.push({ k: 'frame', at: m.expectedDisplayTime, callback: now(), mediaTime: m.mediaTime }));
  });
}

async function run(browser, base, player) {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  try {
    await context.addInitScript(recorder);
    const page = await openPage(context, base, 'onscreen.html');
    await page.evaluate(() => window.onscreen.start());
    await page.evaluate((o) => window.e2e.start(o), { format: player === 'dash' ? 'dash' : 'hls', kind: 'vod', player, rate: 1, hlsWorker: true });
    await page.waitForFunction(() => window.__ff.some((e) => e.k === 'beacon') && window.__ff.some((e) => e.k === 'frame'), null, { timeout: 30000 });
    return await page.evaluate(() => {
      const T = window.__ff.slice();
      for (const e of window.e2e.events('trackingupdate').slice(0, 1)) T.push({ k: 'trackingupdate', at: e.at - performance.timeOrigin });
      const b = window.e2e.events('beacon')[0];
      if (b) T.push({ k: 'beacon event', at: b.at - performance.timeOrigin, what: `${b.detail.eventType} at playhead ${b.detail.playhead}, element ${b.media}` });
      for (const m of performance.getEntriesByType('mark')) if (/^availkit:(ready|warm)$/.test(m.name)) T.push({ k: m.name.slice(9), at: m.startTime });
      for (const r of performance.getEntriesByType('resource')) {
        if (/\.(m3u8|mpd)(\?|$)/.test(r.name)) T.push({ k: 'manifest', at: r.responseEnd, what: r.name.split('/').pop().split('?')[0] });
      }
      return T.sort((a, b) => a.at - b.at);
    });
  } finally {
    await context.close();
  }
}

const emu = await startEmulator();
const browser = await launchBrowser();
try {
  for (const player of players) {
    const m = { poll: [], reply: [], callback: [], beacon: [], late: 0 };
    for (let i = 0; i < RUNS; i++) {
      const T = await run(browser, emu.base, player);
      const first = (k) => T.find((e) => e.k === k);
      const frame = first('frame');
      const poll = first('poll');
      const body = first('body');
      const upd = first('trackingupdate');
      // The playlist whose response the poll followed: the last before it.
      const pl = T.filter((e) => e.k === 'manifest' && e.at <= poll.at).pop();
      m.poll.push(pl ? poll.at - pl.at : NaN);
      m.reply.push(upd && body ? upd.at - body.at : NaN);
      m.callback.push(frame.callback - frame.at);
      m.beacon.push(first('beacon').at - frame.at);
      if (upd && upd.at > frame.at) m.late++;
      if (VERBOSE) {
        console.log(`${player} run ${i}:`);
        for (const e of T) console.log(`  ${e.at.toFixed(1).padStart(8)} ${e.k}${e.what ? ` ${e.what}` : ''}${e.callback ? ` (called back at ${e.callback.toFixed(1)})` : ''}`);
      }
    }
    fig(`firstframe_poll_${player}`, median(m.poll), 'ms');
    fig(`firstframe_reply_${player}`, median(m.reply), 'ms');
    fig(`firstframe_callback_${player}`, median(m.callback), 'ms');
    fig(`firstframe_beacon_${player}`, median(m.beacon), 'ms');
    fig(`firstframe_late_reply_${player}`, m.late, `of ${RUNS} runs`);
  }
} finally {
  await browser.close();
  await emu.stop();
}
