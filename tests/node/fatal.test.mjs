// When the Go program stops (a fatal runtime error), every js.Func it made
// is dead: a call throws "Go program has already exited" into whatever
// listener made it. The Session must detach everything at once and never
// call into the core again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';

import { AvailKit } from '../../dist/availkit.js';
import { wasmBytes, fakeMediaTailor, recorder, INIT, FakeVideo } from './helpers.mjs';

// spyCore counts the calls made into kit's core (session methods and the
// per-frame exports) once dead() has been called.
function spyCore(kit) {
  const calls = [];
  let dead = false;
  const core = kit._core;
  const wrap = (obj, prefix) => new Proxy(obj, {
    get(target, key) {
      const v = target[key];
      if (typeof v !== 'function') return v;
      return (...args) => {
        if (dead) calls.push(`${prefix}${String(key)}`);
        return v.apply(target, args);
      };
    },
  });
  // The exports object is frozen (a Proxy may not change its values).
  kit._exports = wrap({ ...kit._exports }, 'export ');
  kit._core = {
    ...core,
    stats: () => core.stats(),
    newSession: (cfg, hooks) => {
      const obj = core.newSession(cfg, hooks);
      return obj instanceof Error ? obj : wrap(obj, '');
    },
  };
  return { calls, dead: () => { dead = true; } };
}

test('after the core exits: one internal error, every listener detached, no call into the core', { timeout: 20000 }, async () => {
  const kit = await AvailKit.load({ wasmBytes });
  const spy = spyCore(kit);
  const video = new FakeVideo();
  const mt = fakeMediaTailor();
  const session = await kit.createSession({
    sessionInitUrl: INIT, fetch: mt.fetch, sendBeacon: recorder().sendBeacon, log: () => {}, video,
  });
  const errors = [];
  session.addEventListener('error', (e) => errors.push(e.detail));
  session.attach();
  await once(session, 'trackingupdate');
  video.paused = false;
  video.dispatchEvent(new Event('playing'));
  video.currentTime = 1.4; // near firstQuartile (1.5): the frame clock is armed
  video.dispatchEvent(new Event('timeupdate'));
  assert.ok(video.listeners > 0);

  spy.dead();
  kit._exit('the core exited'); // what the Go program's exit promise calls
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(errors.map((d) => [d.kind, d.source]), [['internal', 'core']]);
  assert.equal(video.listeners, 0, 'the Session and its adapter removed every listener');

  // Everything a page, a player or a part may still do.
  for (const t of ['timeupdate', 'play', 'pause', 'playing', 'waiting', 'seeking', 'seeked', 'ratechange',
    'volumechange', 'resize', 'durationchange', 'loadedmetadata']) {
    video.dispatchEvent(new Event(t));
  }
  assert.equal(session.seek(40), null);
  assert.equal(session.skip(), false);
  assert.equal(session.ui(), null);
  assert.deepEqual(session.markers(), []);
  assert.equal(session.update(3), null);
  session.pollNow();
  session.fireTracking({ availId: 'pre', adId: 'pre-1', eventType: 'x', urls: ['http://t.test/x'] });
  session.adError(405);
  session.nextEventIn(3);
  assert.equal(session.currentTime, 1.4);
  assert.throws(() => session.attach(), /stopped/);
  await new Promise((r) => setTimeout(r, 100)); // frame clock and precise timer would have fired
  session.destroy();
  assert.deepEqual(spy.calls, [], 'calls into the dead core');
  await assert.rejects(kit.createSession({ sessionInitUrl: INIT, fetch: mt.fetch }), (e) => e.kind === 'internal');
});
