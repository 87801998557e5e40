// adframe.test.mjs: adbreakstart and adstart come when the ad's first frame
// is on screen (README: adstart is "an ad starts rendering"), as the
// breakStart, impression and start beacons do, whichever way the core is
// started (AvailKit.start's coreStart 'eager' and 'first-frame',
// AvailKit.load) and whichever adapter plays.
//
// The page reads the frame code of every presented frame
// (web/qa/framecode.js, requestVideoFrameCallback) and keeps where the
// picture changes asset: the first frame of each ad is the first frame of
// its asset after another one (the VOD session's pods play ad-a, ad-b,
// then ad-b, ad-a, ad-c). Each adstart is paired with the first frame of
// its ad and each adbreakstart with the first frame of its break's first
// ad; neither may be dispatched more than one display frame before that
// frame's expected display time; and each goes out in the same flush of
// the core as the beacons of that frame (breakStart with adbreakstart,
// impression and start with adstart). Before the fix, with the core loaded
// eagerly, both were dispatched as soon as the screen clock entered the
// pre-roll, 80-600 ms before its first frame was shown.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedRig, openPage, waitFor } from './harness.mjs';

const SLACK_MS = 1000 / 60; // one display frame
const AD = /^ad-/;
// The pre-roll's two ads: a break start and an ad→ad change. The mid-roll
// (content→ad) is judged with every player by onscreen.test.mjs.
const ADS = 2;

const rig = sharedRig();

// adStarts lists the first frame of each ad in play order, marking those
// that start a break (the picture before was not an ad, or nothing).
function adStarts(frames) {
  const out = [];
  let prev = '';
  for (const f of frames) {
    if (AD.test(f.asset) && f.asset !== prev) out.push({ ...f, breakStart: !AD.test(prev) });
    prev = f.asset;
  }
  return out;
}

// hls.js with both core starts; dash.js and native <video> (and every media
// variant) are checked by onscreen.test.mjs, whose pages load the core
// first, as AvailKit.load() does. AK_ADFRAME=dash:eager,native:eager,hls:load
// runs the others here.
const RUNS = (process.env.AK_ADFRAME || 'hls:eager,hls:first-frame').split(',');

for (const run of RUNS) {
  const [player, kit] = run.split(':');
  test(`${player}, core ${kit}: adbreakstart and adstart are not before the ad's first frame`, async () => {
    const context = await rig.browser.newContext({ viewport: { width: 900, height: 600 } });
    try {
      const page = await openPage(context, rig.emu.base, 'adframe.html');
      await page.evaluate((o) => window.adframe.start(o), { player, kit, rate: 2 });
      const starts = await waitFor(async () => {
        const s = await page.evaluate(() => window.adframe.events('adstart'));
        return s.length >= ADS ? s : null;
      }, { timeout: 90000, what: `${ADS} adstart events` });
      const breaks = await page.evaluate(() => window.adframe.events('adbreakstart'));
      // The frames read so far cover every ad started (the frame reader
      // runs in the frame callbacks, before or with the core's tick).
      const shown = adStarts(await page.evaluate(() => window.adframe.frames()));
      assert.ok(shown.length >= ADS, `first frames of ${ADS} ads read: ${JSON.stringify(shown)}`);
      const lines = [];
      const early = [];
      for (let i = 0; i < ADS; i++) {
        const d = starts[i].at - shown[i].at;
        lines.push(`adstart ${starts[i].adId} ${d.toFixed(1)} ms after the first frame of ${shown[i].asset}`);
        if (d < -SLACK_MS) early.push(lines[lines.length - 1]);
      }
      const breakFrames = shown.slice(0, ADS).filter((f) => f.breakStart);
      assert.equal(breakFrames.length, 1, 'the pre-roll');
      for (let i = 0; i < breakFrames.length; i++) {
        assert.ok(breaks[i], `adbreakstart ${i + 1}`);
        const d = breaks[i].at - breakFrames[i].at;
        lines.push(`adbreakstart ${breaks[i].availId} ${d.toFixed(1)} ms after the first frame of ${breakFrames[i].asset}`);
        if (d < -SLACK_MS) early.push(lines[lines.length - 1]);
      }
      assert.deepEqual(early, [], `dispatched before the ad was on screen:\n${lines.join('\n')}`);
      // The beacons of the first frame leave in the same flush.
      const beacons = await page.evaluate(() => window.adframe.events('beacon'));
      const apart = [];
      const together = (ev, type) => {
        const b = beacons.find((x) => x.eventType === type && x.availId === ev.availId && x.adId === ev.adId);
        if (!b || b.task !== ev.task) apart.push(`${ev.type} ${ev.availId}/${ev.adId} (task ${ev.task}): ${type} ${b ? `${(b.at - ev.at).toFixed(1)} ms later, task ${b.task}` : 'missing'}`);
      };
      for (const s of starts.slice(0, ADS)) for (const type of ['impression', 'start']) together(s, type);
      for (const b of breaks.slice(0, 1)) together(b, 'breakStart');
      assert.deepEqual(apart, [], 'the events and the beacons of the ad\'s first frame go out together');
      assert.deepEqual(page.errors, []);
      await page.evaluate(() => window.adframe.stop());
    } finally {
      await context.close();
    }
  });
}
