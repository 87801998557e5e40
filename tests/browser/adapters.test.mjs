// Adapter clock mapping against scripted player events (no browser): the
// players here are 20-line fakes that emit what hls.js 1.7 and dash.js 5 emit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import hlsAdapter from '../../web/adapters/hls.js';
import dashAdapter from '../../web/adapters/dash.js';
import nativeAdapter from '../../web/adapters/native.js';
import { pickAdapter } from '../../web/adapters/index.js';

class Emitter {
  constructor() {
    this.l = new Map();
  }
  on(e, f) {
    if (!this.l.has(e)) this.l.set(e, new Set());
    this.l.get(e).add(f);
  }
  off(e, f) {
    this.l.get(e)?.delete(f);
  }
  emit(e, data) {
    for (const f of this.l.get(e) || []) f(e, data);
  }
  count() {
    let n = 0;
    for (const s of this.l.values()) n += s.size;
    return n;
  }
}

class FakeHls extends Emitter {
  static Events = { FRAG_CHANGED: 'hlsFragChanged' };
  loadSource() {}
}

class FakeDash extends Emitter {
  constructor() {
    super();
    this.dynamic = false;
    this.utc = NaN;
  }
  on(e, f) {
    super.on(e, f);
  }
  emit(e, data) {
    for (const f of this.l.get(e) || []) f(data);
  }
  isDynamic() {
    return this.dynamic;
  }
  getDashMetrics() {
    return {};
  }
  timeAsUTC() {
    return this.utc;
  }
}

class FakeVideo {
  constructor() {
    this.l = new Map();
    this.currentTime = 0;
    this.duration = NaN;
    this.readyState = 0;
    this.seekable = { length: 0 };
  }
  addEventListener(e, f) {
    if (!this.l.has(e)) this.l.set(e, new Set());
    this.l.get(e).add(f);
  }
  removeEventListener(e, f) {
    this.l.get(e)?.delete(f);
  }
  dispatch(e) {
    for (const f of this.l.get(e) || []) f({ type: e });
  }
  count() {
    let n = 0;
    for (const s of this.l.values()) n += s.size;
    return n;
  }
}

function fakeHost(anchor) {
  const h = {
    loaded: [],
    clock: 0,
    errors: [],
    manifestLoaded(x) {
      h.loaded.push(x);
    },
    clockChanged() {
      h.clock++;
    },
    error(kind, msg) {
      h.errors.push([kind, msg]);
    },
    log() {},
  };
  if (anchor !== undefined) h.anchor = () => ({ hlsAnchorMediaSequenceNumber: anchor });
  return h;
}

// frags builds an hls.js fragment list: sn from first, each dur seconds,
// hls.js' own start of the first one at start.
function frags(first, n, start = 0, dur = 2) {
  return Array.from({ length: n }, (_, i) => ({ sn: first + i, start: start + i * dur, duration: dur }));
}

test('pickAdapter chooses by player shape', () => {
  assert.equal(pickAdapter(new FakeHls()).name, 'hls.js');
  assert.equal(pickAdapter(new FakeDash()).name, 'dash.js');
  assert.equal(pickAdapter(undefined).name, 'native');
  assert.equal(pickAdapter({}), null);
});

test('hls.js adapter maps media time to session time', async (t) => {
  const cases = [
    {
      name: 'VOD: timelines coincide',
      steps: [['hlsLevelLoaded', { details: { live: false, targetduration: 2, fragments: frags(0, 30) } }]],
      want: [[0, 0], [17.25, 17.25]],
      live: false,
    },
    {
      name: 'live: session 0 is the first fragment of the first playlist',
      steps: [['hlsLevelLoaded', { details: { live: true, targetduration: 2, fragments: frags(100, 6, 0) } }]],
      want: [[0, 0], [5, 5]],
      live: true,
    },
    {
      name: 'live: hls.js re-aligns fragment starts on PTS; the playing sn keeps the mapping',
      steps: [
        ['hlsLevelLoaded', { details: { live: true, targetduration: 2, fragments: frags(100, 6, 0) } }],
        ['hlsLevelUpdated', { details: { live: true, targetduration: 2, fragments: frags(101, 6, 2.3) } }],
        ['hlsFragChanged', { frag: { sn: 103, start: 6.3, duration: 2 } }],
      ],
      want: [[6.3, 6], [9.3, 9]],
      live: true,
      seekableStart: 2,
    },
    {
      name: 'live: hlsAnchorMediaSequenceNumber inside the window rebases session 0',
      anchor: 102,
      steps: [['hlsLevelLoaded', { details: { live: true, targetduration: 2, fragments: frags(100, 6, 0) } }]],
      want: [[4, 0], [10, 6]],
      live: true,
    },
    {
      name: 'live: anchor before our first playlist extends back by segment durations',
      anchor: 98,
      steps: [['hlsLevelLoaded', { details: { live: true, targetduration: 2, fragments: frags(100, 6, 0) } }]],
      want: [[0, 4], [1, 5]],
      live: true,
    },
    {
      name: 'live: sliding window keeps the first-playlist clock',
      steps: [
        ['hlsLevelLoaded', { details: { live: true, targetduration: 2, fragments: frags(100, 3, 0) } }],
        ['hlsLevelUpdated', { details: { live: true, targetduration: 2, fragments: frags(102, 3, 4) } }],
        ['hlsLevelUpdated', { details: { live: true, targetduration: 2, fragments: frags(104, 3, 8) } }],
        ['hlsFragChanged', { frag: { sn: 105, start: 10, duration: 2 } }],
      ],
      want: [[10, 10]],
      live: true,
      seekableStart: 8,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const hls = new FakeHls();
      const host = fakeHost(c.anchor);
      const h = hlsAdapter.attach(hls, new FakeVideo(), host);
      for (const [e, d] of c.steps) hls.emit(e, d);
      assert.equal(host.loaded.length, 1, 'manifestLoaded exactly once');
      assert.equal(host.loaded[0].live, c.live);
      assert.equal(host.loaded[0].targetDuration, 2);
      for (const [media, session] of c.want) {
        assert.ok(Math.abs(h.toSession(media) - session) < 1e-9, `toSession(${media}) = ${h.toSession(media)}, want ${session}`);
        assert.ok(Math.abs(h.toMedia(session) - media) < 1e-9, `toMedia(${session}) = ${h.toMedia(session)}, want ${media}`);
      }
      if (c.seekableStart !== undefined) assert.equal(h.seekableStart(), c.seekableStart);
      h.detach();
      assert.equal(hls.count(), 0, 'listeners left on hls after detach');
    });
  }
});

test('hls.js adapter reports fatal errors only', () => {
  const hls = new FakeHls();
  const host = fakeHost();
  const h = hlsAdapter.attach(hls, new FakeVideo(), host);
  hls.emit('hlsError', { fatal: false, type: 'networkError', details: 'fragLoadError' });
  hls.emit('hlsError', { fatal: true, type: 'mediaError', details: 'bufferStalledError' });
  assert.deepEqual(host.errors, [['player', 'hls.js mediaError: bufferStalledError']]);
  h.detach();
});

test('dash.js adapter', async (t) => {
  const AST = Date.UTC(2026, 10, 25, 3, 0, 0) / 1000;
  const cases = [
    {
      name: 'VOD: presentation time is session time',
      mpd: { type: 'static', minimumUpdatePeriod: undefined },
      want: [[0, 0], [42.5, 42.5]],
      loaded: { live: false, targetDuration: 0, minimumUpdatePeriod: 0 },
    },
    {
      name: 'live: video time already AST-relative',
      mpd: { type: 'dynamic', availabilityStartTime: new Date(AST * 1000), minimumUpdatePeriod: 4 },
      dynamic: true,
      video: 100,
      utc: AST + 100,
      want: [[100, 100]],
      loaded: { live: true, targetDuration: 0, minimumUpdatePeriod: 4 },
    },
    {
      name: 'live: a rebased player timeline is measured against timeAsUTC',
      mpd: { type: 'dynamic', availabilityStartTime: new Date(AST * 1000), minimumUpdatePeriod: 2 },
      dynamic: true,
      video: 12,
      utc: AST + 612,
      want: [[12, 612], [20, 620]],
      loaded: { live: true, targetDuration: 0, minimumUpdatePeriod: 2 },
      clock: true,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const p = new FakeDash();
      const v = new FakeVideo();
      const host = fakeHost();
      const h = dashAdapter.attach(p, v, host);
      p.emit('manifestLoaded', { data: c.mpd });
      p.dynamic = !!c.dynamic;
      v.currentTime = c.video ?? 0;
      p.utc = c.utc ?? NaN;
      p.emit('streamInitialized', {});
      p.emit('periodSwitchCompleted', { toStreamInfo: { id: 'p0', start: 0, duration: Infinity } });
      assert.deepEqual(host.loaded, [c.loaded]);
      for (const [media, session] of c.want) {
        assert.ok(Math.abs(h.toSession(media) - session) < 1e-6, `toSession(${media}) = ${h.toSession(media)}, want ${session}`);
        assert.ok(Math.abs(h.toMedia(session) - media) < 1e-6);
      }
      assert.equal(h.period.id, 'p0');
      if (c.clock) assert.ok(host.clock >= 1, 'clockChanged after the offset moved');
      h.detach();
      assert.equal(p.count(), 0, 'listeners left on dash.js after detach');
    });
  }
});

test('native adapter: live when duration is Infinity, identity clock, paired listeners', async (t) => {
  for (const [name, dur, live] of [['VOD', 60, false], ['live', Infinity, true]]) {
    await t.test(name, () => {
      const v = new FakeVideo();
      const host = fakeHost();
      const h = nativeAdapter.attach(undefined, v, host);
      v.duration = dur;
      v.dispatch('loadedmetadata');
      v.dispatch('loadedmetadata');
      assert.deepEqual(host.loaded, [{ live, targetDuration: 0, minimumUpdatePeriod: 0 }]);
      assert.equal(h.toSession(12.5), 12.5);
      h.detach();
      assert.equal(v.count(), 0);
    });
  }
});
