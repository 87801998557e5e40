// The QA page's clocks as a tester reads them on a live DASH stream, where
// the session clock counts seconds since MPD@availabilityStartTime (the
// emulator's channel starts 2026-01-01: some 29 million seconds by
// December). The playhead reads as time since playback started and UTC
// from the first paint on, never as those seconds or a 1970/2026 midnight;
// the raw session clock, which matches the tracking JSON, is shown on a
// row of its own that says what it counts from.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedRig, LIVE_EPOCH } from './harness.mjs';

const rig = sharedRig();

// openQA opens the QA page with every text the timeline clock and the
// Session panel's playhead row ever show recorded in window.__shown, from
// before the session starts.
async function openQA(query) {
  const context = await rig.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    window.__shown = [];
    document.addEventListener('DOMContentLoaded', () => {
      const watched = ['#tl-clock', '#info [data-k="playhead"]'].map((s) => document.querySelector(s));
      const note = () => {
        for (const el of watched) if (el) window.__shown.push(`${el.id || el.dataset.k}: ${el.textContent}`);
      };
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
      note();
    });
  });
  await page.goto(`${rig.emu.base}/index.html?${query}`);
  return { page, errors, close: () => context.close() };
}

const hms = (d) => d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds();

test('DASH live: the playhead reads as time since start and UTC; the session clock says it counts from availabilityStartTime', async () => {
  const { page, errors, close } = await openQA('format=dash&kind=live&player=dash&autostart=1');
  try {
    // Playing for two seconds since the first frame.
    await page.waitForFunction(() => /^0:0[2-9] since start/.test(document.querySelector('#info [data-k="playhead"]').textContent),
      null, { timeout: 30000 });
    const shown = [...new Set(await page.evaluate(() => window.__shown))];
    const now = new Date();
    // Seconds since availabilityStartTime are seven digits and more.
    for (const s of shown) assert.doesNotMatch(s, /\d{7}/, `a huge number on a clock: "${s}"`);
    for (const s of shown) {
      for (const m of s.matchAll(/(\d\d):(\d\d):(\d\d) UTC/g)) {
        const d = Math.abs(+m[1] * 3600 + +m[2] * 60 + +m[3] - hms(now));
        assert.ok(Math.min(d, 86400 - d) < 120, `"${s}": ${m[0]} is not the time now (${now.toISOString()})`);
      }
    }
    assert.match(await page.textContent('#info [data-k="playhead"]'), /^0:\d\d since start · \d\d:\d\d:\d\d UTC$/);

    // The raw session clock, labelled with its origin, agrees with the
    // session's own reading and with the wall clock (live, so a little behind).
    const [row, t] = await page.evaluate(() => [document.querySelector('#info [data-k="clock"]')?.textContent, window.__qa.session.currentTime]);
    const m = /^(\d+\.\d\d)\ss since MPD@availabilityStartTime \(2026-01-01 00:00:00 UTC\)/.exec(row || '');
    assert.ok(m, `session clock row: ${row}`);
    assert.ok(Math.abs(Number(m[1]) - t) < 1, `row ${m[1]} s vs session.currentTime ${t}`);
    const behind = (Date.now() - LIVE_EPOCH) / 1000 - Number(m[1]);
    assert.ok(behind > 0 && behind < 120, `the session clock is ${behind} s behind the wall clock`);
    assert.equal(await page.$eval('#info [data-k="clock"]', (dd) => dd.previousElementSibling.textContent), 'session clock');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('HLS VOD: the session clock counts from the first segment and shows the video element\'s offset', async () => {
  const { page, errors, close } = await openQA('format=hls&kind=vod&player=hls&autostart=1');
  try {
    await page.waitForFunction(() => /^0:0[1-9] \/ 1:\d\d/.test(document.querySelector('#info [data-k="playhead"]').textContent),
      null, { timeout: 30000 });
    const row = await page.textContent('#info [data-k="clock"]');
    assert.match(row, /^\d+\.\d\d\ss since the session's first segment · media [+−]\d+\.\d\d\ss$/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
