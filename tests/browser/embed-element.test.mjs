// <availkit-player> lifecycle as a CMS exercises it: bad attributes give an
// `embed` error and no session; a session attribute change starts exactly one
// new session (several changes in one task coalesce); media attributes apply
// in place; moving the element keeps its session; a page's own hls.js copy
// (window.Hls) is used instead of the bundled one; an error found while an
// element in the HTML starts reaches a listener added by a later module
// script; companion slots sit below the black video box, not on it.
//
// Needs dist/ built (./build.sh). Ports 18307 (emulator), 18308 (page).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startEmulator, launchBrowser, waitFor, ROOT } from './harness.mjs';
import { startPageServer } from './embed-server.mjs';
import { embedPages, initUrl } from './embed-pages.mjs';

// parsed.html has the element in its HTML with bad ads-params; the page's
// own module script (late.js) comes after it, as a CMS template puts it,
// and a DOMContentLoaded handler adds another listener.
const parsedPages = {
  '/page/parsed.html': { type: 'text/html; charset=utf-8', body: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>parsed</title>
<script type="module" src="/dist/element/availkit-player.js"></script>
</head><body>
<availkit-player id="bad" session-init-url="${initUrl('vod/index.m3u8')}" ads-params='{bad'></availkit-player>
<script type="module" src="/page/late.js"></script>
</body></html>
` },
  '/page/late.js': { body: `
const el = document.getElementById('bad');
window.__late = { upgraded: typeof el.lastError !== 'undefined', lastError: el.lastError && { ...el.lastError }, heard: [], dcl: [] };
el.addEventListener('error', (e) => window.__late.heard.push(e.detail));
document.addEventListener('DOMContentLoaded', () => el.addEventListener('error', (e) => window.__late.dcl.push(e.detail)));
` },
};

let emu;
let web;
let browser;

before(async () => {
  emu = await startEmulator({ port: 18307, publicBase: 'http://127.0.0.1:18308' });
  web = await startPageServer({
    port: 18308,
    emulator: emu.base,
    pages: { ...embedPages('/dist/element/availkit-player.js', 'element lifecycle'), ...parsedPages },
    mounts: { '/dist/': path.join(ROOT, 'dist'), '/pages/': path.join(ROOT, 'tests/browser/pages'), '/hls/': path.join(ROOT, 'node_modules/hls.js/dist') },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await web?.stop();
  await emu?.stop();
});

async function open() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.seen = new Set();
  page.on('request', (r) => page.seen.add(new URL(r.url()).pathname));
  await page.goto(`${web.base}/page/index.html`);
  await page.waitForFunction(() => window.embedReady === true, null, { timeout: 15000 });
  return { context, page };
}

const sessionOf = (page, id) => waitFor(async () => (await page.evaluate((x) => window.embed.state(x), id))?.sessionId,
  { timeout: 20000, what: `${id} session` });

test('element: invalid attributes are reported as embed errors, no session starts', async (t) => {
  const { context, page } = await open();
  try {
    const cases = [
      { name: 'ads-params not JSON', attrs: { 'ads-params': '{deviceType:web}' }, re: /ads-params is not valid JSON/ },
      { name: 'origin-params not an object', attrs: { 'origin-params': '42' }, re: /origin-params must be a JSON object/ },
      { name: 'companion-slots selector matches nothing', attrs: { 'companion-slots': '[{"selector":"#nope"}]' }, re: /companion-slots: no element matches/ },
      // A value the core would refuse: before, the session started and played
      // its ads without the core, which then refused the option.
      { name: 'no-skip not a policy', attrs: { 'no-skip': 'sometimes' }, re: /no-skip must be "last", "first", "all", "off", not "sometimes"/ },
      { name: 'engine not an engine', attrs: { engine: 'flash' }, re: /engine must be "auto", "hls", "dash", "native", not "flash"/ },
      { name: 'unloadable player library', attrs: { 'hls-src': '/missing/hls.mjs' }, re: /missing\/hls\.mjs|Failed to fetch|import/i },
    ];
    for (const [i, c] of cases.entries()) {
      await t.test(c.name, async () => {
        const id = `bad${i}`;
        await page.evaluate(([x, a]) => window.embed.add(x, a), [id, { 'session-init-url': initUrl('vod/index.m3u8'), ...c.attrs }]);
        const errs = await waitFor(async () => {
          const e = await page.evaluate((x) => window.embed.events(x, 'error'), id);
          return e.length ? e : null;
        }, { timeout: 15000, what: `${c.name}: error event` });
        assert.equal(errs[0].detail.kind, 'embed');
        assert.match(errs[0].detail.message, c.re);
        const st = await page.evaluate((x) => window.embed.state(x), id);
        if (!c.attrs['hls-src']) assert.equal(st.sessionId, '', 'no session was created');
      });
    }
    assert.deepEqual(page.errors, [], 'page errors');
  } finally {
    await context.close();
  }
});

test('element: attribute changes, moves and a page-provided hls.js', async () => {
  const { context, page } = await open();
  try {
    // The page brings its own hls.js as a global: the element must use it.
    await page.addScriptTag({ url: '/hls/hls.min.js' });
    await page.evaluate(() => {
      const Real = window.Hls;
      window.__hlsMade = 0;
      window.Hls = class extends Real { constructor(c) { super(c); window.__hlsMade++; } };
    });
    await page.evaluate((u) => window.embed.add('p', { 'session-init-url': u, 'ads-params': '{"scenario":"single"}', muted: '' }), initUrl('vod/index.m3u8'));
    const first = await sessionOf(page, 'p');
    assert.equal(await page.evaluate(() => window.__hlsMade), 1, 'the page global Hls was used');
    assert.ok(![...page.seen].some((p) => p.includes('/vendor/hls')), 'the bundled hls.js was not fetched');

    // Media attributes apply in place.
    await page.evaluate(() => {
      const el = document.getElementById('p');
      el.setAttribute('controls', '');
      el.removeAttribute('muted');
    });
    const v = await page.evaluate(() => { const x = document.getElementById('p').video; return { controls: x.controls, muted: x.muted }; });
    assert.deepEqual(v, { controls: true, muted: false });
    assert.equal((await page.evaluate(() => window.embed.state('p'))).sessionId, first, 'same session after media attribute changes');

    // A move (remove + append in one task) keeps the session.
    await page.evaluate(() => {
      const el = document.getElementById('p');
      const box = document.createElement('section');
      document.body.append(box);
      box.append(el);
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await page.evaluate(() => window.embed.state('p'))).sessionId, first, 'same session after a move');

    // Two session attributes changed in one task: one new session, the old one destroyed.
    const old = await page.evaluate(() => { window.__old = document.getElementById('p').session; return true; });
    assert.ok(old);
    await page.evaluate((u) => {
      const el = document.getElementById('p');
      el.setAttribute('session-init-url', u);
      el.setAttribute('ads-params', '{"scenario":"skippable"}');
    }, initUrl('vod/index.m3u8?x=2'));
    const second = await waitFor(async () => {
      const s = await page.evaluate(() => window.embed.state('p').sessionId);
      return s && s !== first ? s : null;
    }, { timeout: 20000, what: 'a new session' });
    await new Promise((r) => setTimeout(r, 500));
    const readies = (await page.evaluate(() => window.embed.events('p', 'ready'))).map((e) => e.detail.sessionId);
    assert.deepEqual(readies, [first, second], 'exactly one new session for two attribute changes');
    assert.equal(await page.evaluate(() => window.__old.destroyed), true, 'the old session was destroyed');
    assert.equal((await page.evaluate(() => window.embed.kitStats())).sessions, 1, 'one live core session');
    assert.deepEqual(page.errors, [], 'page errors');
  } finally {
    await context.close();
  }
});

test('element: a bad attribute in the HTML reaches the listener of a later module script, and stays readable', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${web.base}/page/parsed.html`);
    const late = await waitFor(async () => {
      const l = await page.evaluate(() => window.__late);
      return l && l.heard.length && l.dcl.length ? l : null;
    }, { timeout: 10000, what: 'the error at the listeners added by the page' });
    assert.equal(late.upgraded, true, 'the element module ran before the page script');
    for (const d of [late.heard[0], late.dcl[0], late.lastError]) {
      assert.equal(d?.kind, 'embed');
      assert.equal(d.source, 'element');
      assert.match(d.message, /ads-params is not valid JSON/);
    }
    assert.equal(late.heard.length, 1, 'dispatched once');
    // Fixing the attribute starts over: the old error is no longer the last.
    await page.evaluate(() => document.getElementById('bad').setAttribute('ads-params', '{"scenario":"single"}'));
    await page.waitForFunction(() => document.getElementById('bad').session, null, { timeout: 20000 });
    assert.equal(await page.evaluate(() => document.getElementById('bad').lastError), null);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('element: companion slots lay out below the video box, on the page background', async () => {
  const { context, page } = await open();
  try {
    await page.evaluate((u) => window.embed.add('c', { 'session-init-url': u }, { slot: true }), initUrl('vod/index.m3u8'));
    // The element's style sheets are <link>s in its shadow root: measured
    // once they have loaded (a busy machine takes a while).
    await page.waitForFunction(() => {
      const links = document.getElementById('c').shadowRoot.querySelectorAll('link[rel=stylesheet]');
      return links.length > 0 && [...links].every((l) => l.sheet);
    });
    const box = await page.evaluate(() => {
      const el = document.getElementById('c');
      const frame = el.shadowRoot.querySelector('[part=frame]');
      const comp = el.querySelector('[slot=companion]');
      return { host: getComputedStyle(el).backgroundColor, frame: getComputedStyle(frame).backgroundColor,
        frameBottom: frame.getBoundingClientRect().bottom, compTop: comp.getBoundingClientRect().top };
    });
    assert.equal(box.host, 'rgba(0, 0, 0, 0)', 'the element itself is transparent');
    assert.equal(box.frame, 'rgb(0, 0, 0)', 'the video box is black');
    assert.ok(box.compTop >= box.frameBottom, `companion top ${box.compTop} below the video box ${box.frameBottom}`);
  } finally {
    await context.close();
  }
});
