// The minified bundle (dist/availkit.min.js, made by ./build.sh) in real
// Chromium with hls.js: a session with an ad container plays its ads, and
// only the parts its ads need are fetched. A plain VOD session loads the
// entry, its shared chunks, wasm_exec.js, the mounting code and the ad
// overlay, and none of the rich-ad parts (icons, non-linear, VPAID, SIMID,
// OM, companions); an ad with icons or a non-linear avail fetches its part
// and the part draws; a VPAID ad fetches the runner, whose frame page is
// found beside it (vpaid/frame.html) and whose unit starts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, launchBrowser, openPage, waitFor } from './harness.mjs';

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

const RICH = /\/(ui\/icons|overlay\/nonlinear|vpaid\/runner|simid\/host|omid\/driver|companions\/renderer)\.min\.js$/;

async function play(scenario, fn, kitOptions) {
  const context = await browser.newContext({ viewport: { width: 900, height: 600 } });
  try {
    const page = await openPage(context, emu.base, 'bundle.html');
    await page.evaluate(([s, o]) => window.b.start(s, o), [scenario, kitOptions]);
    await fn(page);
    assert.deepEqual(page.errors, [], 'no page errors');
    await page.evaluate(() => window.b.destroy());
  } finally {
    await context.close();
  }
}

test('plain VOD: the ads play and no rich-ad part is fetched', async () => {
  await play('', async (page) => {
    await waitFor(() => page.evaluate(() => window.b.adsEnded() >= 1), { timeout: 60000, what: 'an ad ended' });
    const js = await page.evaluate(() => window.b.js());
    assert.ok(js.includes('/dist/availkit.min.js'), js.join(' '));
    assert.ok(js.includes('/dist/wasm_exec.js'), js.join(' '));
    assert.ok(js.includes('/dist/ui/overlay.min.js'), 'the overlay of a session with a container');
    assert.deepEqual(js.filter((p) => RICH.test(p)), [], 'rich-ad parts');
    assert.deepEqual(js.filter((p) => !/\.min\.js$|\/chunk-[A-Z0-9]+\.js$|\/wasm_exec\.js$/.test(p)), [], 'unbundled modules');
    // The core's warm-up (client.WarmUp) ran once, after the core started.
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name).filter((n) => /^availkit:(ready|warm)$/.test(n)));
    assert.deepEqual(marks, ['availkit:ready', 'availkit:warm']);
  });
});

for (const { scenario, part, selector } of [
  { scenario: 'icons', part: '/dist/ui/icons.min.js', selector: '.ak-icon' },
  { scenario: 'nonlinear', part: '/dist/overlay/nonlinear.min.js', selector: '.ak-nonlinear' },
]) {
  test(`${scenario}: the part is fetched when its ad comes, and draws`, async () => {
    await play(scenario, async (page) => {
      await waitFor(() => page.evaluate((s) => window.b.count(s) > 0, selector), { timeout: 60000, what: `${selector} on screen` });
      const js = await page.evaluate(() => window.b.js());
      assert.deepEqual(js.filter((p) => RICH.test(p)), [part]);
    });
  });
}

test('vpaid: the runner is fetched with its ad, loads vpaid/frame.html beside it, and the unit starts', async () => {
  await play('vpaid', async (page) => {
    await waitFor(() => page.evaluate(() => window.b.vpaidStarts() > 0), { timeout: 60000, what: 'vpaidstart' });
    // The runner is fetched on vpaidstart and makes its frame once loaded
    // (its resource entry is there from then on, not at vpaidstart).
    const frames = await waitFor(async () => {
      const f = await page.evaluate(() => window.b.frames());
      return f.length > 0 ? f : null;
    }, { timeout: 10000, what: 'the VPAID frame' });
    assert.ok(frames.every((p) => p === '/dist/vpaid/frame.html'), JSON.stringify(frames));
    const js = await page.evaluate(() => window.b.js());
    assert.deepEqual(js.filter((p) => RICH.test(p)), ['/dist/vpaid/runner.min.js']);
  });
});

test('relative wasmUrl and wasmExecUrl are the page\'s, as a bundler\'s ?url import gives them; a bad one rejects with a config error', async () => {
  const context = await browser.newContext();
  try {
    const page = await openPage(context, emu.base, 'bundle.html');
    const out = await page.evaluate(async () => {
      const { AvailKit } = await import('/dist/availkit.min.js');
      const kit = await AvailKit.load({ wasmUrl: '/dist/availkit.wasm', wasmExecUrl: '/dist/wasm_exec.js' });
      const bad = await AvailKit.load({ wasmUrl: 'http://[bad', wasmExecUrl: '/dist/wasm_exec.js' }).then(() => null, (e) => e);
      return { version: kit.version, bad: bad && { name: bad.name, kind: bad.kind, message: bad.message } };
    });
    assert.match(out.version, /\S/, 'the core runs');
    assert.equal(out.bad?.name, 'AvailKitError');
    assert.equal(out.bad?.kind, 'config');
    assert.match(out.bad?.message, /wasmUrl/);
  } finally {
    await context.close();
  }
});

test('a page whose module code loads the core from its own URLs fetches no default copy', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const got = [];
    page.on('request', (r) => { if (r.resourceType() !== 'document') got.push(new URL(r.url()).pathname + new URL(r.url()).search); });
    await page.goto(`${emu.base}/dist/wasm_exec.js`); // a document of this origin that imports nothing
    await page.addScriptTag({ type: 'module', content: `
      import { AvailKit } from '/dist/availkit.min.js';
      window.loaded = AvailKit.load({ wasmUrl: '/dist/availkit.wasm?own', wasmExecUrl: '/dist/wasm_exec.js?own' }).then((k) => k.version);` });
    await page.waitForFunction(() => window.loaded); // the module runs once its imports are in
    assert.match(await page.evaluate(() => window.loaded), /\S/);
    assert.ok(got.some((p) => p.startsWith('/dist/availkit.wasm') && p.includes('own')), got.join(' '));
    assert.deepEqual(got.filter((p) => p === '/dist/availkit.wasm' || p === '/dist/wasm_exec.js' || p === '/dist/availkit.wasm.gz'), [], 'no default copy');
  } finally {
    await context.close();
  }
});

test('coreStart first-frame: the core compiles after the first frame and the pre-roll impression is sent once', async () => {
  await play('', async (page) => {
    await waitFor(() => page.evaluate(() => window.b.adsEnded() >= 1), { timeout: 60000, what: 'an ad ended' });
    const { firstFrame, compiled, impressions } = await page.evaluate(() => window.b.startup());
    assert.ok(firstFrame > 0, 'a frame was presented');
    assert.ok(compiled > firstFrame, `compiled at ${compiled} ms, first frame at ${firstFrame} ms`);
    const ids = impressions.map(([id]) => id);
    assert.ok(ids.length >= 1, 'the pre-roll impression');
    assert.equal(new Set(ids).size, ids.length, `one impression per ad: ${ids}`);
    assert.ok(impressions[0][1] > firstFrame, 'the impression follows its first frame');
  }, { coreStart: 'first-frame' });
});
