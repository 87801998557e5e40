// Drives dist/availkit.wasm through dist/availkit.js under Node with a fake
// MediaTailor (fetch), a fake beacon sender and a fake <video>, from session
// init to beacons. Run after ./build.sh: node --test tests/node/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';

import {
  vod, vodJSON, INIT, TIMED, getKit, fakeMediaTailor, recorder, collect, expectedTimed, newSession, play, FakeVideo,
} from './helpers.mjs';

test('session init posts the options and resolves relative URLs', { timeout: 20000 }, async () => {
  const { session, mt } = await newSession();
  try {
    assert.equal(session.manifestUrl, 'http://mt.test/v1/master/acct/availkit/index.m3u8?aws.sessionId=s-1');
    assert.equal(session.trackingUrl, 'http://mt.test/v1/tracking/acct/availkit/s-1');
    assert.equal(session.sessionId, 's-1');
    const init = mt.requests[0];
    assert.equal(init.method, 'POST');
    assert.deepEqual(JSON.parse(init.body), { adsParams: { deviceType: 'web', w: '640' }, auth_token: 'tok' });
    assert.equal(init.headers['content-type'], 'application/json');
  } finally {
    session.destroy();
  }
});

test('third-party init: no POST, tracking URL used as given', { timeout: 20000 }, async () => {
  const { session, mt } = await newSession({
    opts: { sessionInitUrl: '', manifestUrl: 'http://cdn.test/m.m3u8', trackingUrl: 'http://mt.test/v1/tracking/acct/availkit/s-1' },
  });
  try {
    assert.equal(mt.requests.length, 0);
    assert.equal(session.manifestUrl, 'http://cdn.test/m.m3u8');
    session.manifestLoaded({ live: false });
    await once(session, 'trackingupdate');
    assert.equal(mt.requests[0].method, 'GET');
  } finally {
    session.destroy();
  }
});

test('init failure rejects with the kind, status and MediaTailor message of the error', { timeout: 20000 }, async (t) => {
  const k = await getKit();
  const cases = [
    { name: 'http 403 with a message', reply: [403, '{"message":"bad account"}'], want: { kind: 'http', status: 403, source: 'init' }, text: /bad account/ },
    { name: 'malformed reply', reply: [200, '{"manifestUrl": '], want: { kind: 'badjson', status: 200, source: 'init' }, text: /./ },
    { name: 'reply without URLs', reply: [200, '{}'], want: { kind: 'badreply', status: 200, source: 'init' }, text: /manifestUrl|trackingUrl/ },
    { name: 'network failure', fail: new TypeError('fetch failed'), want: { kind: 'network', status: 0, source: 'init' }, text: /fetch failed/ },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const fetch = async () => {
        if (c.fail) throw c.fail;
        return { status: c.reply[0], text: async () => c.reply[1], headers: new Map() };
      };
      await assert.rejects(
        k.createSession({ sessionInitUrl: INIT, fetch, sendBeacon: async () => {}, log: () => {} }),
        (e) => {
          assert.equal(e.name, 'AvailKitError');
          assert.deepEqual({ kind: e.kind, status: e.status, source: e.source }, c.want);
          assert.match(e.message, c.text);
          assert.match(e.detail.message, c.text);
          return true;
        },
      );
      assert.equal(k.stats().sessions, 0, 'a failed createSession destroys its core session');
    });
  }
});

test('one flush path: a seek the core decides reaches a headless host as the update() result and as seekrequest', { timeout: 20000 }, async () => {
  const { session } = await newSession();
  try {
    const reqs = collect(session, 'seekrequest');
    session.manifestLoaded({ live: false, duration: 60 });
    await once(session, 'trackingupdate');
    play(session, 0, 10);
    assert.equal(session.requestSeek(50), 30, 'snapped to the mid-roll');
    // The host performs the snap; the break plays to its end, then update()
    // hands back the resume seek.
    const seeks = play(session, 30, 47);
    assert.deepEqual(seeks.map((s) => [s.to, s.reason]), [[50, 'resume']]);
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(reqs.map((e) => [e.detail.to, e.detail.reason]), [[50, 'resume']]);
  } finally {
    session.destroy();
  }
});

test('headless VOD: every timed beacon fires once, in order, never early', { timeout: 20000 }, async () => {
  const { session, rec } = await newSession();
  try {
    const got = collect(session, 'beacon', 'adstart', 'adend', 'adbreakstart', 'adbreakend', 'error');
    session.manifestLoaded({ live: false, duration: 60 });
    const upd = await once(session, 'trackingupdate');
    assert.equal(upd[0].detail.avails, 2);
    assert.equal(upd[0].detail.raw, undefined, 'the body crosses only with rawTracking: true');

    const dt = 0.05;
    play(session, 0, 60, dt);
    await new Promise((r) => setTimeout(r, 0));

    const beacons = got.filter((e) => e.type === 'beacon').map((e) => e.detail);
    const want = expectedTimed(vod);
    assert.deepEqual(
      beacons.map((b) => `${b.availId}/${b.adId}/${b.eventType}`),
      want.map((e) => `${e.availId}/${e.adId}/${e.eventType}`),
    );
    for (const [i, b] of beacons.entries()) {
      assert.ok(b.playhead >= want[i].at - 1e-6, `${b.eventType} at ${want[i].at} fired early at ${b.playhead}`);
      assert.ok(b.playhead < want[i].at + dt + 1e-6, `${b.eventType} at ${want[i].at} fired late at ${b.playhead}`);
      assert.ok(Math.abs(b.scheduledTime - want[i].at) < 1e-3);
    }
    assert.deepEqual(rec.urls, beacons.map((b) => b.url), 'each beacon event is one request');
    for (const u of rec.urls) {
      assert.doesNotMatch(u, /\[CACHEBUSTING\]|\[ADPLAYHEAD\]|\[BREAKPOSITION\]/);
      if (u.includes('cb=')) assert.match(u, /cb=\d{8}&ph=\d\d%3A\d\d%3A\d\d\.\d{3}&pos=[123]/);
    }
    assert.match(rec.urls[0], /\/pre\/pre-1\/impression\?cb=\d{8}&ph=00%3A00%3A00\.000&pos=1/);
    const types = got.filter((e) => e.type !== 'beacon').map((e) => `${e.type}:${e.detail.adId || e.detail.availId}`);
    assert.deepEqual(types, [
      'adbreakstart:pre', 'adstart:pre-1', 'adend:pre-1', 'adbreakend:pre',
      'adbreakstart:mid', 'adstart:mid-1', 'adend:mid-1', 'adstart:mid-2', 'adend:mid-2', 'adbreakend:mid',
    ]);
    const adstart = got.find((e) => e.type === 'adstart' && e.detail.adId === 'mid-1').detail;
    assert.equal(adstart.index, 1);
    assert.equal(adstart.count, 2);
    assert.equal(adstart.skipOffset, 2);
    assert.equal(adstart.clickThrough, 'https://advertiser.test/landing/mid-1');
    assert.equal(adstart.companions[0].attributes.adSlotId, 'side');
    assert.equal(adstart.vpaid, null);

    // Playing the same range again sends nothing twice.
    const before = rec.urls.length;
    play(session, 0, 60, dt);
    assert.equal(rec.urls.length, before, 'no duplicates on replay');
  } finally {
    session.destroy();
  }
});

test('no-skip: a seek over the mid-roll snaps back, then resumes at the target', { timeout: 20000 }, async () => {
  const { session } = await newSession();
  try {
    const got = collect(session, 'snapback', 'beacon');
    session.manifestLoaded({ live: false, duration: 60 });
    await once(session, 'trackingupdate');
    play(session, 0, 10);
    const to = session.requestSeek(50);
    assert.equal(to, 30, 'snapped to the start of the unwatched avail');
    const snap = got.find((e) => e.type === 'snapback');
    assert.ok(snap, 'snapback event');
    assert.equal(snap.detail.resumeAt, 50);
    const seeks = play(session, 30, 47);
    assert.deepEqual(seeks.map((s) => [s.to, s.reason]), [[50, 'resume']]);
    const midTypes = got.filter((e) => e.type === 'beacon' && e.detail.availId === 'mid').map((e) => e.detail.eventType);
    assert.equal(midTypes.filter((t) => t === 'complete').length, 2, 'the snapped break plays fully');
  } finally {
    session.destroy();
  }
});

test('skip after skipOffset fires skip and seeks to the ad end', { timeout: 20000 }, async () => {
  const { session, rec } = await newSession();
  try {
    session.manifestLoaded({ live: false, duration: 60 });
    await once(session, 'trackingupdate');
    play(session, 0, 31);
    assert.equal(session.skip(), false, 'not skippable before 2 s');
    play(session, 31.05, 32.5);
    const seeks = [];
    session.addEventListener('seekrequest', (e) => seeks.push(e.detail));
    assert.equal(session.skip(), true);
    assert.ok(rec.urls.some((u) => u.endsWith('/mid/mid-1/skip')), 'skip beacon');
    assert.deepEqual(seeks.map((s) => [s.to, s.reason]), [[36, 'skip']]);
  } finally {
    session.destroy();
  }
});

test('tracking 5xx and malformed JSON emit error and polling goes on', { timeout: 20000 }, async () => {
  const { session } = await newSession({ tracking: [[503, 'busy'], [200, '{"avails": [ {'], [200, vodJSON]] });
  try {
    const errors = collect(session, 'error');
    session.manifestLoaded({ live: false });
    await once(session, 'error');
    assert.deepEqual(
      { kind: errors[0].detail.kind, status: errors[0].detail.status, source: errors[0].detail.source },
      { kind: 'http', status: 503, source: 'tracking' },
    );
    // The poller retries with backoff (about 1 s): wait for the malformed
    // body, then ask again at once.
    await once(session, 'error');
    assert.equal(errors[1].detail.kind, 'badjson');
    session.pollNow();
    const [upd] = await once(session, 'trackingupdate');
    assert.equal(upd.detail.avails, 2);
  } finally {
    session.destroy();
  }
});

test('attached to a video: timeupdate drives beacons, the timer lands them after their time', { timeout: 20000 }, async () => {
  const video = new FakeVideo();
  const { session, rec, kit: k } = await newSession({ opts: { video } });
  const base = k.stats();
  try {
    const beacons = collect(session, 'beacon');
    session.attach();
    assert.ok(video.listeners > 0);
    await once(session, 'trackingupdate');
    // Play from 0 at 1x in real time for ~0.3 s: impression/start at 0.
    const t0 = performance.now();
    video.paused = false;
    video.dispatchEvent(new Event('playing'));
    video.dispatchEvent(new Event('play'));
    assert.equal(beacons.filter((b) => b.detail.eventType === 'impression').length, 1);
    // firstQuartile of pre-1 is at 1.5 s; jump the clock to just before it
    // and let the precise timer fire: it must re-read currentTime.
    video.currentTime = 1.45;
    video.dispatchEvent(new Event('timeupdate'));
    assert.equal(beacons.some((b) => b.detail.eventType === 'firstQuartile'), false, 'not before its time');
    const started = performance.now();
    const clock = setInterval(() => { video.currentTime = 1.45 + (performance.now() - started) / 1000; }, 1);
    await once(session, 'beacon');
    clearInterval(clock);
    const fq = beacons.find((b) => b.detail.eventType === 'firstQuartile').detail;
    assert.ok(fq.playhead >= 1.5, `fired at ${fq.playhead}, before 1.5`);
    // No timeupdate came after 1.45: the precise timer fired it. Lateness
    // is measured in Chromium by the bench; here the bound only has to
    // survive a loaded 2-core CI machine.
    assert.ok(fq.playhead < 1.5 + 0.15, `fired at ${fq.playhead}, more than 150 ms late`);
    assert.ok(rec.urls.length >= 3);
    assert.ok(performance.now() - t0 < 2000);
  } finally {
    session.destroy();
  }
  assert.equal(video.listeners, 0, 'destroy removes every listener');
  const after = k.stats();
  assert.ok(after.funcs <= base.funcs - 10, `destroy releases the session funcs (${base.funcs} -> ${after.funcs})`);
  assert.equal(after.sessions, base.sessions - 1);
  assert.equal(after.timers, 0, 'no core timers left');
});

test('destroy is complete and idempotent', { timeout: 20000 }, async () => {
  const k = await getKit();
  const before = k.stats();
  const { session } = await newSession();
  session.manifestLoaded({ live: true, targetDuration: 2 });
  await once(session, 'trackingupdate');
  assert.equal(k.stats().timers, 1, 'a live session keeps one poll timer');
  session.destroy();
  session.destroy();
  assert.deepEqual(k.stats(), before);
  assert.equal(session.update(5), null, 'calls after destroy are inert');
  assert.deepEqual(session.markers(), []);
});

test('every method availkit.d.ts declares on Session exists', { timeout: 20000 }, async () => {
  const dts = fs.readFileSync(new URL('../../web/availkit.d.ts', import.meta.url), 'utf8');
  const body = dts.slice(dts.indexOf('export declare class Session'), dts.indexOf('export declare class AvailKit'));
  const methods = [...new Set([...body.matchAll(/^ {2}([a-zA-Z]+)(?:<[^>]*>)?\(/gm)].map((m) => m[1]))];
  assert.ok(methods.length > 15, `parsed ${methods.length} methods`);
  const { session } = await newSession();
  try {
    for (const m of methods) assert.equal(typeof session[m], 'function', `Session.${m}`);
    for (const p of ['manifestUrl', 'trackingUrl', 'sessionId', 'currentTime', 'duration']) assert.ok(p in session, p);
  } finally {
    session.destroy();
  }
});

test('live: no snap-back by default; adError fires error beacons once with the code', { timeout: 20000 }, async () => {
  const { session, rec } = await newSession();
  try {
    const errors = collect(session, 'error');
    session.manifestLoaded({ live: true, targetDuration: 2 });
    await once(session, 'trackingupdate');
    play(session, 0, 10);
    assert.equal(session.requestSeek(50), 50, 'live seeks over an avail stand');
    play(session, 30, 31);
    assert.equal(session.adError(405), true);
    assert.equal(session.adError(405), false, 'once per ad');
    const ev = errors.find((e) => e.detail.source === 'ad');
    assert.ok(ev, 'an error event for the ad');
    assert.equal(ev.detail.code, 405);
  } finally {
    session.destroy();
  }
});

test('attached: the player jumping a buffer hole or nudging out of a stall inside a break is playback, a user seek is refused', { timeout: 20000 }, async () => {
  const video = new FakeVideo();
  const { session } = await newSession({ opts: { video } });
  try {
    const got = collect(session, 'beacon', 'snapback');
    session.attach();
    await once(session, 'trackingupdate');
    video.paused = false;
    video.dispatchEvent(new Event('playing'));
    // Continuous playback into mid-1 (30-36), up to the ~67 ms hole before
    // mid-2 at 36.
    for (let t = 0; t <= 35.9; t = Math.round((t + 0.25) * 100) / 100) {
      video.currentTime = t;
      video.dispatchEvent(new Event('timeupdate'));
    }
    video.currentTime = 35.94;
    video.dispatchEvent(new Event('timeupdate'));
    const seekTo = (t) => {
      video.seeking = true;
      video.currentTime = t;
      video.dispatchEvent(new Event('seeking'));
      video.seeking = false;
      video.dispatchEvent(new Event('seeked'));
    };
    // hls.js's gap controller: a small forward seek over the hole in its
    // buffer, into the range that starts after the old playhead.
    video.setBuffered([[0, 35.94], [36.0, 60]]);
    seekTo(36.007);
    assert.equal(video.currentTime, 36.007, 'the gap jump is not corrected');
    video.currentTime = 36.2;
    video.dispatchEvent(new Event('timeupdate'));
    const mid = (adId, type) => got.filter((e) => e.type === 'beacon' && e.detail.adId === adId && e.detail.eventType === type).length;
    assert.equal(mid('mid-1', 'complete'), 1, 'complete of the ad before the hole fires once');
    assert.equal(mid('mid-2', 'impression'), 1, 'impression of the ad after the hole fires once');
    assert.equal(mid('mid-2', 'start'), 1);
    // A user seek of 5 s inside the unwatched ad is still refused, and so
    // is a short one within data already buffered.
    seekTo(41.2);
    assert.equal(video.currentTime, 36.2, 'the user seek is corrected back');
    seekTo(36.6);
    assert.equal(video.currentTime, 36.2, 'a 0.4 s user seek is corrected back too');
    // A stalled element (waiting) hopping forward is the player's nudge.
    video.dispatchEvent(new Event('waiting'));
    seekTo(36.3);
    assert.equal(video.currentTime, 36.3, 'a nudge out of a stall is not corrected');
    assert.equal(got.filter((e) => e.type === 'snapback').length, 0);
  } finally {
    session.destroy();
  }
});

test('rawTracking: true puts each polled body on trackingupdate (QA tools)', { timeout: 20000 }, async () => {
  const { session } = await newSession({ opts: { rawTracking: true } });
  try {
    session.manifestLoaded({ live: false, duration: 60 });
    const upd = await once(session, 'trackingupdate');
    assert.equal(upd[0].detail.raw, vodJSON);
  } finally {
    session.destroy();
  }
});
