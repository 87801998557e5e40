// counting.test.mjs: what the viewer does inside one ad reaches the
// emulator's collector exactly as often as VAST says, in client and in
// server reporting mode, and a start position given any of four ways
// neither snaps back nor fires the pre-roll. hls.js and dash.js in
// Chromium; every step waits for its beacon or condition.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, launchBrowser, collector, waitFor } from './harness.mjs';

let emu;
let browser;

before(async () => {
  emu = await startEmulator();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await emu?.stop();
});

async function open() {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${emu.base}/tests/browser/pages/counting.html`);
  await page.waitForFunction(() => window.countingReady === true, null, { timeout: 15000 });
  return { context, page, errors };
}

const sent = (page, type, adId) => page.evaluate(([t, id]) =>
  window.counting.events('beacon').filter((e) => e.detail.eventType === t && e.detail.adId === id).length, [type, adId]);

async function until(page, type, adId, n) {
  await waitFor(async () => (await sent(page, type, adId)) === n, { timeout: 10000, what: `${n}× ${type}` });
}

// tally counts the collector's records of one ad by event type, the
// server's (serverSide) apart.
async function tally(id, adId) {
  const out = {};
  for (const r of await collector(emu.base, id)) {
    if (r.trackingAdId !== adId) continue;
    const k = r.serverSide ? `server:${r.eventType}` : r.eventType;
    out[k] = (out[k] || 0) + 1;
  }
  return out;
}

// viewer plays the first ad of the "long" scenario, pausing 3×, muting and
// unmuting 2× and clicking through 2× inside it, then lets it end. It
// returns the ad's id and the collector's tally once the ad has ended.
async function viewer(page, id) {
  const [start] = await waitFor(async () => {
    const l = await page.evaluate(() => window.counting.events('adstart'));
    return l.length ? l : null;
  }, { timeout: 30000, what: 'adstart' });
  const adId = start.detail.adId;
  // The ad is on screen and playing before the viewer acts.
  await waitFor(async () => {
    const n = await page.evaluate(() => window.counting.now());
    return !n.paused && n.session > start.ph + 0.5;
  }, { timeout: 20000, what: 'the ad playing' });
  for (let i = 1; i <= 3; i++) {
    await page.evaluate(() => window.counting.pause());
    await until(page, 'pause', adId, i);
    assert.equal(await page.evaluate(() => window.counting.play()), true);
    await until(page, 'resume', adId, i);
  }
  for (let i = 1; i <= 2; i++) {
    await page.evaluate(() => window.counting.mute(true));
    await until(page, 'mute', adId, i);
    await page.evaluate(() => window.counting.mute(false));
    await until(page, 'unmute', adId, i);
  }
  for (let i = 1; i <= 2; i++) {
    const popup = page.waitForEvent('popup', { timeout: 10000 });
    await page.click('.ak-learn'); // a real click: window.open needs the gesture
    await (await popup).close();
    await until(page, 'clickTracking', adId, i);
  }
  const ends = await page.evaluate(() => window.counting.events('adend').map((e) => e.detail.adId));
  assert.ok(!ends.includes(adId), 'every act happened inside the one ad');
  await page.evaluate(() => { document.getElementById('video').playbackRate = 4; });
  await waitFor(() => page.evaluate((a) => window.counting.events('adend').some((e) => e.detail.adId === a), adId),
    { timeout: 90000, what: `adend of ${adId}` });
  // Every beacon of the ad was sent by now; wait for their arrival.
  await waitFor(async () => (await page.evaluate(() => window.counting.stats().latency.count)) > 0 &&
    (await page.evaluate(() => document.getElementById('video').paused)) === false, { what: 'beacons answered' });
  return adId;
}

const ACTS = { pause: 3, resume: 3, mute: 2, unmute: 2, clickTracking: 2 };
const STATE = ['impression', 'start', 'firstQuartile', 'midpoint', 'thirdQuartile', 'complete'];

for (const player of ['hls', 'dash']) {
  describe(`${player}: the viewer inside one ad`, () => {
    test('client reporting: exactly 3 pause, 3 resume, 2 mute, 2 unmute, 2 clickTracking at the collector', async () => {
      const { context, page, errors } = await open();
      try {
        const { id } = await page.evaluate((o) => window.counting.start(o),
          { format: player === 'dash' ? 'dash' : 'hls', player, scenario: 'long' });
        const adId = await viewer(page, id);
        const want = { ...ACTS };
        for (const t of STATE) want[t] = 1;
        const got = await waitFor(async () => {
          const t = await tally(id, adId);
          return Object.keys(want).every((k) => (t[k] || 0) >= want[k]) ? t : null;
        }, { timeout: 15000, what: 'the ad\'s beacons at the collector' });
        for (const [k, n] of Object.entries(want)) assert.equal(got[k], n, `${k} at the collector: ${JSON.stringify(got)}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
}

// The emulator fires MediaTailor's share server-side (the segment route of
// HLS playlists and of DASH ad periods).
test('hls, reportingMode server: the state events once each, by the server; the acts from the plugin', async () => {
  const { context, page, errors } = await open();
  try {
    const { id } = await page.evaluate((o) => window.counting.start(o),
      { format: 'hls', player: 'hls', scenario: 'long', reportingMode: 'server' });
    const adId = await viewer(page, id);
    const want = { ...ACTS };
    for (const t of STATE) want[`server:${t}`] = 1;
    const got = await waitFor(async () => {
      const t = await tally(id, adId);
      return Object.keys(want).every((k) => (t[k] || 0) >= want[k]) ? t : null;
    }, { timeout: 15000, what: 'the ad\'s beacons at the collector' });
    // Other timed events (a VAST progress offset) are not MediaTailor's
    // share and stay the player's.
    for (const t of STATE) {
      assert.equal(got[`server:${t}`], 1, `${t} by the server once: ${JSON.stringify(got)}`);
      assert.equal(got[t], undefined, `${t} from the player too: ${JSON.stringify(got)}`);
    }
    for (const [k, n] of Object.entries(ACTS)) assert.equal(got[k], n, `${k} from the plugin: ${JSON.stringify(got)}`);
    const marked = await page.evaluate((a) => window.counting.events('beacon')
      .filter((e) => e.detail.adId === a && e.detail.firedBy === 'server').map((e) => e.detail.eventType), adId);
    assert.deepEqual([...new Set(marked)].sort(), [...STATE].sort(), 'the host still sees the server\'s events');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// DASH: the same share, fired by the emulator as dash.js fetches the ad
// periods' segments; the whole first break is watched (no viewer acts, the
// hls case covers those), at 4×.
test('dash, reportingMode server: each ad\'s state events and the break\'s once each, by the server, none from the plugin', async () => {
  const { context, page, errors } = await open();
  try {
    const { id } = await page.evaluate((o) => window.counting.start(o),
      { format: 'dash', player: 'dash', scenario: 'single', reportingMode: 'server' });
    await page.evaluate(() => { document.getElementById('video').playbackRate = 4; });
    const [brk] = await waitFor(async () => {
      const l = await page.evaluate(() => window.counting.events('adbreakend'));
      return l.length ? l : null;
    }, { timeout: 60000, what: 'the first break ends' });
    const availId = brk.detail.availId;
    const ads = await page.evaluate((a) => [...new Set(window.counting.events('adstart')
      .filter((e) => e.detail.availId === a).map((e) => e.detail.adId))], availId);
    assert.ok(ads.length >= 1, 'the break had an ad');
    const want = { 'server:breakStart': 1, 'server:breakEnd': 1 };
    for (const ad of ads) for (const t of STATE) want[`server:${t}@${ad}`] = 1;
    const count = async () => {
      const out = {};
      for (const r of await collector(emu.base, id)) {
        if (r.trackingAvailId !== availId) continue;
        const k = `${r.serverSide ? 'server:' : ''}${r.eventType}${r.trackingAdId ? `@${r.trackingAdId}` : ''}`;
        out[k] = (out[k] || 0) + 1;
      }
      return out;
    };
    await waitFor(async () => {
      const t = await count();
      return Object.keys(want).every((k) => t[k] >= 1);
    }, { timeout: 15000, what: 'the server\'s beacons at the collector' });
    const got = await count();
    const share = Object.fromEntries(Object.entries(got).filter(([k]) => /^(server:)?(breakStart|breakEnd|impression|start|firstQuartile|midpoint|thirdQuartile|complete)(@|$)/.test(k)));
    assert.deepEqual(share, want, 'MediaTailor\'s share once each, by the server only');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

describe('a start at 30 s on VOD', () => {
  for (const [player, startHow] of [['hls', 'hls-startPosition'], ['dash', 'dash-startTime'], ['hls', 'currentTime'], ['hls', 'startAt']]) {
    test(`${startHow} (${player}): no snap-back, no pre-roll beacons`, async () => {
      const { context, page, errors } = await open();
      try {
        const { id } = await page.evaluate((o) => window.counting.start(o),
          { format: player === 'dash' ? 'dash' : 'hls', player, start: 30, startHow });
        await waitFor(async () => (await page.evaluate(() => window.counting.now().session)) > 33,
          { timeout: 30000, what: 'playback past 33 s' });
        const heads = await page.evaluate(() => window.counting.playheads());
        assert.ok(Math.min(...heads) >= 29, `played from ${Math.min(...heads)}: snapped back`);
        assert.deepEqual(await page.evaluate(() => window.counting.events('snapback')), []);
        // 30 s may fall inside a break (the ad there counts from where it is
        // entered); the breaks wholly before it send nothing.
        const early = await page.evaluate(() => window.counting.events('beacon')
          .filter((e) => e.detail.playhead < 29.9).map((e) => `${e.detail.eventType}@${e.detail.playhead}`));
        assert.deepEqual(early, [], 'no beacon before the start position');
        const before = (await page.evaluate(() => window.counting.markers())).filter((m) => m.start + m.duration <= 30).map((m) => m.availId);
        assert.ok(before.length >= 1, 'the scenario has a pre-roll');
        const atCollector = (await collector(emu.base, id)).filter((r) => before.includes(r.trackingAvailId))
          .map((r) => `${r.eventType}@${r.trackingAvailId}`);
        assert.deepEqual(atCollector, [], 'no beacon of the breaks before 30 s at the collector');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
});
