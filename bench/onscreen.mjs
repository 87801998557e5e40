// On-screen beacon timing benchmark (see bench/onscreen.sh).
//
// For each player × media variant, one full VOD run at 1× while a
// requestVideoFrameCallback recorder reads the frame code of every
// presented frame (web/qa/framecode.js). Each beacon's arrival
// at the emulator's collector is compared with the display time of the
// frame it describes (tests/browser/onscreen-judge.mjs):
//   onscreen_early       beacons more than 20 ms before their frame
//   onscreen_p50/p95/max ms after the frame (negative = before)
//   onscreen_missed / onscreen_duplicates
//   onscreen_fired_*     the beacon request started after the frame (ms)
//   onscreen_trip_*      that start to the collector (ms)
// and, beside it, the currentTime-based measure the other benches use
// (collector arrival − the time the playhead reached the beacon's time).
// AK_ONSCREEN=hls:ts,hls:fmp4,dash:fmp4,native:ts,native:fmp4,hls:bf,dash:bf
// picks the runs (media fmp4: the default CMAF media; ts and bf: the
// emulator's variants of that name, adsParams.media); AK_ONSCREEN_RATE
// sets the playback rate; AK_ONSCREEN_WORKER=0 runs hls.js without its
// worker; AK_BENCH_VERBOSE=1 lists every beacon.
//
// A third field `live` (hls:fmp4:live, dash:fmp4:live, hls:ts:live) plays
// the emulator's live channel instead, at 1× whatever AK_ONSCREEN_RATE
// says (a live edge cannot be outrun): the session is created just before
// a break, the run ends once the content after the second break has
// played a second, and only the beacons of the ads that started after the
// first presented frame, due by the last one, are expected. Its figures
// carry a _live suffix.

import { readFileSync } from 'node:fs';
import {
  startEmulator, launchBrowser, openPage, collector, waitFor, expectedBeacons, beaconTemplate, matches, percentile, untilLiveBreak,
} from '../tests/browser/harness.mjs';
import { report, positions, liveExpected, liveProgress, FPS } from '../tests/browser/onscreen-judge.mjs';

const runs = (process.env.AK_ONSCREEN || 'hls:ts,hls:fmp4,dash:fmp4,native:ts,native:fmp4').split(',').filter(Boolean);
const RATE = Number(process.env.AK_ONSCREEN_RATE) || 1;
// hls.js runs with its transmuxer worker, as hosts run it (the browser
// tests run it on the main thread); AK_ONSCREEN_WORKER=0 measures that.
const WORKER = process.env.AK_ONSCREEN_WORKER !== '0';
const EARLY_MS = 20;
// The emulator runs its shipped configuration: a live break every 60 s.
const LIVE_EVERY = JSON.parse(readFileSync(new URL('../internal/emulator/default_config.json', import.meta.url), 'utf8'))
  .playbackConfigurations[0].liveBreakEverySecs;
const LIVE_BREAKS = 2;
const fig = (name, v, unit) => console.log(`FIGURE ${name} ${Number.isFinite(v) ? +v.toFixed(1) : 'NaN'} ${unit}`);
const stats = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), max: s.length ? s[s.length - 1] : NaN, min: s[0] };
};

const emu = await startEmulator();
const browser = await launchBrowser();
let failed = false;
try {
  for (const run of runs) {
    try {
      await measure(run);
    } catch (e) {
      failed = true;
      console.error(`${run}: ${e && e.message || e}`);
    }
  }
} finally {
  await browser.close();
  await emu.stop();
}
process.exit(failed ? 1 : 0);

async function measure(run) {
  const [player, media, kind] = run.split(':');
  const live = kind === 'live';
  const rate = live ? 1 : RATE;
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  // The moment each beacon request starts (the plugin sends beacons as
  // no-cors fetches), on the wall clock the frames and the collector use.
  await context.addInitScript(() => {
    const f = window.fetch;
    window.__sent = [];
    window.fetch = function (u, o) {
      if (o && o.mode === 'no-cors') window.__sent.push({ url: String(u), at: Date.now() });
      return f.apply(this, arguments);
    };
  });
  const page = await openPage(context, emu.base, 'onscreen.html');
  await page.evaluate(() => window.onscreen.start());
  // Live: create the session 4 s before a break (it loads the core first,
  // a second or two on a busy machine), so that break is filled and shown
  // after the player's latency, not a whole cycle later.
  if (live) await new Promise((r) => setTimeout(r, untilLiveBreak(LIVE_EVERY, 4000) - 4000));
  const info = await page.evaluate((o) => window.e2e.start(o), {
    format: player === 'dash' ? 'dash' : 'hls', kind: live ? 'live' : 'vod', player, rate, hlsWorker: WORKER,
    adsParams: media === 'ts' || media === 'bf' ? { media } : {},
  });
  // The page's {media, session} readings: the live judge tells ad runs
  // apart by them (tests/browser/onscreen-judge.mjs).
  const clock = [];
  if (live) {
    await waitFor(async () => {
      const st = await page.evaluate(liveProgress);
      clock.push({ media: st.media, session: st.session });
      return st.breaks >= LIVE_BREAKS && st.after >= FPS;
    }, { timeout: (LIVE_BREAKS * LIVE_EVERY + 90) * 1000, every: 250, what: `${run}: content after ${LIVE_BREAKS} live breaks` });
  } else {
    await waitFor(async () => {
      const st = await page.evaluate(() => window.e2e.state());
      return st.ended || st.media >= st.duration - 0.3;
    }, { timeout: 600000, every: 500, what: `${run} VOD end` });
  }
  // Live plays on: the frames read end the window, then its last beacons land.
  let frames = live ? await page.evaluate(() => window.onscreen.frames()) : null;
  await new Promise((r) => setTimeout(r, 1500)); // let the last beacons land
  if (!live) frames = await page.evaluate(() => window.onscreen.frames());
  if (player === 'hls') {
    const worker = await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/hls.worker.js')));
    console.log(`${run}: hls.js transmuxer ${worker ? 'in its worker' : 'on the main thread'}`);
  }
  // Beacon events carry performance.timeOrigin + now(), which drifts from
  // the wall clock the frames and the collector use (tens of ms in a
  // long-lived browser): the split below is read on the wall clock.
  const skew = await page.evaluate(() => {
    let sum = 0;
    for (let i = 0; i < 200; i++) sum += Date.now() + 0.5 - (performance.timeOrigin + performance.now());
    return sum / 200;
  });
  const events = await page.evaluate(() => window.e2e.events('beacon'));
  const sent = await page.evaluate(() => window.__sent);
  const polls = (await page.evaluate(() => window.e2e.tracking())).map((x) => x.json).filter(Boolean);
  let want;
  if (live) {
    const pf = positions(frames, polls, clock).frames.filter((f) => Number.isFinite(f.pos));
    want = liveExpected(polls, pf[0].pos, pf.at(-1).pos);
  } else {
    want = expectedBeacons(polls, -1, Infinity);
  }
  const records = await collector(emu.base, info.id);
  const r = report({ frames, polls, want, records, rate, clock: live ? clock : undefined });
  await context.close();

  // currentTime-based: collector arrival − the moment the playhead passed
  // the beacon's time (the beacon event's playhead − scheduled time,
  // advanced by the trip to the collector).
  const old = [];
  // Where the time after the frame goes: the page starting the beacon's
  // request after the frame's display time, then the trip from there to
  // the collector. (The beacon event is dispatched after the flush that
  // sends it, behind the break's and the ad's own events: not the send.)
  const fired = [];
  const trip = [];
  const of = (list, w) => list.find((x) => {
    const t = x.url && beaconTemplate(x.url);
    return t && matches(w, { eventType: t.eventType, query: Object.fromEntries(t.params) });
  });
  const split = []; // by row, for AK_BENCH_VERBOSE
  for (const [i, w] of want.entries()) {
    const e = of(events.map((x) => ({ ...x, url: x.detail.url })), w);
    const rec = records.find((x) => matches(w, x));
    if (e && rec) old.push((e.detail.playhead - e.detail.scheduledTime) * 1000 / rate + (rec.receivedAt - e.at - skew));
    const req = of(sent, w);
    if (req && rec && Number.isFinite(r.rows[i].due)) {
      fired.push(req.at - r.rows[i].due);
      trip.push(rec.receivedAt - req.at);
      split[i] = ` (sent ${(req.at - r.rows[i].due).toFixed(1)}, trip ${(rec.receivedAt - req.at).toFixed(1)})`;
    }
  }
  const tag = `${player}_${media}${live ? '_live' : ''}`;
  const late = r.rows.map((x) => x.late);
  const s = stats(late);
  const o = stats(old);
  if (process.env.AK_BENCH_VERBOSE) {
    for (const [i, x] of r.rows.entries()) console.error(`${tag}: ${x.type.padEnd(13)} @${x.time.toFixed(3)} ${x.frame.padEnd(10)} ${x.late.toFixed(1)} ms${split[i] || ''}`);
    for (const x of r.runs) console.error(`${tag}: run ${x.first.asset}#${x.first.frame} media ${x.first.mediaTime.toFixed(4)}${x.ad ? ` ad ${x.ad.start.toFixed(3)}` : ''}`);
  }
  const unmatched = r.runs.filter((x) => x.first.asset.startsWith('ad-') && !x.ad).length;
  console.error(`${tag}: ${want.length} beacons, ${r.ads.length} ads, ${frames.length} frames read${unmatched ? `, ${unmatched} ad runs matched to no tracking ad` : ''}`);
  fig(`onscreen_early_${tag}`, late.filter((x) => x < -EARLY_MS).length, 'beacons');
  fig(`onscreen_min_${tag}`, s.min, 'ms');
  fig(`onscreen_p50_${tag}`, s.p50, 'ms');
  fig(`onscreen_p95_${tag}`, s.p95, 'ms');
  fig(`onscreen_max_${tag}`, s.max, 'ms');
  fig(`onscreen_missed_${tag}`, r.missed, 'beacons');
  fig(`onscreen_duplicates_${tag}`, r.duplicates, 'beacons');
  const f = stats(fired);
  const tr = stats(trip);
  fig(`onscreen_fired_p50_${tag}`, f.p50, 'ms');
  fig(`onscreen_fired_p95_${tag}`, f.p95, 'ms');
  fig(`onscreen_trip_p50_${tag}`, tr.p50, 'ms');
  fig(`onscreen_trip_p95_${tag}`, tr.p95, 'ms');
  fig(`currenttime_p50_${tag}`, o.p50, 'ms');
  fig(`currenttime_p95_${tag}`, o.p95, 'ms');
  fig(`currenttime_max_${tag}`, o.max, 'ms');
}
