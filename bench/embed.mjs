// bench/embed.mjs: time from appending <availkit-player> to the first video
// frame presented (the pre-roll's first frame: the VOD break is at 0), on a
// fresh page per run so the wasm core, the element and hls.js/dash.js load
// cold, as a CMS page would. Served under the strict CSP through the same
// proxy as the tests. Prints median and max of RUNS runs per player.

import { startEmulator, launchBrowser, waitFor } from '../tests/browser/harness.mjs';
import { startPageServer } from '../tests/browser/embed-server.mjs';
import { embedPages, initUrl } from '../tests/browser/embed-pages.mjs';
import path from 'node:path';
import { ROOT } from '../tests/browser/harness.mjs';

const RUNS = Number(process.env.EMBED_RUNS) || 5;
const emu = await startEmulator({ port: 18321, publicBase: 'http://127.0.0.1:18322' });
const web = await startPageServer({
  port: 18322,
  emulator: emu.base,
  pages: embedPages('/dist/element/availkit-player.js', 'embed bench'),
  mounts: { '/dist/': path.join(ROOT, 'dist'), '/pages/': path.join(ROOT, 'tests/browser/pages') },
});
const browser = await launchBrowser();
try {
  for (const [id, asset] of [['hls', 'vod/index.m3u8'], ['dash', 'vod/index.mpd']]) {
    const ms = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${web.base}/page/index.html`);
      await page.waitForFunction(() => window.embedReady === true);
      await page.evaluate(([x, u]) => window.embed.add(x, { 'session-init-url': u, 'ads-params': '{"scenario":"single"}', muted: '', autoplay: '' }), [id, initUrl(asset)]);
      const ff = await waitFor(() => page.evaluate((x) => window.embed.firstFrame(x), id), { timeout: 30000, every: 50, what: 'first frame' });
      // The frame counted must be an ad's: the pre-roll's adstart follows.
      await waitFor(() => page.evaluate((x) => window.embed.events(x, 'adstart').length > 0, id), { timeout: 10000, what: 'adstart' });
      const v = await page.evaluate(() => window.embed.violations().length);
      if (v) throw new Error(`${id}: ${v} CSP violations`);
      ms.push(ff);
      await context.close();
    }
    ms.sort((a, b) => a - b);
    const med = ms[Math.floor(ms.length / 2)];
    const name = id === 'hls' ? 'embed_first_ad_frame_ms' : 'embed_first_ad_frame_dash_ms';
    console.log(`FIGURE ${name} ${med.toFixed(0)} ms (${id}, median of ${RUNS} cold page loads, max ${ms[ms.length - 1].toFixed(0)})`);
  }
} finally {
  await browser.close();
  await web.stop();
  await emu.stop();
}
