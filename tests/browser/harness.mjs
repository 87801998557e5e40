// Browser test harness: one emulator process and one Chromium per test file.
//
// It assumes dist/ is built (./build.sh test builds first). The emulator
// binary is built once into the OS temp dir and run on a free loopback port;
// test pages under tests/browser/pages are served by the emulator itself
// (its --root serves /tests/), so they share its origin with /dist and the
// MediaTailor API. No Playwright routing is installed on those pages: with
// any route set, Chromium pauses every request for a round trip through
// Node, which added 10-60 ms to each beacon's arrival at the collector.

import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PAGES = path.join(ROOT, 'tests/browser/pages');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required',
  // Pages in background tabs must keep their timers and frames running when
  // several run side by side.
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows'];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// buildEmulator compiles cmd/availkit once per run (cached by the Go build
// cache, so a second file costs a link at most).
export function buildEmulator() {
  const bin = path.join(tmpdir(), `availkit-e2e-${process.getuid?.() ?? 0}`);
  execFileSync('go', ['build', '-o', bin, './cmd/availkit'], { cwd: ROOT, stdio: 'inherit' });
  return bin;
}

async function waitUp(base, proc, ms = 20000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`emulator exited with ${proc.exitCode}`);
    try {
      const r = await fetch(`${base}/dist/availkit.js`);
      if (r.ok) return;
      last = new Error(`GET /dist/availkit.js: ${r.status}`);
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`emulator not up at ${base}: ${last && last.message}`);
}

// startEmulator runs the emulator on port (a free one when 0) and resolves
// with {base, stop()}. Its output goes to stderr only on failure.
// publicBase is the origin players reach it through when that is not the
// emulator itself (a proxying page server): its --public-base.
// root is the tree it serves (another checkout's, for a before/after
// bench); args are further `serve` flags (e.g. --debug-token).
export async function startEmulator({ port = Number(process.env.AK_E2E_PORT) || 0, publicBase = '', root = ROOT, args: extra = [] } = {}) {
  if (!existsSync(path.join(root, 'dist/availkit.js'))) throw new Error('dist/ missing: run ./build.sh first');
  const bin = buildEmulator();
  const p = port || (await freePort());
  const base = `http://127.0.0.1:${p}`;
  const args = ['serve', '--addr', `127.0.0.1:${p}`, '--root', root];
  if (publicBase) args.push('--public-base', publicBase);
  args.push(...extra);
  const proc = spawn(bin, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (d) => (out = (out + d).slice(-8000)));
  proc.stderr.on('data', (d) => (out = (out + d).slice(-8000)));
  try {
    await waitUp(base, proc);
  } catch (e) {
    proc.kill();
    throw new Error(`${e.message}\n${out}`);
  }
  return {
    base,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          proc.kill('SIGKILL');
          r();
        }, 3000);
        proc.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    },
  };
}

/**
 * startLiveEmulator starts the emulator with its shipped configuration but
 * for a live break every everySecs, durationSecs long: a live case then
 * waits for a break a fraction of the shipped 60 s. With breakInMs, the
 * breaks are moved (liveBreakPhaseSecs) so that one is due that long after
 * the emulator starts, and a case that starts its session soon after waits
 * for no more than that; emu.phaseSecs is the phase, for untilLiveBreak.
 */
export async function startLiveEmulator(everySecs, durationSecs, { breakInMs } = {}) {
  const cfg = JSON.parse(readFileSync(path.join(ROOT, 'internal/emulator/default_config.json'), 'utf8'));
  const phaseSecs = breakInMs === undefined ? 0 : (((Date.now() - LIVE_EPOCH + breakInMs) / 1000) % everySecs);
  for (const pc of cfg.playbackConfigurations) {
    Object.assign(pc, { liveBreakEverySecs: everySecs, liveBreakDurationSecs: durationSecs, liveBreakPhaseSecs: phaseSecs });
  }
  const cfgFile = path.join(mkdtempSync(path.join(tmpdir(), 'availkit-live-cfg-')), 'config.json');
  writeFileSync(cfgFile, JSON.stringify(cfg));
  const emu = await startEmulator({ args: ['--config', cfgFile] });
  return Object.assign(emu, { phaseSecs });
}

/**
 * sharedRig starts one emulator and one browser for a test file (before)
 * and stops them (after): rig.emu and rig.browser are set once the file's
 * tests run.
 */
export function sharedRig() {
  const rig = { emu: null, browser: null };
  before(async () => {
    rig.emu = await startEmulator();
    rig.browser = await launchBrowser();
  });
  after(async () => {
    await rig.browser?.close();
    await rig.emu?.stop();
  });
  return rig;
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css' };

// openPage opens the named page of tests/browser/pages on the emulator's
// origin and waits for its module to be ready.
export async function openPage(context, base, name = 'e2e.html') {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.errors = errors;
  await page.goto(`${base}/tests/browser/pages/${name}`);
  await page.waitForFunction(() => window.e2eReady === true, null, { timeout: 15000 });
  return page;
}

// collector returns what the emulator's beacon collector recorded for id.
export async function collector(base, id) {
  const r = await fetch(`${base}/debug/sessions/${encodeURIComponent(id)}/beacons`);
  if (!r.ok) throw new Error(`collector: ${r.status}`);
  return r.json();
}

// faults sets the emulator's fault knobs for session id.
export async function faults(base, id, body) {
  const r = await fetch(`${base}/debug/sessions/${encodeURIComponent(id)}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`faults: ${r.status} ${await r.text()}`);
}

// waitFor polls fn (in Node) until it returns a truthy value.
export async function waitFor(fn, { timeout = 30000, every = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let v;
  while (Date.now() < end) {
    v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
}

// LIVE_EPOCH is where the emulator's live channel starts (astEpoch in
// internal/emulator/hls.go): its breaks start every liveBreakEverySecs of
// wall time from there.
export const LIVE_EPOCH = Date.UTC(2026, 0, 1);

// untilLiveBreak returns the ms from now to the start of the first live
// break at least lead ms away, for a channel with a break every
// everySecs (a multiple of the 2 s content segment: the emulator snaps a
// break to the segment boundary at or after it). A session created within
// lead ms of that break gets its ads (one that began before the session
// plays content) and a live test waits for the break's frames no longer
// than the player's latency. phaseSecs is the emulator's
// liveBreakPhaseSecs (startLiveEmulator's emu.phaseSecs).
export function untilLiveBreak(everySecs, lead = 0, phaseSecs = 0) {
  const every = everySecs * 1000;
  const now = Date.now() - LIVE_EPOCH - phaseSecs * 1000;
  return Math.max(1, Math.ceil((now + lead) / every)) * every - now;
}

// TIMED lists the tracking event types fired by playback crossing their
// time; the others are player actions (pause, mute, click …) that continuous
// playback must not fire.
export const TIMED = new Set(['impression', 'start', 'firstQuartile', 'midpoint', 'thirdQuartile', 'complete',
  'breakStart', 'breakEnd', 'progress']);

export function isoSeconds(iso, n) {
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  const m = typeof iso === 'string' && /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso);
  return m ? (Number(m[1]) || 0) * 3600 + (Number(m[2]) || 0) * 60 + (Number(m[3]) || 0) : NaN;
}

// expectedBeacons lists the timed beacon URLs of the merged tracking
// responses whose time lies in (from, to]: one entry per URL that points at
// the emulator's collector (/beacon/…), since that is what it can judge.
export function expectedBeacons(responses, from, to) {
  const seen = new Map();
  for (const r of responses) {
    for (const a of (r && r.avails) || []) {
      const evs = [];
      for (const e of a.adBreakTrackingEvents || []) evs.push({ e, adId: '' });
      for (const ad of a.ads || []) for (const e of ad.trackingEvents || []) evs.push({ e, adId: ad.adId });
      for (const { e, adId } of evs) {
        if (!TIMED.has(e.eventType)) continue;
        let t = isoSeconds(e.startTime, e.startTimeInSeconds);
        if (!Number.isFinite(t)) {
          // breakStart/breakEnd without a time of their own: the avail's edges.
          const s = isoSeconds(a.startTime, a.startTimeInSeconds);
          const d = isoSeconds(a.duration, a.durationInSeconds);
          t = e.eventType === 'breakEnd' ? s + d : s;
        }
        if (!(t > from && t <= to)) continue;
        for (const url of e.beaconUrls || []) {
          const tpl = beaconTemplate(url);
          if (!tpl) continue;
          // One expected beacon per event and URL, whatever signature the
          // emulator's trackingResign fault gave the URL in this reply.
          const k = `${a.availId}|${adId}|${e.eventType}|${url.replace(/([?&])sig=\d+&/, '$1')}`;
          if (!seen.has(k)) seen.set(k, { availId: a.availId, adId, eventType: e.eventType, time: t, url, tpl, key: k });
        }
      }
    }
  }
  return [...seen.values()].sort((x, y) => x.time - y.time);
}

// beaconTemplate reads a (macro-bearing) collector URL into its event path
// and its literal query parameters; macro parameters ([CACHEBUSTING] …) vary
// per hit and the emulator's per-reply signature (sig, fault trackingResign)
// per poll: neither is compared. null for URLs outside the collector.
export function beaconTemplate(url) {
  let u;
  try {
    u = new URL(url.replace(/\[/g, '%5B').replace(/\]/g, '%5D'));
  } catch {
    return null;
  }
  const m = /\/beacon\/[^/]+\/([^/?]+)$/.exec(u.pathname);
  if (!m) return null;
  const params = [];
  for (const [k, v] of u.searchParams) if (!/[[\]]/.test(v) && k !== 'sig') params.push([k, v]);
  return { eventType: decodeURIComponent(m[1]), params };
}

// matches reports whether collector record rec is a hit of expected item w.
export function matches(w, rec) {
  if (rec.eventType !== w.tpl.eventType) return false;
  const q = rec.query || {};
  return w.tpl.params.every(([k, v]) => String(q[k]) === v);
}

// judge pairs collector records with expected beacons: per item the records
// that hit it, plus the records that match nothing expected.
export function judge(want, records) {
  const hits = new Map(want.map((w) => [w.key, []]));
  const stray = [];
  for (const r of records) {
    const w = want.find((x) => matches(x, r));
    if (w) hits.get(w.key).push(r);
    else stray.push(r);
  }
  return { hits, stray };
}

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

// STATIC is a made-up origin for pages that need no emulator: Playwright
// answers it from the repository (web/ and tests/browser/pages/ only), with
// a strict CSP so any inline script or style the UI needed would show up as
// a securitypolicyviolation.
export const STATIC = 'http://availkit.test';
const STATIC_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'";

export async function openStaticPage(context, name) {
  const page = await context.newPage();
  await page.route(`${STATIC}/**`, async (route) => {
    const rel = path.normalize(decodeURIComponent(new URL(route.request().url()).pathname)).replace(/^\/+/, '');
    const file = path.join(ROOT, rel);
    const ok = [path.join(ROOT, 'web') + path.sep, PAGES + path.sep].some((d) => file.startsWith(d));
    if (!ok) return route.fulfill({ status: 404 });
    try {
      const body = await readFile(file);
      return route.fulfill({
        status: 200, body, contentType: TYPES[path.extname(file)] || 'application/octet-stream',
        headers: { 'content-security-policy': STATIC_CSP },
      });
    } catch {
      return route.fulfill({ status: 404 });
    }
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.errors = errors;
  await page.goto(`${STATIC}/tests/browser/pages/${name}`);
  await page.waitForFunction(() => window.pageReady === true, null, { timeout: 10000 });
  return page;
}
