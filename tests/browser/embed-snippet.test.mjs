// embedSnippet (web/element/snippet.js): what the QA page offers CMS editors
// must parse, in a real browser, back into exactly the configuration it was
// made from — quotes, ampersands and "</script>" inside JSON included — and
// carry no inline script or style. Port 18315.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchBrowser, ROOT } from './harness.mjs';
import { startPageServer } from './embed-server.mjs';

let web;
let browser;
let page;

before(async () => {
  web = await startPageServer({
    port: 18315,
    pages: {
      '/s/index.html': { body: '<!doctype html><title>snippet</title><script type="module" src="/s/probe.js"></script>' },
      '/s/probe.js': {
        body: `import { embedSnippet } from '/dist/element/snippet.js';
window.parse = (cfg) => {
  let html;
  try { html = embedSnippet(cfg); } catch (e) { return { error: e.message }; }
  const doc = new DOMParser().parseFromString('<!doctype html><body>' + html, 'text/html');
  const scripts = [...doc.querySelectorAll('script')].map((s) => ({ type: s.type, src: s.getAttribute('src'), text: s.textContent }));
  const el = doc.querySelector('availkit-player');
  const attrs = el ? Object.fromEntries([...el.attributes].map((a) => [a.name, a.value])) : null;
  const slots = el ? [...el.children].map((c) => ({ slot: c.slot, ...c.dataset, style: c.getAttribute('style') })) : [];
  const styled = doc.querySelectorAll('[style], style').length;
  const links = [...doc.querySelectorAll('link')].map((l) => [l.rel, l.getAttribute('href'), l.getAttribute('as') || '', l.hasAttribute('crossorigin')].join(' '));
  return { html, scripts, links, attrs, slots, styled, elements: doc.querySelectorAll('availkit-player').length };
};
window.ready = true;`,
      },
    },
    mounts: { '/dist/': path.join(ROOT, 'dist') },
  });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${web.base}/s/index.html`);
  await page.waitForFunction(() => window.ready === true);
});

after(async () => {
  await browser?.close();
  await web?.stop();
});

const SCRIPT = 'https://cdn.example.com/availkit@0.1.0/element/availkit-player.js';

const cases = [
  {
    name: 'minimal: defaults are left out',
    cfg: { scriptUrl: SCRIPT, sessionInitUrl: 'https://mt.example/v1/session/a/b/index.m3u8', engine: 'auto', noSkip: 'last' },
    attrs: { 'session-init-url': 'https://mt.example/v1/session/a/b/index.m3u8' },
    slots: [],
  },
  {
    name: 'everything, with hostile JSON values',
    cfg: {
      scriptUrl: SCRIPT,
      sessionInitUrl: 'https://mt.example/v1/session/a/b/index.mpd?x=1&y="2"',
      adsParams: { deviceType: 'web', note: `it's "quoted" & <b>bold</b> </script><script>alert(1)</script>` },
      originParams: { auth_token: 'a&b' },
      engine: 'dash', noSkip: 'all', controls: true, autoplay: true, muted: true, poster: '/p.jpg',
      hlsSrc: '/hls.mjs', dashSrc: '/dash.mjs', wasmUrl: '/availkit.wasm', coreStart: 'first-frame',
      companionSlots: [{ width: 300, height: 250, adSlotId: 'side' }, { width: 728, height: 90 }],
    },
    attrs: {
      'session-init-url': 'https://mt.example/v1/session/a/b/index.mpd?x=1&y="2"',
      engine: 'dash', 'no-skip': 'all', poster: '/p.jpg', 'hls-src': '/hls.mjs', 'dash-src': '/dash.mjs', 'wasm-url': '/availkit.wasm',
      'core-start': 'first-frame',
      'ads-params': JSON.stringify({ deviceType: 'web', note: `it's "quoted" & <b>bold</b> </script><script>alert(1)</script>` }),
      'origin-params': JSON.stringify({ auth_token: 'a&b' }),
      controls: '', autoplay: '', muted: '',
    },
    slots: [
      { slot: 'companion', width: '300', height: '250', adSlotId: 'side', style: null },
      { slot: 'companion', width: '728', height: '90', style: null },
    ],
  },
];

for (const c of cases) {
  test(`embedSnippet: ${c.name}`, async () => {
    const r = await page.evaluate((cfg) => window.parse(cfg), c.cfg);
    assert.equal(r.error, undefined);
    assert.equal(r.elements, 1, 'one element');
    assert.deepEqual(r.scripts, [{ type: 'module', src: SCRIPT, text: '' }], 'one external module script, nothing inline');
    assert.equal(r.styled, 0, 'no inline style');
    assert.deepEqual(r.attrs, c.attrs);
    assert.deepEqual(r.slots, c.slots);
  });
}

test('embedSnippet: preload hints fetch the player library (and an eager core) while the page parses', async (t) => {
  const CDN = 'https://cdn.example.com/availkit@0.1.0/';
  const cases = [
    { name: 'hls by default', cfg: { sessionInitUrl: 'https://mt/v1/session/a/b/index.m3u8' }, lib: `${CDN}vendor/hls.min.mjs` },
    { name: 'dash for an .mpd', cfg: { sessionInitUrl: 'https://mt/v1/session/a/b/index.mpd' }, lib: `${CDN}vendor/dash.all.min.js` },
    { name: 'the host\'s URLs', cfg: { sessionInitUrl: 'https://mt/x.m3u8', hlsSrc: '/hls.mjs', wasmUrl: '/core.wasm', coreStart: 'eager' }, lib: '/hls.mjs', wasm: '/core.wasm', wasmPreload: true },
    { name: 'native: no library', cfg: { sessionInitUrl: 'https://mt/x.m3u8', engine: 'native' }, lib: null },
    {
      name: 'the minified element: the bundle entry',
      cfg: { sessionInitUrl: 'https://mt/x.m3u8', scriptUrl: `${CDN}element/availkit-player.min.js` },
      lib: `${CDN}vendor/hls.min.mjs`,
      entry: `${CDN}availkit.min.js`,
    },
    {
      name: 'an eager core: preloaded too',
      cfg: { sessionInitUrl: 'https://mt/x.m3u8', coreStart: 'eager' },
      lib: `${CDN}vendor/hls.min.mjs`,
      wasmPreload: true,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const r = await page.evaluate((cfg) => window.parse(cfg), { scriptUrl: SCRIPT, ...c.cfg });
      const want = [`preload ${c.wasm || `${CDN}availkit.wasm`} fetch true`, `modulepreload ${c.entry || `${CDN}availkit.js`}  false`];
      if (!c.wasmPreload) want.shift(); // the default core waits for the first frame
      if (c.lib) want.push(`modulepreload ${c.lib}  false`);
      assert.deepEqual(r.links, want);
    });
  }
  const off = await page.evaluate((cfg) => window.parse(cfg), { scriptUrl: SCRIPT, sessionInitUrl: 'https://mt/x.m3u8', preload: false });
  assert.deepEqual(off.links, []);
});

test('embedSnippet: refuses a configuration without the URLs it needs', async () => {
  for (const cfg of [{ sessionInitUrl: 'https://x/v1/session/a/b/i.m3u8' }, { scriptUrl: SCRIPT }]) {
    const r = await page.evaluate((x) => window.parse(x), cfg);
    assert.match(r.error || '', /required/);
  }
});
