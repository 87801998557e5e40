// rich-overlay.test.mjs: non-linear overlays (web/overlay/nonlinear.js) in
// Chromium with a fake Session, plus their duration rules in Node.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { overlayDuration, seconds } from '../../web/overlay/nonlinear.js';
import { startServer, launch, openHost } from './rich-helpers.mjs';

const PORT = 18231;

test('overlay duration: duration, else minSuggestedDuration, else the default', () => {
  const cases = [
    [{ durationInSeconds: 12, minSuggestedDuration: 'PT5S' }, 12],
    [{ duration: 'PT15S' }, 15],
    [{ duration: 'PT0S', minSuggestedDuration: 'PT1M2.5S' }, 62.5],
    [{ duration: null, minSuggestedDuration: null }, 10],
    [{ duration: 'garbage' }, 10],
  ];
  for (const [ad, want] of cases) assert.equal(overlayDuration(ad, 10), want, JSON.stringify(ad));
  assert.equal(seconds('PT1H'), 3600);
  assert.equal(seconds('PT'), 0);
});

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

const avail = (base, ad = {}) => ({
  availId: 'nl-1',
  nonLinearAdsList: [{
    nonLinearAdList: [{
      adId: 'nl-ad', width: 728, height: 90, minSuggestedDuration: 'PT2S', duration: 'PT0S',
      staticResource: `${base}/creatives/overlay-728x90.png`, staticResourceCreativeType: 'image/png',
      clickThrough: `${base}/landing?o=1`, clickTracking: `${base}/beacon/nl-click`, ...ad,
    }],
    trackingEvents: ['impression', 'creativeView', 'close'].map((t) => ({ eventType: t, beaconUrls: [`${base}/beacon/nl-${t}`] })),
  }],
});

async function setup(page) {
  await page.evaluate(async () => {
    const { createNonLinearRenderer } = await import('/web/overlay/nonlinear.js');
    const s = new window.FakeSession();
    window.s = s;
    const video = document.getElementById('content');
    await video.play().catch(() => {});
    window.nl = createNonLinearRenderer(s, video, document.getElementById('player'));
    window.hidden = [];
    window.nl.addEventListener('overlayhide', (e) => window.hidden.push(e.detail.reason));
  });
}
const tracked = (page) => page.evaluate(() => window.s.calls.filter((c) => c.m === 'fireTracking').map((c) => c.eventType));

test('overlay shows over the video, fires impression/creativeView once, leaves after its minSuggestedDuration of playback', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await setup(page);
    await page.evaluate((a) => window.s.emit('nonlinear', a), avail(srv.base));
    await page.waitForFunction(() => window.s.calls.length >= 2);
    const box = await page.evaluate(() => {
      const b = document.querySelector('#player .ak-nonlinear');
      const r = b.getBoundingClientRect();
      const p = document.getElementById('player').getBoundingClientRect();
      return { inside: r.left >= p.left && r.right <= p.right && r.bottom <= p.bottom, img: !!b.querySelector('a img') };
    });
    assert.deepEqual(box, { inside: true, img: true });
    assert.deepEqual(await tracked(page), ['impression', 'creativeView']);
    // Paused time does not count.
    await page.evaluate(() => document.getElementById('content').pause());
    await page.waitForTimeout(2500);
    assert.equal(await page.evaluate(() => !!document.querySelector('.ak-nonlinear')), true, 'still up while paused');
    await page.evaluate(() => document.getElementById('content').play());
    await page.waitForFunction(() => window.hidden.length > 0, null, { timeout: 6000 });
    assert.deepEqual(await page.evaluate(() => window.hidden), ['ended']);
    assert.deepEqual(await tracked(page), ['impression', 'creativeView'], 'nothing more on a natural end');
  } finally {
    await context.close();
  }
});

test('overlay click-through and close fire their tracking', async () => {
  const { context, page, popups } = await openHost(browser, srv);
  try {
    await setup(page);
    await page.evaluate((a) => window.s.emit('nonlinear', a), avail(srv.base, { minSuggestedDuration: 'PT60S' }));
    await page.waitForSelector('.ak-nonlinear a img');
    const popup = context.waitForEvent('page');
    await page.click('.ak-nonlinear a');
    const landing = await popup;
    await landing.waitForLoadState();
    assert.equal(new URL(landing.url()).search, '?o=1');
    await page.click('.ak-nonlinear-close');
    assert.equal(await page.evaluate(() => document.querySelectorAll('.ak-nonlinear').length), 0);
    const calls = await page.evaluate(() => window.s.calls.filter((c) => c.m === 'fireTracking').map((c) => [c.eventType, c.urls]));
    assert.deepEqual(calls.map((c) => c[0]), ['impression', 'creativeView', 'clickTracking', 'close']);
    assert.deepEqual(calls[2][1], [`${srv.base}/beacon/nl-click`]);
    assert.deepEqual(await page.evaluate(() => window.hidden), ['closed']);
    assert.equal(popups.length, 1);
  } finally {
    await context.close();
  }
});

test('HTML overlays are sandboxed; javascript: click-throughs are not links', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await setup(page);
    await page.evaluate((a) => window.s.emit('nonlinear', a), avail(srv.base, {
      staticResource: '', htmlResource: '<b>overlay</b><script>try{top.canary="pwned"}catch(e){}</script>',
    }));
    await page.waitForSelector('.ak-nonlinear iframe');
    assert.equal(await page.evaluate(() => document.querySelector('.ak-nonlinear iframe').getAttribute('sandbox')),
      'allow-scripts allow-popups allow-popups-to-escape-sandbox');
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.canary), srv.canary);
    await page.evaluate((a) => window.s.emit('nonlinear', a), avail(srv.base, { clickThrough: 'javascript:top.canary=1' }));
    await page.waitForSelector('.ak-nonlinear img');
    assert.equal(await page.evaluate(() => document.querySelectorAll('.ak-nonlinear a').length), 0);
    assert.deepEqual(await page.evaluate(() => window.hidden), ['replaced']);
  } finally {
    await context.close();
  }
});

test('an overlay sized 2000 px tall (or 5000 px wide) by the tracking reply stays inside the player', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await setup(page);
    for (const size of [{ width: 480, height: 2000 }, { width: 5000, height: 90 }, { width: 5000, height: 5000 }]) {
      await page.evaluate((a) => window.s.emit('nonlinear', a), avail(srv.base, { ...size, minSuggestedDuration: 'PT60S' }));
      await page.waitForSelector('.ak-nonlinear img');
      const got = await page.evaluate(() => {
        const p = document.getElementById('player').getBoundingClientRect();
        const r = document.querySelector('.ak-nonlinear').getBoundingClientRect();
        // Nothing of the ad is hit just outside the player.
        const outside = [[p.left + 5, p.top - 5], [p.left + 5, p.bottom + 5], [p.right + 5, p.top + 5]]
          .map(([x, y]) => document.elementFromPoint(x, y))
          .filter((el) => el && el.closest('.ak-nonlinear, .ak-nonlinear-layer'));
        return {
          inside: r.top >= p.top && r.left >= p.left && r.right <= p.right && r.bottom <= p.bottom,
          height: r.height, outside: outside.length,
        };
      });
      assert.equal(got.inside, true, `${JSON.stringify(size)}: box inside the player (${got.height} px tall)`);
      assert.equal(got.outside, 0, `${JSON.stringify(size)}: nothing of the ad outside the player`);
    }
  } finally {
    await context.close();
  }
});
