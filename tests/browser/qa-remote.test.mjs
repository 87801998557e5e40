// qa-remote.test.mjs: the QA page played against an endpoint that is not
// the emulator serving it. A second emulator, on another origin and with
// its /debug routes locked (--debug-token), stands in for a real
// MediaTailor: the page must start its session (CORS), play it, hide what
// only the emulator can fill (collector column, faults), and log the
// beacons as the plugin saw them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startEmulator, launchBrowser, waitFor } from './harness.mjs';

const ACCOUNT = '4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const TOKEN = 'not-for-the-page';
let home; // serves the QA page
let third; // the "third-party" endpoint
let cdn; // a CDN in front of third's tracking API, under its own path
let browser;

// startCDN serves third's tracking API as a host's CDN or own domain
// does: another origin, another path (/edge/mt/… for /v1/tracking/…),
// MediaTailor's CORS header passed on. It counts the requests it forwards.
function startCDN() {
  const hits = [];
  const server = createServer(async (req, res) => {
    const u = new URL(req.url, 'http://cdn');
    if (!u.pathname.startsWith('/edge/mt/')) return void res.writeHead(404).end();
    hits.push(req.url);
    const r = await fetch(`${third.base}/v1/tracking/${u.pathname.slice('/edge/mt/'.length)}${u.search}`);
    res.writeHead(r.status, { 'content-type': r.headers.get('content-type') || 'application/json', 'access-control-allow-origin': '*' });
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    base: `http://127.0.0.1:${server.address().port}`, hits, stop: () => new Promise((r) => server.close(r)),
  })));
}

before(async () => {
  home = await startEmulator();
  third = await startEmulator({ args: ['--debug-token', TOKEN] });
  cdn = await startCDN();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await cdn?.stop();
  await home?.stop();
  await third?.stop();
});

// thirdCollector reads what the third party's collector got (the test,
// unlike the page, holds the token).
async function thirdCollector(id) {
  const r = await fetch(`${third.base}/debug/sessions/${encodeURIComponent(id)}/beacons`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(r.status, 200);
  return r.json();
}

async function openQA(query) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const debugCalls = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/debug/')) debugCalls.push(r.url());
  });
  await page.goto(`${home.base}/index.html?${query}&autostart=1`);
  return { page, errors, debugCalls, close: () => context.close() };
}

// playBreak waits for the pre-roll to end and its beacons to be logged.
async function playBreak(page) {
  await page.waitForFunction(() => document.querySelector('#events li[data-type="adbreakend"]'), null, { timeout: 40000 });
  return page.evaluate(() => ({
    id: window.__qa.id,
    rows: window.__qa.beacons.rows,
    endpoint: document.body.dataset.endpoint,
    collectorTh: getComputedStyle(document.querySelector('#beacons thead th:nth-child(8)')).display,
    collectorTd: [...document.querySelectorAll('#beacons tbody tr td:nth-child(8)')].map((td) => getComputedStyle(td).display),
    faults: getComputedStyle(document.getElementById('faults')).display,
    note: getComputedStyle(document.querySelector('.p-params .remote-only')).display,
    summary: document.getElementById('beacon-sum').textContent,
    info: document.querySelector('#info [data-k="endpoint"]').textContent,
  }));
}

const assertRemoteView = async (v, id) => {
  assert.equal(v.endpoint, 'remote');
  assert.equal(v.collectorTh, 'none', 'collector column header hidden');
  assert.ok(v.collectorTd.length > 0 && v.collectorTd.every((d) => d === 'none'), 'collector cells hidden');
  assert.equal(v.faults, 'none', 'fault knobs hidden');
  assert.notEqual(v.note, 'none', 'the page says why');
  assert.match(v.info, /no collector/);
  assert.ok(v.rows.length >= 8, `pre-roll beacons logged: ${v.rows.length}`);
  assert.deepEqual([...new Set(v.rows.map((r) => r.status))], ['fired'], 'the plugin\'s own view: fired');
  assert.match(v.summary, new RegExp(`^${v.rows.length} fired · 0 failed`));
  // What the plugin says it fired is what reached the third party.
  const got = await waitFor(async () => {
    const hits = await thirdCollector(id);
    return hits.length >= v.rows.length ? hits : null;
  }, { timeout: 10000, what: 'the pre-roll beacons at the third party' });
  for (const r of v.rows) {
    assert.ok(got.some((h) => h.eventType === r.eventType), `${r.eventType} reached the endpoint`);
  }
};

test('a session-init URL on another origin: played, emulator-only columns hidden, beacons from the plugin\'s side', async () => {
  const init = `${third.base}/v1/session/${ACCOUNT}/availkit/vod/index.m3u8`;
  const { page, errors, debugCalls, close } = await openQA(`player=hls&rate=4&endpoint=${encodeURIComponent(init)}`);
  try {
    const v = await playBreak(page);
    assert.ok((await page.evaluate(() => window.__qa.session.trackingUrl)).startsWith(third.base), 'the session lives on the endpoint');
    await assertRemoteView(v, v.id);
    assert.ok(debugCalls.every((u) => !u.includes('/beacons') && !u.includes('/faults')), `no collector polling: ${debugCalls}`);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('manifest + tracking URLs of a session made elsewhere (DASH): played the same way', async () => {
  const r = await fetch(`${third.base}/v1/session/${ACCOUNT}/availkit/vod/index.mpd`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
  });
  const made = await r.json();
  const manifestUrl = new URL(made.manifestUrl, third.base).href;
  const trackingUrl = new URL(made.trackingUrl, third.base).href;
  const { page, errors, close } = await openQA(`player=hls&rate=4&manifestUrl=${encodeURIComponent(manifestUrl)}&trackingUrl=${encodeURIComponent(trackingUrl)}`);
  try {
    const v = await playBreak(page);
    assert.equal(await page.evaluate(() => document.querySelector('select[name="player"]').value), 'dash', 'an .mpd picks dash.js');
    await assertRemoteView(v, v.id);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the emulator serving the page keeps its collector and faults', async () => {
  const { page, close } = await openQA('player=hls&rate=4');
  try {
    const v = await playBreak(page);
    assert.equal(v.endpoint, 'emulator');
    assert.notEqual(v.collectorTh, 'none');
    assert.notEqual(v.faults, 'none');
    assert.equal(v.note, 'none');
  } finally {
    await close();
  }
});

test('a tracking URL behind a CDN, without /v1/tracking/ in it: taken, and its polls fill the Tracking JSON panel and the timeline', async () => {
  const r = await fetch(`${third.base}/v1/session/${ACCOUNT}/availkit/vod/index.m3u8`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
  });
  const made = await r.json();
  const manifestUrl = new URL(made.manifestUrl, third.base).href;
  const trackingUrl = `${cdn.base}/edge/mt/${made.trackingUrl.split('/v1/tracking/')[1]}`;
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${home.base}/index.html?rate=4`);
    await page.click('#endpoint-toggle');
    await page.fill('input[name="manifestUrl"]', manifestUrl);
    // Copied without its scheme: refused, saying what to write instead.
    await page.fill('input[name="trackingUrl"]', trackingUrl.replace('http://', ''));
    await page.click('#start');
    await page.waitForFunction(() => document.getElementById('endpoint-err').textContent, null, { timeout: 5000 });
    assert.match(await page.textContent('#endpoint-err'), /^tracking URL: “127\.0\.0\.1:\d+\/edge\/mt\/.+” has no scheme: write https:\/\/ \(or http:\/\/\) in front of it$/);
    assert.equal(await page.evaluate(() => window.__qa), undefined, 'no session started');

    await page.fill('input[name="trackingUrl"]', trackingUrl);
    assert.equal(await page.textContent('#endpoint-err'), '', 'editing clears the message');
    await page.click('#start');
    // The plugin polls through the CDN, and the page shows what it got.
    await page.waitForFunction(() => /^\d+ polls? · last 200/.test(document.getElementById('tracking-sum').textContent), null, { timeout: 20000 });
    assert.ok(cdn.hits.length >= 1, 'polled through the CDN');
    assert.match(await page.textContent('#tracking'), /"avails"/);
    await page.waitForSelector('#tl-avails .tl-ad', { timeout: 5000 });
    assert.equal(await page.textContent('#info [data-k="tracking"]'), trackingUrl);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
