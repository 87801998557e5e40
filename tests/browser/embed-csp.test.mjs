// Three <availkit-player> elements on one page under the strict CSP of README
// "Content-Security-Policy": one HLS in the document (with a companion slot),
// one DASH inside another component's shadow root, one HLS with
// engine="native". Both must play their VOD
// pre-roll with every beacon at the emulator's collector exactly once, with
// no CSP violation, no page error, no new globals but the Go runtime, and
// nothing left behind once the elements are removed.
//
// Needs dist/ built (./build.sh). Ports 18301 (emulator), 18302 (page).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startEmulator, launchBrowser, collector, waitFor, expectedBeacons, judge, ROOT } from './harness.mjs';
import { startPageServer, CSP } from './embed-server.mjs';
import { embedPages, initUrl } from './embed-pages.mjs';

let emu;
let web;
let browser;

before(async () => {
  emu = await startEmulator({ port: 18301, publicBase: 'http://127.0.0.1:18302' });
  web = await startPageServer({
    port: 18302,
    emulator: emu.base,
    pages: embedPages('/dist/element/availkit-player.js', 'availkit under a strict CSP'),
    mounts: { '/dist/': path.join(ROOT, 'dist'), '/pages/': path.join(ROOT, 'tests/browser/pages') },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await web?.stop();
  await emu?.stop();
});

// prerollBeacons checks the collector against the pre-roll's timed beacons
// as the tracking endpoint lists them.
async function prerollBeacons(state) {
  const r = await fetch(state.trackingUrl.replace(/^http:\/\/[^/]+/, emu.base));
  assert.equal(r.status, 200, 'tracking endpoint');
  const tracking = await r.json();
  const pre = (tracking.avails || []).find((a) => (a.startTimeInSeconds || 0) === 0);
  assert.ok(pre, 'the VOD has a pre-roll');
  const end = pre.durationInSeconds;
  const want = expectedBeacons([tracking], -1, end);
  const types = new Set(want.map((w) => w.eventType));
  for (const t of ['impression', 'start', 'firstQuartile', 'midpoint', 'thirdQuartile', 'complete']) {
    assert.ok(types.has(t), `pre-roll lists a ${t} beacon`);
  }
  const records = await collector(emu.base, state.sessionId);
  const j = judge(want, records);
  const missing = want.filter((w) => j.hits.get(w.key).length === 0).map((w) => `${w.eventType}@${w.time}`);
  const dup = want.filter((w) => j.hits.get(w.key).length > 1).map((w) => `${w.eventType}@${w.time}`);
  return { want, missing, dup };
}

test('strict CSP: HLS, DASH and native-engine elements all play their pre-roll with correct beacons', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Violations inside frames (the sandboxed companion and VPAID iframes,
  // which inherit or carry their own policy) are not seen by the page's
  // listener; Chromium reports them on the console of every frame.
  const cspConsole = [];
  page.on('console', (m) => { if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspConsole.push(m.text()); });
  try {
    const resp = await page.goto(`${web.base}/page/index.html`);
    assert.equal(resp.headers()['content-security-policy'], CSP, 'the page is served under the strict CSP');
    await page.waitForFunction(() => window.embedReady === true, null, { timeout: 15000 });
    const before = await page.evaluate(() => window.embed.leaks());

    await page.evaluate(([hls, dash]) => {
      window.embed.add('hls', { 'session-init-url': hls, 'ads-params': '{"scenario":"companions"}', controls: '', muted: '', autoplay: '' }, { slot: true, rate: 2 });
      window.embed.add('dash', { 'session-init-url': dash, 'ads-params': '{"scenario":"single"}', muted: '', autoplay: '' }, { shadow: true, rate: 2 });
      // engine="native": the <video> plays the HLS itself (Safari; this
      // Chromium too), no player library is loaded.
      window.embed.add('native', { 'session-init-url': hls, 'ads-params': '{"scenario":"single"}', engine: 'native', muted: '', autoplay: '' }, { rate: 2 });
    }, [initUrl('vod/index.m3u8'), initUrl('vod/index.mpd')]);

    for (const id of ['hls', 'dash', 'native']) {
      await waitFor(() => page.evaluate((x) => window.embed.events(x, 'adbreakend').length > 0, id),
        { timeout: 60000, every: 250, what: `${id}: pre-roll to end` });
    }

    const hls = await page.evaluate(() => window.embed.state('hls'));
    const dash = await page.evaluate(() => window.embed.state('dash'));
    assert.equal(hls.player, 'hls.js', 'engine auto picks hls.js for .m3u8');
    assert.equal(dash.player, 'dash.js', 'engine auto picks dash.js for .mpd');
    const native = await page.evaluate(() => window.embed.state('native'));
    assert.equal(native.player, '', 'engine="native" loads no player library');
    assert.ok(new Set([hls.sessionId, dash.sessionId, native.sessionId]).size === 3, 'three sessions');

    for (const [id, st] of [['hls', hls], ['dash', dash], ['native', native]]) {
      const ev = await page.evaluate((x) => window.embed.events(x), id);
      const types = ev.map((e) => e.type);
      for (const t of ['ready', 'adbreakstart', 'adstart', 'adprogress', 'adend', 'adbreakend', 'beacon']) {
        assert.ok(types.includes(t), `${id}: ${t} re-dispatched on the element`);
      }
      assert.deepEqual(ev.filter((e) => e.type === 'error').map((e) => e.detail), [], `${id}: error events`);
      // Waiting for the collector: the last beacons may still be in flight.
      let res = await prerollBeacons(st);
      for (let i = 0; i < 20 && res.missing.length; i++) {
        await new Promise((r) => setTimeout(r, 250));
        res = await prerollBeacons(st);
      }
      assert.deepEqual(res.missing, [], `${id}: beacons missing at the collector`);
      assert.deepEqual(res.dup, [], `${id}: duplicate beacons`);
      const ff = await page.evaluate((x) => window.embed.firstFrame(x), id);
      assert.ok(ff > 0, `${id}: a first frame was presented`);
    }

    // The ad UI renders inside the element, the companion in its slot child.
    const ov = await page.evaluate(() => window.embed.overlay('hls'));
    assert.ok(ov.children > 0, 'ad overlay mounted in the shadow root');
    const companions = await page.evaluate(() => window.embed.events('hls', 'companion'));
    assert.ok(companions.some((c) => c.detail.ok !== false && c.detail.placements.length > 0),
      'companion placed in the slot="companion" child and re-dispatched');

    assert.deepEqual(await page.evaluate(() => window.embed.violations()), [], 'CSP violations');
    assert.deepEqual(errors, [], 'page errors');
    assert.deepEqual(cspConsole, [], 'CSP reports on the console (any frame)');
    // Control: the detector does see a violation (an inline style attribute).
    await page.evaluate(() => document.body.setAttribute('style', 'outline: 1px solid red'));
    await waitFor(() => page.evaluate(() => window.embed.violations().some((v) => v.directive.startsWith('style-src'))),
      { timeout: 3000, what: 'the control violation to be reported' });
    await waitFor(() => cspConsole.length > 0, { timeout: 3000, what: 'the control violation on the console' });
    // Go's wasm_exec.js defines Go and, when absent, its fs/process/path
    // shims; dash.js's own bundle sets dashjs. The element adds nothing.
    const allowed = new Set(['embed', 'embedReady', '__globals0', 'Go', 'fs', 'process', 'path', 'dashjs']);
    const globals = await page.evaluate(() => window.embed.globals());
    assert.deepEqual(globals.filter((k) => !allowed.has(k)), [], 'globals added by the element');

    // Removing the elements releases sessions, players, listeners, timers.
    for (const id of ['hls', 'dash', 'native']) {
      const r = await page.evaluate((x) => window.embed.remove(x), id);
      assert.ok(r.sessionDestroyed, `${id}: session destroyed on disconnect`);
      assert.ok(r.elementSession, `${id}: element forgets its session`);
      assert.equal(r.videoSrc, null, `${id}: video source released`);
    }
    await new Promise((r) => setTimeout(r, 800));
    const stats = await page.evaluate(() => window.embed.kitStats());
    assert.equal(stats.sessions, 0, 'core sessions left');
    const left = await page.evaluate(() => window.embed.leaks());
    assert.deepEqual(left.intervals, before.intervals, 'intervals left');
    assert.deepEqual(left.frames, before.frames, 'animation frames left');
    assert.deepEqual(left.videoFrames, before.videoFrames, 'video frame callbacks left');
    const grown = Object.entries(left.listeners).filter(([k, n]) => n > (before.listeners[k] || 0));
    assert.deepEqual(grown, [], 'listeners left after removing the elements');
  } finally {
    await context.close();
  }
});
