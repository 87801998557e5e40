// Creatives panel of the QA page (issue 6) in real Chromium: the real QA
// page (index.html) starts an emulator session whose ad is an MP3 creative,
// the panel fetches it from the emulator over HTTP and measures it with
// dist/inspect.wasm, and the test reads what a QA user sees in the panel.
// The emulator's bundled MP3s are the known answers (docs/emulator.md):
// good.mp3 lasts 10.0 s at -24 LUFS; bad.mp3 declares 10 s but lasts 11.5 s
// at -14 LUFS, outside the -24 ± 2 LUFS target. The panel finds them in the
// tracking JSON's mediaFilesList, which the emulator fills for audio-only
// ads as well as VPAID ones (docs/contracts.md).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, launchBrowser } from './harness.mjs';

let emu;
let browser;

const results = new Map(); // scenario → promise of its panel rows

before(async () => {
  emu = await startEmulator();
  browser = await launchBrowser();
  // Both sessions run side by side: each is one page load plus one decode.
  for (const c of cases) {
    const p = panel(c.scenario);
    p.catch(() => {}); // reported by its test
    results.set(c.scenario, p);
  }
});

after(async () => {
  await browser?.close();
  await emu?.stop();
});

// panel opens the QA page on scenario and waits until every row of the
// Creatives panel has a verdict; it returns the rows as shown.
async function panel(scenario) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const q = new URLSearchParams({ format: 'hls', kind: 'vod', player: 'hls', scenario, rate: '4', autostart: '1' });
    await page.goto(`${emu.base}/index.html?${q}`);
    // The scenario must really be selected: the page ignores values its
    // form does not offer and would then run the default ads.
    assert.equal(await page.$eval('select[name="scenario"]', (s) => s.value), scenario, 'QA page offers the scenario');
    // The panel lists what the tracking JSON's mediaFilesList names.
    await page.waitForFunction(() => /"avails"/.test(document.getElementById('tracking').textContent), null, { timeout: 20000 });
    try {
      await page.waitForSelector('#creatives .cr-row', { timeout: 5000 });
    } catch {
      const listed = await page.$eval('#tracking', (e) => JSON.stringify(
        JSON.parse(e.textContent).avails.flatMap((a) => a.ads.map((ad) => ad.mediaFiles))));
      assert.fail(`no Creatives row; the tracking JSON's media files: ${listed}`);
    }
    await page.waitForFunction(() => [...document.querySelectorAll('#creatives .cr-row')].every((r) => r.dataset.tone),
      null, { timeout: 30000 });
    const rows = await page.$$eval('#creatives .cr-row', (rs) => rs.map((r) => ({
      uri: r.dataset.uri,
      tone: r.dataset.tone,
      visible: r.checkVisibility(),
      title: r.querySelector('.cr-head b').textContent,
      status: r.querySelector('.cr-status').textContent,
      figures: r.querySelector('.cr-figures')?.textContent || '',
      verdicts: [...r.querySelectorAll('.cr-verdicts li')].map((li) => ({
        check: li.dataset.check, cls: li.className, text: li.textContent,
      })),
    })));
    assert.deepEqual(errors, [], 'no page errors');
    return rows;
  } finally {
    await context.close();
  }
}

// num reads the number before unit in text (a QA user's reading of it).
function num(text, re) {
  const m = re.exec(text);
  assert.ok(m, `${re} in ${JSON.stringify(text)}`);
  return Number(m[1].replace('−', '-'));
}

function verdict(row, check) {
  const v = row.verdicts.find((x) => x.check === check);
  assert.ok(v, `verdict ${check} in ${JSON.stringify(row.verdicts)}`);
  return v;
}

const near = (got, want, tol, what) => assert.ok(Math.abs(got - want) <= tol, `${what}: ${got}, want ${want} ± ${tol}`);

const cases = [
  {
    scenario: 'mp3',
    file: '/media/mp3/good.mp3',
    status: 'pass',
    tone: 'ok',
    duration: 10.0,
    drift: 0,
    loudness: -24,
    verdicts: { declared: 'ok', slot: 'ok', loudness: 'ok' },
  },
  {
    scenario: 'mp3-bad',
    file: '/media/mp3/bad.mp3',
    status: 'fail',
    tone: 'bad',
    duration: 11.5,
    drift: 1.5,
    loudness: -14,
    verdicts: { declared: 'bad', slot: 'bad', loudness: 'bad' },
  },
];

for (const c of cases) {
  test(`Creatives panel, scenario ${c.scenario}: ${c.status}`, async () => {
    const rows = await results.get(c.scenario);
    assert.equal(rows.length, 1, `one media file listed: ${JSON.stringify(rows)}`);
    const [row] = rows;
    assert.ok(row.uri.endsWith(c.file), `row for ${c.file}: ${row.uri}`);
    assert.ok(row.visible, 'row is visible');
    assert.equal(row.status, c.status, `status: ${JSON.stringify(row)}`);
    assert.equal(row.tone, c.tone);

    // The figures line: the real duration and loudness.
    near(num(row.figures, /^([\d.]+) s ·/), c.duration, 0.03, 'shown duration (s)');
    near(num(row.figures, /(-?[\d.]+) LUFS/), c.loudness, 0.5, 'shown loudness (LUFS)');
    assert.match(row.figures, /44\.1 kHz stereo/);

    for (const [check, cls] of Object.entries(c.verdicts)) {
      const v = verdict(row, check);
      assert.equal(v.cls, cls, `${check} verdict: ${v.text}`);
      assert.equal(v.text[0], cls === 'ok' ? '✓' : '✗', `${check} mark: ${v.text}`);
    }
    // What the verdicts tell the user, in their own words.
    const decl = verdict(row, 'declared').text;
    near(num(decl, /\(?([+-][\d.]+) s/), c.drift, 0.03, 'drift from declared (s)');
    near(num(decl, /declared ([\d.]+) s/), 10, 1e-9, 'declared duration (s)');
    const loud = verdict(row, 'loudness').text;
    near(num(loud, /(-?[\d.]+) LUFS/), c.loudness, 0.5, 'loudness verdict (LUFS)');
    if (c.status === 'fail') assert.match(loud, /too loud \(target -24 ± 2\)/);
    else assert.match(loud, /within -24 ± 2/);
  });
}

// The panel's inspector splits a decode across Web Workers; what it reports
// must not depend on that (the part order, the PCM hand-over).
test('inspector: split over Workers reports what one Worker does', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${emu.base}/index.html`); // the QA page, idle: no session
    const got = await page.evaluate(async () => {
      const { loadInspector } = await import('/dist/inspect/inspect.js');
      const out = {};
      for (const workers of [1, 3]) {
        const insp = await loadInspector({ workers });
        const r = await insp.inspectUrl('/media/mp3/bad.mp3', { declared: 10, slot: 10 });
        insp.close();
        out[workers] = r;
      }
      return out;
    });
    const strip = ({ elapsedMs, workers, ...r }) => r;
    assert.equal(got[1].ok, true, JSON.stringify(got[1]));
    assert.equal(got[3].workers, 3, 'the 11.5 s file was split');
    assert.deepEqual(strip(got[3]), strip(got[1]));
  } finally {
    await context.close();
  }
});
