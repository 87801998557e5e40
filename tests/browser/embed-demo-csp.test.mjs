// The QA demo page (index.html) under the strict CSP of README
// "Content-Security-Policy": start its default session, see ads and beacons,
// and no policy violation, page error or console error along the way.
//
// Needs dist/ built (./build.sh). Ports 18305 (emulator), 18306 (page).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startEmulator, launchBrowser, waitFor, ROOT } from './harness.mjs';
import { startPageServer, CSP } from './embed-server.mjs';

let emu;
let web;
let browser;

before(async () => {
  emu = await startEmulator({ port: 18305, publicBase: 'http://127.0.0.1:18306' });
  web = await startPageServer({
    port: 18306,
    emulator: emu.base,
    pages: { '/': { body: await (await import('node:fs/promises')).readFile(path.join(ROOT, 'index.html')), type: 'text/html; charset=utf-8' } },
    mounts: {
      '/dist/': path.join(ROOT, 'dist'),
      '/node_modules/hls.js/dist/': path.join(ROOT, 'node_modules/hls.js/dist'),
      '/node_modules/dashjs/dist/': path.join(ROOT, 'node_modules/dashjs/dist'),
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await web?.stop();
  await emu?.stop();
});

test('QA demo page under the strict CSP: a session plays ads and logs beacons', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
    });
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  try {
    const resp = await page.goto(`${web.base}/`);
    assert.equal(resp.headers()['content-security-policy'], CSP);
    await page.click('#start');
    await waitFor(() => page.evaluate(() => document.querySelectorAll('#beacons tbody tr').length >= 3),
      { timeout: 45000, every: 250, what: 'beacon log rows on the QA page' });
    assert.deepEqual(await page.evaluate(() => window.__violations), [], 'CSP violations');
    assert.deepEqual(errors, [], 'page and console errors');
  } finally {
    await context.close();
  }
});
