// The QA page's statistics panel (web/qa/stats.js) shows session.stats()
// against the emulator: after the pre-roll, its impression was scheduled
// and fired once, the ad played, and beacon latency was measured.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, launchBrowser, waitFor } from './harness.mjs';

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

test('QA page: the statistics panel counts the pre-roll', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${emu.base}/index.html?format=hls&kind=vod&player=hls&rate=4&autostart=1`);
    await page.waitForFunction(() => document.querySelector('#events li[data-type="adbreakend"]'), null, { timeout: 30000 });
    const s = await waitFor(async () => {
      const st = await page.evaluate(() => window.__qa.session.stats());
      return st.latency.count > 0 && st.events.impression?.fired > 0 ? st : null;
    }, { timeout: 10000, what: 'stats after the pre-roll' });
    assert.ok(s.totals.played >= 1, JSON.stringify(s.totals));
    assert.ok(s.ads[0].watched > 0, JSON.stringify(s.ads[0]));
    // The panel shows the same numbers (it refreshes every second).
    const row = await waitFor(() => page.$$eval('#stats-events tbody tr', (trs) =>
      trs.map((tr) => [...tr.cells].map((c) => c.textContent)).find((c) => c[0] === 'impression' && Number(c[2]) > 0) || null),
    { timeout: 5000, what: 'impression row' });
    assert.ok(Number(row[1]) >= Number(row[2]), `scheduled ${row[1]} ≥ fired ${row[2]}`);
    assert.match(await page.textContent('#stats-latency'), /p95 [\d.]+ ms/);
    assert.ok(await page.$$eval('#stats-ads tbody tr', (trs) => trs.length) >= 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
