// The QA page's player box and avail timeline as a new user reads them:
// one seek bar (the overlay's, no native controls) with the page's own
// play and mute buttons; axis labels inside the timeline.

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

async function openQA(query, width = 1440) {
  const context = await browser.newContext({ viewport: { width, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${emu.base}/index.html?${query}`);
  return { page, errors, close: () => context.close() };
}

test('QA player: one seek bar (the overlay\'s), play/pause and mute buttons', async () => {
  const { page, errors, close } = await openQA('format=hls&kind=vod&player=hls&autostart=1');
  try {
    await page.waitForSelector('#adui .ak-bar', { state: 'visible', timeout: 20000 });
    const bars = await page.evaluate(() => {
      const v = document.getElementById('video');
      return { nativeControls: v.controls, sliders: document.querySelectorAll('.p-player [role=slider]').length };
    });
    assert.deepEqual(bars, { nativeControls: false, sliders: 1 });
    // The overlay takes the whole stage: no strip left for native controls.
    const [stage, ui] = await page.$$eval('#stage, #adui', (els) => els.map((e) => e.getBoundingClientRect().bottom));
    assert.equal(ui, stage);

    await page.waitForFunction(() => !document.getElementById('video').paused, null, { timeout: 20000 });
    assert.equal(await page.textContent('#tr-play'), 'Pause');
    await page.click('#tr-play');
    await page.waitForFunction(() => document.getElementById('video').paused, null, { timeout: 5000 });
    assert.equal(await page.textContent('#tr-play'), 'Play');
    await page.click('#tr-play');
    await page.waitForFunction(() => !document.getElementById('video').paused, null, { timeout: 5000 });

    assert.equal(await page.textContent('#tr-mute'), 'Unmute');
    await page.click('#tr-mute');
    await page.waitForFunction(() => !document.getElementById('video').muted, null, { timeout: 5000 });
    assert.equal(await page.textContent('#tr-mute'), 'Mute');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('QA timeline: axis labels stay inside the axis, 0:00 included', async () => {
  for (const width of [1440, 390]) {
    const { page, errors, close } = await openQA('format=hls&kind=vod&player=hls&autostart=1', width);
    try {
      // The axis spans the VOD duration once the player knows it.
      await page.waitForFunction(() => /\/ \d+:\d\d/.test(document.getElementById('tl-clock').textContent), null, { timeout: 20000 });
      const { axis, labels } = await page.evaluate(() => {
        const a = document.getElementById('tl-axis').getBoundingClientRect();
        return { axis: [a.left, a.right],
          labels: [...document.querySelectorAll('#tl-axis span')].map((s) => { const r = s.getBoundingClientRect(); return [s.textContent, r.left, r.right]; }) };
      });
      assert.equal(labels[0][0], '0:00');
      for (const [text, left, right] of labels) {
        assert.ok(left >= axis[0] - 0.5 && right <= axis[1] + 0.5, `${width} px: label ${text} [${left}, ${right}] outside the axis [${axis}]`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
});
