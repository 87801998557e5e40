// Startup: a session whose kit is still loading its core sends the
// session-init request at once, resolves createSession from the reply,
// and hands the core that reply (one POST) and the player's state when it
// arrives; the request body built in JS is the core's own. The loader
// decodes a gzip core a plain static host serves. Run after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';

import { AvailKit } from '../../dist/availkit.js';
import { initRequest, EarlyInit, POLL_AHEAD_MAX_AGE_MS } from '../../dist/core/startup.js';
import { coreConfig } from '../../dist/core/config.js';
import { NO_SKIP } from '../../dist/core/constants.js';
import { wasmResponse } from '../../dist/core/loader.js';
import { wasmBytes, getKit, fakeMediaTailor, recorder, FakeVideo, INIT } from './helpers.mjs';

const quiet = { sendBeacon: async () => {}, log: () => {} };

test('the JS session-init request is the one the core sends', { timeout: 30000 }, async (t) => {
  const k = await getKit();
  const cases = [
    { name: 'no parameters', opts: {} },
    { name: 'ads parameters of every plain type', opts: { adsParams: { deviceType: 'web', w: 640, dnt: true, neg: -3, gone: null } } },
    { name: 'origin parameters, reserved keys dropped', opts: { originParams: { auth_token: 'tok', adsParams: 'x', preroll: '1', z: 'é\u2028"' } } },
    { name: 'manifest parameters and reporting mode', opts: { manifestParams: { a: '1', b: 'two' }, reportingMode: 'server' } },
    { name: 'avail suppression and overlay avails', opts: { availSuppression: { mode: 'BEHIND_LIVE_EDGE', value: '00:00:30' }, overlayAvails: false } },
    { name: 'a nonce under its own key', opts: { adsParams: { a: 'b' }, nonce: () => 'n-1', nonceParam: 'pn' }, nonce: 'n-1' },
    { name: 'a nonce the ads parameters already hold', opts: { adsParams: { nonce: 'mine' }, nonce: () => 'n-2' }, nonce: 'n-2' },
    { name: 'init headers and timeout', opts: { sessionInitHeaders: { 'x-api-key': 'k' }, requestTimeout: 3 } },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const mt = fakeMediaTailor();
      const s = await k.createSession({ sessionInitUrl: INIT, fetch: mt.fetch, ...quiet, ...c.opts });
      s.destroy();
      const core = mt.requests.find((r) => r.method === 'POST');
      const js = initRequest(coreConfig({ sessionInitUrl: INIT, ...c.opts }, c.nonce || ''));
      assert.ok(js, 'an early request is possible');
      assert.equal(js.url, core.url);
      assert.deepEqual(JSON.parse(js.body), JSON.parse(core.body));
      assert.deepEqual(js.headers, core.headers);
    });
  }
});

test('values only the core may judge take no early path', () => {
  for (const opts of [
    { adsParams: { w: 0.5 } }, { adsParams: { o: {} } }, { adsParams: [] }, { originParams: { big: 1e21 } },
    { availSuppression: { mode: 1 } }, { sessionInitUrl: 'ftp://x/y' }, { manifestUrl: 'http://a/m', trackingUrl: 'http://a/t' },
  ]) {
    assert.equal(initRequest(coreConfig({ sessionInitUrl: INIT, ...opts }, '')), null, JSON.stringify(opts));
  }
});

test('session init starts before the core is ready and is sent once', { timeout: 30000 }, async () => {
  const mt = fakeMediaTailor();
  let versionAtPost = null;
  const fetch = (url, init) => {
    if (init.method === 'POST') versionAtPost = kit.version;
    return mt.fetch(url, init);
  };
  const rec = recorder();
  const kit = AvailKit.start({ wasmBytes });
  const video = new FakeVideo();
  const session = await kit.createSession({ sessionInitUrl: INIT, fetch, sendBeacon: rec.sendBeacon, log: () => {}, video });
  try {
    assert.equal(versionAtPost, '', 'the POST went out while the core was loading');
    assert.equal(session.manifestUrl, 'http://mt.test/v1/master/acct/availkit/index.m3u8?aws.sessionId=s-1');
    assert.equal(session.sessionId, 's-1');
    // The player plays the pre-roll before the core arrives.
    session.attach();
    session.manifestLoaded({ live: false, duration: 60 });
    video.paused = false;
    video.currentTime = 1.5;
    video.dispatchEvent(new Event('playing'));
    await kit.ready;
    await once(session, 'trackingupdate');
    video.currentTime = 1.6;
    video.dispatchEvent(new Event('timeupdate'));
    assert.equal(mt.requests.filter((r) => r.method === 'POST').length, 1, 'the core took the early reply');
    assert.ok(rec.urls.some((u) => /impression/.test(u)), `the crossed impression fired when the core arrived: ${rec.urls}`);
  } finally {
    session.destroy();
  }
});

// compileCounter counts WebAssembly.compile calls (the wasmBytes path of
// the loader) while it is installed; c.delay, when set, runs before each.
function compileCounter(t) {
  const real = WebAssembly.compile;
  const c = { n: 0 };
  WebAssembly.compile = async (...a) => {
    c.n++;
    if (c.delay) await c.delay();
    return real.apply(WebAssembly, a);
  };
  t.after(() => { WebAssembly.compile = real; });
  return c;
}

test('coreStart first-frame: the core compiles after the first frame, and the crossed pre-roll beacons fire once', { timeout: 30000 }, async (t) => {
  const compiles = compileCounter(t);
  const mt = fakeMediaTailor();
  const rec = recorder();
  // The core compiles until 0.8 s into playback: the pre-roll has played
  // past its first 0.5 s, where a first update would count as joining the
  // ad in its middle.
  let t0 = 0;
  let playing;
  const played = new Promise((r) => { playing = r; });
  compiles.delay = async () => {
    await played;
    await new Promise((r) => setTimeout(r, Math.max(0, 800 - (performance.now() - t0))));
  };
  const fetch = mt.fetch;
  const kit = AvailKit.start({ wasmBytes, coreStart: 'first-frame' });
  const video = new FakeVideo();
  video.readyState = 0; // nothing decoded yet
  const session = await kit.createSession({ sessionInitUrl: INIT, fetch, sendBeacon: rec.sendBeacon, log: () => {}, video });
  const readies = [];
  session.addEventListener('ready', (e) => readies.push(e.detail));
  try {
    session.attach();
    session.manifestLoaded({ live: false, duration: 60 });
    assert.equal(compiles.n, 0, 'nothing compiled before the first frame');
    const polls = () => mt.requests.filter((r) => r.method === 'GET' && r.url === session.trackingUrl).length;
    assert.equal(polls(), 1, 'the first tracking poll left with the manifest, before the core');
    await new Promise((r) => setTimeout(r, 0)); // createSession releases its held events a task later
    assert.deepEqual(readies, [{ manifestUrl: session.manifestUrl, trackingUrl: session.trackingUrl, sessionId: 's-1' }],
      'ready as soon as the session is initialised, before the core');
    assert.equal(kit.version, '');
    // The pre-roll is on screen and plays from its first frame, in real time.
    video.readyState = 4;
    video.paused = false;
    t0 = performance.now();
    Object.defineProperty(video, 'currentTime', { get: () => (performance.now() - t0) / 1000, set: () => {} });
    video.dispatchEvent(new Event('playing'));
    const updated = once(session, 'trackingupdate');
    await new Promise(setImmediate); // the compile starts from a promise reaction
    assert.equal(compiles.n, 1, 'the first frame started the compile');
    playing();
    await kit.ready;
    await updated;
    video.dispatchEvent(new Event('timeupdate'));
    for (const type of ['impression', 'start']) {
      assert.equal(rec.urls.filter((u) => u.includes(`/${type}?`)).length, 1, `one crossed ${type}: ${rec.urls}`);
    }
    assert.equal(readies.length, 1, 'the core sent no second ready');
    assert.equal(mt.requests.filter((r) => r.method === 'POST').length, 1, 'one session init');
    assert.equal(polls(), 1, 'the core took the early poll\'s reply');
  } finally {
    session.destroy();
  }
});

test('coreStart first-frame: a viewer\'s seek past the pre-roll before the core runs is judged as with the core there', { timeout: 30000 }, async (t) => {
  // The viewer plays the pre-roll (0-6 s), then seeks to 40 s, inside the
  // mid-roll: with the core there, the no-skip rules send playback back.
  // A core that arrives after the seek must decide the same.
  const run = async (coreStart, t) => {
    const compiles = compileCounter(t);
    let compiled;
    const gate = new Promise((r) => { compiled = r; });
    if (coreStart === 'first-frame') compiles.delay = () => gate;
    const mt = fakeMediaTailor();
    const rec = recorder();
    const kit = AvailKit.start({ wasmBytes, coreStart });
    if (coreStart === 'eager') await kit.ready;
    const video = new FakeVideo();
    const session = await kit.createSession({ sessionInitUrl: INIT, fetch: mt.fetch, sendBeacon: rec.sendBeacon, log: () => {}, video });
    try {
      session.attach();
      session.manifestLoaded({ live: false, duration: 60 });
      if (coreStart === 'eager') await once(session, 'trackingupdate');
      video.paused = false;
      video.dispatchEvent(new Event('playing'));
      video.currentTime = 0.3;
      video.dispatchEvent(new Event('timeupdate'));
      video.currentTime = 40;
      video.seeking = true;
      video.dispatchEvent(new Event('seeking'));
      video.seeking = false;
      video.dispatchEvent(new Event('seeked'));
      if (coreStart === 'first-frame') {
        assert.equal(video.currentTime, 40, 'nothing judged the seek yet');
        const updated = once(session, 'trackingupdate');
        compiled();
        await kit.ready;
        await updated;
      }
      await new Promise((r) => setTimeout(r, 50));
      return { to: video.currentTime, impressions: rec.urls.filter((u) => /\/impression\?/.test(u)).length };
    } finally {
      session.destroy();
    }
  };
  const want = await run('eager', t);
  assert.ok(want.to < 40, `the core sends playback back from the mid-roll: ${want.to}`);
  const got = await run('first-frame', t);
  assert.equal(got.to, want.to, 'the late core makes the same decision');
  assert.ok(got.impressions >= 1, 'the pre-roll the viewer saw was counted');
});

test('coreStart first-frame: a session that needs the core at once does not wait for a frame', { timeout: 30000 }, async (t) => {
  const compiles = compileCounter(t);
  const kit = AvailKit.start({ wasmBytes, coreStart: 'first-frame' });
  // A 403 is judged by the core only: createSession must start it.
  const fetch = async () => ({ status: 403, text: async () => '{"message":"bad account"}', headers: new Map() });
  const t0 = performance.now();
  await assert.rejects(kit.createSession({ sessionInitUrl: INIT, fetch, ...quiet }), (e) => e.kind === 'http' && e.status === 403);
  assert.equal(compiles.n, 1);
  // The kit would start its core by itself after 5 s; this one did not wait for that.
  assert.ok(performance.now() - t0 < 4000, `rejected after ${Math.round(performance.now() - t0)} ms`);
});

test('coreStart first-frame: a headless host starts the core with its first update', { timeout: 30000 }, async (t) => {
  const compiles = compileCounter(t);
  const mt = fakeMediaTailor();
  const kit = AvailKit.start({ wasmBytes, coreStart: 'first-frame' });
  const session = await kit.createSession({ sessionInitUrl: INIT, fetch: mt.fetch, ...quiet });
  try {
    await new Promise(setImmediate);
    assert.equal(compiles.n, 0, 'nothing compiled before the host played');
    session.update(0.5, { paused: false });
    await new Promise(setImmediate);
    assert.equal(compiles.n, 1, 'the first update started the compile');
    await kit.ready;
  } finally {
    session.destroy();
  }
});

test('EarlyInit.pollAhead: the core\'s first poll of that URL takes the reply while it is fresh, once', async (t) => {
  const req = { url: 'http://mt.test/init', method: 'POST', body: '{}', timeoutMs: 2000 };
  for (const c of [
    { name: 'fresh', age: 0, taken: true },
    { name: 'at the bound', age: POLL_AHEAD_MAX_AGE_MS, taken: true },
    { name: 'too old: the core polls itself', age: POLL_AHEAD_MAX_AGE_MS + 1, taken: false },
  ]) {
    await t.test(c.name, async () => {
      let clock = 1000;
      const sent = [];
      const send = (url, init) => { sent.push([url, init.method, init.timeoutMs]); return Promise.resolve({ status: 200, text: url }); };
      const e = new EarlyInit(req, send, () => clock);
      e.pollAhead('http://mt.test/t');
      e.pollAhead('http://mt.test/t'); // a manifest reload: nothing more
      assert.deepEqual(sent, [['http://mt.test/init', 'POST', 2000], ['http://mt.test/t', 'GET', 2000]]);
      assert.equal(e.take('http://mt.test/other', { method: 'GET' }), null, 'another URL');
      clock += c.age;
      const got = e.take('http://mt.test/t', { method: 'GET' });
      if (c.taken) assert.equal((await got).text, 'http://mt.test/t');
      else assert.equal(got, null);
      assert.equal(e.take('http://mt.test/t', { method: 'GET' }), null, 'the next poll is the core\'s own');
      assert.ok(e.take('http://mt.test/init', { method: 'POST', body: '{}' }), 'the init reply is still there');
    });
  }
});

test('a noSkip the core refuses rejects createSession, whenever the core loads; the ones it takes start early', { timeout: 30000 }, async (t) => {
  const k = await getKit();
  for (const v of NO_SKIP) {
    await t.test(`${v}: the core takes it, and the JS init goes out early`, async () => {
      assert.ok(initRequest(coreConfig({ sessionInitUrl: INIT, noSkip: v }, '')), 'early path');
      const mt = fakeMediaTailor();
      const s = await k.createSession({ sessionInitUrl: INIT, fetch: mt.fetch, noSkip: v, ...quiet });
      s.destroy();
    });
  }
  for (const coreStart of ['first-frame', 'eager']) {
    await t.test(`"sometimes", coreStart ${coreStart}: rejected, nothing plays unreported`, async () => {
      const mt = fakeMediaTailor();
      const kit = AvailKit.start({ wasmBytes, coreStart });
      await assert.rejects(kit.createSession({ sessionInitUrl: INIT, fetch: mt.fetch, noSkip: 'sometimes', ...quiet }),
        (e) => e.kind === 'config' && /noSkip must be/.test(e.message));
    });
  }
});

test('coreStart: an unknown value is a config error', async () => {
  const kit = AvailKit.start({ wasmBytes, coreStart: 'later' });
  await assert.rejects(kit.ready, (e) => e.kind === 'config' && /coreStart/.test(e.message));
  await assert.rejects(kit.createSession({ sessionInitUrl: INIT, ...quiet }), /coreStart/);
});

test('a failed early init rejects with the core\'s typed error', { timeout: 30000 }, async (t) => {
  const cases = [
    { name: 'http 403', reply: [403, '{"message":"bad account"}'], want: { kind: 'http', status: 403, source: 'init' } },
    { name: 'reply without URLs', reply: [200, '{}'], want: { kind: 'badreply', status: 200, source: 'init' } },
    { name: 'network failure', fail: new TypeError('fetch failed'), want: { kind: 'network', status: 0, source: 'init' } },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      let posts = 0;
      const fetch = async () => {
        posts++;
        if (c.fail) throw c.fail;
        return { status: c.reply[0], text: async () => c.reply[1], headers: new Map() };
      };
      const kit = AvailKit.start({ wasmBytes });
      await assert.rejects(kit.createSession({ sessionInitUrl: INIT, fetch, ...quiet }), (e) => {
        assert.deepEqual({ kind: e.kind, status: e.status, source: e.source }, c.want);
        return true;
      });
      assert.equal(posts, 1);
    });
  }
});

test('the loader decodes a gzip core and passes raw wasm through', { timeout: 30000 }, async (t) => {
  const cases = [
    { name: '.gz without Content-Encoding', body: gzipSync(wasmBytes), type: 'application/gzip' },
    { name: 'raw wasm with a wrong type', body: wasmBytes, type: 'application/octet-stream' },
    { name: 'application/wasm', body: wasmBytes, type: 'application/wasm' },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const res = await wasmResponse(new Response(c.body, { headers: { 'content-type': c.type } }));
      assert.equal(res.headers.get('content-type'), 'application/wasm');
      const m = await WebAssembly.compile(await res.arrayBuffer());
      assert.ok(WebAssembly.Module.exports(m).some((e) => e.name === 'ak_update'));
    });
  }
  await assert.rejects(wasmResponse(new Response('<html>', { headers: { 'content-type': 'text/html' } })), /neither wasm nor gzip/);
});
