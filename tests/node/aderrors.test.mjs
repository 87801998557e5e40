// Error beacons for failures during an ad: a fatal player error (VAST 400,
// 403 unsupported media, 405 media that does not play) and required
// companions that cannot be shown (602) each send the ad's error beacons
// once with [ERRORCODE] and emit an `error` event of the ad. Run after
// ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { CompanionRenderer } from '../../dist/companions/renderer.js';
import { FakeVideo, collect, newSession, play, vod } from './helpers.mjs';

// withErrors is the VOD fixture with an error beacon on every ad and on
// the mid-roll break.
function withErrors() {
  const f = structuredClone(vod);
  for (const a of f.avails) {
    for (const ad of a.ads) {
      ad.trackingEvents.push({ eventId: `${ad.adId}-err`, eventType: 'error', beaconUrls: [`http://ads.test/${ad.adId}/error?code=[ERRORCODE]`] });
    }
  }
  return JSON.stringify(f);
}

const errorBeacons = (rec) => rec.urls.filter((u) => u.includes('/error?'));

test('a fatal player error during an ad sends its error beacon once, with the VAST code', { timeout: 20000 }, async (t) => {
  for (const c of [
    { name: 'decode error (MEDIA_ERR_DECODE)', mediaError: 3, want: 405 },
    { name: 'unsupported source (MEDIA_ERR_SRC_NOT_SUPPORTED)', mediaError: 4, want: 403 },
    { name: 'network error', mediaError: 2, want: 400 },
  ]) {
    await t.test(c.name, async () => {
      const video = new FakeVideo();
      const { session, rec } = await newSession({ tracking: [[200, withErrors()]], opts: { video } });
      try {
        const errors = collect(session, 'error');
        session.attach();
        await once(session, 'trackingupdate');
        video.paused = false;
        video.currentTime = 1;
        video.dispatchEvent(new Event('playing'));
        video.error = { code: c.mediaError, message: 'failed' };
        video.dispatchEvent(new Event('error'));
        video.dispatchEvent(new Event('error'));
        await new Promise((r) => setTimeout(r, 0)); // errors are delivered on a microtask
        assert.deepEqual(errorBeacons(rec), [`http://ads.test/pre-1/error?code=${c.want}`], 'once, with the code');
        assert.equal(errors.filter((e) => e.detail.source === 'player').length, 2, 'the player error is reported each time');
        const ad = errors.filter((e) => e.detail.source === 'ad');
        assert.equal(ad.length, 1, 'one error event for the ad');
        assert.equal(ad[0].detail.code, c.want);
        assert.equal(ad[0].detail.adId, 'pre-1');
      } finally {
        session.destroy();
      }
    });
  }
});

test('a player error outside a break sends no error beacon', { timeout: 20000 }, async () => {
  const video = new FakeVideo();
  const { session, rec } = await newSession({ tracking: [[200, withErrors()]], opts: { video } });
  try {
    session.attach();
    await once(session, 'trackingupdate');
    video.currentTime = 10;
    video.paused = false;
    video.dispatchEvent(new Event('playing'));
    video.error = { code: 3 };
    video.dispatchEvent(new Event('error'));
    assert.deepEqual(errorBeacons(rec), []);
  } finally {
    session.destroy();
  }
});

test('required companions that cannot be shown send 602 once', { timeout: 20000 }, async () => {
  const { session, rec } = await newSession({ tracking: [[200, withErrors()]] });
  // No slot fits: a required "all" companion cannot be shown.
  const r = new CompanionRenderer(session, []);
  try {
    const errors = collect(session, 'error');
    session.manifestLoaded({ live: false, duration: 60 });
    await once(session, 'trackingupdate');
    play(session, 0, 0.5);
    const companion = { attributes: { required: 'all', width: '300', height: '250' }, staticResource: 'https://ads.test/c.png' };
    const detail = { availId: 'pre', adId: 'pre-1', companions: [companion] };
    assert.equal(r.show(detail).code, 602);
    r.show(detail);
    assert.deepEqual(errorBeacons(rec), ['http://ads.test/pre-1/error?code=602']);
    await new Promise((res) => setTimeout(res, 0));
    assert.equal(errors.filter((e) => e.detail.source === 'ad' && e.detail.code === 602).length, 1);
    // Optional companions that do not fit are no failure.
    companion.attributes.required = 'none';
    play(session, 0.5, 7);
    const mid = { availId: 'mid', adId: 'mid-1', companions: [companion] };
    play(session, 30, 31);
    assert.equal(r.show(mid).ok, true);
    assert.equal(errorBeacons(rec).length, 1);
  } finally {
    r.destroy?.();
    session.destroy();
  }
});
