// rich-companions.test.mjs: companion slot choice (pure, in Node) and the
// companion renderer (web/companions) in Chromium with a fake Session.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chooseCompanions } from '../../web/companions/renderer.js';
import { imageSource } from '../../web/companions/safety.js';
import { startServer, launch, openHost } from './rich-helpers.mjs';

const PORT = 18211;
const BASE = 'http://127.0.0.1/';

const img = (w, h, extra = {}) => ({
  attributes: { width: String(w), height: String(h), ...extra },
  staticResource: `https://ads.example/${w}x${h}.png`,
});
const SLOTS = [
  { width: 300, height: 250, adSlotId: 'side' },
  { width: 728, height: 90, adSlotId: 'banner' },
  { width: 160, height: 600, adSlotId: '' },
];

test('chooseCompanions: adSlotId, then exact size, then best fit; required all/any/none', () => {
  const cases = [
    {
      name: 'adSlotId wins over an exact size elsewhere',
      companions: [img(300, 250, { adSlotId: 'banner-x' }), img(728, 90, { adSlotId: 'side' })],
      // 728x90 names "side" but does not fit 300x250, so it falls back to size.
      want: [{ slot: 0, companion: 0 }, { slot: 1, companion: 1 }],
    },
    {
      name: 'adSlotId that fits is respected',
      companions: [img(160, 600), img(160, 90, { adSlotId: 'side' })],
      want: [{ slot: 2, companion: 0 }, { slot: 0, companion: 1 }],
    },
    {
      name: 'exact size first, best fit for the rest',
      companions: [img(120, 60), img(728, 90)],
      want: [{ slot: 0, companion: 0 }, { slot: 1, companion: 1 }],
    },
    {
      name: 'best fit picks the slot the companion fills most',
      companions: [img(150, 500)],
      want: [{ slot: 2, companion: 0 }],
    },
    {
      name: 'too big for every slot is not placed',
      companions: [img(970, 250)],
      want: [],
    },
    {
      name: 'unrenderable companions are never placed',
      companions: [{ attributes: { width: '300', height: '250' }, staticResource: 'https://ads.example/x.js' }, img(728, 90)],
      want: [{ slot: 1, companion: 1 }],
    },
    {
      name: 'required=all and one cannot be shown: none shown, 602',
      companions: [img(300, 250, { required: 'all' }), img(970, 250)],
      want: [], ok: false, code: 602,
    },
    {
      name: 'required=all satisfied',
      companions: [img(300, 250, { required: 'all' }), img(728, 90)],
      want: [{ slot: 0, companion: 0 }, { slot: 1, companion: 1 }], ok: true,
    },
    {
      name: 'required=any satisfied by one',
      companions: [img(300, 250, { required: 'any' }), img(970, 250)],
      want: [{ slot: 0, companion: 0 }], ok: true,
    },
    {
      name: 'required=any with nothing placeable: 602',
      companions: [img(970, 250, { required: 'any' })],
      want: [], ok: false, code: 602,
    },
    {
      name: 'unknown size takes a slot left over',
      companions: [{ htmlResource: '<b>hi</b>' }],
      want: [{ slot: 0, companion: 0 }],
    },
  ];
  for (const tc of cases) {
    const got = chooseCompanions(tc.companions, SLOTS, BASE);
    assert.deepEqual(got.placements, tc.want, tc.name);
    assert.equal(got.ok, tc.ok ?? true, tc.name);
    assert.equal(got.code, tc.code, tc.name);
  }
});

test('imageSource refuses script-bearing static resources', () => {
  const cases = [
    ['https://a.example/x.png', '', true],
    ['https://a.example/pixel', '', true],
    ['https://a.example/x.js', '', false],
    ['https://a.example/x.png', 'application/x-javascript', false],
    ['javascript:alert(1)', '', false],
    ['data:text/html,<script>alert(1)</script>', '', false],
    ['data:image/svg+xml,<svg onload="alert(1)"/>', '', false],
    ['data:image/svg+xml,' + encodeURIComponent('<svg><script>alert(1)</script></svg>'), '', false],
    ['data:image/svg+xml,' + encodeURIComponent('<svg><rect width="1" height="1"/></svg>'), '', true],
    ['data:image/png;base64,iVBORw0KGgo=', '', true],
    ['https://a.example/x.svg', 'image/svg+xml', true],
  ];
  for (const [url, type, ok] of cases) {
    assert.equal(imageSource(url, type, BASE).ok, ok, `${url} (${type})`);
  }
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

// setup creates a renderer over the host page's slots.
async function setup(page, opts = {}) {
  await page.evaluate(async (opts) => {
    const { createCompanionRenderer } = await import('/web/companions/renderer.js');
    const s = new window.FakeSession();
    const slot = (id, w, h, adSlotId) => ({ element: document.getElementById(id), width: w, height: h, adSlotId });
    window.s = s;
    window.companionEvents = [];
    s.addEventListener('companion', (e) => window.companionEvents.push(e.detail));
    window.cr = createCompanionRenderer(s, [
      slot('slot-side', 300, 250, 'side'), slot('slot-banner', 728, 90, 'banner'),
      slot('slot-small', 120, 60, ''), slot('slot-far', 300, 250, 'far'),
    ], opts);
  }, opts);
}

const tracked = (page) => page.evaluate(() => window.s.calls.filter((c) => c.m === 'fireTracking')
  .map(({ eventType, urls, key }) => ({ eventType, urls, key })));

const companions = (base) => [
  {
    attributes: { width: '300', height: '250', adSlotId: 'side' },
    staticResource: `${base}/creatives/companion-300x250.png`,
    companionClickThrough: `${base}/landing?c=side`,
    companionClickTracking: `${base}/beacon/click-side`,
    trackingEvents: [{ eventType: 'creativeView', beaconUrls: [`${base}/beacon/view-side`] }],
    altText: 'Side companion',
  },
  {
    attributes: { width: '728', height: '90', adSlotId: 'banner' },
    htmlResource: '<!doctype html><body style="margin:0;background:#063;color:#fff">html companion</body>',
    trackingEvents: [{ event: 'creativeView', uri: `${base}/beacon/view-banner` }],
  },
  {
    attributes: { width: '120', height: '60' },
    iFrameResource: `${base}/creatives/companion-300x250.png`,
    trackingEvents: [{ eventType: 'creativeView', beaconUrls: [`${base}/beacon/view-small`] }],
  },
  {
    attributes: { width: '300', height: '250', adSlotId: 'far', renderingMode: 'end-card' },
    staticResource: `${base}/creatives/companion-300x250.png`,
    trackingEvents: [{ eventType: 'creativeView', beaconUrls: [`${base}/beacon/view-far`] }],
  },
];

test('renders each resource kind sandboxed, creativeView once when actually shown', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await setup(page);
    await page.evaluate((c) => window.s.emit('adstart', { availId: 'av', adId: 'ad1', companions: c }), companions(srv.base));
    // Loaded and visible before the ad's impression (an ad paused before
    // its first frame): held, nothing counted; another ad's impression
    // does not release it.
    await page.waitForFunction(() => document.querySelectorAll('.ak-companion[data-ak-viewed]').length === 3);
    await page.evaluate(() => window.s.emit('beacon', { eventType: 'impression', availId: 'av', adId: 'ad0' }));
    assert.deepEqual(await tracked(page), [], 'no companion creativeView before the ad\'s impression');
    await page.evaluate(() => window.s.emit('beacon', { eventType: 'impression', availId: 'av', adId: 'ad1' }));
    await page.waitForFunction(() => window.s.calls.filter((c) => c.eventType === 'creativeView').length >= 3);
    await page.waitForTimeout(300);
    const dom = await page.evaluate(() => {
      const q = (id) => document.querySelector(`#${id} .ak-companion`);
      const attrs = (el) => el && Object.fromEntries([...el.attributes].map((a) => [a.name, a.value]));
      return {
        side: q('slot-side')?.querySelector('a img') ? 'img-link' : null,
        sideLink: attrs(q('slot-side')?.querySelector('a')),
        banner: attrs(q('slot-banner')?.querySelector('iframe')),
        small: attrs(q('slot-small')?.querySelector('iframe')),
        far: !!q('slot-far'),
      };
    });
    assert.equal(dom.side, 'img-link');
    assert.equal(dom.sideLink.rel, 'noopener noreferrer');
    assert.equal(dom.sideLink.target, '_blank');
    assert.equal(dom.banner.sandbox, 'allow-scripts allow-popups allow-popups-to-escape-sandbox');
    assert.ok(dom.banner.srcdoc.includes('html companion'));
    assert.equal(dom.banner.src, undefined);
    assert.equal(dom.small.sandbox, 'allow-scripts allow-popups allow-popups-to-escape-sandbox');
    assert.equal(dom.small.referrerpolicy, 'no-referrer');
    assert.equal(dom.small.src, `${srv.base}/creatives/companion-300x250.png`);
    assert.equal(dom.far, true);

    let t = await tracked(page);
    assert.deepEqual(t.map((x) => x.urls[0]).sort(),
      [`${srv.base}/beacon/view-banner`, `${srv.base}/beacon/view-side`, `${srv.base}/beacon/view-small`],
      'the off-screen companion is not counted as viewed');
    // Scroll the far slot into view: its creativeView fires; scrolling back
    // and forth does not fire anything twice.
    for (const id of ['slot-far', 'player', 'slot-far']) {
      await page.evaluate((id) => document.getElementById(id).scrollIntoView(), id);
      await page.waitForTimeout(250);
    }
    t = await tracked(page);
    assert.equal(t.length, 4);
    assert.equal(t.filter((x) => x.urls[0] === `${srv.base}/beacon/view-far`).length, 1);
    assert.equal(new Set(t.map((x) => x.key)).size, 4);
    const ev = await page.evaluate(() => window.companionEvents.map((e) => ({ rendered: e.rendered, slots: e.placements.map((p) => p.slot) })));
    assert.deepEqual(ev, [{ rendered: true, slots: [0, 1, 2, 3] }]);

    // Ad end clears everything but the end-card; its close fires closeLinear.
    await page.evaluate(() => window.s.emit('adend', { availId: 'av', adId: 'ad1' }));
    const left = await page.evaluate(() => [...document.querySelectorAll('.ak-companion')].map((e) => e.parentElement.id));
    assert.deepEqual(left, ['slot-far']);
    await page.evaluate(() => window.s.emit('adstart', { availId: 'av', adId: 'ad2', companions: [] }));
    assert.equal(await page.evaluate(() => document.querySelectorAll('.ak-companion').length), 0, 'next ad clears the end-card');
  } finally {
    await context.close();
  }
});

test('click-through opens the landing page and fires companionClickTracking per click', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await setup(page);
    await page.evaluate((c) => window.s.emit('adstart', { availId: 'av', adId: 'ad1', companions: [c[0]] }), companions(srv.base));
    await page.waitForSelector('#slot-side .ak-companion img');
    const popup = context.waitForEvent('page');
    await page.click('#slot-side .ak-companion a');
    const landing = await popup;
    await landing.waitForLoadState();
    assert.equal(new URL(landing.url()).search, '?c=side');
    assert.equal(await landing.evaluate(() => window.opener), null, 'noopener');
    const clicks = (await tracked(page)).filter((x) => x.eventType === 'companionClickTracking');
    assert.deepEqual(clicks.map((x) => x.urls), [[`${srv.base}/beacon/click-side`]]);
    // An ad without impression URLs: its first adprogress (the core emits
    // it once the ad renders) releases the held view.
    assert.equal((await tracked(page)).filter((x) => x.eventType === 'creativeView').length, 0);
    await page.evaluate(() => window.s.emit('adprogress', { availId: 'av', adId: 'ad1' }));
    await page.waitForFunction(() => window.s.calls.some((c) => c.eventType === 'creativeView'));
  } finally {
    await context.close();
  }
});

test('render:false only emits the companion event; script resources are refused', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await setup(page, { render: false });
    await page.evaluate((c) => window.s.emit('adstart', { availId: 'av', adId: 'ad1', companions: c }), companions(srv.base));
    const ev = await page.evaluate(() => window.companionEvents.map((e) => ({ rendered: e.rendered, n: e.placements.length, el: e.placements[0].element.id })));
    assert.deepEqual(ev, [{ rendered: false, n: 4, el: 'slot-side' }]);
    assert.equal(await page.evaluate(() => document.querySelectorAll('.ak-companion').length), 0);

    await setup(page);
    await page.evaluate((base) => window.s.emit('adstart', {
      availId: 'av', adId: 'ad2', companions: [
        { attributes: { width: '300', height: '250' }, staticResource: `${base}/creatives/vpaid-good.js` },
        { attributes: { width: '728', height: '90' }, staticResource: 'data:text/html,<script>top.canary=1</script>' },
      ],
    }), srv.base);
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => document.querySelectorAll('.ak-companion').length), 0);
    assert.deepEqual(await tracked(page), []);
  } finally {
    await context.close();
  }
});
