// rich-security.test.mjs: hostile creatives (internal/emulator/creatives)
// must not reach the host page. The host plants a canary in window.canary,
// document.cookie and localStorage; the hostile VPAID unit and the hostile
// companion (as IFrameResource and as HTMLResource) try to read it, overwrite
// it, rewrite the host DOM, navigate the top window and forge bridge
// messages, and report whatever they get to /beacon/hostile/<attempt>.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launch, openHost, canaryState } from './rich-helpers.mjs';

const PORT = 18221;
let srv;
let browser;
const hostileHTML = fs.readFileSync(new URL('../../internal/emulator/creatives/companion-hostile.html', import.meta.url), 'utf8');

before(async () => {
  srv = await startServer(PORT);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.close();
});

// assertHostIntact checks the canary everywhere and that no report carried
// it out.
async function assertHostIntact(page, popups) {
  const st = await canaryState(page);
  assert.equal(st.canary, srv.canary, 'window.canary unchanged');
  assert.equal(st.cookie, `canary=${srv.canary}`, 'cookie unchanged');
  assert.equal(st.storage, srv.canary, 'localStorage unchanged');
  assert.equal(st.alive, true);
  assert.equal(st.url, '/host.html', 'top not navigated');
  assert.equal(st.domIntact, true, 'host DOM untouched');
  assert.equal(page.url(), `${srv.base}/host.html`);
  for (const h of srv.hits) {
    assert.ok(!JSON.stringify(h).includes(srv.canary), `canary leaked: ${JSON.stringify(h)}`);
  }
  assert.equal(srv.hits.filter((h) => h.path === '/pwned').length, 0, 'no top navigation request');
  assert.equal(popups.length, 0, 'no window opened');
}

// reports maps each attempt the hostile fixtures reported
// (/beacon/hostile/<attempt>?value=…) to its outcome.
const reports = (prefix) => Object.fromEntries(srv.hits
  .filter((h) => h.path.startsWith(`/beacon/hostile/${prefix}`))
  .map((h) => [h.path.slice('/beacon/hostile/'.length), h.query.value]));

test('hostile VPAID unit cannot reach the host page or forge bridge messages', async () => {
  srv.hits.length = 0;
  const { context, page, popups } = await openHost(browser, srv);
  try {
    const ended = page.waitForEvent('console', { predicate: (m) => m.text() === 'ak-test-done', timeout: 30000 });
    await page.evaluate(async (base) => {
      const { createVPAIDRunner } = await import('/web/vpaid/runner.js');
      const s = new window.FakeSession();
      window.s = s;
      const r = createVPAIDRunner(s, document.getElementById('content'), document.getElementById('player'));
      r.addEventListener('vpaidstate', (e) => {
        if (e.detail.phase === 'done') {
          window.result = e.detail.result;
          console.log('ak-test-done');
        }
      });
      // Past the 5 s user activation page.evaluate grants: the unit's own
      // click-throughs must not be able to open anything.
      setTimeout(() => s.emit('adstart', {
        availId: 'av', adId: 'hostile',
        vpaid: { mediaFileUri: `${base}/creatives/vpaid-hostile.js`, adParameters: '', duration: 5 },
      }), 5200);
    }, srv.base);
    await ended;
    const result = await page.evaluate(() => window.result);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.ok(result.forged >= 4, `forged messages counted and dropped: ${result.forged}`);
    const names = await page.evaluate(() => window.s.calls.filter((c) => c.m === 'vpaidEvent').map((c) => c.name));
    assert.ok(!names.includes('AdVideoComplete'), `forged AdVideoComplete got through: ${names}`);
    const clicks = await page.evaluate(() => window.s.calls.filter((c) => c.name === 'AdClickThru').map((c) => c.data.url));
    assert.deepEqual(clicks, [''], 'javascript: click-through reported without its URL (rate limit drops the data: one)');

    // The reports travel as separate requests: wait until all have arrived.
    const attacks = ['parent-canary', 'parent-cookie', 'parent-storage', 'write-canary', 'own-cookie', 'own-storage', 'top-nav'];
    for (let i = 0; i < 100 && !attacks.every((k) => k in reports('')); i++) await page.waitForTimeout(100);
    const got = reports('');
    // The unit did run its attacks (so the test is not vacuous) and every one failed.
    for (const k of attacks) {
      assert.ok(k in got, `attack ${k} ran: ${JSON.stringify(got)}`);
      assert.match(got[k], /^blocked:/, `${k}: ${got[k]}`);
    }
    assert.equal(got['frame-element'], 'got:null');
    assert.ok(!('stolen' in got), `bridge messages intercepted: ${got.stolen}`);
    assert.ok(!srv.hits.some((h) => h.path === '/beacon/hostile/sniffed' && /"token":"[0-9a-f]{32}"/.test(h.query.value)),
      'the session token never reached the unit through a message');
    await assertHostIntact(page, popups);
  } finally {
    await context.close();
  }
});

const companionCases = [
  { name: 'IFrameResource', companion: (base) => ({ iFrameResource: `${base}/creatives/companion-hostile.html` }) },
  { name: 'HTMLResource', companion: () => ({ htmlResource: hostileHTML }) },
];

for (const tc of companionCases) {
  test(`hostile companion as ${tc.name} cannot reach the host page`, async () => {
    srv.hits.length = 0;
    const { context, page, popups } = await openHost(browser, srv);
    try {
      await page.evaluate(async (c) => {
        const { createCompanionRenderer } = await import('/web/companions/renderer.js');
        const { createVPAIDRunner } = await import('/web/vpaid/runner.js');
        const s = new window.FakeSession();
        window.s = s;
        // A runner is listening too: forged bridge messages must not move it.
        window.r = createVPAIDRunner(s, document.getElementById('content'), document.getElementById('player'));
        createCompanionRenderer(s, [{ element: document.getElementById('slot-side'), width: 300, height: 250, adSlotId: 'side' }]);
        s.emit('adstart', {
          availId: 'av', adId: 'c1',
          companions: [{ attributes: { width: '300', height: '250', adSlotId: 'side' }, ...c }],
        });
      }, tc.companion(srv.base));
      // Wait until every attack has reported: the reports travel as separate
      // requests, so they may arrive in any order.
      const attacks = ['parent-canary', 'parent-cookie', 'parent-storage', 'parent-dom', 'write-canary', 'own-cookie', 'own-storage', 'top-nav'];
      const allIn = () => { const r = reports('companion-'); return attacks.every((k) => `companion-${k}` in r); };
      for (let i = 0; i < 100 && !allIn(); i++) await page.waitForTimeout(100);
      const got = reports('companion-');
      for (const k of attacks) {
        assert.ok(`companion-${k}` in got, `attack ${k} ran: ${JSON.stringify(got)}`);
        assert.match(got[`companion-${k}`], /^blocked:/, `${k}: ${got[`companion-${k}`]}`);
      }
      const calls = await page.evaluate(() => window.s.calls.filter((c) => c.m !== 'fireTracking'));
      assert.deepEqual(calls, [], 'forged messages moved nothing');
      assert.equal(await page.evaluate(() => window.r.active), false);
      await assertHostIntact(page, popups);
    } finally {
      await context.close();
    }
  });
}

test('javascript: companion click-through is not a link and does nothing', async () => {
  srv.hits.length = 0;
  const { context, page, popups } = await openHost(browser, srv);
  try {
    await page.evaluate(async (base) => {
      const { createCompanionRenderer } = await import('/web/companions/renderer.js');
      const s = new window.FakeSession();
      window.s = s;
      createCompanionRenderer(s, [{ element: document.getElementById('slot-side'), width: 300, height: 250 }]);
      s.emit('adstart', {
        availId: 'av', adId: 'c1',
        companions: [{
          attributes: { width: '300', height: '250' },
          staticResource: `${base}/creatives/companion-300x250.png`,
          companionClickThrough: 'javascript:top.canary="pwned";top.location="/pwned"',
          companionClickTracking: `${base}/beacon/click`,
        }],
      });
    }, srv.base);
    await page.waitForSelector('#slot-side .ak-companion img');
    assert.equal(await page.evaluate(() => document.querySelectorAll('#slot-side a').length), 0);
    await page.click('#slot-side .ak-companion img');
    await page.waitForTimeout(300);
    const clicks = await page.evaluate(() => window.s.calls.filter((c) => c.eventType === 'companionClickTracking'));
    assert.deepEqual(clicks, []);
    await assertHostIntact(page, popups);
  } finally {
    await context.close();
  }
});
