// simid.mjs: measures the SIMID figures; see simid.sh.
import { startServer, launch, openHost } from '../tests/browser/rich-helpers.mjs';

const PORT = Number(process.env.PORT || 18260);
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
    const { createSIMIDHost } = await import('/web/simid/host.js');
    class Session extends window.FakeSession {
      adError() { return true; }
      skip() { return false; }
    }
    const video = document.getElementById('content');
    await video.play().catch(() => {});
    window.s = new Session();
    window.h = createSIMIDHost(window.s, video, document.getElementById('player'));
    // oneAd shows one SIMID creative, ends its ad as soon as startCreative
    // resolved, and returns the host's timings in ms from adstart.
    window.oneAd = (base, i, warm) => new Promise((resolve, reject) => {
      const s = window.s;
      const onState = (e) => {
        if (e.detail.phase === 'playing') s.emit('adend', { availId: 'av', adId: `ad-${i}`, skipped: false });
        if (e.detail.phase !== 'done') return;
        window.h.removeEventListener('simidstate', onState);
        const tm = window.h.timings;
        // The fake session's call log is the bench's, not the host's, memory.
        s.calls.length = 0;
        if (!e.detail.result.ok) reject(new Error(JSON.stringify(e.detail.result)));
        else resolve({ started: tm.started - tm.start, session: tm.session - tm.start, init: tm.init - tm.start });
      };
      window.h.addEventListener('simidstate', onState);
      if (warm) window.h.prewarm();
      // A prewarmed frame is in the page a while before the ad starts.
      setTimeout(() => s.emit('adstart', {
        availId: 'av', adId: `ad-${i}`, duration: 10, skipOffset: -1, playhead: video.currentTime, adPlayhead: 0,
        clickThrough: `${base}/landing`,
        simid: { url: `${base}/creatives/simid-good.html`, type: 'text/html', variableDuration: false, adParameters: '{}' },
      }), warm ? 100 : 0);
    });
  });

  for (const [label, warm] of [['cold', false], ['prewarmed', true]]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await page.evaluate(([b, i, w]) => window.oneAd(b, i, w), [srv.base, i, warm]));
    fig(`simid_startcreative_${label}_median`, pct(runs.map((r) => r.started), 50), 'ms');
    fig(`simid_startcreative_${label}_p95`, pct(runs.map((r) => r.started), 95), 'ms');
    // Where the time goes: the creative's document up and createSession sent.
    fig(`simid_createsession_${label}_median`, pct(runs.map((r) => r.session), 50), 'ms');
  }

  const cdp = await context.newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const frames = () => page.evaluate(() => document.querySelectorAll('iframe').length);
  // A few ads first so lazily created code and caches count as baseline.
  for (let i = 0; i < 3; i++) await page.evaluate(([b, i]) => window.oneAd(b, i, false), [srv.base, 900 + i]);
  const before = await heap();
  const t0 = Date.now();
  for (let i = 0; i < ADS; i++) await page.evaluate(([b, i]) => window.oneAd(b, i, false), [srv.base, 1000 + i]);
  const after = await heap();
  fig('simid_50ads_heap_before', before / 1024, 'KiB');
  fig('simid_50ads_heap_after', after / 1024, 'KiB');
  fig('simid_50ads_heap_growth', (after - before) / 1024, 'KiB');
  fig('simid_50ads_wall', (Date.now() - t0) / 1000, 's');
  fig('simid_50ads_iframes_left', await frames(), 'count');
  await context.close();
} finally {
  await browser.close();
  await srv.close();
}
