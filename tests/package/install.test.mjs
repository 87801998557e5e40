// The npm package, end to end: `./build.sh package` packs dist/, the tarball
// is installed offline into a clean scratch project under the OS temp dir,
// Node resolves every export of the installed copy, and a page served from
// the scratch project (under the strict CSP) plays an HLS and a DASH pre-roll
// through the minified <availkit-player> (element/availkit-player.min.js)
// from node_modules/availkit, with its beacons at the emulator's collector,
// fetching no unminified module.
//
// AK_PACKAGE_NO_BUILD=1 packs the dist/ already built instead of running
// `./build.sh package` (which builds first). Ports 18311 (emulator), 18312
// (scratch page server).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, launchBrowser, collector, waitFor, ROOT } from '../browser/harness.mjs';
import { startPageServer } from '../browser/embed-server.mjs';
import { embedPages, initUrl } from '../browser/embed-pages.mjs';

let tgz;
let scratch;
let emu;
let web;
let browser;

before(async () => {
  if (process.env.AK_PACKAGE_NO_BUILD) {
    // dist/ is already built (./build.sh test builds first): only pack it,
    // exactly as `./build.sh package` does after its build step.
    execFileSync('node', ['packaging/make-package.mjs', 'dist'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    for (const f of readdirSync(path.join(ROOT, 'dist'))) if (/^availkit-.*\.tgz$/.test(f)) rmSync(path.join(ROOT, 'dist', f));
    execFileSync('npm', ['pack', '--silent'], { cwd: path.join(ROOT, 'dist'), stdio: ['ignore', 'ignore', 'inherit'] });
  } else {
    execFileSync('bash', ['build.sh', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const name = readdirSync(path.join(ROOT, 'dist')).find((f) => /^availkit-.*\.tgz$/.test(f));
  assert.ok(name, 'build.sh package left a tarball in dist/');
  tgz = path.join(ROOT, 'dist', name);
  scratch = mkdtempSync(path.join(tmpdir(), 'availkit-pkg-'));
  writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-page', private: true, type: 'module' }));
  // --offline: the package has no dependencies, so nothing may be fetched.
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tgz], { cwd: scratch, stdio: ['ignore', 'ignore', 'inherit'] });
});

after(async () => {
  await browser?.close();
  await web?.stop();
  await emu?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('tarball: version from VERSION, only the runtime files, vendor libraries with licences', () => {
  const version = readFileSync(path.join(ROOT, 'VERSION'), 'utf8').trim();
  const pkg = JSON.parse(readFileSync(path.join(scratch, 'node_modules/availkit/package.json'), 'utf8'));
  assert.equal(pkg.name, 'availkit');
  assert.equal(pkg.version, version);
  assert.equal(path.basename(tgz), `availkit-${version}.tgz`);
  const files = execFileSync('tar', ['tzf', tgz], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
  for (const f of ['availkit.js', 'availkit.min.js', 'element/availkit-player.min.js', 'ui/overlay.min.js', 'vpaid/runner.min.js', 'availkit.d.ts', 'richads.d.ts', 'adapter.d.ts', 'availkit.wasm', 'availkit.wasm.br', 'availkit.wasm.gz', 'wasm_exec.js', 'element/availkit-player.js',
    'element/availkit-player.d.ts', 'vendor/hls.js.LICENSE', 'vendor/dashjs.LICENSE.md', 'vpaid/frame.html']) {
    assert.ok(files.includes(f), `tarball has ${f}`);
  }
  const qaOnly = files.filter((f) => /^(qa|inspect)\/|^inspect\.wasm$|\.tgz$|^index\.html$/.test(f));
  assert.deepEqual(qaOnly, [], 'QA-only files in the tarball');
  assert.deepEqual(Object.keys(pkg.dependencies || {}), [], 'no runtime dependencies');
});

test('installed package: every relative import of a packaged module is packaged too', () => {
  const base = path.join(scratch, 'node_modules/availkit');
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  const mods = walk(base).filter((f) => f.endsWith('.js') && !f.includes(`${path.sep}vendor${path.sep}`));
  assert.ok(mods.length > 10, 'packaged modules found');
  const missing = [];
  let checked = 0;
  for (const f of mods) {
    const src = readFileSync(f, 'utf8');
    // Static imports/exports and literal dynamic imports (the Session loads
    // its UI parts with import('./ui/overlay.js') and the like), plus URLs
    // built with new URL('…', import.meta.url) or a module-relative base.
    const specs = [
      ...src.matchAll(/\b(?:import|export)\b[^'"();]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g),
      ...src.matchAll(/\bimport\s*['"](\.{1,2}\/[^'"]+)['"]/g), // import"./chunk-X.js" in the bundle
      ...src.matchAll(/\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g),
      ...src.matchAll(/new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*(?:import\.meta\.url|here)\s*\)/g),
    ].map((m) => m[1]);
    for (const sp of specs) {
      checked++;
      const target = path.resolve(path.dirname(f), sp);
      try {
        statSync(target);
      } catch {
        missing.push(`${path.relative(base, f)} → ${sp}`);
      }
    }
  }
  assert.ok(checked >= 20, `only ${checked} relative imports found: is the pattern still right?`);
  assert.deepEqual(missing, [], 'imports of files the package does not ship');
});

test('installed package: every export resolves to a file, the module loads in Node', async () => {
  const pkg = JSON.parse(readFileSync(path.join(scratch, 'node_modules/availkit/package.json'), 'utf8'));
  const probe = path.join(scratch, 'probe.mjs');
  const specs = Object.keys(pkg.exports).map((k) => (k === '.' ? 'availkit' : `availkit/${k.slice(2)}`));
  writeFileSync(probe, `
    const specs = ${JSON.stringify(specs)};
    const out = {};
    for (const s of specs) out[s] = new URL(import.meta.resolve(s)).pathname;
    const m = await import('availkit');
    out.__exports = Object.keys(m).sort();
    console.log(JSON.stringify(out));
  `);
  const out = JSON.parse(execFileSync('node', [probe], { cwd: scratch, encoding: 'utf8' }));
  for (const s of specs) {
    assert.ok(out[s].startsWith(path.join(scratch, 'node_modules/availkit') + '/'), `${s} resolves inside the package`);
    assert.ok(statSync(out[s]).isFile(), `${s} → ${out[s]} exists`);
  }
  assert.deepEqual(out.__exports, ['AvailKit', 'AvailKitError', 'PLAYER_EVENTS', 'SESSION_EVENTS', 'Session', 'default']);
  for (const t of [pkg.types, pkg.exports['.'].types, pkg.exports['./element'].types]) {
    assert.ok(statSync(path.join(scratch, 'node_modules/availkit', t)).isFile(), `types ${t}`);
  }
});

test('a page in the scratch project plays HLS and DASH pre-rolls through node_modules/availkit', async () => {
  // Players reach the emulator through the page server (CSP 'self').
  emu = await startEmulator({ port: 18311, publicBase: 'http://127.0.0.1:18312' });
  web = await startPageServer({
    port: 18312,
    emulator: emu.base,
    pages: embedPages('/node_modules/availkit/element/availkit-player.min.js', 'installed availkit'),
    mounts: { '/node_modules/': path.join(scratch, 'node_modules'), '/pages/': path.join(ROOT, 'tests/browser/pages') },
  });
  browser = await launchBrowser();
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const fromRepo = [];
  const scripts = [];
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (/\/dist\//.test(p)) fromRepo.push(r.url());
    if (p.startsWith('/node_modules/availkit/') && p.endsWith('.js')) scripts.push(p.slice('/node_modules/availkit/'.length));
  });
  try {
    await page.goto(`${web.base}/page/index.html`);
    await page.waitForFunction(() => window.embedReady === true, null, { timeout: 15000 });
    await page.evaluate(([h, d]) => {
      window.embed.add('hls', { 'session-init-url': h, 'ads-params': '{"scenario":"single"}', muted: '', autoplay: '' }, { rate: 2 });
      window.embed.add('dash', { 'session-init-url': d, 'ads-params': '{"scenario":"single"}', muted: '', autoplay: '' }, { rate: 2 });
    }, [initUrl('vod/index.m3u8'), initUrl('vod/index.mpd')]);
    for (const id of ['hls', 'dash']) {
      await waitFor(() => page.evaluate((x) => window.embed.events(x, 'adend').length > 0, id), { timeout: 60000, every: 250, what: `${id}: first ad to end` });
      const st = await page.evaluate((x) => window.embed.state(x), id);
      const evs = (await page.evaluate((x) => window.embed.events(x), id)).map((e) => [e.type, e.detail && (e.detail.eventType || e.detail.kind || '')]);
      assert.equal(st.player, id === 'hls' ? 'hls.js' : 'dash.js', `${id}: player library from the package's vendor/`);
      let got = new Set();
      await waitFor(async () => {
        got = new Set((await collector(emu.base, st.sessionId)).map((r) => r.eventType));
        return ['impression', 'start', 'firstQuartile', 'midpoint', 'thirdQuartile', 'complete'].every((t) => got.has(t));
      }, { timeout: 5000, what: `${id}: the ad's quartile beacons at the collector` }).catch((e) => {
        throw new Error(`${e.message}; got ${[...got]}; events ${JSON.stringify(evs)}`);
      });
    }
    assert.deepEqual(await page.evaluate(() => window.embed.violations()), [], 'CSP violations');
    assert.deepEqual(errors, [], 'page errors');
    assert.deepEqual(fromRepo, [], 'nothing loaded from the repository build');
    assert.ok(scripts.includes('element/availkit-player.min.js'), `the minified element: ${scripts}`);
    assert.deepEqual(scripts.filter((p) => !/\.min\.js$|^chunk-[A-Z0-9]+\.js$|^wasm_exec\.js$|^vendor\//.test(p)), [], 'unminified modules fetched');
    // The page server sets no Content-Encoding, as a plain static host: the
    // loader must have fetched the packaged .gz and decoded it itself. The
    // page's resource timing says what crossed the network (its body as
    // received), whatever became of the request afterwards.
    const gz = statSync(path.join(scratch, 'node_modules/availkit/availkit.wasm.gz')).size;
    const cores = await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((e) => /availkit\.wasm/.test(e.name)).map((e) => [new URL(e.name).pathname, e.encodedBodySize]));
    assert.ok(cores.some(([p, n]) => p.endsWith('/availkit.wasm.gz') && n >= gz && n < gz + 1024),
      `the core travelled as the packaged .gz (${gz} bytes): ${JSON.stringify(cores)}`);
  } finally {
    await context.close();
  }
});
