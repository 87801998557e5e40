// dash.js 5.2 sometimes stalls after a plugin seek to the first instant of
// a Period: a few frames, then waiting with nothing buffered and nothing
// requested. The dash.js adapter's watch seeks again where playback sits,
// at most twice a seek, and never while the viewer paused or playback
// moves, nor while segment bytes keep coming.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';

import { stallWatch } from '../../web/adapters/dash.js';
import { FakeVideo } from './helpers.mjs';

function rig() {
  let t = 0;
  const seeks = [];
  const logs = [];
  const video = new FakeVideo();
  video.paused = false;
  video.currentTime = 14.135;
  video.setBuffered([]);
  const player = { seekToPresentationTime: (x) => seeks.push(x) };
  const w = stallWatch(player, video, { log: (l, m) => logs.push(`${l}: ${m}`) }, () => t);
  // advance moves the fake clock and runs the timers due.
  const advance = (ms) => {
    for (let i = 0; i < ms; i += 250) {
      t += 250;
      mock.timers.tick(250);
    }
  };
  return { w, video, seeks, logs, advance };
}

test('dash.js stall watch', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());

  await t.test('stuck with nothing buffered: seeks again where it sits, twice at most', () => {
    const r = rig();
    r.w.arm();
    r.advance(1750);
    assert.deepEqual(r.seeks, [], 'not before STALL_MS');
    r.advance(500);
    assert.deepEqual(r.seeks, [14.135]);
    assert.match(r.logs[0], /^warn: dash: stalled at 14\.135 s/);
    r.advance(10000);
    assert.deepEqual(r.seeks, [14.135, 14.135], 'twice a seek at most');
    r.w.stop();

    const q = rig();
    q.w.arm();
    q.w.activity(); // a request starts
    q.advance(1500);
    q.w.activity(); // and ends; nothing after it
    q.advance(1750);
    assert.deepEqual(q.seeks, [], 'STALL_MS counts from the last segment activity');
    q.advance(500);
    assert.deepEqual(q.seeks, [14.135]);
    q.w.stop();
  });

  await t.test('playing on, paused, or buffered ahead: nothing', () => {
    for (const [name, set] of [
      ['moving', (v) => { v.currentTime += 0.25; }],
      ['paused', (v) => { v.paused = true; }],
      ['buffered', (v) => { v.setBuffered([[14, 20]]); }],
      ['a segment loading slowly: its progress keeps coming', (v, w) => { w.activity(); }],
    ]) {
      const r = rig();
      r.w.arm();
      for (let i = 0; i < 40; i++) {
        set(r.video, r.w, i);
        r.advance(250);
      }
      assert.deepEqual(r.seeks, [], name);
      r.w.stop();
    }
  });

  await t.test('the watch ends 15 s after the seek, and on stop', () => {
    const r = rig();
    r.video.currentTime = 20;
    r.video.setBuffered([[14, 40]]);
    r.w.arm();
    r.advance(16000);
    r.video.setBuffered([]);
    r.advance(5000);
    assert.deepEqual(r.seeks, [], 'past the watch');
    const s = rig();
    s.w.arm();
    s.w.stop();
    s.advance(5000);
    assert.deepEqual(s.seeks, [], 'stopped');
  });
});
