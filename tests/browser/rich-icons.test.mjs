// rich-icons.test.mjs: the icon layer (web/ui/icons.js) in Chromium with a
// fake Session: a unit that draws its own icons (adicons), hostile icon
// resources and click-throughs, and timing by ad time. The end-to-end flow
// with real players is measured.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openHost, canaryState } from './rich-helpers.mjs';

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

const icon = (base, o = {}) => ({
  program: 'AdChoices', width: 24, height: 24, xPosition: 'right', yPosition: 'top', offset: 0, duration: 0,
  apiFramework: '', pxratio: '', staticResource: `${base}/creatives/icon-adchoices.svg`, creativeType: 'image/svg+xml',
  iFrameResource: '', htmlResource: '', clickThrough: '', clickTracking: [`${base}/beacon/icon-click`],
  viewTracking: [`${base}/beacon/icon-view`], fallbackImages: [], ...o,
});
const start = (icons, o = {}) => ({ availId: 'a1', adId: 'ad1', adPlayhead: 0, duration: 10, icons, ...o });

async function setup(page) {
  await page.evaluate(async () => {
    const { createIconRenderer } = await import('/web/ui/icons.js');
    window.s = new window.FakeSession();
    window.icons = createIconRenderer(window.s, document.getElementById('content'), document.getElementById('player'));
  });
}
const count = (page) => page.evaluate(() => document.querySelectorAll('#player .ak-icon').length);
const tracked = (page) => page.evaluate(() => window.s.calls.filter((c) => c.m === 'fireTracking').map((c) => `${c.eventType}:${c.key}`));

test('icons follow ad time, and a unit that draws its own (adicons) removes them for its ad only', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    await setup(page);
    await page.evaluate((ic) => window.s.emit('adstart', { availId: 'a1', adId: 'ad1', adPlayhead: 0, duration: 10, icons: ic }),
      [icon(srv.base, { offset: 2 }), icon(srv.base, { program: 'GoogleWhyThisAd', duration: 3, xPosition: 'left' })]);
    assert.equal(await count(page), 1, 'only the icon whose offset has passed');
    await page.evaluate(() => window.s.emit('adprogress', { availId: 'a1', adId: 'ad1', adPlayhead: 2.5 }));
    assert.equal(await count(page), 2);
    await page.evaluate(() => window.s.emit('adprogress', { availId: 'a1', adId: 'ad1', adPlayhead: 3.1 }));
    assert.equal(await count(page), 1, 'the 3 s icon left');
    await page.evaluate(() => window.s.emit('adicons', { availId: 'other', adId: 'x', adIcons: true }));
    assert.equal(await count(page), 1, 'another ad\'s unit changes nothing');
    await page.evaluate(() => window.s.emit('adicons', { availId: 'a1', adId: 'ad1', adIcons: true }));
    assert.equal(await count(page), 0);
    await page.evaluate(() => window.s.emit('adprogress', { availId: 'a1', adId: 'ad1', adPlayhead: 4 }));
    assert.equal(await count(page), 0, 'and they do not come back');
    await page.evaluate(() => window.icons.destroy());
    assert.equal(await page.evaluate(() => document.querySelectorAll('#player .ak-icons').length), 0);
  } finally {
    await context.close();
  }
});

test('hostile icons: script resources refused, frames opaque, javascript: click-throughs never opened', async () => {
  const { context, page, popups } = await openHost(browser, srv);
  try {
    await setup(page);
    await page.evaluate((ic) => window.s.emit('adstart', { availId: 'a1', adId: 'ad1', adPlayhead: 0, duration: 10, icons: ic }), [
      icon(srv.base, { program: 'script', staticResource: `${srv.base}/creatives/vpaid-hostile.js`, creativeType: 'application/javascript' }),
      icon(srv.base, { program: 'html', staticResource: '', htmlResource: '<script>try{parent.document.body.innerHTML="<h1>pwned</h1>"}catch(e){}</script>' }),
      icon(srv.base, { program: 'js-click', xPosition: 'left', clickThrough: 'javascript:alert(document.cookie)' }),
    ]);
    const drawn = await page.evaluate(() => [...document.querySelectorAll('#player .ak-icon')].map((b) => ({
      program: b.dataset.program, sandbox: b.querySelector('iframe')?.getAttribute('sandbox') ?? null,
    })));
    assert.deepEqual(drawn.map((d) => d.program), ['html', 'js-click'], 'the script StaticResource is not drawn');
    assert.ok(!drawn[0].sandbox.includes('allow-same-origin'), drawn[0].sandbox);
    await page.click('.ak-icon[data-program="js-click"]');
    await page.waitForFunction(() => window.s.calls.some((c) => c.eventType === 'iconClickTracking'));
    assert.equal(popups.length, 0, 'no window for a javascript: click-through');
    assert.equal(await page.evaluate(() => !!document.querySelector('.ak-icon-panel')), false, 'no fallback images: no panel');
    const st = await canaryState(page);
    assert.equal(st.domIntact, true);
    assert.ok((await tracked(page)).includes('iconClickTracking:icon:2:click:1'));
  } finally {
    await context.close();
  }
});

// The icon layer is loaded by the first ad with icons (web/core/mount.js).
// What comes for that ad while the module loads is not lost: a unit's
// adicons keeps its icons off, and the impression lets a view count.
test('loaded lazily: an adicons or an impression that comes while the module loads still counts', async () => {
  const { context, page } = await openHost(browser, srv);
  try {
    const got = await page.evaluate(async (ics) => {
      const { mountParts } = await import('/web/core/mount.js');
      const until = async (f) => { for (let i = 0; i < 100 && !f(); i++) await new Promise((r) => setTimeout(r, 50)); };
      const out = {};
      for (const [name, follow] of [['adicons', 'adicons'], ['impression', 'beacon']]) {
        const s = new window.FakeSession();
        s.video = document.getElementById('content');
        s.container = document.getElementById('player');
        const parts = await mountParts(s, { ui: false, nonLinear: false, vpaid: false, simid: false, omid: false }, () => {});
        const lazy = parts.find((p) => p.name === 'icons');
        // Both in the same task as adstart, before the module can arrive.
        s.emit('adstart', { availId: 'a1', adId: 'ad1', adPlayhead: 0, duration: 10, icons: ics });
        if (follow === 'adicons') s.emit('adicons', { availId: 'a1', adId: 'ad1', adIcons: true });
        else s.emit('beacon', { availId: 'a1', adId: 'ad1', eventType: 'impression' });
        await until(() => lazy.part);
        if (follow === 'beacon') await until(() => s.calls.some((c) => c.eventType === 'iconViewTracking'));
        else await new Promise((r) => setTimeout(r, 500)); // time for an icon image to load, were one drawn
        out[name] = {
          loaded: !!lazy.part,
          drawn: document.querySelectorAll('#player .ak-icon').length,
          views: s.calls.filter((c) => c.eventType === 'iconViewTracking').length,
        };
        for (const p of parts) p.destroy();
      }
      return out;
    }, [icon(srv.base)]);
    assert.deepEqual(got.adicons, { loaded: true, drawn: 0, views: 0 }, 'the unit draws its own: none drawn, no view');
    assert.deepEqual(got.impression, { loaded: true, drawn: 1, views: 1 }, 'the impression during the load lets the view count');
  } finally {
    await context.close();
  }
});
