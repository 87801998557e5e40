// The QA page's player box as a new user reads it: one seek bar (the
// overlay's, no native controls) with the page's own play and mute buttons.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, launchBrowser } from './harness.mjs';

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
