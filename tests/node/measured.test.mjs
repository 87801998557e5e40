// Unit tests of the Open Measurement driver (web/omid/driver.js) and the
// icon layer's pure helpers (web/ui/icons.js), with a fake Session. The
// browser side (frames, clicks, real players) is tests/browser/measured.test.mjs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { createOMIDDriver, REASON } from '../../web/omid/driver.js';
import { iconVisible, placement, pickFallback, iconResource } from '../../web/ui/icons.js';

class FakeSession extends EventTarget {
  constructor() {
    super();
    this.fired = [];
  }
  fireTracking(t) {
    this.fired.push(t);
    return t.urls.length;
  }
  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

const verification = (vendor, { uri = `https://v.test/${vendor}.js`, api = 'omid', nx = true } = {}) => ({
  vendor,
  javaScriptResource: [{ apiFramework: api, browserOptional: true, uri }],
  verificationParameters: '{}',
  trackingEvents: nx ? [{ event: 'verificationNotExecuted', uri: `https://v.test/nx?v=${vendor}&r=[REASON]` }] : [],
});

const adstart = (vs, extra = {}) => ({
  availId: 'a1', adId: 'ad1', duration: 8, skipOffset: -1, position: 'preroll', adPlayhead: 0, adVerifications: vs, ...extra,
});

// recorder is a service whose sessions record what they receive.
function recorder({ defer = false, fail = null, reject = [] } = {}) {
  const rec = { sessions: [], resolve: null };
  rec.service = {
    createAdSession(ctx) {
      if (fail) throw fail;
      for (const v of ctx.verifications) if (reject.includes(v.vendor)) ctx.notExecuted(v.vendor, REASON.REJECTED);
      const s = { ctx, events: [], finished: 0, event(t, d) { this.events.push([t, d]); }, finish() { this.finished++; } };
      rec.sessions.push(s);
      if (!defer) return s;
      return new Promise((r) => { rec.resolve = () => r(s); });
    },
  };
  return rec;
}

const names = (s) => s.events.map(([t]) => t).filter((t) => t !== 'geometryChange');
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('OM driver', () => {
  test('without a service: verificationNotExecuted once per verification, [REASON] 2', () => {
    const ses = new FakeSession();
    const d = createOMIDDriver(ses, null, null, undefined);
    ses.emit('adstart', adstart([verification('a'), verification('b', { nx: false }), verification('c')]));
    assert.deepEqual(ses.fired.map((f) => [f.eventType, f.key, f.reason, f.urls.length]),
      [['verificationNotExecuted', 'omid:0', 2, 1], ['verificationNotExecuted', 'omid:2', 2, 1]]);
    ses.emit('adend', { availId: 'a1', adId: 'ad1', skipped: false });
    assert.equal(ses.fired.length, 2, 'nothing more at the ad end');
    d.destroy();
  });

  test('with a service: the ad session gets the ad\'s events in order, queued until it exists', async () => {
    const ses = new FakeSession();
    const rec = recorder({ defer: true });
    const d = createOMIDDriver(ses, null, null, rec.service);
    ses.emit('adstart', adstart([verification('a')]));
    ses.emit('adprogress', { availId: 'a1', adId: 'ad1', adPlayhead: 2.1 });
    rec.resolve();
    await tick();
    const s = rec.sessions[0];
    assert.equal(s.ctx.accessMode, 'limited');
    assert.deepEqual(names(s), ['loaded', 'impression', 'start', 'firstQuartile']);
    for (const t of [2.2, 4.1, 4.2, 6.5]) ses.emit('adprogress', { availId: 'a1', adId: 'ad1', adPlayhead: t });
    ses.emit('adprogress', { availId: 'other', adId: 'x', adPlayhead: 8 });
    ses.emit('adend', { availId: 'a1', adId: 'ad1', skipped: false });
    assert.deepEqual(names(s), ['loaded', 'impression', 'start', 'firstQuartile', 'midpoint', 'thirdQuartile', 'complete']);
    assert.equal(s.finished, 1);
    assert.deepEqual(ses.fired, [], 'executed: no verificationNotExecuted');
    assert.deepEqual(s.events[0][1], { skippable: false, skipOffset: null, autoPlay: true, position: 'preroll' });
    d.destroy();
  });

  test('skipped ads end with skipped, not complete; quartiles missed at a natural end are sent first', () => {
    const ses = new FakeSession();
    const rec = recorder();
    createOMIDDriver(ses, null, null, rec.service);
    ses.emit('adstart', adstart([verification('a')], { skipOffset: 5 }));
    ses.emit('adend', { availId: 'a1', adId: 'ad1', skipped: true });
    assert.deepEqual(names(rec.sessions[0]), ['loaded', 'impression', 'start', 'skipped']);
    ses.emit('adstart', adstart([verification('a')], { adId: 'ad2' }));
    ses.emit('adend', { availId: 'a1', adId: 'ad2', skipped: false });
    assert.deepEqual(names(rec.sessions[1]), ['loaded', 'impression', 'start', 'firstQuartile', 'midpoint', 'thirdQuartile', 'complete']);
  });

  test('reasons: rejected by the service 1, no OMID resource 2, service failure 3', async () => {
    for (const [name, opts, vs, want] of [
      ['rejected', { reject: ['bad'] }, [verification('ok'), verification('bad')], [['omid:1', 1]]],
      ['not omid / not http', {}, [verification('x', { api: 'vpaid' }), verification('y', { uri: 'javascript:alert(1)' })], [['omid:0', 2], ['omid:1', 2]]],
      ['service throws', { fail: new Error('no OM SDK') }, [verification('a')], [['omid:0', 3]]],
    ]) {
      const ses = new FakeSession();
      const rec = recorder(opts);
      const warn = console.warn;
      console.warn = () => {};
      try {
        createOMIDDriver(ses, null, null, rec.service);
        ses.emit('adstart', adstart(vs));
        await tick();
      } finally {
        console.warn = warn;
      }
      assert.deepEqual(ses.fired.map((f) => [f.key, f.reason]), want, name);
    }
  });

  test('each verification\'s outcome is a "verification" event on the session', async () => {
    for (const [name, service, vs, want] of [
      ['no service', undefined, [verification('a'), verification('b', { nx: false })],
        [['a', 'notExecuted', 2], ['b', 'notExecuted', 2]]],
      ['executed, one rejected', recorder({ reject: ['bad'] }).service, [verification('ok'), verification('bad')],
        [['bad', 'notExecuted', 1], ['ok', 'executed', 0]]],
      ['service fails', recorder({ fail: new Error('no OM SDK') }).service, [verification('a')], [['a', 'notExecuted', 3]]],
    ]) {
      const ses = new FakeSession();
      const got = [];
      ses.addEventListener('verification', (e) => got.push(e.detail));
      const warn = console.warn;
      console.warn = () => {};
      try {
        createOMIDDriver(ses, null, null, service);
        ses.emit('adstart', adstart(vs));
        await tick();
      } finally {
        console.warn = warn;
      }
      assert.deepEqual(got.map((d) => [d.vendor, d.status, d.reason]), want, name);
      assert.ok(got.every((d) => d.availId === 'a1' && d.adId === 'ad1'), name);
    }
  });

  test('ad errors and clicks reach the session; destroy finishes it', () => {
    const ses = new FakeSession();
    const rec = recorder();
    const d = createOMIDDriver(ses, null, null, rec.service);
    ses.emit('adstart', adstart([verification('a')]));
    ses.emit('beacon', { eventType: 'clickTracking', availId: 'a1', adId: 'ad1' });
    ses.emit('error', { source: 'ad', code: 405, message: 'bad media' });
    ses.emit('error', { source: 'tracking', message: 'poll failed' });
    d.destroy();
    const s = rec.sessions[0];
    assert.deepEqual(s.events.slice(-2), [['adUserInteraction', { interactionType: 'click' }],
      ['error', { errorType: 'video', code: 405, message: 'bad media' }]]);
    assert.equal(s.finished, 1);
  });
});

describe('icon helpers', () => {
  test('visibility follows offset and duration (0: to the ad end)', () => {
    for (const [icon, t, want] of [
      [{ offset: 1, duration: 0 }, 0.5, false], [{ offset: 1, duration: 0 }, 1, true], [{ offset: 1, duration: 0 }, 99, true],
      [{ offset: 0, duration: 4 }, 3.9, true], [{ offset: 0, duration: 4 }, 4, false], [{}, 0, true],
    ]) assert.equal(iconVisible(icon, t), want, `${JSON.stringify(icon)} at ${t}`);
  });

  test('placement: keywords pin to edges, numbers are pixels from left/top, defaults top right', () => {
    assert.deepEqual(placement({ xPosition: 'left', yPosition: 'bottom' }), { left: '0px', bottom: '0px' });
    assert.deepEqual(placement({ xPosition: '12', yPosition: '30' }), { left: '12px', top: '30px' });
    assert.deepEqual(placement({ xPosition: 'middle' }), { right: '0px', top: '0px' });
  });

  test('fallback image: the smallest sharp enough for the device, shown at the base size', () => {
    const imgs = [
      { width: 800, height: 300, staticResource: 'https://i.test/2x.png', creativeType: 'image/png' },
      { width: 400, height: 150, staticResource: 'https://i.test/1x.png', creativeType: 'image/png' },
      { width: 400, height: 150, staticResource: 'javascript:alert(1)' },
    ];
    assert.equal(pickFallback(imgs, 600, 1).image.staticResource, 'https://i.test/1x.png');
    assert.equal(pickFallback(imgs, 600, 2).image.staticResource, 'https://i.test/2x.png');
    assert.deepEqual([pickFallback(imgs, 600, 2).width, pickFallback(imgs, 600, 2).height], [400, 150]);
    assert.deepEqual([pickFallback(imgs, 200, 1).width, pickFallback(imgs, 200, 1).height], [200, 75], 'scaled to fit');
    assert.equal(pickFallback([{ staticResource: 'data:text/html,<b>' }], 600), null);
  });

  test('icon resources: images first, script-bearing static resources refused', () => {
    assert.deepEqual(iconResource({ staticResource: 'https://i.test/a.png', creativeType: 'image/png', iFrameResource: 'https://i.test/f.html' }),
      { kind: 'static', url: 'https://i.test/a.png' });
    assert.deepEqual(iconResource({ staticResource: 'https://i.test/a.js', iFrameResource: 'https://i.test/f.html' }),
      { kind: 'iframe', url: 'https://i.test/f.html' });
    assert.equal(iconResource({ staticResource: 'javascript:alert(1)', iFrameResource: 'javascript:alert(1)' }), null);
  });
});
