// bench/startup.mjs: time from navigation to the first presented frame
// (requestVideoFrameCallback) with and without availkit on the same page
// setup, under Chromium network emulation. See bench/startup.sh.
//
// Each cold run is a new browser context with the cache disabled; a warm
// run is the second visit of a new profile on disk (cache on, and
// Chromium's code cache, which an incognito context lacks). The pages live in
// tests/startup/ and are served by the emulator with dist/, as a host
// would. A warm run's first visit stays AK_STARTUP_DWELL ms (default
// 3000) after its first frame before the second. Prints a table of
// medians and where the time goes, and FIGURE lines. AK_STARTUP_RUNS
// (default 5), AK_STARTUP_NETS (local,10mbit,2mbit) and AK_STARTUP_MODES
// narrow it. The pages: hls and dash (the player alone), hls-kit (the
// README quick start on the plain modules), hls-vendor (hls.js alone from
// the minified copy and worker the element loads: the element's baseline), hls-kit-min and dash-kit (on
// the minified bundle), element (<availkit-player> as the embed snippet
// writes it, plain modules) and element-min (the minified element). A mode ending in -eager starts its kit with coreStart
// 'eager' (the default is 'first-frame'), one ending in -hold with
// startupHold: 3000 (playback held until the core runs); the impression
// columns show when each strategy sent the pre-roll's impression.
// AK_STARTUP_BEFORE=<a built checkout of an earlier commit, with its
// tests/startup/ pages> serves that tree from a second emulator and runs
// its kit pages interleaved with this tree's, labelled "(before)".

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startEmulator, launchBrowser, ROOT, CHROMIUM_ARGS } from '../tests/browser/harness.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const RUNS = Number(process.env.AK_STARTUP_RUNS) || 5;
const WARM_DWELL_MS = process.env.AK_STARTUP_DWELL === undefined ? 3000 : Number(process.env.AK_STARTUP_DWELL);
const NETS = {
  local: null,
  '10mbit': { latency: 40, down: 10e6 / 8, up: 5e6 / 8 },
  '2mbit': { latency: 150, down: 2e6 / 8, up: 1e6 / 8 },
};
const nets = (process.env.AK_STARTUP_NETS || 'local,10mbit,2mbit').split(',').filter((n) => n in NETS);
const MODES = ['hls', 'hls-vendor', 'hls-kit', 'hls-kit-min', 'hls-kit-hold', 'hls-kit-min-eager', 'hls-kit-min-eager-hold', 'dash', 'dash-kit',
  'dash-kit-eager', 'element', 'element-eager', 'element-min', 'element-min-eager'];
const modes = (process.env.AK_STARTUP_MODES || MODES.join(',')).split(',').filter((m) => MODES.includes(m));
// The pairs an overhead is computed for: [with availkit, without].
const PAIRS = [['hls-kit', 'hls'], ['hls-kit-min', 'hls'], ['hls-kit-hold', 'hls'], ['hls-kit-min-eager', 'hls'],
  ['hls-kit-min-eager-hold', 'hls'], ['dash-kit', 'dash'], ['dash-kit-eager', 'dash'], ['element', 'hls-vendor'],
  ['element-eager', 'hls-vendor'], ['element-min', 'hls-vendor'], ['element-min-eager', 'hls-vendor']];

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (v) => (Number.isFinite(v) ? `${Math.round(v)}` : '-');
const fig = (name, v, unit) => console.log(`FIGURE ${name} ${Number.isFinite(v) ? Math.round(v) : 'NaN'} ${unit}`);

const pageUrl = (base, mode) => (mode.startsWith('element')
  ? `${base}/tests/startup/${mode}.html`
  : `${base}/tests/startup/startup.html?mode=${mode}`);

// visit navigates page to url and resolves with what the page measured.
async function visit(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.startup && (window.startup.ff > 0 || window.startup.error), null, { timeout: 60000 });
  // A pre-roll's impression may follow the first frame; wait for it a
  // bounded time (pages without availkit have none).
  await page.waitForFunction(() => !window.AK_KIT_PAGE || window.startup.marks.impression > 0, null, { timeout: 10000 }).catch(() => {});
  return page.evaluate(() => {
    const res = performance.getEntriesByType('resource');
    const find = (re) => res.find((r) => re.test(r.name));
    const wasm = find(/availkit\.wasm/);
    const init = find(/\/v1\/session\//);
    const marks = {};
    for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('availkit:')) marks[m.name.slice(9)] = m.startTime;
    const distJs = res.filter((r) => /\/dist\/.*\.js$/.test(new URL(r.name).pathname));
    return {
      ...window.startup,
      wasmEnd: wasm ? wasm.responseEnd : NaN,
      wasmStart: wasm ? wasm.startTime : NaN,
      wasmBytes: wasm ? wasm.encodedBodySize : NaN,
      wasmName: wasm ? new URL(wasm.name).pathname : '',
      initStart: init ? init.startTime : NaN,
      initEnd: init ? init.responseEnd : NaN,
      core: marks,
      js: distJs.map((r) => new URL(r.name).pathname),
    };
  });
}

async function newPage(context, net, cold) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: cold });
  if (net) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: net.latency, downloadThroughput: net.down, uploadThroughput: net.up,
    });
  }
  return page;
}

// newContext returns a fresh browser context and its disposer. A warm run
// gets a profile on disk: a browser context without one (incognito) keeps
// no compiled code between visits, which a returning viewer's browser does.
async function newContext(browser, warm) {
  if (!warm) {
    const context = await browser.newContext();
    return [context, () => context.close()];
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'ak-startup-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return [context, async () => {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }];
}

async function run(browser, base, netName, mode, warm) {
  const [context, dispose] = await newContext(browser, warm);
  try {
    const net = NETS[netName];
    const page = await newPage(context, net, !warm);
    await page.addInitScript((kit) => { window.AK_KIT_PAGE = kit; }, mode !== 'hls' && mode !== 'dash');
    if (warm) {
      // The first visit fills the cache. It stays WARM_DWELL_MS after its
      // first frame, as a viewer would: Chromium writes a wasm module's
      // compiled code to its cache only after V8 has tiered it up, seconds
      // into the page, so a visit cut short leaves nothing to reuse.
      await visit(page, pageUrl(base, mode));
      await page.waitForTimeout(WARM_DWELL_MS);
    }
    const r = await visit(page, pageUrl(base, mode));
    if (r.error) throw new Error(`${mode}: ${r.error}`);
    return r;
  } finally {
    await dispose();
  }
}

const emu = await startEmulator();
const before = process.env.AK_STARTUP_BEFORE ? await startEmulator({ root: process.env.AK_STARTUP_BEFORE }) : null;
const browser = await launchBrowser();
const rows = [];
// variants returns the servers mode runs on: this tree, and the earlier
// one for the kit pages it has.
const variants = (mode) => [[mode, emu.base],
  ...(before && /-kit$|^element$/.test(mode) ? [[`${mode} (before)`, before.base]] : [])];
try {
  for (const net of nets) {
    for (const warm of [false, true]) {
      // Runs are interleaved (run i of every page, then run i + 1): the
      // load of a shared machine drifts over minutes, and pages compared
      // must see the same moments.
      const cells = [];
      for (const mode0 of modes) {
        // The element has one warm row, the minified one (the npm package's).
        if (warm && ((mode0.startsWith('element') && mode0 !== 'element-min') || mode0.includes('-hold'))) continue;
        for (const [label, base] of variants(mode0)) cells.push({ mode: label, mode0, base, rs: [], failed: 0 });
      }
      for (let i = 0; i < RUNS; i++) {
        for (const c of cells) {
          try {
            c.rs.push(await run(browser, c.base, net, c.mode0, warm));
          } catch (e) {
            // A run that never shows a frame is reported, not fatal: the
            // other rows still print.
            c.failed++;
            console.error(`${net}${warm ? ' warm' : ''} ${c.mode}: run ${i + 1} failed: ${String(e && e.message || e).split('\n')[0]}`);
          }
        }
      }
      for (const { mode, rs, failed } of cells) {
        if (!rs.length) continue;
        const m = (f) => median(rs.map(f));
        rows.push({
          net, mode, warm,
          ff: m((r) => r.ff),
          wasmStart: m((r) => r.wasmStart),
          wasmEnd: m((r) => r.wasmEnd),
          compiled: m((r) => r.core.compiled),
          ready: m((r) => (Number.isFinite(r.core.ready) ? r.core.ready : r.marks.kit)),
          initStart: m((r) => r.initStart),
          initEnd: m((r) => r.initEnd),
          initRead: m((r) => r.core['init-reply']),
          session: m((r) => r.marks.session),
          impression: m((r) => r.marks.impression),
          impressionAfterFrame: m((r) => r.marks.impression - r.ff),
          wasmBytes: m((r) => r.wasmBytes),
          wasmName: rs[0].wasmName,
          failed,
          js: rs[0].js,
        });
        const last = rows[rows.length - 1];
        console.error(`${net}${warm ? ' warm' : ''} ${mode}: ff ${ms(last.ff)} ms (${rs.map((r) => ms(r.ff)).join(' ')})`);
      }
    }
  }
} finally {
  await browser.close();
  await emu.stop();
  if (before) await before.stop();
}

// The table: one row per network (and warm), first-frame medians and the
// overhead of each pair.
const get = (net, mode, warm) => rows.find((r) => r.net === net && r.mode === mode && r.warm === warm);
console.log(`\nTime to first frame, ms (median of ${RUNS}; cold = new context, cache disabled; warm = second visit)`);
const shown = modes.flatMap((m) => variants(m).map(([label]) => label));
const pairs = PAIRS.filter(([a, b]) => modes.includes(a) && modes.includes(b));
const beforePairs = before ? pairs.filter(([a]) => variants(a).length > 1) : [];
const head = ['network', ...shown, ...pairs.map(([a, b]) => `${a} - ${b}`), ...beforePairs.map(([a, b]) => `${a} (before) - ${b}`)];
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => '---').join('|')}|`);
for (const net of nets) {
  for (const warm of [false, true]) {
    const cells = shown.map((m) => ms(get(net, m, warm)?.ff));
    const over = pairs.map(([a, b]) => {
      const x = get(net, a, warm);
      const y = get(net, b, warm);
      const d = x && y ? x.ff - y.ff : NaN;
      if (Number.isFinite(d)) fig(`startup_overhead_${a}_${net}${warm ? '_warm' : ''}`, d, 'ms');
      return Number.isFinite(d) ? `${d >= 0 ? '+' : ''}${Math.round(d)}` : '-';
    });
    for (const [a, b] of beforePairs) {
      const x = get(net, `${a} (before)`, warm);
      const y = get(net, b, warm);
      over.push(x && y ? `${x.ff - y.ff >= 0 ? '+' : ''}${Math.round(x.ff - y.ff)}` : '-');
    }
    console.log(`| ${net}${warm ? ' warm' : ''} | ${cells.join(' | ')} | ${over.join(' | ')} |`);
  }
}

console.log('\nWhere the time goes, ms since navigation (median): core fetch start/end, compiled, ready; session init request start/reply (resource timing), read by JS; createSession resolved; first frame; impression sent, and its median lead over the first frame');
console.log('| network | page | wasm start | wasm fetched | compiled | core ready | init start | init reply | init read | session | first frame | impression | impression - first frame | wasm bytes |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.net}${r.warm ? ' warm' : ''} | ${r.mode}${r.failed ? ` (${r.failed} failed)` : ''} | ${ms(r.wasmStart)} | ${ms(r.wasmEnd)} | ${ms(r.compiled)} | ${ms(r.ready)} | ${ms(r.initStart)} | ${ms(r.initEnd)} | ${ms(r.initRead)} | ${ms(r.session)} | ${ms(r.ff)} | ${ms(r.impression)} | ${ms(r.impressionAfterFrame)} | ${ms(r.wasmBytes)} ${r.wasmName} |`);
  if (!r.warm) fig(`startup_ttff_${r.mode}_${r.net}`, r.ff, 'ms');
}
// The JavaScript a page needs to start a session: the modules of dist/
// the hls-kit page fetched, gzip -9 each (parts mounted after init listed
// apart: they are not on the way to the first frame).
const js = rows.find((r) => r.mode === 'hls-kit');
if (js) {
  const PARTS = /\/(ui|overlay|vpaid|companions)\//;
  const gz = (f) => gzipSync(readFileSync(path.join(ROOT, f))).length;
  const start = js.js.filter((f) => !PARTS.test(f));
  const parts = js.js.filter((f) => PARTS.test(f));
  const sum = (fs) => fs.reduce((a, f) => a + gz(f), 0);
  console.log(`\nJS to start a session (hls-kit): ${start.length} modules, ${(sum(start) / 1024).toFixed(1)} KB gzip`
    + ` (wasm_exec.js ${(gz('/dist/wasm_exec.js') / 1024).toFixed(1)} KB of it); parts mounted after init: ${parts.length} modules,`
    + ` ${(sum(parts) / 1024).toFixed(1)} KB gzip (${parts.join(' ')})`);
  fig('startup_js_gzip_kb', sum(start) / 1024, 'KB');
}
// The same page from the bundle: every script it fetched from dist/ by the
// first frame, gzip -9 each, KB of 1000 bytes (bench/jssize.mjs splits it).
const jsMin = rows.find((r) => r.mode === 'hls-kit-min');
if (jsMin) {
  const gz = (f) => gzipSync(readFileSync(path.join(ROOT, f)), { level: 9 }).length;
  const total = jsMin.js.reduce((a, f) => a + gz(f), 0);
  console.log(`JS fetched by the bundle page (hls-kit-min): ${jsMin.js.length} files, ${(total / 1000).toFixed(1)} KB gzip (${jsMin.js.join(' ')})`);
  console.log(`FIGURE startup_js_min_fetched_gzip ${(total / 1000).toFixed(1)} KB`);
}
