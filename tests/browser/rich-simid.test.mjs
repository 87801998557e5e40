// rich-simid.test.mjs: the SIMID host (web/simid) against availkit's own
// SIMID test creatives (internal/emulator/creatives/simid-*.html), in
// Chromium, with a fake Session recording what the host asks of it. The
// emulator-backed runs with hls.js and dash.js are in simid-e2e.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openHost, canaryState } from './rich-helpers.mjs';

const PORT = 18231;
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

// start creates a host on the host page and emits adstart for creative;
// window.done resolves with the result. No page.evaluate may run while a
// test checks that nothing happens without a gesture: each one grants the
// page a user activation.
async function start(page, { creative, simid = {}, opts = {}, live = false, skipOffset = -1, delayMs = 0 }) {
  page.ended = page.waitForEvent('console', { predicate: (m) => m.text() === 'ak-test-done', timeout: 60000 });
  await page.evaluate(async ({ creative, simid, opts, live, skipOffset, base, delayMs }) => {
    const { createSIMIDHost } = await import('/web/simid/host.js');
    const video = document.getElementById('content');
    await video.play().catch(() => {});
    class Session extends window.FakeSession {
      adError(code) { this.calls.push({ m: 'adError', code }); return true; }
      skip() { this.calls.push({ m: 'skip' }); return this.skippable === true; }
      clickThrough(o) { this.calls.push({ m: 'clickThrough', o }); return `${base}/landing?from=vast`; }
    }
    const s = new Session();
    const h = createSIMIDHost(s, video, document.getElementById('player'), opts);
    window.s = s;
    window.h = h;
    window.phases = [];
    window.during = null;
    window.adicons = [];
    window.progress = [];
    s.addEventListener('adicons', (e) => window.adicons.push(e.detail));
    s.addEventListener('simidprogress', (e) => window.progress.push(e.detail));
    window.done = new Promise((resolve) => {
      s.addEventListener('simidstate', (e) => {
        window.phases.push(e.detail.phase);
        if (e.detail.phase === 'playing') window.during = { paused: video.paused, visibility: video.style.visibility };
        if (e.detail.phase === 'done') {
          console.log('ak-test-done');
          resolve(e.detail.result);
        }
      });
    });
    const emit = () => s.emit('adstart', {
      availId: 'avail-1', adId: 'ad-1', live, duration: 10, skipOffset, playhead: video.currentTime, adPlayhead: 0,
      clickThrough: `${base}/landing?from=vast`,
      simid: {
        url: creative.startsWith('http') || creative.includes(':') ? creative : `${base}/creatives/${creative}`,
        type: 'text/html', variableDuration: false,
        adParameters: JSON.stringify({ label: 'test', clickThrough: `${base}/landing?from=creative`, trackingUrl: `${base}/beacon/hostile/report?cb=[CACHEBUSTING]` }),
        ...simid,
      },
    });
    if (delayMs) setTimeout(emit, delayMs);
    else emit();
  }, { creative, simid, opts, live, skipOffset, base: srv.base, delayMs });
}

const finished = async (page) => {
  await page.ended;
  return page.evaluate(() => window.done);
};
const calls = (page) => page.evaluate(() => window.s.calls.map(({ t, ...c }) => c));
const creativeFrame = (page) => page.frames().find((f) => f.url().includes('/creatives/simid-'));
const data = async (page, k) => (await creativeFrame(page)).evaluate((key) => document.body.getAttribute(`data-${key}`), k);

test('good creative: init data, media events from the real video, requests honoured, unloaded at the ad end', async () => {
  const { context, page, popups, errors } = await openHost(browser, srv);
  try {
    await start(page, { creative: 'simid-good.html', skipOffset: 5 });
    await page.waitForFunction(() => window.phases.includes('playing'));
    assert.deepEqual(await page.evaluate(() => window.phases), ['loading', 'init', 'starting', 'playing']);
    const f = await page.evaluate(() => {
      const el = document.querySelector('iframe.ak-simid-frame');
      return { sandbox: el.getAttribute('sandbox'), visibility: el.style.visibility };
    });
    assert.ok(!/allow-same-origin/.test(f.sandbox), f.sandbox);
    assert.equal(f.visibility, '', 'shown once startCreative resolved');
    // The stitched ad keeps playing under the creative.
    assert.deepEqual(await page.evaluate(() => window.during), { paused: false, visibility: '' });

    const init = JSON.parse(await data(page, 'init'));
    assert.equal(init.environmentData.version, '1.1');
    assert.equal(init.environmentData.skippableState, 'playerHandles');
    assert.equal(init.environmentData.skipoffset, 5);
    assert.equal(init.environmentData.variableDurationAllowed, true);
    assert.deepEqual(init.environmentData.videoDimensions, { x: 0, y: 0, width: 640, height: 360 });
    assert.equal(JSON.parse(init.creativeData.adParameters).label, 'test');
    assert.equal(init.creativeData.clickThruUri, `${srv.base}/landing?from=vast`);

    // Media events come from the real video, in ad time.
    const frame = creativeFrame(page);
    await frame.waitForFunction(() => JSON.parse(document.body.dataset.media || '{}').timeupdate >= 3);
    const media = JSON.parse(await data(page, 'media'));
    assert.ok(media.durationchange >= 1, JSON.stringify(media));
    const t = Number(await data(page, 'time'));
    assert.ok(t > 0 && t < 10, `ad time ${t}`);
    const ms = JSON.parse(await data(page, 'mediastate'));
    assert.equal(ms.currentSrc, null);
    assert.equal(ms.duration, 10);
    assert.equal(ms.paused, false);

    // reportTracking: the http(s) URL goes through fireTracking, once; the
    // javascript: one is dropped.
    const tracked = (await calls(page)).filter((c) => c.m === 'fireTracking');
    assert.deepEqual(tracked.map((c) => [c.eventType, c.urls]), [['simidReportTracking', [`${srv.base}/beacon/hostile/report?cb=[CACHEBUSTING]`]]]);

    const fl = page.frameLocator('iframe.ak-simid-frame');
    await fl.locator('#simid-pause').click();
    await page.waitForFunction(() => document.getElementById('content').paused);
    await frame.waitForFunction(() => JSON.parse(document.body.dataset.media).pause >= 1);
    await fl.locator('#simid-play').click();
    await page.waitForFunction(() => !document.getElementById('content').paused);
    await fl.locator('#simid-mute').click();
    await page.waitForFunction(() => document.getElementById('content').muted);
    await fl.locator('#simid-resize').click();
    await frame.waitForFunction(() => document.body.dataset.resize === 'false');
    await fl.locator('#simid-skip').click();
    await frame.waitForFunction(() => document.body.dataset.skip === 'false');

    // Player:resize follows the player's size.
    await page.evaluate(() => { const p = document.getElementById('player'); p.style.width = '480px'; p.style.height = '270px'; });
    await frame.waitForFunction(() => document.body.dataset.size === '480x270');

    // A real click: clickTracking through the core, the creative's page opened.
    const popup = context.waitForEvent('page');
    await fl.locator('#simid-click').click();
    const landing = await popup;
    await landing.waitForLoadState();
    assert.equal(new URL(landing.url()).search, '?from=creative');
    await frame.waitForFunction(() => document.body.dataset.click === 'resolved');

    await page.evaluate(() => window.s.emit('adend', { availId: 'avail-1', adId: 'ad-1', skipped: false }));
    const result = await finished(page);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.reason, 'adStopped');
    assert.equal(result.forged, 0);
    const c = await calls(page);
    assert.equal(c.filter((x) => x.m === 'clickThrough').length, 1);
    assert.deepEqual(c.find((x) => x.m === 'clickThrough').o, { open: false });
    assert.equal(c.filter((x) => x.m === 'skip').length, 1);
    assert.equal(c.filter((x) => x.m === 'adError').length, 0);
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0);
    assert.equal(await page.evaluate(() => document.getElementById('content').paused), false);
    assert.equal(popups.length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a skipped ad sends adSkipped; requestStop unloads the creative and the ad plays on', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await start(page, { creative: 'simid-good.html' });
    await page.waitForFunction(() => window.phases.includes('playing'));
    await page.evaluate(() => window.s.emit('adend', { availId: 'avail-1', adId: 'ad-1', skipped: true }));
    assert.equal((await finished(page)).reason, 'adSkipped');

    await start(page, { creative: 'simid-good.html' });
    await page.waitForFunction(() => window.phases.includes('playing'));
    await page.frameLocator('iframe.ak-simid-frame').locator('#simid-stop').click();
    const r = await finished(page);
    assert.equal(r.ok, true);
    assert.equal(await page.evaluate(() => document.getElementById('content').paused), false);
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0);
  } finally {
    await context.close();
  }
});

// Each broken creative ends with one VAST 902 through adError, the SIMID
// code in the result, no frame left and the ad video still playing.
const broken = [
  { creative: 'simid-never-resolves.html', simidCode: 1208, why: /did not answer init/ },
  { creative: 'simid-rejects.html', simidCode: 1104, why: /rejected init/ },
  { creative: 'simid-flood.html', simidCode: 1205, why: /flooded/ },
  { creative: 'simid-missing.html', simidCode: 1208, why: /opened no session/ },
  { creative: 'javascript:alert(1)', simidCode: 1209, why: /not an http\(s\) text\/html/ },
  { creative: 'simid-good.html', simid: { type: 'application/javascript' }, simidCode: 1209, why: /not an http\(s\) text\/html/ },
];

for (const tc of broken) {
  test(`broken creative ${tc.creative} ${tc.simid ? JSON.stringify(tc.simid) : ''}: VAST 902, SIMID ${tc.simidCode}`, async () => {
    const { context, page, popups } = await openHost(browser, srv);
    try {
      const t0 = Date.now();
      await start(page, { creative: tc.creative, simid: tc.simid, opts: { sessionTimeoutMs: 4000, replyTimeoutMs: 1000 } });
      const result = await finished(page);
      assert.equal(result.ok, false);
      assert.equal(result.code, 902);
      assert.equal(result.simidCode, tc.simidCode, JSON.stringify(result));
      assert.match(result.reason, tc.why);
      const c = await calls(page);
      assert.deepEqual(c.filter((x) => x.m === 'adError').map((x) => x.code), [902]);
      // A flood is cut off long before it could fire its thousands of URLs.
      assert.ok(c.filter((x) => x.m === 'fireTracking').length <= 60, `fired ${c.length}`);
      assert.ok(Date.now() - t0 < 10000, `gave up in ${Date.now() - t0} ms`);
      assert.equal(popups.length, 0);
      assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0);
      assert.equal(await page.evaluate(() => document.getElementById('content').paused), false);
    } finally {
      await context.close();
    }
  });
}

test('variableDuration: declined on live, honoured on VOD by holding the player at the ad end, with its countdown; adIcons from the init answer', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await start(page, { creative: 'simid-good.html', live: true, simid: { variableDuration: true } });
    const r = await finished(page);
    assert.equal(r.ok, false);
    assert.match(r.reason, /live/);
    assert.equal((await calls(page)).filter((x) => x.m === 'adError').length, 0, 'not an error of the creative');

    // Not a variableDuration ad: no extension, no countdown of its own. Its
    // creative draws its own icons (init answer adIcons): the host says so.
    await start(page, { creative: 'simid-good.html', simid: { adParameters: JSON.stringify({ adIcons: true }) } });
    await page.waitForFunction(() => window.phases.includes('playing'));
    assert.deepEqual(await page.evaluate(() => window.adicons), [{ availId: 'avail-1', adId: 'ad-1', adIcons: true }]);
    const fl = page.frameLocator('iframe.ak-simid-frame');
    await fl.locator('#simid-extend').click();
    await creativeFrame(page).waitForFunction(() => document.body.dataset.extend === 'false');
    assert.deepEqual(await page.evaluate(() => window.progress), []);
    await page.evaluate(() => window.h.stop());
    await finished(page);

    // VOD variableDuration: granted 1 s past the 10 s ad, the player waits
    // paused at the ad end with the creative up, then resumes.
    await start(page, { creative: 'simid-good.html', simid: { variableDuration: true } });
    await page.waitForFunction(() => window.phases.includes('playing'));
    assert.deepEqual(await page.evaluate(() => window.adicons), [], 'a creative that does not say so draws no icons of its own');
    await fl.locator('#simid-extend').click();
    await creativeFrame(page).waitForFunction(() => document.body.dataset.extend === 'true');
    // The countdown counts the granted 11 s, not the 10 s of media.
    const granted = await page.evaluate(() => window.progress[0]);
    assert.equal(granted.duration, 11);
    assert.equal(granted.holding, false);
    assert.ok(granted.remaining > 1 && granted.remaining <= 11, JSON.stringify(granted));
    const t0 = Date.now();
    await page.evaluate(() => {
      const v = document.getElementById('content');
      window.pauses = 0;
      v.addEventListener('pause', () => window.pauses++);
      window.s.emit('adend', { availId: 'avail-1', adId: 'ad-1', skipped: false });
    });
    const held = await page.evaluate(() => ({ paused: document.getElementById('content').paused, frames: document.querySelectorAll('iframe').length }));
    assert.deepEqual(held, { paused: true, frames: 1 });
    // The viewer presses play during the hold: refused, the ad runs on.
    const pausesBefore = await page.evaluate(() => window.pauses);
    await page.evaluate(() => { document.getElementById('content').play().catch(() => {}); });
    await page.waitForFunction((n) => window.pauses > n && document.getElementById('content').paused, pausesBefore);
    // During the hold the countdown runs down the extra second.
    const holding = await page.evaluate(() => window.progress.filter((p) => p.holding).map((p) => p.remaining));
    assert.ok(holding.length >= 1 && holding.every((r) => r <= 1), `hold countdown ${holding}`);
    const r2 = await finished(page);
    assert.equal(r2.ok, true);
    assert.ok(Date.now() - t0 >= 900, `held ${Date.now() - t0} ms`);
    await page.waitForFunction(() => !document.getElementById('content').paused);
  } finally {
    await context.close();
  }
});

test('hostile creative cannot reach the host page, navigate it or forge messages', async () => {
  srv.hits.length = 0;
  const { context, page, popups } = await openHost(browser, srv);
  try {
    // Past the 5 s activation page.evaluate grants.
    await start(page, { creative: 'simid-navigate-top.html', delayMs: 5200 });
    const attacks = ['parent-canary', 'parent-cookie', 'parent-storage', 'parent-dom', 'write-canary', 'own-cookie', 'own-storage', 'top-nav', 'js-click'];
    const reports = () => Object.fromEntries(srv.hits.filter((h) => h.path.startsWith('/beacon/hostile/simid-'))
      .map((h) => [h.path.slice('/beacon/hostile/simid-'.length), h.query.value]));
    for (let i = 0; i < 150 && !attacks.every((k) => k in reports()); i++) await new Promise((r) => setTimeout(r, 100));
    const got = reports();
    for (const k of attacks) {
      assert.ok(k in got, `attack ${k} ran: ${JSON.stringify(got)}`);
      assert.match(got[k], /^blocked:/, `${k}: ${got[k]}`);
    }
    assert.equal(got['frame-element'], 'got:null');
    // The forged requestStop (another session) and the replayed one moved nothing.
    assert.equal(await page.evaluate(() => window.h.active), true);
    await page.evaluate(() => window.s.emit('adend', { availId: 'avail-1', adId: 'ad-1', skipped: false }));
    const result = await finished(page);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.ok(result.forged >= 3, `forged messages counted: ${result.forged}`);
    const c = await calls(page);
    assert.equal(c.filter((x) => x.m === 'clickThrough').length, 0, 'no clickTracking for a javascript: click');
    const st = await canaryState(page);
    assert.deepEqual(st, { canary: srv.canary, cookie: `canary=${srv.canary}`, storage: srv.canary, alive: true, url: '/host.html', domIntact: true });
    assert.equal(page.url(), `${srv.base}/host.html`);
    for (const h of srv.hits) assert.ok(!JSON.stringify(h).includes(srv.canary), `canary leaked: ${JSON.stringify(h)}`);
    assert.equal(srv.hits.filter((h) => h.path === '/pwned').length, 0);
    assert.equal(popups.length, 0);
  } finally {
    await context.close();
  }
});

test('clickThru without a user gesture opens nothing and fires no clickTracking', async () => {
  srv.hits.length = 0;
  const { context, page, popups } = await openHost(browser, srv);
  try {
    await start(page, { creative: 'simid-click-no-gesture.html', delayMs: 5200 });
    // The creative clicks 5.5 s after start: wait for its first rejection
    // from Node, without touching the page.
    const frameReady = await (async () => {
      for (let i = 0; i < 200; i++) {
        const f = creativeFrame(page);
        if (f) return f;
        await new Promise((r) => setTimeout(r, 100));
      }
      return null;
    })();
    assert.ok(frameReady);
    // The creative reports each answer to /beacon/hostile/simid-click.
    for (let i = 0; i < 200 && !srv.hits.some((h) => h.path === '/beacon/hostile/simid-click'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const answers = srv.hits.filter((h) => h.path === '/beacon/hostile/simid-click').map((h) => h.query.value);
    assert.ok(answers.length >= 1, 'the creative clicked');
    assert.deepEqual([...new Set(answers)], ['blocked:rejected']);
    const c = await calls(page);
    assert.equal(c.filter((x) => x.m === 'clickThrough').length, 0);
    assert.equal(popups.length, 0);
    await page.evaluate(() => window.h.stop());
    assert.equal((await finished(page)).ok, true);
  } finally {
    await context.close();
  }
});
