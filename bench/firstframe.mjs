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
// AK_FIRSTFRAME_TRACE=1 also records a Chromium trace of each run and
// prints, medians in ms, where the time between the frame and its beacons
// goes:
//   firstframe_mainframe_<p>   first frame displayed → the rendering step
//                              (BeginMainFrame) its callback runs in
//   firstframe_busy_<p>        of that, the page's main thread busy with
//                              tasks that are not rendering steps (the
//                              player's, the page's, the plugin's)
//   firstframe_spread_<p>      first → last beacon request of the frame
//                              (breakStart, impression, start)

import { startEmulator, launchBrowser, openPage, percentile } from '../tests/browser/harness.mjs';

const players = (process.env.AK_FIRSTFRAME || 'hls,dash,native').split(',').filter(Boolean);
const RUNS = Number(process.env.AK_FIRSTFRAME_RUNS) || 5;
const VERBOSE = process.env.AK_BENCH_VERBOSE === '1';
const TRACE = process.env.AK_FIRSTFRAME_TRACE === '1';
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
    v.requestVideoFrameCallback((t, m) => {
      T.push({ k: 'frame', at: m.expectedDisplayTime, callback: now(), mediaTime: m.mediaTime });
      // The trace's clock is not the page's: this mark ties them.
      performance.mark('firstframe:callback');
    });
  });
}

async function run(browser, base, player) {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  try {
    await context.addInitScript(recorder);
    const page = await openPage(context, base, 'onscreen.html');
    if (TRACE) await browser.startTracing(page, { categories: ['devtools.timeline', 'blink.user_timing', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame'] });
    await page.evaluate(() => window.onscreen.start());
    await page.evaluate((o) => window.e2e.start(o), { format: player === 'dash' ? 'dash' : 'hls', kind: 'vod', player, rate: 1, hlsWorker: true });
    await page.waitForFunction(() => window.__ff.some((e) => e.k === 'beacon') && window.__ff.some((e) => e.k === 'frame'), null, { timeout: 30000 });
    const trace = TRACE ? JSON.parse(String(await browser.stopTracing())) : null;
    const T = await page.evaluate(() => {
      const T = window.__ff.slice();
      for (const e of window.e2e.events('trackingupdate').slice(0, 1)) T.push({ k: 'trackingupdate', at: e.at - performance.timeOrigin });
      const b = window.e2e.events('beacon')[0];
      if (b) T.push({ k: 'beacon event', at: b.at - performance.timeOrigin, what: `${b.detail.eventType} at playhead ${b.detail.playhead}, element ${b.media}` });
      for (const m of performance.getEntriesByType('mark')) if (/^availkit:(ready|warm)$/.test(m.name)) T.push({ k: m.name.slice(9), at: m.startTime });
      for (const r of performance.getEntriesByType('resource')) {
        if (/\.(m3u8|mpd)(\?|$)/.test(r.name)) T.push({ k: 'manifest', at: r.responseEnd, what: r.name.split('/').pop().split('?')[0] });
      }
      for (const m of performance.getEntriesByType('mark')) if (m.name === 'firstframe:callback') T.push({ k: 'mark', at: m.startTime });
      return T.sort((a, b) => a.at - b.at);
    });
    if (trace) T.push(...traced(trace, T));
    return T;
  } finally {
    await context.close();
  }
}

// traced reads a Chromium trace of a run: the rendering steps of the
// page's main thread after the first frame and the tasks before the one
// its callback ran in, and the beacon requests the frame's callback sent.
// It returns them as timeline entries on the page's clock.
function traced(trace, T) {
  const ev = Array.isArray(trace) ? trace : trace.traceEvents;
  const mark = T.find((e) => e.k === 'mark');
  const frame = T.find((e) => e.k === 'frame');
  const inTrace = ev.find((e) => e.name === 'firstframe:callback' && String(e.cat).includes('user_timing'));
  if (!mark || !frame || !inTrace) return [];
  const page = (ts) => (ts - inTrace.ts) / 1000 + mark.at;
  const main = ev.filter((e) => e.pid === inTrace.pid && e.tid === inTrace.tid);
  const out = [];
  // The rendering step the callback ran in: the last to begin before it.
  const step = main.filter((e) => e.name === 'BeginMainThreadFrame' && page(e.ts) <= frame.callback).pop();
  if (!step || page(step.ts) < frame.at - 17) return [];
  out.push({ k: 'main frame', at: page(step.ts) });
  // Tasks between the frame and that step, clipped to them.
  let busy = 0;
  for (const e of main) {
    if (e.name !== 'RunTask' || e.ph !== 'X') continue;
    const a = Math.max(page(e.ts), frame.at);
    const b = Math.min(page(e.ts + e.dur), page(step.ts));
    if (b > a) busy += b - a;
  }
  out.push({ k: 'busy', at: page(step.ts), ms: busy });
  for (const e of ev) {
    if (e.name !== 'ResourceSendRequest' || e.pid !== inTrace.pid) continue;
    const url = e.args?.data?.url || '';
    if (/\/(breakStart|impression|start)\?/.test(url) && page(e.ts) >= frame.at) out.push({ k: 'sent', at: page(e.ts), what: url.split('?')[0].split('/').pop() });
  }
  return out;
}

const emu = await startEmulator();
const browser = await launchBrowser();
try {
  for (const player of players) {
    const m = { poll: [], reply: [], callback: [], beacon: [], late: 0, mainframe: [], busy: [], spread: [] };
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
      if (TRACE) {
        const step = first('main frame');
        const sent = T.filter((e) => e.k === 'sent').slice(0, 3);
        m.mainframe.push(step ? step.at - frame.at : NaN);
        m.busy.push(first('busy')?.ms ?? NaN);
        m.spread.push(sent.length === 3 ? sent[2].at - sent[0].at : NaN);
      }
      if (VERBOSE) {
        console.log(`${player} run ${i}:`);
        for (const e of T) console.log(`  ${e.at.toFixed(1).padStart(8)} ${e.k}${e.what ? ` ${e.what}` : ''}${e.callback ? ` (called back at ${e.callback.toFixed(1)})` : ''}${e.ms !== undefined ? ` ${e.ms.toFixed(1)} ms since the frame` : ''}`);
      }
    }
    fig(`firstframe_poll_${player}`, median(m.poll), 'ms');
    fig(`firstframe_reply_${player}`, median(m.reply), 'ms');
    fig(`firstframe_callback_${player}`, median(m.callback), 'ms');
    fig(`firstframe_beacon_${player}`, median(m.beacon), 'ms');
    fig(`firstframe_late_reply_${player}`, m.late, `of ${RUNS} runs`);
    if (TRACE) {
      fig(`firstframe_mainframe_${player}`, median(m.mainframe), 'ms');
      fig(`firstframe_busy_${player}`, median(m.busy), 'ms');
      fig(`firstframe_spread_${player}`, median(m.spread), 'ms');
    }
  }
} finally {
  await browser.close();
  await emu.stop();
}
