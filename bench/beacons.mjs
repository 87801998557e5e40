// Beacon lateness benchmark (see bench/beacons.sh).
//
// For every beacon the plugin dispatched during a full VOD run at 1×:
//   dispatch lateness  = playhead at dispatch − scheduled time
//   collector lateness = the same, advanced by the time the beacon took to
//                        reach the emulator's collector (same machine clock)
// plus early (< −1 ms), duplicate and missed counts against the tracking JSON.
// Set AK_BENCH_PLAYERS=hls or dash to run one player.

import {
  startEmulator, launchBrowser, openPage, collector, waitFor, expectedBeacons, judge, matches, beaconTemplate, percentile,
} from '../tests/browser/harness.mjs';

const players = (process.env.AK_BENCH_PLAYERS || 'hls,dash').split(',').filter((p) => p && p !== 'none');
const fig = (name, v, unit) => console.log(`FIGURE ${name} ${Number.isFinite(v) ? +v.toFixed(3) : 'NaN'} ${unit}`);
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), max: s.length ? s[s.length - 1] : NaN, n: s.length };
};

const emu = await startEmulator();
const browser = await launchBrowser();
const loads = [];
let failed = false;
try {
  for (const player of players) {
    try {
      await runPlayer(player);
    } catch (e) {
      failed = true;
      console.error(String(e && e.message || e));
    }
  }
  async function runPlayer(player) {
    const context = await browser.newContext();
    const page = await openPage(context, emu.base);
    const info = await page.evaluate((o) => window.e2e.start(o), {
      format: player === 'dash' ? 'dash' : 'hls', kind: 'vod', player, rate: 1,
    });
    // The run ends at the end of the stream; a playhead that stops moving
    // for 20 s is reported as a stall instead of hanging the bench.
    let last = -1;
    let still = 0;
    await waitFor(async () => {
      const st = await page.evaluate(() => window.e2e.state());
      if (st.ended || st.media >= st.duration - 0.5) return true;
      still = st.media === last && !st.paused ? still + 1 : 0;
      last = st.media;
      if (still >= 20) throw new Error(`${player}: playback stalled at media ${st.media} (seeking ${st.seeking})`);
      return false;
    }, { timeout: 600000, every: 1000, what: `${player} VOD end` });
    await new Promise((r) => setTimeout(r, 1500)); // let the last beacons land

    const events = await page.evaluate(() => window.e2e.events('beacon'));
    const polls = (await page.evaluate(() => window.e2e.tracking())).map((x) => x.json).filter(Boolean);
    const want = expectedBeacons(polls, -1, Infinity);
    const got = await collector(emu.base, info.id);

    // Pair each expected beacon with the plugin's dispatch (same expanded
    // URL shape) and with the collector's hit.
    const { hits, stray } = judge(want, got);
    const dispatch = [];
    const rows = [];
    const atColl = [];
    let early = 0;
    for (const w of want) {
      const e = events.find((x) => {
        const t = x.detail.url && beaconTemplate(x.detail.url);
        return t && matches(w, { eventType: t.eventType, query: Object.fromEntries(t.params) });
      });
      if (!e) continue;
      const late = (e.detail.playhead - e.detail.scheduledTime) * 1000;
      if (late < -1) early++;
      dispatch.push(late);
      const r = hits.get(w.key)[0];
      // e.at is Date.now() when the page saw the beacon event, the same wall
      // clock the collector stamps receivedAt with (the Session's firedAt is
      // timeOrigin-based and drifts from it).
      if (r) atColl.push(late + (r.receivedAt - e.at));
      rows.push({ type: w.eventType, at: e.detail.scheduledTime, late, coll: r ? late + (r.receivedAt - e.at) : NaN });
    }
    if (process.env.AK_BENCH_VERBOSE) {
      // The five latest at the collector, to tell a late dispatch from a slow network.
      for (const x of rows.sort((a, b) => b.coll - a.coll).slice(0, 5)) {
        console.error(`${player}: ${x.type}@${x.at.toFixed(3)} dispatch +${x.late.toFixed(1)} ms, collector +${x.coll.toFixed(1)} ms`);
      }
    }
    const dups = [...hits.values()].filter((h) => h.length > 1).length;
    const missed = [...hits.values()].filter((h) => h.length === 0).length;
    const timed = dispatch;
    if (stray.length) console.error(`${player}: ${stray.length} collector hits outside the expected set`);
    const d = stats(dispatch);
    const c = stats(atColl);
    const tag = player === 'dash' ? 'dashjs' : 'hlsjs';
    console.error(`${player}: ${want.length} expected, ${timed.length} dispatched, ${got.length} at collector`);
    fig(`beacon_count_${tag}`, want.length, 'beacons');
    fig(`beacon_lateness_p50_${tag}`, d.p50, 'ms');
    fig(`beacon_lateness_p95_${tag}`, d.p95, 'ms');
    fig(`beacon_lateness_max_${tag}`, d.max, 'ms');
    fig(`beacon_collector_lateness_p50_${tag}`, c.p50, 'ms');
    fig(`beacon_collector_lateness_p95_${tag}`, c.p95, 'ms');
    fig(`beacon_collector_lateness_max_${tag}`, c.max, 'ms');
    fig(`beacon_early_${tag}`, early, 'beacons');
    fig(`beacon_duplicates_${tag}`, dups, 'beacons');
    fig(`beacon_missed_${tag}`, missed, 'beacons');
    if (want.length < 20) console.error(`warning: only ${want.length} beacons in the ${player} run (want ≥ 20)`);
    await page.evaluate(() => window.e2e.destroy());
    await context.close();
  }

  // Plugin load: fresh context (empty HTTP cache) each time, median of 5.
  // plugin_load = fetch + compile + instantiate + session ready (init POST
  // answered); wasm_load = the first three plus the Go runtime start.
  const wasmLoads = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const page = await openPage(context, emu.base);
    const info = await page.evaluate(() => window.e2e.start({ format: 'hls', kind: 'vod', player: 'hls', play: false }));
    loads.push(info.loadMs);
    wasmLoads.push(info.wasmLoadMs);
    await context.close();
  }
  fig('plugin_load_chromium_median', stats(loads).p50, 'ms');
  fig('wasm_load_chromium_median', stats(wasmLoads).p50, 'ms');

  // One JS→core playhead update, median over batches of 20000 calls.
  {
    const context = await browser.newContext();
    const page = await openPage(context, emu.base);
    const r = await page.evaluate(() => window.e2e.benchUpdate(100, 20000));
    fig('js_update_call_chromium_median', r.raw, 'ns');
    fig('session_update_call_chromium_median', r.pub, 'ns');
    await context.close();
  }
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
  await emu.stop();
}
process.exit(failed ? 1 : 0);
