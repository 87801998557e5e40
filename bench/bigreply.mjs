// bigreply.mjs measures what a 20,000-event (~2.2 MB) tracking reply costs
// the page's main thread (issue 15, "Figures"): headless Chromium loads the
// plugin from dist/, adopts a session whose first tracking poll answers that
// reply (20 avails of one ad with 1,000 tracking events each, the default
// per-ad cap), and a PerformanceObserver records every long task (> 50 ms)
// from the manifestLoaded call that starts the poll to 1 s after the
// trackingupdate event. Prints FIGURE lines:
//   bigreply_longest_task   the longest main-thread task (0: none over 50 ms)
//   bigreply_long_tasks     how many tasks were over 50 ms
//   bigreply_reply_to_update from the body's last byte to trackingupdate
//   bigreply_bytes          the reply's size
//   bigreply_core_memory    the core's linear memory after the reply
//   bigreply_main_thread_cpu the main thread's CPU time (thread ticks) from
//                           manifestLoaded to 1 s after trackingupdate: the
//                           work itself, without the wait for a core
// Usage: node bench/bigreply.mjs (after ./build.sh); AK_BIGREPLY_RUNS=n
// repeats the run in fresh pages and reports the median and the worst.
// AK_BIGREPLY_VERBOSE=1 lists each run's long tasks. AK_BIGREPLY_PROFILE=1 also prints the functions with the most self time
// (CPU profile of one run); with AK_BIGREPLY_WASM=<file> that run serves a
// wasm built without -s -w in place of dist/availkit.wasm, so Go names show.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.AK_BIGREPLY_RUNS || 3);

// reply builds the tracking body: avails of one ad each, impression at the
// start, complete at the end and progress events in between, each with one
// beacon URL (about 110 bytes an event: the 20k events in 2.2 MB).
// With AK_BIGREPLY_SHAPE=one the same ads are the 20 ads of one avail: the
// decoder must then stop inside an avail.
function reply(avails, eventsPerAd, oneAvail) {
  const out = [];
  for (let i = 0; i < avails; i++) {
    const start = 10 + i * 30;
    const id = `a${i}`;
    const evs = [];
    for (let k = 0; k < eventsPerAd; k++) {
      const type = k === 0 ? 'impression' : k === eventsPerAd - 1 ? 'complete' : 'progress';
      evs.push({
        eventId: `${id}-${k}`, eventType: type, startTimeInSeconds: k === 0 ? start : +(start + (10 * k) / eventsPerAd).toFixed(2),
        beaconUrls: [`https://b.example/${id}/${type}?n=${k}`],
      });
    }
    out.push({
      availId: id, startTimeInSeconds: start, durationInSeconds: 10,
      ads: [{ adId: `${id}-ad`, startTimeInSeconds: start, durationInSeconds: 10, trackingEvents: evs }],
    });
  }
  if (oneAvail) {
    const ads = out.map((a) => a.ads[0]);
    return JSON.stringify({ avails: [{ availId: 'a', startTimeInSeconds: 10, durationInSeconds: ads.length * 30, ads }] });
  }
  return JSON.stringify({ avails: out });
}

const shape = process.env.AK_BIGREPLY_SHAPE || 'avails';
const body = reply(20, 1000, shape === 'one');
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const server = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  if (u.pathname.startsWith('/tracking/')) {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(body);
    return;
  }
  if (u.pathname === '/page.html') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>bigreply</title>');
    return;
  }
  if (u.pathname === '/dist/availkit.wasm.gz' && process.env.AK_BIGREPLY_WASM) {
    // The loader prefers the .gz sibling of a .wasm served uncompressed:
    // without one it keeps the override.
    res.writeHead(404);
    res.end();
    return;
  }
  if (u.pathname === '/dist/availkit.wasm' && process.env.AK_BIGREPLY_WASM) {
    res.writeHead(200, { 'content-type': 'application/wasm' });
    res.end(fs.readFileSync(process.env.AK_BIGREPLY_WASM));
    return;
  }
  const file = path.join(root, u.pathname);
  if (!u.pathname.startsWith('/dist/') || !file.startsWith(path.join(root, 'dist'))) {
    res.writeHead(404);
    res.end();
    return;
  }
  fs.readFile(file, (err, b) => {
    res.writeHead(err ? 404 : 200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
    res.end(err ? undefined : b);
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });

async function once(profile = false) {
  const page = await browser.newPage();
  let cdp;
  try {
    await page.goto(`${base}/page.html`);
    if (profile) {
      cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.evaluate(async () => {
      const { AvailKit } = await import('/dist/availkit.js');
      const kit = await AvailKit.load();
      window.tasks = [];
      const obs = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.tasks.push({ start: e.startTime, dur: e.duration });
      });
      obs.observe({ type: 'longtask', buffered: true });
      window.obs = obs;
      window.s = await kit.createSession({
        manifestUrl: `${location.origin}/m.m3u8`, trackingUrl: `${location.origin}/tracking/session-1`,
      });
    });
    // The main thread's CPU time (thread ticks) around the reply: on a
    // loaded machine a task's wall time also counts the time it waited
    // for a core.
    const perf = await page.context().newCDPSession(page);
    await perf.send('Performance.enable', { timeDomain: 'threadTicks' });
    const cpu = async () => {
      const m = (await perf.send('Performance.getMetrics')).metrics;
      return m.find((x) => x.name === 'TaskDuration').value * 1000;
    };
    const cpu0 = await cpu();
    const out = await page.evaluate(async () => {
      const s = window.s;
      const t0 = performance.now();
      const updated = new Promise((resolve) => s.addEventListener('trackingupdate', (e) => resolve([performance.now(), e.detail]), { once: true }));
      const failed = new Promise((resolve) => s.addEventListener('error', (e) => resolve([performance.now(), e.detail]), { once: true }));
      s.manifestLoaded({ live: false, duration: 700 });
      const [t1, detail] = await Promise.race([updated, failed]);
      await new Promise((r) => setTimeout(r, 1000));
      window.obs.disconnect();
      const res = performance.getEntriesByType('resource').find((r) => r.name.includes('/tracking/'));
      const after = window.tasks.filter((t) => t.start + t.dur >= t0);
      const mem = s._exports && s._exports.mem ? s._exports.mem.buffer.byteLength : 0;
      s.destroy();
      return { mem,
        detail, bytes: res ? res.decodedBodySize : 0, replyToUpdate: res ? t1 - res.responseEnd : NaN,
        longest: Math.max(0, ...after.map((t) => t.dur)), long: after.length,
        tasks: after.map((t) => `${Math.round(t.start - t0)}+${Math.round(t.dur)}`), respEnd: res ? Math.round(res.responseEnd - t0) : NaN,
        update: Math.round(t1 - t0),
      };
    });
    // Less the 1 s idle wait, which costs no CPU.
    out.cpu = (await cpu()) - cpu0;
    return out;
  } finally {
    if (cdp) printProfile((await cdp.send('Profiler.stop')).profile);
    await page.close();
  }
}

// printProfile prints the 20 functions with the most self time.
function printProfile(p) {
  const self = new Map();
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  p.samples.forEach((id, i) => dt.set(id, (dt.get(id) || 0) + (p.timeDeltas[i] || 0)));
  for (const [id, us] of dt) {
    const f = byId.get(id).callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url ? f.url.split('/').pop() : ''}`;
    self.set(name, (self.get(name) || 0) + us);
  }
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`profile ${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`);
  }
}

const results = [];
try {
  for (let i = 0; i < runs; i++) {
    results.push(await once());
    const r = results[results.length - 1];
    // AK_BIGREPLY_VERBOSE=1: each long task as start+duration (ms after
    // manifestLoaded), with the body's last byte and trackingupdate.
    if (process.env.AK_BIGREPLY_VERBOSE) console.log(`run ${i}: body at ${r.respEnd}, update at ${r.update}, long tasks ${r.tasks.join(' ')}`);
  }
  if (process.env.AK_BIGREPLY_PROFILE) await once(true);
} finally {
  await browser.close();
  server.close();
}
if (results.some((r) => r.detail && r.detail.kind)) {
  console.error('bigreply: the reply was refused:', JSON.stringify(results.find((r) => r.detail.kind)));
  process.exit(1);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fig = (name, v, unit) => console.log(`FIGURE ${name} ${+v.toFixed(1)} ${unit}`);
fig('bigreply_bytes', results[0].bytes, 'B');
fig('bigreply_new_events', Number(results[0].detail.newEvents), 'events');
fig('bigreply_longest_task_median', median(results.map((r) => r.longest)), 'ms');
fig('bigreply_longest_task_max', Math.max(...results.map((r) => r.longest)), 'ms');
fig('bigreply_long_tasks_median', median(results.map((r) => r.long)), 'tasks');
fig('bigreply_reply_to_update_median', median(results.map((r) => r.replyToUpdate)), 'ms');
fig('bigreply_core_memory_max', Math.max(...results.map((r) => r.mem)) / 1048576, 'MiB');
fig('bigreply_main_thread_cpu_median', median(results.map((r) => r.cpu)), 'ms');
