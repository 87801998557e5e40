// vpaid-ima.test.mjs: the whole plugin (QA page, hls.js, wasm core, VPAID
// runner) against the emulator serving a unit that behaves like Google
// IMA's sample linear VPAID ad, the one MediaTailor's VPAID page points to
// (internal/emulator/creatives/vpaid-ima-sample.js). With the AdParameters
// it needs, it plays; with adParameters "" (what MediaTailor's example
// tracking JSON carries) its initAd throws: the avail's error beacon goes
// out once with [ERRORCODE] 901, and content comes back at the avail end
// without ever showing the stitched slate.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, launchBrowser, openPage, collector, waitFor, isoSeconds } from './harness.mjs';

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

// openQA starts the QA page on scenario; every timeupdate/seeked of the
// content video is logged from the first moment (window.__vlog), so the
// test can tell a seek over the slate from the slate playing.
async function openQA(scenario) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    if (window !== window.top) return; // the VPAID frame gets this script too
    window.__vlog = [];
    document.addEventListener('DOMContentLoaded', () => {
      const v = document.getElementById('video');
      for (const type of ['timeupdate', 'seeked', 'play', 'pause']) {
        v.addEventListener(type, () => window.__vlog.push({ type, ct: v.currentTime, hidden: v.style.visibility === 'hidden', paused: v.paused }));
      }
    });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${emu.base}/index.html?format=hls&kind=vod&player=hls&rate=2&autostart=1&scenario=${scenario}`);
  await page.waitForFunction(() => window.__qa && window.__qa.session && window.__qa.session.trackingUrl, null, { timeout: 20000 });
  const { id, trackingUrl } = await page.evaluate(() => ({ id: window.__qa.id, trackingUrl: window.__qa.session.trackingUrl }));
  return { context, page, errors, id, trackingUrl };
}

// avails reads the session's avails (a full poll: no token) as
// {id, start, end}.
async function avails(trackingUrl) {
  const tr = await waitFor(async () => {
    const r = await fetch(trackingUrl);
    const j = r.ok ? await r.json() : null;
    return j && j.avails.length ? j : null;
  }, { timeout: 10000, what: 'tracking avails' });
  return tr.avails.map((a) => {
    const start = isoSeconds(a.startTime, a.startTimeInSeconds);
    return { id: a.availId, start, end: start + isoSeconds(a.duration, a.durationInSeconds), ads: a.ads };
  });
}

const lines = (page, type) => page.$$eval(`#events li[data-type="${type}"]`, (els) => els.map((li) => li.title));

// contentPast waits until the content video plays visibly past t.
const contentPast = (page, t) => page.waitForFunction(
  (t) => window.__vlog.some((s) => s.ct > t && !s.hidden && !s.paused), t, { timeout: 30000 })
  .catch(async (e) => {
    const tail = await page.evaluate(() => window.__vlog.slice(-12)).catch(() => []);
    throw new Error(`content never played visibly past ${t}: ${e.message}; last video samples ${JSON.stringify(tail)}`);
  });

// slateSeen returns the visible, playing samples strictly inside an
// avail's slate (a margin off each end for the seek's landing).
const slateSeen = (page, a) => page.evaluate(({ start, end }) => window.__vlog.filter(
  (s) => !s.hidden && !s.paused && s.type === 'timeupdate' && s.ct > start + 0.5 && s.ct < end - 0.5), a);

test('good AdParameters: the IMA-like unit plays through and its beacons go out once', async () => {
  const { context, page, errors, id, trackingUrl } = await openQA('vpaid-ima');
  try {
    const [pre] = await avails(trackingUrl);
    const mf = pre.ads[0].mediaFiles.mediaFilesList[0];
    assert.equal(mf.apiFramework, 'VPAID');
    assert.match(mf.mediaFileUri, /\/creatives\/vpaid-ima-sample\.js$/);
    assert.deepEqual(JSON.parse(pre.ads[0].adParameters).videos.map((v) => v.mimetype), ['video/mp4']);

    await page.waitForFunction(() => document.querySelector('#events li[data-type="vpaidend"]'), null, { timeout: 30000 });
    await contentPast(page, pre.end);
    // Beacons fired at the avail end may still be on their way.
    const hits = await waitFor(async () => {
      const h = (await collector(emu.base, id)).filter((b) => b.trackingAvailId === pre.id);
      return h.some((b) => b.eventType === 'complete') ? h : null;
    }, { timeout: 10000, what: 'the VPAID ad\'s complete at the collector' });
    const count = (t) => hits.filter((b) => b.eventType === t).length;
    for (const t of ['impression', 'start', 'firstQuartile', 'midpoint', 'thirdQuartile', 'complete']) {
      assert.equal(count(t), 1, `${t} once: ${hits.map((b) => b.eventType)}`);
    }
    assert.equal(count('error'), 0, 'a unit that plays sends no error');
    assert.deepEqual(await slateSeen(page, pre), [], 'the slate under the unit is never shown');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('adParameters "" as MediaTailor sends them: initAd throws, one 901 error beacon, content at the avail end', async () => {
  const { context, page, errors, id, trackingUrl } = await openQA('vpaid-ima-empty');
  try {
    const list = await avails(trackingUrl);
    assert.equal(list.length, 2, 'pre-roll and mid-roll');
    assert.equal(list[0].ads[0].adParameters, '', 'the tracking JSON carries "" like the documentation example');

    // Both avails fail; content must pass each one's end, visibly playing.
    await page.waitForFunction(() => document.querySelectorAll('#events li[data-type="vpaidend"]').length >= 2, null, { timeout: 40000 })
      .catch(async (e) => {
        const log = await page.$$eval('#events li', (els) => els.map((li) => `${li.dataset.type} ${li.textContent.slice(0, 80)}`)).catch(() => []);
        const tail = await page.evaluate(() => window.__vlog.slice(-14)).catch(() => []);
        throw new Error(`two vpaidend: ${e.message}\nevents:\n${log.join('\n')}\nlast video samples ${JSON.stringify(tail)}`);
      });
    await contentPast(page, list[1].end + 0.5);

    const hits = await waitFor(async () => {
      const h = await collector(emu.base, id);
      return list.every((a) => h.some((b) => b.trackingAvailId === a.id && b.eventType === 'error')) ? h : null;
    }, { timeout: 10000, what: 'an error beacon of each avail at the collector' });
    for (const a of list) {
      const mine = hits.filter((b) => b.trackingAvailId === a.id);
      const errs = mine.filter((b) => b.eventType === 'error');
      assert.equal(errs.length, 1, `avail ${a.id}: one error beacon, got ${mine.map((b) => b.eventType)}`);
      assert.equal(errs[0].query.code, '901', 'VAST error 901: general VPAID error');
      for (const t of ['impression', 'start', 'complete']) {
        assert.ok(!mine.some((b) => b.eventType === t), `avail ${a.id}: no ${t} for an ad that never rendered`);
      }
      assert.deepEqual(await slateSeen(page, a), [], `avail ${a.id}: the slate is never shown`);
    }
    // Content resumed where each avail ends: the first visible sample after
    // the break is at its end, not somewhere inside it.
    const resumed = await page.evaluate((end) => window.__vlog.find((s) => !s.hidden && s.ct >= end - 0.25), list[0].end);
    assert.ok(resumed && resumed.ct < list[0].end + 2, `resumed at ${resumed && resumed.ct}, avail ends at ${list[0].end}`);
    const ended = (await lines(page, 'vpaidend')).map((t) => JSON.parse(t));
    assert.equal(ended.length, 2);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// The emulator's vpaid-companions unit has no companion in the VAST (so
// none in the tracking JSON) and returns one from getAdCompanions: the
// plugin asks after AdLoaded, the core parses it, the page's 300x250 slot
// shows it and its creativeView reaches the collector once, after the
// unit's impression.
test('a VPAID unit\'s own companion (getAdCompanions) is shown; its creativeView once, after the impression', async () => {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  const page = await openPage(context, emu.base);
  try {
    const { id } = await page.evaluate((o) => window.e2e.start(o), { format: 'hls', kind: 'vod', player: 'hls', scenario: 'vpaid-companions', rate: 2 });
    await page.waitForSelector('#slot .ak-companion img[src*="/creatives/companion-300x250.png"]', { timeout: 30000 });
    const [first] = await page.evaluate(() => window.e2e.events('vpaidstart'));
    const isView = (b) => b.eventType === 'creativeView' && b.query.companion === 'unit-300x250';
    const hits = await waitFor(async () => {
      const h = await collector(emu.base, id);
      return h.some(isView) ? h : null;
    }, { timeout: 10000, what: 'the unit companion\'s creativeView at the collector' });
    const views = hits.filter(isView);
    assert.equal(views.length, 1, 'creativeView once (however often the slot is seen: tests/node/companionview.test.mjs)');
    const imp = hits.filter((b) => b.eventType === 'impression' && b.trackingAdId === first.detail.adId);
    assert.equal(imp.length, 1, 'the unit\'s impression once');
    // After, as sent: two requests in flight may reach the collector in
    // either order (the impression can wait behind the break's other
    // beacons on the host's connections), so the order is the page's.
    const sent = await page.evaluate((ad) => window.e2e.events('beacon').map((e) => e.detail.eventType
      + (e.detail.url.includes('companion=unit-300x250') ? ':unit' : '') + (e.detail.adId === ad ? '@unit-ad' : '')), first.detail.adId);
    const impAt = sent.indexOf('impression@unit-ad');
    const viewAt = sent.findIndex((x) => x.startsWith('creativeView:unit'));
    assert.ok(impAt >= 0 && viewAt > impAt, `sent in order: ${sent.join(' ')}`);
    const shown = await page.evaluate(() => window.e2e.events('companion').map((e) => [e.detail.adId, e.detail.placements.length, e.detail.rendered]));
    assert.deepEqual(shown[0], [first.detail.adId, 1, true]);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});
