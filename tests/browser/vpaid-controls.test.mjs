// vpaid-controls.test.mjs: the viewer's controls reach a running VPAID unit
// (web/vpaid/controls.js), and holding content for the unit never rejects
// the host's pending play(). availkit's good test creative in Chromium, a
// fake Session recording what the runner reports.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openHost } from './rich-helpers.mjs';

const PORT = 18241;
let srv;
let browser;

before(async () => {
  srv = await startServer(PORT);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

// begin starts a runner and emits adstart for the good creative. With
// pendingPlay the host calls video.play() right before adstart and keeps
// the promise's outcome in window.hostPlay.
async function begin(page, { live = false, pendingPlay = false, adParameters = {} } = {}) {
  await page.evaluate(async ({ live, pendingPlay, adParameters, base }) => {
    const { createVPAIDRunner } = await import('/web/vpaid/runner.js');
    const video = document.getElementById('content');
    if (!pendingPlay) await video.play().catch(() => {});
    const s = new window.FakeSession();
    const r = createVPAIDRunner(s, video, document.getElementById('player'), {});
    Object.assign(window, { s, r, video, phases: [], progress: [], unitCompanions: [], hostPlay: 'pending' });
    s.addEventListener('vpaidprogress', (e) => window.progress.push(e.detail));
    s.addEventListener('adcompanions', (e) => window.unitCompanions.push(e.detail));
    r.addEventListener('vpaidstate', (e) => window.phases.push(e.detail.phase));
    if (pendingPlay) {
      video.currentTime = 0;
      video.play().then(() => { window.hostPlay = 'resolved'; }, (e) => { window.hostPlay = `${e.name}: ${e.message}`; });
    }
    s.emit('adstart', {
      availId: 'avail-1', adId: 'ad-1', live,
      vpaid: {
        mediaFileUri: `${base}/creatives/vpaid-good.js`, adParameters: JSON.stringify(adParameters),
        width: 640, height: 360, duration: 8, mediaType: 'application/javascript',
      },
    });
  }, { live, pendingPlay, adParameters, base: srv.base });
  await page.waitForFunction(() => window.phases.includes('playing'));
}

const events = (page) => page.evaluate(() => window.s.names('vpaidEvent'));
const count = (list, name) => list.filter((n) => n === name).length;

test('VOD: the host play() pending when the unit takes the slot resolves; content is held paused and hidden', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await begin(page, { pendingPlay: true });
    await page.waitForFunction(() => window.hostPlay !== 'pending' && window.video.paused);
    assert.equal(await page.evaluate(() => window.hostPlay), 'resolved');
    assert.equal(await page.evaluate(() => window.video.style.visibility), 'hidden');
  } finally {
    await context.close();
  }
});

test('live: the viewer pausing, playing and unmuting the player reaches the unit', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await begin(page, { live: true });
    for (let i = 1; i <= 2; i++) {
      await page.evaluate(() => window.video.pause());
      await page.waitForFunction((n) => window.s.names('vpaidEvent').filter((x) => x === 'AdPaused').length === n, i);
      await page.evaluate(() => window.video.play());
      await page.waitForFunction((n) => window.s.names('vpaidEvent').filter((x) => x === 'AdPlaying').length === n, i);
    }
    // The viewer turns the sound on: the unit gets the volume (setAdVolume),
    // the live content under it stays silent.
    await page.evaluate(() => { window.video.volume = 0.5; window.video.muted = false; });
    await page.waitForFunction(() => window.s.calls.some((c) => c.name === 'AdVolumeChange' && c.data.muted === false));
    await page.waitForFunction(() => window.video.muted === true);
    // Live content is kept muted, so the viewer silences through the volume.
    await page.evaluate(() => { window.video.volume = 0; });
    await page.waitForFunction(() => window.s.calls.filter((c) => c.name === 'AdVolumeChange').at(-1)?.data.muted === true);
    const names = await events(page);
    assert.equal(count(names, 'AdPaused'), 2, names.join());
    assert.equal(count(names, 'AdPlaying'), 2, names.join());
    // The unit ends: content gets the viewer's sound back (unmuted, volume 0).
    await page.evaluate(() => window.r.stop());
    await page.waitForFunction(() => window.phases.includes('done'));
    assert.deepEqual(await page.evaluate(() => [window.video.muted, window.video.volume]), [false, 0]);
  } finally {
    await context.close();
  }
});

test('VOD: the viewer play() resumes a paused unit, and the slate under it stays paused', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await begin(page);
    await page.waitForFunction(() => window.video.paused);
    await page.evaluate(() => window.r.pause());
    await page.waitForFunction(() => window.s.names('vpaidEvent').includes('AdPaused'));
    const outcome = await page.evaluate(() => window.video.play().then(() => 'resolved', (e) => e.name));
    assert.equal(outcome, 'resolved', 'the host play() is not rejected');
    await page.waitForFunction(() => window.s.names('vpaidEvent').includes('AdPlaying'));
    await page.waitForFunction(() => window.video.paused, null, { timeout: 5000 });
  } finally {
    await context.close();
  }
});

// UNIT_COMPANIONS is what the unit returns from getAdCompanions.
const UNIT_COMPANIONS = '<CompanionAds><Companion width="300" height="250"><StaticResource creativeType="image/png">'
  + '<![CDATA[https://ads.test/unit.png]]></StaticResource></Companion></CompanionAds>';

test('Skip reaches the unit only once it is skippable (skipAd); the unit\'s own companions reach the session after AdLoaded', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await begin(page, { adParameters: { skippableAfter: 1, companions: UNIT_COMPANIONS } });
    // getAdCompanions was read with AdLoaded and handed to the core whole;
    // its companions go out as adcompanions for the running ad.
    const asked = await page.evaluate(() => window.s.calls.filter((c) => c.m === 'companionsFromVAST').map((c) => c.xml));
    assert.deepEqual(asked, [UNIT_COMPANIONS]);
    assert.deepEqual(await page.evaluate(() => window.unitCompanions.map((d) => [d.availId, d.adId, d.source, d.companions.length])),
      [['avail-1', 'ad-1', 'vpaid', 1]]);
    assert.equal(await page.evaluate(() => window.r.viewerSkip()), false, 'not skippable yet');
    await page.waitForFunction(() => window.progress.some((p) => p.skippable));
    assert.equal(await page.evaluate(() => window.r.viewerSkip()), true);
    await page.waitForFunction(() => window.phases.includes('done'));
    assert.deepEqual((await events(page)).filter((n) => n === 'AdSkipped'), ['AdSkipped']);
  } finally {
    await context.close();
  }
});

test('fullscreen resizes the unit with viewMode fullscreen and back', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await begin(page);
    const frame = page.frameLocator('iframe.ak-vpaid-frame');
    await page.evaluate(() => document.getElementById('player').requestFullscreen());
    await frame.locator('[data-ad-size$=" fullscreen"]').waitFor({ state: 'attached' });
    await page.evaluate(() => document.exitFullscreen());
    await frame.locator('[data-ad-size="640x360 normal"]').waitFor({ state: 'attached' });
    // A unit without companions (getAdCompanions "") asks the core nothing.
    assert.deepEqual(await page.evaluate(() => window.s.calls.filter((c) => c.m === 'companionsFromVAST')), []);
    assert.deepEqual(await page.evaluate(() => window.unitCompanions), []);
  } finally {
    await context.close();
  }
});
