// A native <video> fetches its playlists where the page cannot see them,
// and reports loadedmetadata only once it has buffered its first segment.
// Resource Timing shows the element's requests (Chromium): the first media
// playlist it fetches starts the tracking polls, so that the pre-roll's
// reply is in before its first frame. Only a playlist of the element
// counts, not its src (the multivariant) nor a page's own fetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { newSession, FakeVideo } from './helpers.mjs';

// FakeObserver stands in for PerformanceObserver; deliver hands the live
// observers a list of resource entries.
class FakeObserver {
  static live = new Set();
  static supportedEntryTypes = ['mark', 'resource'];
  constructor(cb) { this.cb = cb; }
  observe(o) { assert.equal(o.type, 'resource'); FakeObserver.live.add(this); }
  disconnect() { FakeObserver.live.delete(this); }
  static deliver(...entries) {
    for (const o of [...FakeObserver.live]) o.cb({ getEntries: () => entries });
  }
}

const SRC = 'http://mt.test/v1/master/acct/availkit/index.m3u8?aws.sessionId=s-1';
const polls = (mt) => mt.requests.filter((r) => r.url.includes('/v1/tracking/')).length;
const settle = () => new Promise((r) => setTimeout(r, 20));

test('native <video>: the first media playlist the element fetches starts the polls, before loadedmetadata', async () => {
  const saved = globalThis.PerformanceObserver;
  globalThis.PerformanceObserver = FakeObserver;
  try {
    const video = new FakeVideo();
    video.readyState = 0; // nothing loaded yet
    video.currentSrc = SRC;
    const { session, mt } = await newSession({ opts: { video } });
    session.attach();
    assert.equal(FakeObserver.live.size, 1, 'the adapter watches Resource Timing');

    FakeObserver.deliver(
      { name: SRC, initiatorType: 'video' }, // the src itself: the multivariant
      { name: 'http://mt.test/v1/manifest/acct/s-1/0.m3u8', initiatorType: 'fetch' }, // not the element's
      { name: 'http://mt.test/v1/segment/s-1/0.mp4', initiatorType: 'video' }, // not a playlist
    );
    await settle();
    assert.equal(polls(mt), 0, 'no poll before a media playlist of the element');

    FakeObserver.deliver({ name: 'http://mt.test/v1/manifest/acct/s-1/0.m3u8', initiatorType: 'video' });
    await settle();
    assert.equal(polls(mt), 1, 'the media playlist starts the first poll');
    assert.equal(FakeObserver.live.size, 0, 'and the watch ends');

    video.readyState = 1;
    video.dispatchEvent(new Event('loadedmetadata'));
    await settle();
    assert.equal(polls(mt), 1, 'loadedmetadata of a VOD polls no second time');
    session.destroy();
  } finally {
    globalThis.PerformanceObserver = saved;
    FakeObserver.live.clear();
  }
});

test('native <video>: without Resource Timing, loadedmetadata starts the polls; detach ends the watch', async () => {
  const saved = globalThis.PerformanceObserver;
  globalThis.PerformanceObserver = undefined;
  try {
    const video = new FakeVideo();
    video.readyState = 0;
    const { session, mt } = await newSession({ opts: { video } });
    session.attach();
    await settle();
    assert.equal(polls(mt), 0);
    video.readyState = 1;
    video.dispatchEvent(new Event('loadedmetadata'));
    await settle();
    assert.equal(polls(mt), 1);
    session.destroy();
  } finally {
    globalThis.PerformanceObserver = saved;
  }
  globalThis.PerformanceObserver = FakeObserver;
  try {
    const video = new FakeVideo();
    video.readyState = 0;
    const { session } = await newSession({ opts: { video } });
    session.attach();
    assert.equal(FakeObserver.live.size, 1);
    session.detach();
    assert.equal(FakeObserver.live.size, 0, 'detach disconnects the observer');
    session.destroy();
  } finally {
    globalThis.PerformanceObserver = saved;
    FakeObserver.live.clear();
  }
});
