// Open Measurement and industry icons in real Chromium, with hls.js and
// dash.js: the built plugin (dist/), the emulator's omid/omid-broken/icons
// scenarios and its collector as the judge.
//
// OM: with the test OM service (pages/omid-fake.js) the scenario's
// verification script runs sandboxed and reports, to the collector, every
// event it receives; without a service the verification's
// verificationNotExecuted fires once per ad with [REASON] 2; a script that
// does not load and a rejected vendor give [REASON] 3 and 1.
// Icons: drawn at their position from their offset, IconViewTracking once,
// IconClickTracking per click, click-through in a new window, the "Why this
// ad" fallback panel for the icon without one.
//
// AK_MEASURED_TABLE=1 prints, for the first ad, the events the verification
// script received in order (the figure in docs/open-measurement.md).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, launchBrowser, openPage, collector, waitFor } from './harness.mjs';

const PLAYERS = (process.env.AK_MEASURED_PLAYERS || 'hls,dash').split(',');

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

async function session(opts) {
  const context = await browser.newContext({ viewport: { width: 900, height: 600 } });
  const page = await openPage(context, emu.base, 'measured.html');
  const info = await page.evaluate((o) => window.m.start(o), opts);
  return {
    context,
    page,
    info,
    events: (t) => page.evaluate((x) => window.m.events(x), t),
    state: () => page.evaluate(() => window.m.state()),
    hits: () => collector(emu.base, info.id),
    async close() {
      await page.evaluate(() => window.m.destroy()).catch(() => {});
      await context.close();
    },
  };
}

// adEnds waits until n ads have ended.
const adEnds = (s, n, timeout = 60000) => waitFor(async () => (await s.events('adend')).length >= n,
  { timeout, what: `${n} adend events` });

const byType = (hits, type) => hits.filter((h) => h.eventType === type);

for (const player of PLAYERS) {
  describe(`${player}: Open Measurement`, () => {
    test('with an OM service: the verification runs sandboxed and receives the ad session in order', async () => {
      const s = await session({ player, scenario: 'omid', omid: 'fake', rate: 2 });
      try {
        // A viewer pauses, resumes and turns the sound up during the first ad.
        await waitFor(async () => (await s.page.evaluate(() => window.m.omLog())).some((e) => e.type === 'start'),
          { what: 'the OM session started' });
        // dash.js may still be starting playback: pause until it holds.
        await waitFor(async () => {
          await s.page.evaluate(() => window.m.pause());
          return (await s.state()).paused;
        }, { what: 'paused', every: 250 });
        await s.page.evaluate(() => window.m.play());
        await s.page.evaluate(() => window.m.setVolume(0.5));
        await adEnds(s, 1);
        const starts = await s.events('adstart');
        const first = starts[0].detail;
        assert.equal(first.adVerifications.length, 1);
        assert.equal(first.adVerifications[0].vendor, 'availkit.test-omid');
        // The script reports sessionFinish last, after the ad end.
        const mine = (hits) => hits.filter((h) => h.eventType.startsWith('omid-') && h.query.ad === 'avail1-ad1');
        const hits = await waitFor(async () => {
          const h = mine(await s.hits());
          return h.some((x) => x.eventType === 'omid-sessionFinish') ? h : null;
        }, { timeout: 15000, what: 'the verification script\'s sessionFinish report' });
        const seq = hits.slice().sort((a, b) => +a.query.seq - +b.query.seq);
        const types = seq.map((h) => h.eventType.slice(5));
        if (process.env.AK_MEASURED_TABLE) {
          console.log(`\n${player}: events received by the verification script, ad ${first.adId} (${first.duration.toFixed(3)} s)`);
          console.log('| # | event | data |\n|---|---|---|');
          for (const h of seq) console.log(`| ${h.query.seq} | ${h.eventType.slice(5)} | ${h.query.data} |`);
        }
        assert.equal(types[0], 'scriptLoaded');
        assert.equal(JSON.parse(seq[0].query.data).hostReadable, 'no', 'limited access: the script cannot reach the host page');
        const core = types.filter((t) => !['geometryChange', 'volumeChange', 'playerStateChange', 'pause', 'resume'].includes(t));
        assert.deepEqual(core, ['scriptLoaded', 'sessionStart', 'loaded', 'impression', 'start',
          'firstQuartile', 'midpoint', 'thirdQuartile', 'complete', 'sessionFinish']);
        const at = (t) => types.indexOf(t);
        assert.ok(at('start') < at('pause') && at('pause') < at('resume') && at('resume') < at('complete'),
          `pause then resume inside the ad: ${types.join(' ')}`);
        // pause and resume alternate, starting with pause (dash.js may itself
        // restart playback once while it is starting, giving two pairs).
        const pr = types.filter((t) => t === 'pause' || t === 'resume');
        assert.ok(pr.length >= 2 && pr.every((t, i) => t === (i % 2 ? 'resume' : 'pause')), `pause/resume alternate: ${pr.join(' ')}`);
        const vol = seq.filter((h) => h.eventType === 'omid-volumeChange').map((h) => JSON.parse(h.query.data).mediaPlayerVolume);
        assert.deepEqual(vol, [0.5], 'one volumeChange, with the new volume');
        assert.equal(new Set(seq.map((h) => h.query.seq)).size, seq.length, 'each report once');
        const startData = JSON.parse(seq[types.indexOf('start')].query.data);
        assert.ok(Math.abs(startData.duration - first.duration) < 0.01, `start carries the ad duration: ${startData.duration}`);
        assert.ok(types.includes('geometryChange'), 'geometry is reported');
        const sessionStart = JSON.parse(seq[1].query.data);
        assert.equal(sessionStart.accessMode, 'limited');
        assert.deepEqual(byType(await s.hits(), 'verificationNotExecuted'), [], 'an executed verification is not reported as not executed');
      } finally {
        await s.close();
      }
    });

    // The two runs without a working verification exercise the plugin's
    // OM driver, which does not depend on the player: the first player runs
    // them (the budget of ./build.sh test).
    if (player !== PLAYERS[0]) return;

    test('without an OM service: verificationNotExecuted once per ad, [REASON] 2', async () => {
      const s = await session({ player, scenario: 'omid', rate: 4 });
      try {
        // Sent when each ad starts: the mid-roll's comes at session 24 s.
        await waitFor(async () => byType(await s.hits(), 'verificationNotExecuted').length >= 2,
          { timeout: 40000, what: 'verificationNotExecuted at the collector' });
        await adEnds(s, 2);
        const hits = byType(await s.hits(), 'verificationNotExecuted');
        assert.deepEqual(hits.map((h) => [h.query.ad, h.query.reason]).sort(), [['avail1-ad1', '2'], ['avail2-ad1', '2']]);
        assert.deepEqual((await s.hits()).filter((h) => h.eventType.startsWith('omid-')), [], 'no script ran');
      } finally {
        await s.close();
      }
    });

    test('a script that fails to load gives [REASON] 3, a rejected vendor [REASON] 1, once each', async () => {
      const s = await session({ player, scenario: 'omid-broken', omid: 'fake', reject: ['availkit.test-rejected'], rate: 2 });
      try {
        await adEnds(s, 1);
        const hits = await waitFor(async () => {
          const h = byType(await s.hits(), 'verificationNotExecuted').filter((x) => x.query.ad === 'avail1-ad1');
          return h.length >= 2 ? h : null;
        }, { timeout: 10000, what: 'two verificationNotExecuted' });
        assert.deepEqual(hits.map((h) => [h.query.vendor, h.query.reason]).sort(),
          [['availkit.test-missing', '3'], ['availkit.test-rejected', '1']]);
      } finally {
        await s.close();
      }
    });
  });

  // Icons are drawn from the core's playhead and the overlay container,
  // which do not depend on the player: the first player only (time budget;
  // rich-icons.test.mjs covers them without a player).
  if (player === PLAYERS[0]) describe(`${player}: icons`, () => {
    test('drawn at their place and time, view tracked once, clicks tracked each time, WTA panel without click-through', async () => {
      const s = await session({ player, scenario: 'icons', rate: 1 });
      const { page } = s;
      try {
        // The WTA icon shows from 0 s, AdChoices from 1 s of ad time.
        const icons = await waitFor(async () => {
          const list = await page.evaluate(() => window.m.icons());
          return list.length === 2 ? list : null;
        }, { timeout: 30000, what: 'both icons on screen' });
        const at = Object.fromEntries(icons.map((i) => [i.program, i]));
        assert.deepEqual([at.AdChoices.w, at.AdChoices.h], [24, 24]);
        assert.deepEqual([Math.round(at.AdChoices.x + at.AdChoices.w), Math.round(at.AdChoices.y)], [640, 0], 'AdChoices top right');
        assert.deepEqual([Math.round(at.GoogleWhyThisAd.x), Math.round(at.GoogleWhyThisAd.y + at.GoogleWhyThisAd.h)], [0, 360], 'WTA bottom left');

        // No click-through: the fallback panel opens and pauses the ad (its
        // icon shows for the first 8 s, the panel freezes ad time).
        await page.click('.ak-icon[data-program="GoogleWhyThisAd"]');
        const panel = await waitFor(() => page.evaluate(() => window.m.panel()), { what: 'the fallback panel' });
        assert.match(panel.src, /\/creatives\/wta-dialog\.svg$/);
        assert.equal(panel.label, 'Why this ad? (availkit test panel)');
        assert.equal((await s.state()).paused, true, 'the ad pauses under the panel');
        await page.evaluate(() => window.m.closePanel());
        await waitFor(async () => !(await s.state()).paused, { what: 'playback resumed after the panel' });
        // Click-through icon: a new window per click, a click beacon per click.
        for (let i = 0; i < 2; i++) {
          const popup = page.waitForEvent('popup', { timeout: 10000 });
          await page.click('.ak-icon[data-program="AdChoices"]', { timeout: 5000 });
          const win = await popup;
          assert.match(win.url(), /\/landing\?icon=adchoices$/);
          await win.close();
        }

        await adEnds(s, 1);
        assert.deepEqual(await page.evaluate(() => window.m.icons()), [], 'icons leave with their ad');
        const hits = await waitFor(async () => {
          const h = (await s.hits()).filter((x) => x.query.ad === 'avail1-ad1' && x.eventType.startsWith('icon'));
          return h.filter((x) => x.eventType === 'iconClickTracking').length >= 3 ? h : null;
        }, { timeout: 10000, what: 'icon click beacons' });
        const count = (type, icon) => hits.filter((h) => h.eventType === type && h.query.icon === icon).length;
        // An icon view counts only once the ad's impression went out
        // (the WTA icon is drawn from ad time 0, before the first frame).
        const sent = (await s.events('beacon')).filter((e) => e.detail && /[?&]ad=avail1-ad1(&|$)/.test(e.detail.url))
          .map((e) => e.detail.eventType);
        const impression = sent.indexOf('impression');
        assert.ok(impression >= 0 && sent.indexOf('iconViewTracking') > impression,
          `impression before any icon view: ${sent.join(' ')}`);
        assert.equal(count('iconViewTracking', 'adchoices'), 1);
        assert.equal(count('iconViewTracking', 'wta'), 1);
        assert.equal(count('iconClickTracking', 'adchoices'), 2);
        assert.equal(count('iconClickTracking', 'wta'), 1);
      } finally {
        await s.close();
      }
    });
  });
}
