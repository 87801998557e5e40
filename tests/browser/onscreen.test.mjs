// On-screen beacon timing: every timed beacon reaches the collector no
// earlier than one frame before the frame it describes is on screen, once.
//
// The frame on screen is read from the pixels: every bundled stream frame
// carries its asset and frame number (scripts/framecode.sh), which
// web/qa/framecode.js decodes in a requestVideoFrameCallback. Each player
// plays each media variant (CMAF fMP4; MPEG-TS with B-frames and AAC
// priming, media=ts; fMP4 with B-frames, edit lists and AAC priming,
// media=bf) through the pre-roll (two of them on into the mid-roll) of the VOD
// session at 2×; hls.js on fMP4 also plays one break of a live channel at
// 1×. Percentiles are the bench's job (bench/onscreen.sh): timing
// thresholds flake on a shared machine; "before the frame" does not.
//
// The first tests drive the hls.js adapter and the screen clock with fakes:
// the anchoring rules, without a browser.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, startLiveEmulator, launchBrowser, openPage, collector, waitFor, expectedBeacons, untilLiveBreak } from './harness.mjs';
import { report, shownAt, positions, dueFrame, liveExpected, liveProgress, FPS } from './onscreen-judge.mjs';
import hlsAdapter from '../../web/adapters/hls.js';
import { screenClock, LEAD } from '../../web/adapters/screen.js';
import { FrameClock } from '../../web/core/clock.js';

const RATE = 2;
const UNTIL = 32; // session start of the VOD mid-roll's second ad: beacons up to there are judged
const PREROLL_END = 14; // session end of the VOD pre-roll (the stall run stops there)
// INTO_MIDROLL are the runs that play on into the mid-roll (see below).
const INTO_MIDROLL = new Set(['hls:ts', 'dash:fmp4']);
// player:media[:stall|live]; stall holds the pre-roll's second segment back
// so the player stalls inside the ad, between its first quartile and
// midpoint; live plays one break of the live channel.
const ALL_RUNS = (process.env.AK_ONSCREEN || 'hls:ts,hls:fmp4,dash:fmp4,native:fmp4,hls:bf,dash:bf,hls:ts:stall,hls:fmp4:live').split(',').filter(Boolean);
const RUNS = ALL_RUNS.filter((r) => !r.endsWith(':live'));
const LIVE_RUNS = ALL_RUNS.filter((r) => r.endsWith(':live'));
// The live runs' channel: a break every 20 s, 16 s long (ad-b, ad-d and a
// 2 s slate: an ad→ad change, a slate and the return to content), so the
// wait for the next break stays short.
const LIVE_EVERY = 20;
const LIVE_BREAK = 16;
const STALL_MS = 2500;
const STALLED_SEGMENT = /\/media\/((ts|bf)\/)?ads\/[^/]+\/(video\/)?seg-00002\.[a-z0-9]+$/;
// The emulator's media variant of each run's media name (fmp4: the default).
const VARIANTS = { ts: 'ts', bf: 'bf' };

class FakeHls {
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
  loadSource() {}
}

const quietHost = () => ({ manifestLoaded() {}, clockChanged() {}, error() {}, log() {} });

test('hls.js adapter anchors each fragment on its first video frame', async (t) => {
  // Content sn 0-1, an ad from sn 2 (after a discontinuity): hls.js put the
  // ad's fragment at 4.010 (its audio) and its first frame at 4.077.
  const frag = (sn, start, video) => ({ sn, start, duration: 2, ...(video === undefined ? {} : { elementaryStreams: { video: { startPTS: video } } }) });
  const cases = [
    {
      name: 'unparsed fragments map by their playlist start',
      parsed: [],
      want: [[1, 1], [4.5, 4.5]],
    },
    {
      name: 'the ad starts on its first frame, not on the fragment start',
      parsed: [frag(0, 0, 0), frag(1, 2, 2), frag(2, 4.01, 4.077)],
      want: [[4.077, 4], [5.077, 5]],
    },
    {
      name: 'alternate audio fragments (same sn) do not move the picture',
      parsed: [frag(2, 4.01, 4.077), { sn: 2, type: 'audio', start: 3.9, duration: 2, elementaryStreams: { audio: { startPTS: 3.9 } } }],
      want: [[4.077, 4]],
    },
    {
      name: 'the last content frame holds the clock short of the ad',
      parsed: [frag(0, 0, 0), frag(1, 2, 2), frag(2, 4.01, 4.077)],
      want: [[4.05, 4 - 0.0002], [4.0769, 4 - 0.0002]],
      oneWay: true,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const hls = new FakeHls();
      const h = hlsAdapter.attach(hls, {}, quietHost());
      hls.emit('hlsLevelLoaded', { details: { live: false, targetduration: 2, fragments: [0, 1, 2, 3].map((sn) => frag(sn, sn * 2)) } });
      for (const f of c.parsed) hls.emit('hlsFragParsed', { frag: f });
      for (const [media, session] of c.want) {
        assert.ok(Math.abs(h.toSession(media) - session) < 1e-9, `toSession(${media}) = ${h.toSession(media)}, want ${session}`);
        if (!c.oneWay) assert.ok(Math.abs(h.toMedia(session) - media) < 1e-9, `toMedia(${session}) = ${h.toMedia(session)}, want ${media}`);
      }
      h.detach();
    });
  }
});

test('screen clock follows the presented frame, not currentTime', async (t) => {
  // The cases set expected display times up to 1.5 s in the past, and the
  // clock reads a time <= 0 as "none given": let performance.now() pass 2 s.
  while (performance.now() < 2000) await new Promise((r) => setTimeout(r, 50));
  // A fake <video> whose frame callbacks the test fires by hand; the clock
  // reads performance.now(), so expected display times are set around it.
  function fakeVideo() {
    const v = {
      currentTime: 0, paused: false, seeking: false, playbackRate: 1, cbs: [],
      requestVideoFrameCallback(f) { v.cbs.push(f); return v.cbs.length; },
      cancelVideoFrameCallback() {},
      onSeeking: [],
      addEventListener(t, f) { if (t === 'seeking') v.onSeeking.push(f); },
      removeEventListener() {},
      seek(to) {
        v.currentTime = to;
        for (const f of v.onSeeking) f();
      },
      present(mediaTime, displayIn) {
        const now = performance.now();
        const cbs = v.cbs;
        v.cbs = [];
        for (const f of cbs) f(now, { mediaTime, expectedDisplayTime: now + displayIn });
      },
    };
    return v;
  }
  const cases = [
    {
      name: 'a frame not yet visible caps the clock below its time',
      steps: (v) => { v.present(9.9667, -20); v.present(10, 500); v.currentTime = 10.02; },
      check: (x) => x < 10 && x > 9.9667,
    },
    {
      // The beacon request's trip: a frame counts as shown LEAD ms before
      // its expected display time, no earlier.
      name: 'a frame due within LEAD ms counts as shown',
      steps: (v) => { v.present(9.9667, -20); v.present(10, 4); v.currentTime = 10.02; },
      check: (x) => x >= 10 && x < 10 + 1 / 30,
    },
    {
      name: 'a frame due in more than LEAD ms still caps the clock, and wait() says when it counts',
      steps: (v) => { v.present(9.9667, -40); v.present(10, LEAD + 12); v.currentTime = 10.02; },
      check: (x, s) => x < 10 && Math.abs(s.wait() - 12) < 2,
    },
    {
      // hls.js on fMP4: currentTime read 5.9836 as the frame at 6 was shown.
      name: 'a frame shown ahead of currentTime: the frame',
      steps: (v) => { v.present(9.9667, -40); v.present(10, -2); v.currentTime = 9.994; },
      check: (x) => x >= 10 && x < 10 + 1 / 30,
    },
    {
      name: 'a visible frame advances with the playback clock',
      steps: (v) => { v.present(10, -10); v.currentTime = 10.1; },
      check: (x) => x >= 10.009 && x < 10.1,
    },
    {
      name: 'no further than one frame interval past the frame on screen (next frame late)',
      steps: (v) => { v.present(9.9667, -80); v.present(10, -70); v.currentTime = 10.2; },
      check: (x) => x < 10 + 1 / 30 && x > 10.03,
    },
    {
      name: 'never ahead of currentTime (a stall)',
      steps: (v) => { v.present(10, -200); v.currentTime = 10.05; },
      check: (x) => x === 10.05,
    },
    {
      // After a second without frames the clock falls back to currentTime;
      // a late frame from before that must not take it back (the core would
      // see playback step backwards without a seek).
      name: 'a late frame after the stale fallback does not take the clock back',
      steps: (v, s) => { v.present(10, -1500); v.currentTime = 11.2; s.now(); v.present(10.5, -5); v.currentTime = 11.25; },
      check: (x) => x === 11.2,
    },
    {
      // hls.js may report playing at 0 and then nudge past a stall: the
      // first frame shown is 0.3 s on, and a pre-roll impression at 0 must
      // wait for it.
      name: 'no frame presented yet: just short of currentTime',
      steps: (v) => { v.currentTime = 0; },
      check: (x) => x < 0 && x > -0.001,
    },
    {
      // CI: hls.js reported playing at 0.419 after nudging past a start
      // stall; its first frame (0.333) was called back before it was
      // displayed, and the clock read 0.333 then: breakStart 38 ms early.
      name: 'nudged past a start stall: short of the first reading until the first frame is displayed',
      steps: (v, s) => { s.now(); v.seek(0.1); v.seek(0.3); v.seek(0.6); s.now(); v.currentTime = 0.62; v.present(0.3333, 30); },
      check: (x) => x < 0 && x > -0.001,
    },
    {
      // Read paused at the start, then first read playing once the audio
      // clock ran on with no frame shown (a busy page at 2x): the hold is
      // where playback started, so a pre-roll at 0 waits for its frame.
      name: 'no frame yet, first read playing after currentTime moved: short of where playback started',
      steps: (v, s) => { v.paused = true; s.now(); v.paused = false; v.currentTime = 0.08; },
      check: (x) => x < 0 && x > -0.001,
    },
    {
      name: 'a real seek before the first frame: short of its target',
      steps: (v, s) => { s.now(); v.seek(30); },
      check: (x) => x < 30 && x > 29.999,
    },
    {
      name: 'after a seek, a frame called back but not displayed yet caps the clock below it',
      steps: (v, s) => { v.present(10, -10); v.currentTime = 10.02; s.now(); v.seek(40); v.present(40.02, 30); v.currentTime = 40.05; },
      check: (x) => x < 40.02 && x > 39.99,
    },
    {
      // Chromium, seeking to a start position on a load not played yet,
      // presented the frame at 0 while seeking, and the seeking event came
      // after it: once seeking cleared, a tick read 0.09 s from that frame
      // and the pre-roll's beacons went out (counting 'a start at 30 s').
      name: 'a frame shown while seeking elsewhere is not the picture: short of the target',
      steps: (v) => { v.seeking = true; v.currentTime = 30; v.present(0, -60); v.seeking = false; },
      check: (x) => x < 30 && x > 29.999,
    },
    {
      // hls.js on TS nudges from 0 to its first buffered frame (0.1667 s);
      // a frame at 0 shown meanwhile is on screen: the pre-roll's first.
      name: 'a frame shown during a nudge past a start stall is the picture',
      steps: (v) => { v.seeking = true; v.currentTime = 0.1667; v.present(0, -60); v.seeking = false; },
      check: (x) => x > 0 && x < 0.1,
    },
    {
      name: 'the landing frame, shown while still seeking, counts once seeking clears',
      steps: (v, s) => { v.present(10, -10); s.now(); v.seeking = true; v.seek(30); v.present(30, -20); v.seeking = false; v.currentTime = 30.01; },
      check: (x) => x >= 30 && x < 30.05,
    },
    {
      name: 'no frame within a second of a seek (element not rendered): currentTime',
      steps: async (v, s) => { v.present(1, -10); v.currentTime = 1.01; s.now(); v.seek(3); s.now(); await new Promise((r) => setTimeout(r, 1100)); },
      check: (x) => x === 3,
    },
    {
      // Native HLS reported 2.106 paused with the 1.99 frame on screen; the
      // clock holds there on play instead of stepping back (a rewind).
      name: 'playing on after a pause: no step back from the paused reading',
      steps: (v, s) => { v.present(10, -10); v.currentTime = 10.1; v.paused = true; s.now(); v.paused = false; v.present(10.0333, -5); },
      check: (x) => x === 10.1,
    },
    {
      name: 'paused: currentTime',
      steps: (v) => { v.present(10, 500); v.currentTime = 12; v.paused = true; },
      check: (x) => x === 12,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const v = fakeVideo();
      const s = screenClock(v);
      await c.steps(v, s);
      const x = s.now();
      assert.ok(c.check(x, s), `screen time ${x}, wait ${s.wait()}`);
      s.stop();
    });
  }
});

test('judge: frames presented without a callback are timed from the presentedFrames counter', () => {
  const dur = 1000 / FPS;
  const at = (f) => ({ asset: 'x', frame: f.frame, pos: f.frame / FPS, at: f.at, presented: f.presented });
  // Frame 3 called back after frames 1 and 2 went uncalled: frame 1 was shown two frames before it.
  const fs = [at({ frame: 0, at: 1000, presented: 1 }), at({ frame: 3, at: 1000 + 3 * dur, presented: 4 })];
  assert.deepEqual(shownAt(fs, fs[1], 1 / FPS), { at: 1000 + dur, known: true });
  // A gap the counter does not confirm (frames dropped, not shown): f itself.
  const dropped = [fs[0], { ...fs[1], presented: 2 }];
  assert.deepEqual(shownAt(dropped, dropped[1], 1 / FPS), { at: 1000 + 3 * dur, known: true });
  // The load's first frames, never called back: shown at an unknown time.
  const first = [at({ frame: 1, at: 500, presented: 2 })];
  assert.equal(shownAt(first, first[0], 0).known, false);
  // The frame described is the one called back.
  assert.deepEqual(shownAt(fs, fs[0], 0), { at: 1000, known: true });
});

// A fake live play for the judge: pieces of [asset, first frame, frames]
// presented one after another at 1x from wall time 1e6 ms, media time from
// media0; skip lists indexes of presented frames the recorder was not
// called back for (they still count in presentedFrames).
function livePlay(pieces, { media0 = 40, skip = [] } = {}) {
  const frames = [];
  let i = 0;
  for (const [asset, first, n] of pieces) {
    for (let k = 0; k < n; k++, i++) {
      if (skip.includes(i)) continue;
      frames.push({ asset, frame: first + k, mediaTime: media0 + i / FPS, at: 1e6 + (i * 1000) / FPS, presented: i + 1 });
    }
  }
  return frames;
}

// liveTracking is a tracking reply of live breaks: [availId, start, duration,
// [[adId, asset, start, duration], ...]], each event with a collector URL.
function liveTracking(breaks) {
  const url = (e, q) => `http://127.0.0.1:1/beacon/s/${e}?${q}&cb=[CACHEBUSTING]`;
  return {
    avails: breaks.map(([availId, start, duration, ads]) => ({
      availId, startTimeInSeconds: start, durationInSeconds: duration,
      adBreakTrackingEvents: ['breakStart', 'breakEnd'].map((e) => ({
        eventType: e, startTimeInSeconds: e === 'breakEnd' ? start + duration : start, beaconUrls: [url(e, `avail=${availId}`)],
      })),
      ads: ads.map(([adId, asset, s, d]) => ({
        adId, adTitle: `AD · ${d} s (${asset})`, startTimeInSeconds: s, durationInSeconds: d,
        trackingEvents: [['impression', 0], ['start', 0], ['firstQuartile', 1], ['midpoint', 2], ['thirdQuartile', 3], ['complete', 4]]
          .map(([e, q]) => ({ eventType: e, startTimeInSeconds: s + (q * d) / 4, beaconUrls: [url(e, `ad=${adId}&avail=${availId}`)] })),
      })),
    })),
  };
}

test('judge: live frames are positioned by their ad runs', async (t) => {
  // Session time = media time + 60 (the page's clock), a break at session
  // 110: ad-b 6 s, ad-d 8 s, a 2 s slate; the next one at 140 airs ad-d
  // again. The player joined on content at session 100 (media 40).
  const polls = [liveTracking([
    ['A0', 70, 16, [['a0', 'ad-d', 70, 8]]], // before the join: never shown
    ['A1', 110, 16, [['b1', 'ad-b', 110, 6], ['d1', 'ad-d', 116, 8]]],
    ['A2', 140, 16, [['d2', 'ad-d', 140, 8], ['b2', 'ad-b', 148, 6]]],
  ])];
  const clock = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60].map((s) => ({ media: 40 + s, session: 100 + s }));
  const break1 = [['ad-b', 0, 180], ['ad-d', 0, 240], ['slate', 0, 60]];
  const break2 = [['ad-d', 0, 240], ['ad-b', 0, 180], ['slate', 0, 60]];
  // Content frames: channel time mod 60 s (frame 1500 = 50 s), looping.
  const play = [['main', 1500, 300], ...break1, ['main', 1260, 420], ['main', 0, 0], ...break2, ['main', 1140, 90]];
  const at = (pf, asset, frame, nth = 0) => pf.filter((f) => f.asset === asset && f.frame === frame)[nth];
  const cases = [
    {
      name: 'each ad run is its own tracking ad: the same creative in two breaks, an ad before the join',
      frames: livePlay(play),
      want: [['ad-b', 0, 0, 110], ['ad-d', 0, 0, 116], ['ad-d', 60, 0, 118], ['slate', 0, 0, 124], ['main', 1260, 0, 126],
        ['ad-d', 0, 1, 140], ['ad-b', 179, 1, 153 + 29 / 30], ['slate', 59, 1, 155 + 29 / 30], ['main', 1140, 0, 156]],
      runs: ['b1', 'd1', 'd2', 'b2'],
    },
    {
      // Frames after an ad counted on by presentedFrames: the slate's
      // first frame, not called back, still opens it at the ad's end.
      name: 'frames presented without a callback after an ad still count',
      frames: livePlay(play, { skip: [300 + 180 + 240, 300 + 180 + 240 + 1] }),
      want: [['slate', 2, 0, 124 + 2 / 30], ['main', 1260, 0, 126]],
      runs: ['b1', 'd1', 'd2', 'b2'],
    },
    {
      // The slate's last two frames dropped (never presented, not counted):
      // the content after the break still starts no earlier than the
      // avail's end.
      name: 'dropped frames do not pull the content after a break into it',
      frames: livePlay(play).filter((f, i) => i !== 300 + 480 - 1 && i !== 300 + 480 - 2).map((f, i) => ({ ...f, presented: i + 1 })),
      want: [['main', 1260, 0, 126]],
      runs: ['b1', 'd1', 'd2', 'b2'],
    },
    {
      // The page's clock 0.4 s ahead still tells the ads apart; the content
      // before the break counts back from the first ad, not from that
      // clock (which would put its last 12 frames inside the ad).
      name: 'content before the first break counts back from its ad, not from the page\'s clock',
      frames: livePlay(play),
      clock: clock.map((c) => ({ ...c, session: c.session + 0.4 })),
      want: [['main', 1500, 0, 100], ['main', 1799, 0, 110 - 1 / 30], ['ad-b', 0, 0, 110]],
      runs: ['b1', 'd1', 'd2', 'b2'],
    },
    {
      // The page's clock a second and a half off: no ad matches rather than
      // the wrong one.
      name: 'a run the clock puts elsewhere matches no ad',
      frames: livePlay(play),
      clock: clock.map((c) => ({ ...c, session: c.session + 1.5 })),
      want: [['ad-b', 0, 0, NaN], ['main', 1260, 0, NaN]],
      runs: [null, null, null, null],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const { frames: pf, runs } = positions(c.frames, polls, c.clock || clock);
      assert.deepEqual(runs.filter((r) => r.asset.startsWith('ad-')).map((r) => r.ad && r.ad.adId), c.runs);
      for (const [asset, frame, nth, pos] of c.want) {
        const f = at(pf, asset, frame, nth);
        assert.ok(f, `${asset}#${frame} not presented`);
        if (Number.isNaN(pos)) assert.ok(Number.isNaN(f.pos), `${asset}#${frame} at ${f.pos}, want none`);
        else assert.ok(Math.abs(f.pos - pos) < 1e-6, `${asset}#${frame} (${nth}) at ${f.pos}, want ${pos}`);
      }
    });
  }
});

test('judge: live beacons are due on their ad run\'s frames, from the join on', async (t) => {
  const polls = [liveTracking([
    ['A1', 110, 16, [['b1', 'ad-b', 110, 6], ['d1', 'ad-d', 116, 8]]],
    ['A2', 140, 16, [['d2', 'ad-d', 140, 8], ['b2', 'ad-b', 148, 6]]],
  ])];
  const clock = [0, 20, 40, 60].map((s) => ({ media: 40 + s, session: 100 + s }));
  const dur = 1000 / FPS;
  const frames = livePlay([['main', 1500, 300], ['ad-b', 0, 180], ['ad-d', 0, 240], ['slate', 0, 60], ['main', 1260, 420],
    ['ad-d', 0, 240], ['ad-b', 0, 180], ['slate', 0, 60], ['main', 1140, 90]]);
  const shown = (t) => 1e6 + (t - 100) * 1000; // the play's display time of session time t
  // Every beacon arrives `late` ms after its frame's display (shift moves some).
  const arrive = (want, late, shift = () => 0) => want.map((w) => ({
    eventType: w.tpl.eventType, query: Object.fromEntries(w.tpl.params), receivedAt: shown(w.time) + late + shift(w),
  }));
  const cases = [
    {
      name: 'joined on content: both breaks, on time',
      join: 100, to: 158,
      records: (want) => arrive(want, 5),
      check: (r) => r.rows.length === 28 && r.rows.every((x) => Math.abs(x.late - 5) < 1e-6) && r.missed === 0,
    },
    {
      name: 'joined inside the first break: its beacons are not expected, the ad after the join is',
      join: 112, to: 158,
      records: (want) => arrive(want, 5),
      check: (r) => r.rows.length === 20 && !r.rows.some((x) => x.adId === 'b1' || x.type === 'breakStart' && x.time === 110),
    },
    {
      name: 'the window ends before the second break ends',
      join: 100, to: 150,
      records: (want) => arrive(want, 5),
      check: (r) => r.rows.length === 24 && r.rows.at(-1).time === 149.5,
    },
    {
      // The second airing of ad-d: its impression two frames early.
      name: 'a beacon two frames before its frame is early',
      join: 100, to: 158,
      records: (want) => arrive(want, 0, (w) => (w.adId === 'd2' && w.tpl.eventType === 'impression' ? -2 * dur : 0)),
      check: (r) => r.rows.filter((x) => x.late < -dur).map((x) => `${x.type} ${x.adId} ${x.frame}`).join() === 'impression d2 ad-d#0',
    },
    {
      name: 'a beacon never sent is missed, one sent twice duplicated',
      join: 100, to: 158,
      records: (want) => {
        const rs = arrive(want, 5).filter((x) => !(x.eventType === 'complete' && x.query.ad === 'd1'));
        return [...rs, rs.find((x) => x.eventType === 'breakEnd')];
      },
      check: (r) => r.missed === 1 && r.duplicates === 1,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const want = liveExpected(polls, c.join, c.to);
      const r = report({ frames, polls, want, records: c.records(want), clock });
      const rows = r.rows.map((x) => `${x.type}@${x.time} ${x.adId} ${x.frame} ${x.late.toFixed(1)}`);
      assert.ok(c.check(r), `rows: ${rows.join('; ')}; missed ${r.missed}, duplicates ${r.duplicates}`);
    });
  }
});

test('the lead stays within a frame at 2x', () => {
  assert.ok(LEAD > 4 && LEAD < 1000 / FPS / RATE - 5, `LEAD ${LEAD} ms`);
});

test('frame clock: a playhead pinned short of a frame wakes the core when the frame shows, not before', async () => {
  // The item is 0.1 ms past the playhead, but the playhead cannot move for
  // 30 ms: one tick then, not a timer polling every few ms meanwhile.
  const v = { paused: false, seeking: false, ended: false, playbackRate: 1,
    requestVideoFrameCallback: () => 1, cancelVideoFrameCallback() {} };
  const ticks = [];
  const t0 = performance.now();
  const c = new FrameClock(v, () => ticks.push(performance.now() - t0));
  c.arm(0.0001, true, 30);
  await new Promise((r) => setTimeout(r, 60));
  c.stop();
  assert.equal(ticks.length, 1, `ticks at ${ticks.map((x) => x.toFixed(1)).join(', ')} ms`);
  // 29, not 30: Node runs timers on a loop clock of whole milliseconds,
  // which read 29.8 ms here once (CI).
  assert.ok(ticks[0] >= 29, `tick at ${ticks[0].toFixed(1)} ms`);
});

test('frame clock: the first frame shown while playing renders the ad, before the element reports playing', async () => {
  // A player shows the first frame while it buffers (readyState 1, no
  // `playing` yet): the frame clock, armed while playing and far from any
  // item, still watches for it and counts it from LEAD ms before display.
  const cbs = [];
  const v = { paused: false, seeking: false, ended: false, playbackRate: 1, readyState: 1,
    requestVideoFrameCallback: (f) => cbs.push(f), cancelVideoFrameCallback() {} };
  let ticks = 0;
  const c = new FrameClock(v, () => { ticks++; });
  c.arm(Infinity, false);
  assert.equal(cbs.length, 1, 'no frame callback asked for');
  const now = performance.now();
  cbs[0](now, { mediaTime: 0, expectedDisplayTime: now + LEAD + 20 });
  assert.equal(c.rendered, false, 'rendered before the frame is shown');
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(c.rendered, true);
  assert.equal(ticks, 1);
  c.stop();
});

test('frame clock: `playing` renders the ad only over a frame already presented', async (t) => {
  // Chromium's own HLS player reported playing (HAVE_ENOUGH_DATA) 12-14 ms
  // before it presented its first frame: readyState does not say the frame
  // is on screen; the screen clock having seen it presented does.
  const make = () => {
    const cbs = [];
    const v = { paused: false, seeking: false, ended: false, playbackRate: 1, readyState: 4, currentTime: 0,
      requestVideoFrameCallback: (f) => cbs.push(f), cancelVideoFrameCallback() {} };
    return { v, cbs, c: new FrameClock(v, () => {}) };
  };
  await t.test('no frame presented yet: the next presented frame renders', () => {
    const { c, cbs } = make();
    c.watchFirstFrame(() => false);
    assert.equal(c.rendered, false, 'rendered at playing before any frame was on screen');
    const now = performance.now();
    cbs.shift()(now, { mediaTime: 0, expectedDisplayTime: now - 5 });
    assert.equal(c.rendered, true);
    c.stop();
  });
  await t.test('a frame presented while paused: playing renders at once', () => {
    const { c } = make();
    c.watchFirstFrame(() => true);
    assert.equal(c.rendered, true);
    c.stop();
  });
  await t.test('an adapter without a screen clock: readyState decides', () => {
    const { c } = make();
    c.watchFirstFrame();
    assert.equal(c.rendered, true);
    c.stop();
  });
});

test('frame clock: while seeking, the landing frame ticks once, before the seeked event', () => {
  // Chromium presents a seek's landing frame and clears seeking 30-50 ms
  // before a busy page gets seeked: Session._tick, which does not drive
  // the core while seeking, asks for that frame instead.
  const cbs = [];
  const v = { paused: false, seeking: true, ended: false, playbackRate: 1,
    requestVideoFrameCallback: (f) => cbs.push(f), cancelVideoFrameCallback() {} };
  let ticks = 0;
  const c = new FrameClock(v, () => { ticks++; });
  c.nextFrame();
  c.nextFrame();
  assert.equal(cbs.length, 1, 'one frame callback, however often asked');
  cbs[0](performance.now(), { mediaTime: 1, expectedDisplayTime: performance.now() });
  assert.equal(ticks, 1);
  c.stop();
});

test('frame clock: a frame shown while seeking elsewhere does not render the ad', async () => {
  // The start-position case above: the frame at 0, shown while the element
  // seeks to 30, would count the pre-roll as seen.
  const cbs = [];
  const v = { paused: false, seeking: true, ended: false, playbackRate: 1, readyState: 1, currentTime: 30,
    requestVideoFrameCallback: (f) => cbs.push(f), cancelVideoFrameCallback() {} };
  const c = new FrameClock(v, () => {});
  c.watchFirstFrame();
  const now = performance.now();
  cbs.shift()(now, { mediaTime: 0, expectedDisplayTime: now - 30 });
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(c.rendered, false, 'rendered by a frame from before the seek');
  c.watchFirstFrame();
  cbs.shift()(now, { mediaTime: 30, expectedDisplayTime: now - 10 });
  assert.equal(c.rendered, true, 'the landing frame renders');
  c.stop();
});

// assertJudged checks a judged run (report()): no beacon more than frame
// ms before its frame, every beacon's frame shown, none missed, none
// duplicated. A frame shown before the load's first callback has no known
// display time: its beacons are judged for missed and duplicated only.
function assertJudged(r, run, frame, vlog) {
  const early = r.rows.filter((x) => x.known && x.late < -frame);
  const show = (xs) => xs.map((x) => `${x.type}@${x.time.toFixed(3)} ${x.frame} ${x.late.toFixed(1)} ms`).join('; ');
  assert.deepEqual(early, [], `${run}: beacons before their frame: ${show(early)}; video: ${vlog}`);
  assert.equal(r.rows.filter((x) => !Number.isFinite(x.due)).length, 0, `${run}: beacons whose frame was never shown`);
  assert.equal(r.missed, 0, `${run}: missed ${show(r.rows.filter((x) => x.hits === 0))}; video: ${vlog}`);
  assert.equal(r.duplicates, 0, `${run}: duplicated ${show(r.rows.filter((x) => x.hits > 1))}`);
}

describe('beacons against the presented frame (VOD, pre-roll and into the mid-roll)', () => {
  let emu;
  let browser;
  before(async () => {
    emu = await startEmulator();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await emu?.stop();
  });

  for (const run of RUNS) {
    const [player, media, fault] = run.split(':');
    const stall = fault === 'stall';
    test(`${player} on ${media}${stall ? ', stalling inside the pre-roll' : ''}: none early by more than a frame, none missed, none duplicated`, async () => {
      const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
      try {
        if (stall) {
          // The first ad's second segment arrives STALL_MS late: the player
          // runs dry two seconds into the ad and waits with a frozen frame.
          await context.route(STALLED_SEGMENT, async (route) => {
            await new Promise((r) => setTimeout(r, STALL_MS));
            await route.continue().catch(() => {});
          });
        }
        const page = await openPage(context, emu.base, 'onscreen.html');
        await page.evaluate(() => window.onscreen.start());
        const info = await page.evaluate((o) => window.e2e.start(o), {
          format: player === 'dash' ? 'dash' : 'hls', kind: 'vod', player, rate: RATE,
          adsParams: VARIANTS[media] ? { media: VARIANTS[media] } : {},
        });
        // Until the content after the mid-roll (the stall run: after the
        // pre-roll, where its fault is) is on screen for a second. Only
        // hls.js on TS and dash.js on fMP4 play on through the mid-roll
        // (content→ad, where the two players place ads differently; the
        // live case below has hls.js on fMP4 enter a break from content);
        // the other runs stop after the pre-roll, which has the break start,
        // an ad→ad change and the return to content. bench/onscreen.mjs
        // plays every run through the mid-roll; the suite keeps its time.
        const short = stall || !INTO_MIDROLL.has(`${player}:${media}`);
        // The long runs stop a second into the mid-roll's second ad (the
        // content→ad change at 24 s and an ad→ad change at 32 s).
        const until = short ? PREROLL_END : UNTIL;
        await waitFor(async () => {
          const fs = await page.evaluate(() => window.onscreen.frames());
          const f = fs.at(-1);
          if (short) return f && f.asset === 'main' && f.frame >= RATE * FPS;
          let ads = 0;
          for (let i = 0; i < fs.length; i++) {
            const p = fs[i - 1];
            if (fs[i].asset.startsWith('ad-') && (!p || p.asset !== fs[i].asset || fs[i].frame < p.frame)) ads++;
          }
          return ads >= 4 && f.asset.startsWith('ad-') && f.frame >= RATE * FPS;
        }, { timeout: 120000, every: 250, what: `${run}: ${short ? 'content after the pre-roll' : 'the mid-roll\'s second ad'}` });
        await waitFor(async () => (await collector(emu.base, info.id)).length >= 1, { what: 'beacons' });
        const frames = await page.evaluate(() => window.onscreen.frames());
        const polls = (await page.evaluate(() => window.e2e.tracking())).map((x) => x.json).filter(Boolean);
        const want = expectedBeacons(polls, -1, until);
        // The last beacons (at PREROLL_END or UNTIL) left a second ago;
        // wait for them at the collector rather than for a fixed time.
        const records = await waitFor(async () => {
          const r = await collector(emu.base, info.id);
          return report({ frames, polls, want, records: r, rate: RATE }).missed === 0 ? r : null;
        }, { timeout: 5000, what: `${run}: every expected beacon at the collector` }).catch(() => collector(emu.base, info.id));
        const r = report({ frames, polls, want, records, rate: RATE });
        const vlog = (await page.evaluate(() => window.e2e.videoLog())).join(' ');

        assert.ok(want.length >= (short ? 12 : 25), `${run}: only ${want.length} beacons expected`);
        if (stall) {
          // The fault took: some frame of the first ad stayed on screen for
          // over half the hold (else this run proves nothing about stalls).
          const pre = r.runs.find((x) => x.ad);
          const held = frames.findIndex((f, i) => i > 0 && f.asset === pre.first.asset && frames[i - 1].asset === f.asset
            && f.at - frames[i - 1].at > STALL_MS / 2);
          assert.ok(held > 0, `${run}: the player never stalled inside ${pre.first.asset}; video: ${vlog}`);
        }
        const adRuns = r.runs.filter((x) => x.ad).map((x) => x.first.asset);
        assert.equal(adRuns.length, r.ads.filter((a) => a.start <= until).length, `${run}: ads seen on screen ${adRuns.join(' ')}`);
        const frame = 1000 / FPS / RATE;
        assertJudged(r, run, frame, vlog);

        // adbreakstart and adstart (README: the ad starts rendering) are not
        // dispatched before the frame their breakStart / impression describe.
        const { frames: pf } = positions(frames, polls);
        const starts = await page.evaluate(() => [...window.e2e.events('adbreakstart'), ...window.e2e.events('adstart')]);
        const judged = [];
        for (const e of starts) {
          const ads = r.ads.filter((a) => a.availId === e.detail.availId && (e.type === 'adbreakstart' || a.adId === e.detail.adId));
          const t = ads.length ? Math.min(...ads.map((a) => a.start)) : NaN;
          const f = t < until ? dueFrame(pf, t) : null;
          const shownFrame = f ? shownAt(pf, f, t, RATE) : null;
          if (shownFrame && shownFrame.known) judged.push({ what: `${e.type} ${e.detail.adId || e.detail.availId} ${f.asset}#${f.frame}`, late: e.at - shownFrame.at });
        }
        assert.ok(judged.filter((x) => x.what.startsWith('adstart')).length >= adRuns.length - 1,
          `${run}: adstart events judged: ${judged.map((x) => x.what).join('; ')}`);
        // Date.now() stamps the events: a ms of rounding on top of the frame.
        const earlyEvents = judged.filter((x) => x.late < -frame - 1);
        assert.deepEqual(earlyEvents, [], `${run}: events before their ad's first frame: ${JSON.stringify(earlyEvents)}`);
      } finally {
        await context.close();
      }
    });
  }
});

// Live: at 1× (a live edge cannot be outrun: at 2× the player would run
// into it and stall), one break of a channel of its own. The session is
// created just before a break, so the player joins on content and the
// whole break is after the join.
if (LIVE_RUNS.length) {
  describe('beacons against the presented frame (live, one break)', () => {
    let emu;
    let browser;
    before(async () => {
      // A break due 9 s from now: the case below creates its session 4 s
      // before it instead of waiting up to LIVE_EVERY for the channel.
      emu = await startLiveEmulator(LIVE_EVERY, LIVE_BREAK, { breakInMs: 9000 });
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await emu?.stop();
    });

    for (const run of LIVE_RUNS) {
      const [player, media] = run.split(':');
      test(`${player} on ${media}, live: none early by more than a frame, none missed, none duplicated`, async () => {
        const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
        try {
          const page = await openPage(context, emu.base, 'onscreen.html');
          await page.evaluate(() => window.onscreen.start());
          // 4 s before a break: session creation loads the core first.
          await new Promise((r) => setTimeout(r, untilLiveBreak(LIVE_EVERY, 4000, emu.phaseSecs) - 4000));
          const info = await page.evaluate((o) => window.e2e.start(o), {
            format: player === 'dash' ? 'dash' : 'hls', kind: 'live', player, rate: 1,
            adsParams: VARIANTS[media] ? { media: VARIANTS[media] } : {},
          });
          const clock = [];
          await waitFor(async () => {
            const st = await page.evaluate(liveProgress);
            clock.push({ media: st.media, session: st.session });
            return st.breaks >= 1 && st.after >= FPS;
          }, { timeout: (2 * LIVE_EVERY + 30) * 1000, every: 250, what: `${run}: content after a live break` });
          const frames = await page.evaluate(() => window.onscreen.frames());
          const polls = (await page.evaluate(() => window.e2e.tracking())).map((x) => x.json).filter(Boolean);
          const { frames: pf, runs } = positions(frames, polls, clock);
          const placed = pf.filter((f) => Number.isFinite(f.pos));
          assert.ok(placed.length, `${run}: no frame placed in session time`);
          const join = placed[0].pos;
          const to = placed.at(-1).pos;
          const want = liveExpected(polls, join, to);
          const records = await waitFor(async () => {
            const r = await collector(emu.base, info.id);
            return report({ frames, polls, want, records: r, clock }).missed === 0 ? r : null;
          }, { timeout: 5000, what: `${run}: every expected beacon at the collector` }).catch(() => collector(emu.base, info.id));
          const r = report({ frames, polls, want, records, clock });
          const vlog = (await page.evaluate(() => window.e2e.videoLog())).join(' ');

          const adRuns = runs.filter((x) => x.asset.startsWith('ad-'));
          const unmatched = adRuns.filter((x) => !x.ad).map((x) => `${x.asset}#${x.first.frame} media ${x.first.mediaTime.toFixed(3)}`);
          assert.deepEqual(unmatched, [], `${run}: ad runs matched to no tracking ad (ads at ${r.ads.map((a) => a.start).join(', ')})`);
          // A break: its start and end, and two ads' six beacons each.
          assert.ok(want.length >= 14, `${run}: only ${want.length} beacons expected (session ${join.toFixed(3)} to ${to.toFixed(3)})`);
          assert.equal(adRuns.length, r.ads.filter((a) => a.start >= join && a.start <= to).length,
            `${run}: ads seen on screen ${adRuns.map((x) => x.asset).join(' ')}`);
          const frame = 1000 / FPS;
          assertJudged(r, run, frame, vlog);

          // adbreakstart and adstart no earlier than their first frame either.
          const starts = await page.evaluate(() => [...window.e2e.events('adbreakstart'), ...window.e2e.events('adstart')]);
          const judged = [];
          for (const e of starts) {
            const ads = r.ads.filter((a) => a.availId === e.detail.availId && (e.type === 'adbreakstart' || a.adId === e.detail.adId));
            const t = ads.length ? Math.min(...ads.map((a) => a.start)) : NaN;
            const f = t >= join && t <= to ? dueFrame(pf, t) : null;
            const shownFrame = f ? shownAt(pf, f, t) : null;
            if (shownFrame && shownFrame.known) judged.push({ what: `${e.type} ${e.detail.adId || e.detail.availId} ${f.asset}#${f.frame}`, late: e.at - shownFrame.at });
          }
          assert.ok(judged.filter((x) => x.what.startsWith('adstart')).length >= adRuns.length,
            `${run}: adstart events judged: ${judged.map((x) => x.what).join('; ')}`);
          const earlyEvents = judged.filter((x) => x.late < -frame - 1);
          assert.deepEqual(earlyEvents, [], `${run}: events before their ad's first frame: ${JSON.stringify(earlyEvents)}`);
        } finally {
          await context.close();
        }
      });
    }
  });
}
