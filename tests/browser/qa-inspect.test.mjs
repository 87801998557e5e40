// qa-inspect.test.mjs: the QA page's Inspect panel as a tester uses it:
// paste a tracking JSON (here shaped like the response captured from the
// real service), a broken one, a tracking URL and a session-init URL; drop
// a file; export the result. The linting is the Go linter run by
// inspect.wasm in a worker.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startEmulator, launchBrowser } from './harness.mjs';

const ACCOUNT = '4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
let emu;
let browser;

before(async () => {
  emu = await startEmulator();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await emu?.stop();
});

// REAL_LIKE has the quirks of the captured response: an unfilled PT0S
// avail whose breakEnd is listed before breakStart, anchor 0, null token.
const REAL_LIKE = JSON.stringify({
  avails: [{
    adBreakTrackingEvents: [
      { beaconUrls: ['https://ads.example/interaction?e=end'], eventType: 'breakEnd' },
      { beaconUrls: ['https://ads.example/interaction?e=start'], eventType: 'breakStart' },
    ],
    adMarkerDuration: 'PT0S', ads: [], availId: '0', availProgramDateTime: null, duration: 'PT0S',
    durationInSeconds: 0, meta: null, nonLinearAdsList: [], startTime: 'PT0S', startTimeInSeconds: 0,
  }],
  dashAvailabilityStartTime: null, hlsAnchorMediaSequenceNumber: 0, nextToken: null, nonLinearAvails: [],
}, null, 2);

async function openQA() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${emu.base}/index.html`);
  return { page, errors, close: () => context.close() };
}

// inspect pastes input, presses Inspect and waits for the summary.
async function inspect(page, input) {
  await page.fill('#insp-input', input);
  await page.click('#insp-run');
  await page.waitForFunction(() => !/inspecting|^$/.test(document.getElementById('insp-sum').textContent), null, { timeout: 30000 });
  return shown(page);
}

const shown = (page) => page.evaluate(() => ({
  summary: document.getElementById('insp-sum').textContent,
  error: document.getElementById('insp-error').textContent,
  findings: [...document.querySelectorAll('#insp-findings tbody tr')].map((tr) => [...tr.cells].slice(0, 3).map((c) => c.textContent)),
  avails: [...document.querySelectorAll('#insp-timeline .insp-avail')].map((a) => ({ id: a.dataset.availId, unfilled: 'unfilled' in a.dataset, ads: a.querySelectorAll('.insp-ad').length })),
  schedule: [...document.querySelectorAll('#insp-schedule tbody tr')].map((tr) => ({ at: tr.cells[0].textContent, type: tr.cells[1].textContent, trigger: tr.cells[4].textContent })),
  exportable: !document.getElementById('insp-export').disabled,
}));

test('pasted JSON like the real capture: findings with severity, unfilled avail drawn, breakStart scheduled first', async () => {
  const { page, errors, close } = await openQA();
  try {
    const s = await inspect(page, REAL_LIKE);
    assert.equal(s.error, '');
    assert.deepEqual(s.findings, [
      ['warning', 'break-end-before-start', 'avails[0].adBreakTrackingEvents[0]'],
      ['info', 'avail-no-ads', 'avails[0]'],
    ]);
    assert.deepEqual(s.avails, [{ id: '0', unfilled: true, ads: 0 }]);
    assert.deepEqual(s.schedule.map((b) => b.type), ['breakStart', 'breakEnd'], 'fired in time order, not list order');
    assert.match(s.summary, /0 error · 1 warning · 1 info/);
    // The code's meaning is one hover away.
    assert.match(await page.getAttribute('#insp-findings tbody tr:nth-child(2) td:nth-child(2)', 'title'), /unfilled/);
    assert.equal(s.exportable, true);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a document that does not decode: the JSON path and what was expected', async () => {
  const { page, close } = await openQA();
  try {
    const s = await inspect(page, '{"avails":[{"availId":"1","ads":[{"adId":"a","trackingEvents":{"eventType":"impression"}}]}]}');
    assert.match(s.error, /^decode error at avails\[0\]\.ads\[0\]\.trackingEvents: .*array.*\(line 1, column \d+\)$/);
    assert.deepEqual(s.findings, []);
    assert.equal(s.exportable, true, 'the decode error can be exported too');
    assert.equal(await page.evaluate(() => window.__qaInspect.last.report.error.path), 'avails[0].ads[0].trackingEvents');
  } finally {
    await close();
  }
});

test('session-init URL and tracking URL: the session is started, its tracking linted; export saves it all', async () => {
  const { page, errors, close } = await openQA();
  try {
    const s = await inspect(page, `${emu.base}/v1/session/${ACCOUNT}/availkit/vod/index.m3u8`);
    assert.equal(s.error, '');
    assert.equal(s.avails.length, 2, 'pre-roll and mid-roll');
    assert.ok(s.avails.every((a) => a.ads > 0 && !a.unfilled), JSON.stringify(s.avails));
    const playback = s.schedule.filter((b) => b.trigger === 'playback').map((b) => b.type);
    assert.equal(playback[0], 'breakStart');
    assert.ok(playback.includes('impression') && playback.includes('complete'), playback.join());
    const times = s.schedule.filter((b) => b.trigger === 'playback').map((b) => Number(b.at));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'the schedule is in playback order');

    const inspected = await page.evaluate(() => window.__qaInspect.last);
    assert.deepEqual(inspected.requests.map((r) => r.split(' ')[0]), ['POST', 'GET', 'GET', 'GET'],
      'init, multivariant playlist, media playlist, tracking');
    const download = page.waitForEvent('download');
    await page.click('#insp-export');
    const file = await (await download).path();
    const saved = JSON.parse(await readFile(file, 'utf8'));
    assert.equal(saved.source, inspected.source);
    assert.equal(saved.report.findings.length, s.findings.length);
    assert.equal(saved.report.schedule.length, s.schedule.length);
    assert.equal(saved.report.timeline.length, 2);

    // The tracking URL alone gives the same document.
    const t = await inspect(page, inspected.source);
    assert.deepEqual(t.avails, s.avails);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a dropped file is inspected', async () => {
  const { page, close } = await openQA();
  try {
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'capture.json', { type: 'application/json' }));
      const target = document.getElementById('insp-form');
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, REAL_LIKE);
    await page.waitForFunction(() => /warning/.test(document.getElementById('insp-sum').textContent), null, { timeout: 30000 });
    const s = await shown(page);
    assert.equal(s.findings.length, 2);
    assert.equal(await page.inputValue('#insp-input'), REAL_LIKE);
  } finally {
    await close();
  }
});

test('an unreachable URL says so', async () => {
  const { page, close } = await openQA();
  try {
    const s = await inspect(page, 'http://127.0.0.1:9/v1/tracking/a/b/c');
    assert.match(s.error, /^tracking: http:\/\/127\.0\.0\.1:9\/v1\/tracking\/a\/b\/c: .*CORS/);
    assert.equal(s.summary, 'failed');
  } finally {
    await close();
  }
});
