// rich-vpaid.test.mjs: the VPAID runner (web/vpaid) against availkit's own
// VPAID test creatives (internal/emulator/creatives), in Chromium, with a fake
// Session recording what the runner reports.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openHost } from './rich-helpers.mjs';

const PORT = 18201;
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

// start creates a runner on the host page and emits adstart for creative;
// the ad runs in the background (window.done resolves with the result).
// delayMs postpones adstart past Chromium's 5 s transient user activation,
// which page.evaluate grants: a unit must not open windows on its own.
async function start(page, { creative, adParameters = {}, duration = 8, opts = {}, live = false, delayMs = 0, mediaType = 'application/javascript' }) {
  // Listen for the end before anything runs: finished() must not poll the
  // page, since every page.evaluate grants a fresh user activation.
  page.ended = page.waitForEvent('console', { predicate: (m) => m.text() === 'ak-test-done', timeout: 60000 });
  await page.evaluate(async ({ creative, adParameters, duration, opts, live, base, delayMs, mediaType }) => {
    const { createVPAIDRunner } = await import('/web/vpaid/runner.js');
    const video = document.getElementById('content');
    await video.play().catch(() => {});
    const s = new window.FakeSession();
    const r = createVPAIDRunner(s, video, document.getElementById('player'), opts);
    window.s = s;
    window.r = r;
    window.phases = [];
    window.progress = [];
    window.during = null;
    s.addEventListener('vpaidprogress', (e) => window.progress.push(e.detail));
    window.done = new Promise((resolve) => {
      r.addEventListener('vpaidstate', (e) => {
        window.phases.push(e.detail.phase);
        if (e.detail.phase === 'playing') {
          // The hold pauses VOD content once the host's pending play()
          // settled (controls.js), which on a busy machine may be just
          // after the unit starts: read it then, while the unit plays.
          // Live content is never paused: read it at once.
          const read = () => (window.during = { paused: video.paused, muted: video.muted, visibility: video.style.visibility });
          if (live || video.paused) read();
          else video.addEventListener('pause', read, { once: true });
        }
        if (e.detail.phase === 'done') {
          console.log('ak-test-done');
          resolve(e.detail.result);
        }
      });
    });
    const emit = () => s.emit('adstart', {
      availId: 'avail-1', adId: 'ad-1', live,
      vpaid: {
        mediaFileUri: `${base}/creatives/${creative}`,
        adParameters: JSON.stringify(adParameters),
        width: 640, height: 360, duration, mediaType,
        clickThrough: `${base}/landing?from=vast`,
      },
    });
    if (delayMs) setTimeout(emit, delayMs);
    else emit();
  }, { creative, adParameters, duration, opts, live, base: srv.base, delayMs, mediaType });
}

const finished = async (page) => {
  await page.ended;
  return page.evaluate(() => window.done);
};
const calls = (page) => page.evaluate(() => window.s.calls.map(({ t, ...c }) => c));
const content = (page) => page.evaluate(() => {
  const v = document.getElementById('content');
  return { paused: v.paused, muted: v.muted, visibility: v.style.visibility, frames: document.querySelectorAll('iframe').length };
});

test('good creative plays through: every VPAID event reported once, in order, content handed back', async () => {
  const { context, page, errors } = await openHost(browser, srv);
  try {
    await start(page, { creative: 'vpaid-good.js', duration: 6, adParameters: { maxDuration: 3 } });
    const result = await finished(page);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.reason, 'AdStopped');
    const c = await calls(page);
    const names = c.filter((x) => x.m === 'vpaidEvent').map((x) => x.name);
    assert.deepEqual(names, ['AdStarted', 'AdImpression', 'AdVideoStart', 'AdVideoFirstQuartile',
      'AdVideoMidpoint', 'AdVideoThirdQuartile', 'AdVideoComplete']);
    for (const x of c.filter((y) => y.m === 'vpaidEvent')) {
      assert.equal(x.data.availId, 'avail-1');
      assert.equal(x.data.adId, 'ad-1');
    }
    assert.equal(c.at(-1).m, 'vpaidStopped', 'content is handed back last');
    const during = await page.evaluate(() => window.during);
    assert.deepEqual(during, { paused: true, muted: true, visibility: 'hidden' }, 'VOD content is paused and hidden under the unit');
    // The unit's own countdown reaches the UI and counts down.
    const remaining = (await page.evaluate(() => window.progress)).map((p) => p.remaining).filter((r) => r !== null);
    assert.ok(remaining.length >= 4, `progress updates: ${remaining.length}`);
    assert.ok(remaining[0] > remaining.at(-1), `countdown decreases: ${remaining[0]} → ${remaining.at(-1)}`);
    await page.waitForFunction(() => !document.getElementById('content').paused);
    const after = await content(page);
    assert.deepEqual(after, { paused: false, muted: true, visibility: '', frames: 0 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('skip, pause/resume and click-through are forwarded once per real change', async () => {
  const { context, page, popups } = await openHost(browser, srv);
  try {
    await start(page, {
      creative: 'vpaid-good.js',
      adParameters: { skippableAfter: 1, clickThrough: `${srv.base}/landing?from=unit` },
    });
    await page.waitForFunction(() => window.phases.includes('playing'));
    await page.evaluate(() => { window.r.pause(); });
    await page.waitForFunction(() => window.s.names('vpaidEvent').includes('AdPaused'));
    await page.evaluate(() => { window.r.pause(); window.r.resume(); });
    await page.waitForFunction(() => window.s.names('vpaidEvent').includes('AdPlaying'));

    // A real click inside the sandboxed unit: activation reaches the host,
    // which opens the landing page (playerHandles=true).
    const frame = page.frameLocator('iframe.ak-vpaid-frame');
    const popup = context.waitForEvent('page');
    await frame.locator('#vpaid-good-click').click();
    const landing = await popup;
    await landing.waitForLoadState();
    assert.equal(new URL(landing.url()).search, '?from=unit');

    await page.waitForFunction(() => window.progress.some((p) => p.skippable));
    assert.equal(await page.evaluate(() => window.r.skip()), true);
    const result = await finished(page);
    assert.equal(result.ok, true);
    assert.equal(result.reason, 'AdSkipped');
    const names = (await calls(page)).filter((x) => x.m === 'vpaidEvent').map((x) => x.name);
    for (const once of ['AdStarted', 'AdImpression', 'AdPaused', 'AdPlaying', 'AdClickThru', 'AdSkipped']) {
      assert.equal(names.filter((n) => n === once).length, 1, `${once} once in ${names}`);
    }
    assert.ok(!names.includes('AdVideoComplete'), 'a skipped unit does not complete');
    const click = (await calls(page)).find((x) => x.name === 'AdClickThru');
    assert.equal(click.data.playerHandles, true);
    assert.equal(click.data.url, `${srv.base}/landing?from=unit`);
    assert.equal(popups.length, 1);
  } finally {
    await context.close();
  }
});

test('a click-through without a URL opens the VAST ClickThrough', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await start(page, { creative: 'vpaid-good.js', adParameters: { clickThrough: '' } });
    await page.waitForFunction(() => window.phases.includes('playing'));
    const popup = context.waitForEvent('page');
    await page.frameLocator('iframe.ak-vpaid-frame').locator('#vpaid-good-click').click();
    const landing = await popup;
    await landing.waitForLoadState();
    assert.equal(new URL(landing.url()).search, '?from=vast');
    const click = await page.evaluate(() => window.s.calls.find((c) => c.name === 'AdClickThru').data);
    assert.deepEqual(click, { availId: 'avail-1', adId: 'ad-1', url: '', id: 'vpaid-good', playerHandles: true });
    await page.evaluate(() => window.r.stop());
    assert.equal((await finished(page)).ok, true);
  } finally {
    await context.close();
  }
});

test('live: content keeps playing muted behind the unit, sound restored after', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await page.evaluate(() => { document.getElementById('content').muted = false; });
    await start(page, { creative: 'vpaid-good.js', live: true, adParameters: { maxDuration: 2 } });
    const result = await finished(page);
    assert.equal(result.ok, true);
    const during = await page.evaluate(() => window.during);
    assert.deepEqual(during, { paused: false, muted: true, visibility: '' });
    const after = await content(page);
    assert.equal(after.muted, false);
    assert.equal(after.paused, false);
  } finally {
    await context.close();
  }
});

test('resizeAd follows the player size', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await start(page, { creative: 'vpaid-good.js' });
    await page.waitForFunction(() => window.phases.includes('playing'));
    const frame = page.frames().find((f) => f.url().endsWith('/web/vpaid/frame.html'));
    assert.ok(frame, 'unit frame present');
    // The unit shows the size it was last given by initAd/resizeAd.
    const sizeOf = () => frame.evaluate(() => document.getElementById('ak-slot').getAttribute('data-ad-size'));
    assert.equal(await sizeOf(), '640x360 normal');
    await page.evaluate(() => {
      const p = document.getElementById('player');
      p.style.width = '480px';
      p.style.height = '270px';
    });
    await page.waitForFunction(async () => true);
    let size = '';
    for (let i = 0; i < 20 && size !== '480x270 normal'; i++) {
      await page.waitForTimeout(100);
      size = await sizeOf();
    }
    assert.equal(size, '480x270 normal');
    // Fullscreen: the unit gets the new size and viewMode "fullscreen".
    await page.evaluate(() => document.getElementById('player').requestFullscreen());
    for (let i = 0; i < 20 && !size.endsWith('fullscreen'); i++) {
      await page.waitForTimeout(100);
      size = await sizeOf();
    }
    assert.match(size, /^\d+x\d+ fullscreen$/);
    assert.notEqual(size, '480x270 fullscreen');
    await page.evaluate(() => document.exitFullscreen());
    await page.evaluate(() => window.r.stop());
    const result = await finished(page);
    assert.equal(result.ok, true);
  } finally {
    await context.close();
  }
});

// Each broken creative must end with exactly one AdError 901, no beacon
// events it did not earn, and content back.
const broken = [
  { creative: 'vpaid-throws-init.js', why: /initAd/, started: false },
  { creative: 'vpaid-no-loaded.js', why: /no AdLoaded/, started: false },
  { creative: 'vpaid-no-stop.js', why: /did not stop/, started: true, duration: 1.5 },
  { creative: 'vpaid-spam.js', why: /flooded/, started: true, delayMs: 5200 },
  // Messages the bridge refuses (fake hellos, forged tokens, junk) count
  // against the cap too.
  { creative: 'vpaid-forged-flood.js', why: /flooded/, started: true },
  { creative: 'vpaid-missing.js', why: /failed to load/, started: false },
  { creative: 'vpaid-good.js', mediaType: 'application/x-shockwave-flash', why: /unsupported VPAID media type/, started: false },
  // The frame document itself never comes up: the load timeout.
  { creative: 'vpaid-good.js', frameUrl: '/web/vpaid/missing-frame.html', why: /did not load in time/, started: false },
];

for (const tc of broken) {
  test(`broken ${tc.frameUrl ? 'frame' : 'creative'} ${tc.frameUrl || tc.mediaType || tc.creative}: error 901, content resumes`, async () => {
    const { context, page, popups } = await openHost(browser, srv);
    try {
      const t0 = Date.now();
      await start(page, {
        creative: tc.creative,
        duration: tc.duration ?? 8,
        opts: { replyTimeoutMs: 1000, loadTimeoutMs: 3000, graceMs: 500, ...(tc.frameUrl ? { frameUrl: tc.frameUrl } : {}) },
        delayMs: tc.delayMs,
        mediaType: tc.mediaType,
      });
      const result = await finished(page);
      const elapsed = Date.now() - t0;
      assert.equal(result.ok, false);
      assert.equal(result.code, 901);
      assert.match(result.reason, tc.why);
      const c = await calls(page);
      const errs = c.filter((x) => x.name === 'AdError');
      assert.equal(errs.length, 1);
      assert.equal(errs[0].data.code, 901);
      assert.equal(c.filter((x) => x.m === 'vpaidStopped').length, 1);
      assert.equal(c.at(-1).m, 'vpaidStopped');
      const names = c.filter((x) => x.m === 'vpaidEvent').map((x) => x.name);
      assert.equal(names.includes('AdStarted'), tc.started, names.join());
      for (const n of new Set(names)) {
        if (n !== 'AdPaused' && n !== 'AdPlaying' && n !== 'AdVolumeChange' && n !== 'AdInteraction') {
          assert.equal(names.filter((x) => x === n).length, 1, `${n} forwarded once`);
        }
      }
      assert.equal(popups.length, 0, 'no window opened without a user click');
      assert.ok(elapsed - (tc.delayMs ?? 0) < 8000, `gave up in ${elapsed} ms`);
      await page.waitForFunction(() => !document.getElementById('content').paused);
      const after = await content(page);
      assert.equal(after.visibility, '');
      assert.equal(after.frames, 0);
    } finally {
      await context.close();
    }
  });
}

test('a frame prewarmed at break start serves the next ad; an unused one goes at break end', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await page.evaluate(async () => {
      const { createVPAIDRunner } = await import('/web/vpaid/runner.js');
      window.s = new window.FakeSession();
      window.r = createVPAIDRunner(window.s, document.getElementById('content'), document.getElementById('player'));
      // A break without VPAID ads (or not known to have one, before any
      // VPAID ad was seen) costs no frame.
      window.s.emit('adbreakupcoming', { availId: 'avail-0', hasVPAID: false });
      window.s.emit('adbreakstart', { availId: 'avail-0' });
      window.framesBefore = document.querySelectorAll('iframe').length;
      window.s.emit('adbreakstart', { availId: 'avail-1', hasVPAID: true });
    });
    assert.equal(await page.evaluate(() => window.framesBefore), 0);
    await page.waitForFunction(() => window.r.spare && window.r.spare.ready);
    const spareFrame = await page.evaluate(() => { window.spareEl = window.r.spare.iframe; return window.spareEl.style.visibility; });
    assert.equal(spareFrame, 'hidden');
    await page.evaluate(() => { window.s.removeEventListener('adstart', window.r.onAdStart); });
    const r = await page.evaluate(async (base) => {
      const p = window.r.run({
        availId: 'avail-1', adId: 'ad-1',
        vpaid: { mediaFileUri: `${base}/creatives/vpaid-good.js`, adParameters: '{"maxDuration":1}', duration: 6 },
      });
      const returned = performance.now();
      return { res: await p, t: window.r.timings, returned };
    }, srv.base);
    assert.equal(r.res.ok, true);
    // The warm frame gets the unit to load inside run() itself, without
    // waiting for a frame to start.
    assert.ok(r.t.hello <= r.returned, `load sent within run(): hello ${r.t.hello}, returned ${r.returned}`);
    assert.equal(await page.evaluate(() => window.spareEl.isConnected), false, 'the spare became the ad frame and went with it');
    // After a VPAID ad, a break of unknown content prewarms.
    await page.evaluate(() => window.s.emit('adbreakstart', { availId: 'avail-2' }));
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe.ak-vpaid-frame').length), 1);
    await page.evaluate(() => window.s.emit('adbreakend', { availId: 'avail-2' }));
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0);
  } finally {
    await context.close();
  }
});

test('nothing is accepted after the unit stopped', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await start(page, { creative: 'vpaid-good.js', adParameters: { maxDuration: 1.5 } });
    await finished(page);
    const before = (await calls(page)).length;
    // A late AdError or a second stop must not produce another report.
    await page.evaluate(() => { window.r.stop(); window.r.skip(); window.r.pause(); });
    await page.waitForTimeout(300);
    assert.equal((await calls(page)).length, before);
  } finally {
    await context.close();
  }
});
