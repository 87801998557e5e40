// Ad overlay in Chromium against a scripted session (no wasm, no emulator),
// served under a strict CSP: what a viewer sees and can do with the
// countdown, Skip, Learn more, the upcoming notice and the seek bar.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openStaticPage } from './harness.mjs';

let browser;
let context;
let page;

before(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 800, height: 500 } });
  page = await openStaticPage(context, 'overlay.html');
});

after(async () => {
  await browser?.close();
});

async function setup(opts, ui = {}) {
  await page.evaluate(([o, u]) => {
    window.fake.calls = [];
    window.fake.uiState = u;
    window.fake.currentTime = 30;
    window.mount(o);
  }, [opts, ui]);
}
const q = (s) => page.evaluate((x) => window.q(x), s);
const emit = (type, detail) => page.evaluate(([t, d]) => window.fake.emit(t, d), [type, detail]);
const setUI = (u) => page.evaluate((x) => {
  window.fake.uiState = x;
}, u);
const frame = () => page.evaluate(() => window.frame());
const calls = () => page.evaluate(() => window.fake.calls);

test('idle: nothing of the ad UI shows', async () => {
  await setup();
  assert.equal((await q('.ak-overlay')).attrs['data-state'], 'idle');
  assert.equal((await q('.ak-badge')).visible, false);
  assert.equal((await q('.ak-skip')).visible, false);
  assert.equal((await q('.ak-learn')).visible, false);
});

test('countdown badge', async (t) => {
  const cases = [
    { name: 'pod', ui: { inAd: true, adIndex: 2, adCount: 3, breakRemaining: 12.2, adRemaining: 4 }, want: 'Ad 2 of 3 · 0:13' },
    { name: 'single ad', ui: { inAd: true, adIndex: 1, adCount: 1, adRemaining: 9.01 }, want: 'Ad · 0:10' },
    { name: 'over a minute', ui: { inAd: true, adIndex: 1, adCount: 2, breakRemaining: 75 }, want: 'Ad 1 of 2 · 1:15' },
    { name: 'last instant still shows 0:01', ui: { inAd: true, adIndex: 3, adCount: 3, breakRemaining: 0.2 }, want: 'Ad 3 of 3 · 0:01' },
    {
      name: 'localised strings',
      opts: { strings: { adOf: 'Anuncio {index} de {count}', separator: ' – ' } },
      ui: { inAd: true, adIndex: 1, adCount: 2, breakRemaining: 30 },
      want: 'Anuncio 1 de 2 – 0:30',
    },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      await setup(c.opts, c.ui);
      await emit('adbreakstart', {});
      await emit('adstart', { index: c.ui.adIndex, count: c.ui.adCount });
      await frame();
      const b = await q('.ak-badge');
      assert.equal(b.visible, true);
      assert.equal(b.text, c.want);
    });
  }
});

test('countdown follows the session every frame', async () => {
  await setup(undefined, { inAd: true, adIndex: 1, adCount: 2, breakRemaining: 20 });
  await emit('adstart', {});
  await frame();
  assert.equal((await q('.ak-badge')).text, 'Ad 1 of 2 · 0:20');
  await setUI({ inAd: true, adIndex: 2, adCount: 2, breakRemaining: 7.5 });
  await frame();
  assert.equal((await q('.ak-badge')).text, 'Ad 2 of 2 · 0:08');
  await setUI({});
  await emit('adbreakend', {});
  await frame();
  assert.equal((await q('.ak-overlay')).attrs['data-state'], 'idle');
  assert.equal((await q('.ak-badge')).visible, false);
});

test('a SIMID ad granted more time counts down the granted duration, through the hold at its media end', async () => {
  await setup(undefined, { inAd: true, adIndex: 1, adCount: 1, adRemaining: 2, breakRemaining: 2 });
  await emit('adbreakstart', {});
  await emit('adstart', { index: 1, count: 1 });
  await frame();
  assert.equal((await q('.ak-badge')).text, 'Ad · 0:02', 'the stitched media alone');
  // The creative was granted 11 s of a 10 s ad, 8 s in: 3 s left, not 2.
  await emit('simidprogress', { availId: 'a', adId: 'b', duration: 11, remaining: 3, holding: false });
  await frame();
  assert.equal((await q('.ak-badge')).text, 'Ad · 0:03');
  // The media ends, the break too: the player holds for the extra second
  // and the badge stays, counting it down.
  await setUI({ inAd: false });
  await emit('adend', {});
  await emit('adbreakend', {});
  await emit('simidprogress', { availId: 'a', adId: 'b', duration: 11, remaining: 1, holding: true });
  await frame();
  assert.equal((await q('.ak-overlay')).attrs['data-state'], 'ad');
  const b = await q('.ak-badge');
  assert.equal(b.visible, true);
  assert.equal(b.text, 'Ad · 0:01');
  await emit('simidstate', { phase: 'done' });
  await frame();
  assert.equal((await q('.ak-overlay')).attrs['data-state'], 'idle');
});

test('Skip: counts down disabled, then skips through the session', async () => {
  await setup(undefined, { inAd: true, adIndex: 1, adCount: 1, adRemaining: 10, skippable: false, skipIn: 2.4 });
  await emit('adstart', {});
  await frame();
  let s = await q('.ak-skip');
  assert.equal(s.visible, true);
  assert.equal(s.text, 'Skip in 3');
  assert.equal(s.attrs['aria-disabled'], 'true');
  await page.click('.ak-skip', { force: true });
  assert.deepEqual(await calls(), [], 'a disabled Skip must not skip');

  await setUI({ inAd: true, adIndex: 1, adCount: 1, adRemaining: 7, skippable: true, skipIn: 0 });
  await emit('adskippable', {});
  await frame();
  s = await q('.ak-skip');
  assert.equal(s.text, 'Skip ad');
  assert.equal(s.attrs['aria-disabled'], 'false');
  assert.equal(s.attrs['aria-label'], 'Skip this ad');
  // Keyboard: Tab to it and press Enter.
  await page.focus('.ak-skip');
  await page.keyboard.press('Enter');
  assert.deepEqual(await calls(), [['skip']]);
});

test('a non-skippable ad shows no Skip', async () => {
  await setup(undefined, { inAd: true, adIndex: 1, adCount: 1, adRemaining: 10, skippable: false, skipIn: -1 });
  await emit('adstart', {});
  await frame();
  assert.equal((await q('.ak-skip')).visible, false);
});

test('Learn more: shown with a click-through, calls the session', async () => {
  await setup(undefined, { inAd: true, adIndex: 1, adCount: 1, adRemaining: 10, clickThrough: true });
  await emit('adstart', { clickThrough: 'https://example.com/' });
  await frame();
  const l = await q('.ak-learn');
  assert.equal(l.visible, true);
  assert.equal(l.text, 'Learn more');
  assert.match(l.attrs['aria-label'], /new window/);
  await page.click('.ak-learn');
  assert.deepEqual(await calls(), [['clickThrough']]);

  await setup(undefined, { inAd: true, adIndex: 1, adCount: 1, adRemaining: 10, clickThrough: false });
  await emit('adstart', {});
  await frame();
  assert.equal((await q('.ak-learn')).visible, false);
});

test('upcoming-break notice counts down to the break', async () => {
  await setup(undefined, {});
  await page.evaluate(() => {
    window.fake.currentTime = 50;
  });
  await emit('adbreakupcoming', { startTime: 54.6 });
  await frame();
  let u = await q('.ak-upcoming');
  assert.equal(u.visible, true);
  assert.equal(u.text, 'Ad break in 5');
  assert.equal(u.attrs.role, 'status');
  await page.evaluate(() => {
    window.fake.currentTime = 52.1;
  });
  await frame();
  assert.equal((await q('.ak-upcoming')).text, 'Ad break in 3');
  // Under a millisecond before it (a pre-roll held before its first
  // frame) the break is there: no "Ad break in 0".
  await page.evaluate(() => {
    window.fake.currentTime = 54.5995;
  });
  await frame();
  assert.equal((await q('.ak-upcoming')).visible, false);
  await emit('adbreakstart', {});
  await setUI({ inAd: true, adIndex: 1, adCount: 1, adRemaining: 5 });
  await frame();
  u = await q('.ak-upcoming');
  assert.equal(u.visible, false);
});

test('a seek sent back to a break says where the video goes on, until the break ends', async () => {
  await setup(undefined, {});
  await emit('snapback', { from: 10, to: 24, resumeAt: 58 });
  await emit('adbreakstart', {});
  await setUI({ inAd: true, adIndex: 1, adCount: 3, adRemaining: 5 });
  await frame();
  const u = await q('.ak-upcoming');
  assert.equal(u.visible, true);
  assert.equal(u.text, 'Ads first · your video continues at 0:58');
  await emit('adbreakend', {});
  await setUI({});
  await frame();
  assert.equal((await q('.ak-upcoming')).visible, false);
});

test('seek bar: avail markers where the breaks are', async () => {
  await page.evaluate(() => {
    window.fake.markerList = [{ start: 0, duration: 12 }, { start: 60, duration: 30, watched: true }];
  });
  await setup();
  const marks = await page.$$eval('.ak-bar-marker', (ms) => ms.map((m) => ({
    at: m.style.getPropertyValue('--ak-at'),
    span: m.style.getPropertyValue('--ak-span'),
    watched: m.hasAttribute('data-watched'),
    label: m.getAttribute('aria-label'),
    left: m.getBoundingClientRect().left - m.parentElement.getBoundingClientRect().left,
    width: m.parentElement.getBoundingClientRect().width,
  })));
  assert.equal(marks.length, 2);
  assert.deepEqual(marks.map((m) => [m.at, m.span, m.watched]), [['0.000%', '10.000%', false], ['50.000%', '25.000%', true]]);
  assert.equal(marks[1].label, 'Watched ad break at 1:00');
  assert.ok(Math.abs(marks[1].left - marks[1].width / 2) < 1.5, 'the 60 s marker sits at the middle of a 120 s bar');
  await emit('trackingupdate', {});
  assert.equal((await page.$$('.ak-bar-marker')).length, 2, 'refresh does not duplicate markers');
});

test('seek bar: keyboard and a drag seek through the session once', async () => {
  await page.evaluate(() => {
    window.fake.markerList = [];
  });
  await setup();
  const bar = await q('.ak-bar');
  assert.equal(bar.attrs.role, 'slider');
  assert.equal(bar.attrs['aria-valuemax'], '120');
  await page.focus('.ak-bar');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Home');
  assert.deepEqual(await calls(), [['seek', 35], ['seek', 0]]);

  await page.evaluate(() => {
    window.fake.calls = [];
  });
  const box = await page.$eval('.ak-bar-track', (e) => {
    const r = e.getBoundingClientRect();
    return { x: r.left, y: r.top + r.height / 2, w: r.width };
  });
  await page.mouse.move(box.x + box.w * 0.1, box.y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.w * 0.5, box.y, { steps: 5 });
  assert.deepEqual(await calls(), [], 'scrub preview must not seek');
  await page.mouse.move(box.x + box.w * 0.75, box.y, { steps: 3 });
  await page.mouse.up();
  const c = await calls();
  assert.equal(c.length, 1);
  assert.equal(c[0][0], 'seek');
  assert.ok(Math.abs(c[0][1] - 90) < 1, `seek to ${c[0][1]}, want 90`);
});

test('theme variables and no CSP violations', async () => {
  await setup({ theme: { accent: 'rgb(255, 0, 0)', '--ak-radius': '0px' } }, { inAd: true, adIndex: 1, adCount: 1, adRemaining: 5, skippable: true, skipIn: 0 });
  await emit('adstart', {});
  await frame();
  const bg = await page.$eval('.ak-skip', (e) => getComputedStyle(e).backgroundColor);
  assert.equal(bg, 'rgb(255, 0, 0)');
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(page.errors, []);
});

test('destroy removes the overlay, its listeners and its frame loop', async () => {
  const base = await page.evaluate(() => {
    window.overlay?.destroy();
    window.overlay = null;
    return { l: window.fake.listeners, leaks: window.__leaks.snapshot() };
  });
  await setup(undefined, { inAd: true, adIndex: 1, adCount: 2, breakRemaining: 20 });
  await emit('adstart', {});
  await frame();
  const r = await page.evaluate(() => {
    window.overlay.destroy();
    return { l: window.fake.listeners, nodes: document.querySelectorAll('.ak-overlay').length, leaks: window.__leaks.snapshot() };
  });
  assert.equal(r.nodes, 0);
  assert.equal(r.l, base.l);
  assert.deepEqual(r.leaks.listeners, base.leaks.listeners);
  assert.equal(r.leaks.frames, 0);
});
