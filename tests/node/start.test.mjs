// Start positions (a bookmark, a resume): the startAt option and a position
// set on the element before the first play are OriginStart in the core. The
// viewer starts there: no snap-back to the breaks before it and none of
// their beacons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';

import { collect, newSession, play, FakeVideo } from './helpers.mjs';

// seekTo is a seek the element performs (native controls, a player library
// setting currentTime): seeking, then seeked.
function seekTo(video, t) {
  video.seeking = true;
  video.currentTime = t;
  video.dispatchEvent(new Event('seeking'));
  video.seeking = false;
  video.dispatchEvent(new Event('seeked'));
}

// playFrom plays the fake element from its position to t1 in 0.25 s
// timeupdate steps.
function playFrom(video, t1) {
  video.paused = false;
  video.dispatchEvent(new Event('play'));
  video.dispatchEvent(new Event('playing'));
  for (let t = video.currentTime; t <= t1; t = Math.round((t + 0.25) * 100) / 100) {
    video.currentTime = t;
    video.dispatchEvent(new Event('timeupdate'));
  }
}

// Each case puts the element at 50 s, past the pre-roll (0-6) and the
// mid-roll (30-46), before playback, the way a host or player library does.
// As a user's seek, 0 → 50 would snap back to the mid-roll.
const START = 50;
const attachedCases = [
  {
    name: 'currentTime set before attach',
    run(session, video) {
      video.currentTime = START;
      session.attach();
    },
  },
  {
    // hls.js startPosition and a dash.js start time set currentTime once
    // the media is attached: a seek before the first `playing`.
    name: 'the player seeks to its start position after attach, before playing',
    run(session, video) {
      session.attach();
      seekTo(video, START);
    },
  },
  {
    name: 'startAt option',
    opts: { startAt: START },
    run(session, video) {
      session.attach();
      assert.equal(video.currentTime, START, 'the Session moved the element to startAt');
    },
  },
  {
    name: 'startAt option before the element has metadata',
    opts: { startAt: START },
    before(video) { video.readyState = 0; },
    run(session, video) {
      session.attach();
      assert.equal(video.currentTime, 0, 'no seek before metadata');
      video.readyState = 1;
      video.dispatchEvent(new Event('loadedmetadata'));
      assert.equal(video.currentTime, START, 'the Session moved the element to startAt on loadedmetadata');
    },
  },
];

for (const c of attachedCases) {
  test(`start position (${c.name}): no snap-back, no pre-roll beacons`, { timeout: 20000 }, async () => {
    const video = new FakeVideo();
    if (c.before) c.before(video);
    const { session } = await newSession({ opts: { video, ...c.opts } });
    try {
      const got = collect(session, 'beacon', 'snapback', 'adbreakstart');
      // The avails are known first: the worst case, a seek over them.
      session.manifestLoaded({ live: false, duration: 60 });
      await once(session, 'trackingupdate');
      c.run(session, video);
      playFrom(video, START + 2);
      assert.ok(Math.abs(video.currentTime - START - 2) < 0.3, `playback continued from the start position (at ${video.currentTime})`);
      assert.deepEqual(got.filter((e) => e.type === 'snapback'), [], 'no snap-back to the breaks before the start');
      assert.deepEqual(got.filter((e) => e.type === 'beacon'), [], 'no beacon of the breaks before the start');
    } finally {
      session.destroy();
    }
  });
}

test('a user seek after playback started is still judged (snap-back to the unwatched mid-roll)', { timeout: 20000 }, async () => {
  const video = new FakeVideo();
  const { session } = await newSession({ opts: { video } });
  try {
    const got = collect(session, 'snapback');
    video.currentTime = 10;
    session.attach();
    session.manifestLoaded({ live: false, duration: 60 });
    await once(session, 'trackingupdate');
    playFrom(video, 12);
    seekTo(video, START);
    assert.equal(got.length, 1, 'the seek over the mid-roll snaps');
    assert.equal(video.currentTime, 30);
  } finally {
    session.destroy();
  }
});

test('headless startAt: the first update asks the host to go there, as seekrequest too', { timeout: 20000 }, async () => {
  const { session } = await newSession({ opts: { startAt: START } });
  try {
    const got = collect(session, 'beacon', 'snapback', 'seekrequest');
    session.manifestLoaded({ live: false, duration: 60 });
    await once(session, 'trackingupdate');
    const seeks = play(session, 0, START + 2);
    assert.deepEqual(seeks.map((s) => [s.to, s.reason]), [[START, 'start']]);
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(got.filter((e) => e.type === 'seekrequest').map((e) => e.detail.to), [START]);
    assert.deepEqual(got.filter((e) => e.type === 'snapback'), []);
    assert.deepEqual(got.filter((e) => e.type === 'beacon'), []);
  } finally {
    session.destroy();
  }
});
