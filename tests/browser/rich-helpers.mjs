// rich-helpers.mjs: shared harness for the rich-ads browser tests
// (rich-*.test.mjs). It serves web/, the emulator's creatives and media from
// the checkout on a local port, records every /beacon/* hit (the hostile
// fixtures report what they managed to read there), and provides a host page
// with a canary and a FakeSession: an EventTarget with the Session methods the
// rich-ads modules call (vpaidEvent, vpaidStopped, fireTracking,
// companionsFromVAST), recording
// each call. The real Session lives in web/availkit.js; these tests pin the
// rich-ads side of that seam.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const types = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html; charset=utf-8',
  '.png': 'image/png', '.mp4': 'video/mp4', '.json': 'application/json', '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

const mounts = [
  ['/web/', path.join(root, 'web')],
  ['/creatives/', path.join(root, 'internal/emulator/creatives')],
  ['/media/', path.join(root, 'media')],
];

const fakeSession = `
export class FakeSession extends EventTarget {
  constructor() { super(); this.calls = []; }
  vpaidEvent(name, data) { this.calls.push({ m: 'vpaidEvent', name, data, t: performance.now() }); }
  vpaidStopped(result) { this.calls.push({ m: 'vpaidStopped', result, t: performance.now() }); }
  fireTracking(t) { this.calls.push({ m: 'fireTracking', ...t, t: performance.now() }); }
  // The core parses a unit's getAdCompanions XML (tested in Go and Node);
  // the fake records the text it was handed and answers one companion.
  companionsFromVAST(xml) {
    this.calls.push({ m: 'companionsFromVAST', xml, t: performance.now() });
    return [{ attributes: { width: '300', height: '250' }, staticResource: 'https://ads.test/unit.png' }];
  }
  emit(type, detail) { this.dispatchEvent(new CustomEvent(type, { detail })); }
  names(m) { return this.calls.filter((c) => c.m === m).map((c) => c.name || c.eventType); }
}
`;

// hostPage sets the canary in every place a hostile creative would look.
const hostPage = (canary) => `<!doctype html>
<html><head><meta charset="utf-8"><title>rich-ads host</title>
<style>
  body { margin: 0; font: 14px sans-serif; }
  #player { position: relative; width: 640px; height: 360px; background: #111; }
  #content { width: 100%; height: 100%; display: block; }
  .slot { display: inline-block; border: 1px dashed #999; margin: 4px; vertical-align: top; }
</style></head>
<body>
<div id="player"><video id="content" muted playsinline loop preload="auto" src="/media/progressive/vpaid-video.mp4"></video></div>
<div id="slots">
  <div class="slot" id="slot-side" style="width:300px;height:250px"></div>
  <div class="slot" id="slot-banner" style="width:728px;height:90px"></div>
  <div class="slot" id="slot-small" style="width:120px;height:60px"></div>
</div>
<div id="spacer" style="height:3000px"></div>
<div class="slot" id="slot-far" style="width:300px;height:250px"></div>
<script>
  window.canary = ${JSON.stringify(canary)};
  document.cookie = 'canary=' + ${JSON.stringify(canary)} + '; path=/';
  localStorage.setItem('canary', ${JSON.stringify(canary)});
  window.__alive = true;
</script>
<script type="module">
  import { FakeSession } from '/test/fake-session.js';
  window.FakeSession = FakeSession;
  window.harnessReady = true;
</script>
</body></html>`;

// startServer serves the harness on 127.0.0.1:port. hits collects every
// /beacon/* and /pwned request ({path, query}).
export async function startServer(port, { canary = 'canary-' + Math.random().toString(36).slice(2) } = {}) {
  const hits = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, `http://127.0.0.1:${port}`);
    const p = decodeURIComponent(u.pathname);
    if (p.startsWith('/beacon/') || p === '/pwned') {
      hits.push({ path: p, query: Object.fromEntries(u.searchParams), url: req.url });
      res.writeHead(p === '/pwned' ? 200 : 204, { 'cache-control': 'no-store' });
      res.end(p === '/pwned' ? 'pwned' : undefined);
      return;
    }
    if (p === '/host.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(hostPage(canary));
      return;
    }
    if (p === '/test/fake-session.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(fakeSession);
      return;
    }
    if (p === '/landing') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>landing</title>landing');
      return;
    }
    for (const [prefix, dir] of mounts) {
      if (!p.startsWith(prefix)) continue;
      const file = path.join(dir, p.slice(prefix.length));
      if (!file.startsWith(dir)) break;
      fs.readFile(file, (err, body) => {
        if (err) {
          res.writeHead(404);
          res.end();
          return;
        }
        const headers = { 'content-type': types[path.extname(file)] || 'application/octet-stream' };
        const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range || '');
        if (range) {
          const start = Number(range[1]);
          const end = range[2] ? Number(range[2]) : body.length - 1;
          res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${body.length}`, 'accept-ranges': 'bytes' });
          res.end(body.subarray(start, end + 1));
          return;
        }
        res.writeHead(200, { ...headers, 'accept-ranges': 'bytes', 'content-length': body.length });
        res.end(body);
      });
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    base: `http://127.0.0.1:${port}`,
    canary,
    hits,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

// launch starts headless Chromium. Autoplay is allowed because the tests
// drive playback without a user gesture.
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required', '--mute-audio'],
  });
}

// openHost opens the host page in a fresh context and waits for the harness.
export async function openHost(browser, srv) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  const popups = [];
  context.on('page', (p) => popups.push(p));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${srv.base}/host.html`);
  await page.waitForFunction(() => window.harnessReady === true);
  return { context, page, popups, errors };
}

// canaryState reads the canary from every place it was planted.
export async function canaryState(page) {
  return page.evaluate(() => ({
    canary: window.canary,
    cookie: document.cookie,
    storage: localStorage.getItem('canary'),
    alive: window.__alive === true,
    url: location.pathname,
    // The hostile fixtures replace the body with <h1>pwned</h1>.
    domIntact: !!document.getElementById('player') && !!document.getElementById('slots') && !document.querySelector('h1'),
  }));
}
