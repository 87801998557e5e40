// A beacon host that takes the request and never answers: each beacon is
// given up after the session's requestTimeout with a beaconerror saying so,
// never sent twice, and playback goes on. Before, the requests hung: the
// first six held Chromium's connections to the host and every beacon
// behind them stayed in the browser, reported as fired.
//
// The emulator's beaconDelayMs fault records each hit on arrival and holds
// its answer for a minute. The emulator serves the stream from the same
// host, so its segments wait behind the hung beacons too, until the
// timeouts free the connections: a stricter page than a real one, where
// the beacon host is not the CDN.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedRig, openPage, collector, waitFor } from './harness.mjs';

const rig = sharedRig();

test('a beacon host that never answers: one beaconerror per beacon, no second copy, playback goes on', async () => {
  const context = await rig.browser.newContext({ viewport: { width: 900, height: 700 } });
  try {
    const page = await openPage(context, rig.emu.base, 'e2e.html');
    const info = await page.evaluate((o) => window.e2e.start(o), {
      format: 'hls', kind: 'vod', player: 'hls', rate: 2, requestTimeout: 1.5,
      adsParams: { fault_beaconDelayMs: '60000' },
    });
    // Past the pre-roll's first ad (6 s) and into its second.
    await waitFor(async () => (await page.evaluate(() => window.e2e.state())).session > 8,
      { timeout: 60000, every: 250, what: 'playback past 8 s' });
    const sent = await page.evaluate(() => window.e2e.events('beacon').map((e) => ({ url: e.detail.url, at: e.at })));
    const due = sent.filter((b) => b.at < Date.now() - 2500).map((b) => b.url);
    assert.ok(due.length >= 6, `beacons sent 2.5 s ago or more: ${due.length}`);
    const errs = await waitFor(async () => {
      const e = await page.evaluate(() => window.e2e.events('beaconerror').map((x) => x.detail));
      return due.every((u) => e.some((x) => x.url === u)) ? e : null;
    }, { timeout: 10000, what: 'a beaconerror for every beacon sent 2.5 s ago' });
    for (const e of errs) {
      assert.match(e.message, /no answer from 127\.0\.0\.1:\d+ in 1\.5 s/, e.url);
      assert.equal(e.attempts, 1, `${e.eventType}: retried`);
    }
    const perUrl = new Map();
    for (const e of errs) perUrl.set(e.url, (perUrl.get(e.url) || 0) + 1);
    assert.deepEqual([...perUrl].filter(([, n]) => n > 1), [], 'one beaconerror per beacon');
    // The host saw no beacon twice (the cachebuster makes each request's
    // query its own), and the first ones, which held the connections, arrived.
    const hits = await collector(rig.emu.base, info.id);
    const seen = new Map();
    for (const r of hits) seen.set(r.rawQuery, (seen.get(r.rawQuery) || 0) + 1);
    assert.deepEqual([...seen].filter(([, n]) => n > 1), [], 'a beacon reached the host twice');
    assert.ok(hits.some((r) => r.eventType === 'impression'), 'the impression reached the host');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});
