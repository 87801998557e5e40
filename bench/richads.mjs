// richads.mjs: measures the rich-ads figures; see richads.sh.
import { startServer, launch, openHost } from '../tests/browser/rich-helpers.mjs';

const PORT = Number(process.env.PORT || 18250);
const RUNS = Number(process.env.RUNS || 15);
const ADS = Number(process.env.ADS || 50);

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fig = (name, value, unit) => console.log(`FIGURE ${name} ${Number(value.toFixed(2))} ${unit}`);

const srv = await startServer(PORT);
const browser = await launch();
try {
  const { context, page } = await openHost(browser, srv);
  await page.evaluate(async () => {
    const { createVPAIDRunner } = await import('/web/vpaid/runner.js');
    const { createCompanionRenderer } = await import('/web/companions/renderer.js');
    window.s = new window.FakeSession();
    window.r = createVPAIDRunner(window.s, document.getElementById('content'), document.getElementById('player'));
    window.cr = createCompanionRenderer(window.s, [{ element: document.getElementById('slot-side'), width: 300, height: 250, adSlotId: 'side' }]);
    // oneAd plays one VPAID ad (stopping it right after AdStarted when
    // stop is set) and returns ms from adstart to AdStarted.
    window.warm = () => new Promise((resolve) => {
      window.s.emit('adbreakstart', { availId: 'av', hasVPAID: true });
      const poll = () => (window.r.spare && window.r.spare.ready ? resolve() : setTimeout(poll, 5));
      poll();
    });
    window.oneAd = (base, i, stop) => new Promise((resolve, reject) => {
      const s = window.s;
      const n = s.calls.length;
      const onState = (e) => {
        if (e.detail.phase === 'playing' && stop) window.r.stop();
        if (e.detail.phase !== 'done') return;
        window.r.removeEventListener('vpaidstate', onState);
        const started = s.calls.slice(n).find((c) => c.name === 'AdStarted');
        const tm = window.r.timings;
        // The fake session's call log is the bench's, not the runner's, memory.
        s.calls.length = 0;
        if (!e.detail.result.ok || !started) reject(new Error(JSON.stringify(e.detail.result)));
        else resolve({ started: started.t - t0, hello: tm.hello - t0, loaded: tm.loaded - t0, adLoaded: tm.adLoaded - t0 });
      };
      window.r.addEventListener('vpaidstate', onState);
      const t0 = performance.now();
      s.emit('adstart', {
        availId: 'av', adId: `ad-${i}`,
        vpaid: { mediaFileUri: `${base}/creatives/vpaid-good.js`, adParameters: JSON.stringify({ maxDuration: 0.5 }), duration: 6 },
      });
    });
    window.oneCompanion = (base, i) => new Promise((resolve) => {
      const s = window.s;
      const n = s.calls.length;
      const t0 = performance.now();
      s.emit('adstart', {
        availId: 'av', adId: `c-${i}`,
        companions: [{
          attributes: { width: '300', height: '250', adSlotId: 'side' },
          staticResource: `${base}/creatives/companion-300x250.png?${i}`,
          trackingEvents: [{ eventType: 'creativeView', beaconUrls: [`${base}/beacon/cv?${i}`] }],
        }],
      });
      const poll = () => {
        const v = s.calls.slice(n).find((c) => c.eventType === 'creativeView');
        if (v) {
          s.calls.length = 0;
          resolve(v.t - t0);
        }
        else setTimeout(poll, 1);
      };
      poll();
    });
  });

  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await page.evaluate(([b, i]) => window.oneAd(b, i, true), [srv.base, i]));
  const started = runs.map((r) => r.started);
  fig('richads_vpaid_adstarted_median', pct(started, 50), 'ms');
  fig('richads_vpaid_adstarted_p95', pct(started, 95), 'ms');
  // Where the time goes (medians, ms from adstart): frame up, unit script
  // loaded + handshake, AdLoaded (the unit's clip metadata).
  fig('richads_vpaid_frame_hello_median', pct(runs.map((r) => r.hello), 50), 'ms');
  fig('richads_vpaid_unit_loaded_median', pct(runs.map((r) => r.loaded), 50), 'ms');
  fig('richads_vpaid_adloaded_median', pct(runs.map((r) => r.adLoaded), 50), 'ms');

  // With the frame prewarmed at adbreakupcoming/adbreakstart (the Session's
  // normal flow): only the unit's own load remains.
  const warm = [];
  for (let i = 0; i < RUNS; i++) {
    await page.evaluate(() => window.warm());
    warm.push(await page.evaluate(([b, i]) => window.oneAd(b, i, true), [srv.base, 100 + i]));
  }
  fig('richads_vpaid_adstarted_prewarmed_median', pct(warm.map((r) => r.started), 50), 'ms');
  fig('richads_vpaid_adstarted_prewarmed_p95', pct(warm.map((r) => r.started), 95), 'ms');

  const viewed = [];
  for (let i = 0; i < RUNS; i++) viewed.push(await page.evaluate(([b, i]) => window.oneCompanion(b, i), [srv.base, i]));
  fig('richads_companion_creativeview_median', pct(viewed, 50), 'ms');
  fig('richads_companion_creativeview_p95', pct(viewed, 95), 'ms');

  const cdp = await context.newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const frames = () => page.evaluate(() => document.querySelectorAll('iframe').length);
  // One ad first so lazily created code and caches count as baseline.
  await page.evaluate(([b]) => window.oneAd(b, 999, false), [srv.base]);
  const before = await heap();
  const t0 = Date.now();
  for (let i = 0; i < ADS; i++) await page.evaluate(([b, i]) => window.oneAd(b, 1000 + i, false), [srv.base, i]);
  const after = await heap();
  fig('richads_vpaid_50ads_heap_before', before / 1024, 'KiB');
  fig('richads_vpaid_50ads_heap_after', after / 1024, 'KiB');
  fig('richads_vpaid_50ads_heap_growth', (after - before) / 1024, 'KiB');
  fig('richads_vpaid_50ads_wall', (Date.now() - t0) / 1000, 's');
  fig('richads_vpaid_50ads_iframes_left', await frames(), 'count');
  await context.close();
} finally {
  await browser.close();
  await srv.close();
}
