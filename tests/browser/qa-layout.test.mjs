// The QA page's player box and avail timeline as a new user reads them:
// one seek bar (the overlay's, no native controls) with the page's own
// play and mute buttons; axis labels inside the timeline; a pre-roll's
// first-frame mark never at a negative session time.

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

test('QA timeline: a pre-roll first frame read just below 0 marks session 0', async () => {
  const { page, errors, close } = await openQA('');
  try {
    // The timeline module on its own, fed what onscreen.js reports for an
    // MPEG-TS pre-roll under hls.js: the clock read −0.012 s at its first frame.
    const title = await page.evaluate(async () => {
      const { createTimeline } = await import('/dist/qa/timeline.js');
      const box = document.createElement('div');
      box.innerHTML = '<div class="tl-track"><div class="tl-avails"></div><div class="tl-head-line"></div></div><div class="tl-axis"></div><span></span>';
      document.body.append(box);
      const q = (s) => box.querySelector(s);
      const tl = createTimeline({ track: q('.tl-track'), avails: q('.tl-avails'), playhead: q('.tl-head-line'), axis: q('.tl-axis'), clock: q('span') });
      tl.setTracking({ avails: [{ availId: '0', startTimeInSeconds: 0, durationInSeconds: 14, ads: [{ adId: '0', startTimeInSeconds: 0, durationInSeconds: 6, trackingEvents: [] }] }] });
      tl.setFirstFrames([{ adId: '0', start: 0, session: -0.012, asset: 'ad-b', frame: 0 }]);
      tl.setPlayhead(0.5, 97);
      return q('.tl-ff').title;
    });
    assert.match(title, /on screen at session 0\.000 s, 0 ms after its tracking start 0\.000 s/);
    assert.doesNotMatch(title, /[-−]\d/, 'no negative number');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
