// The QA page's frame matcher (web/qa/framematch.js): which presented frame
// each tracking time is shown by, from frame codes read around it.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { createFrameMatcher } from '../../web/qa/framematch.js';
import { FPS } from '../../web/qa/framecode.js';

// A VOD with content 0-10, a break of two 2 s ads at 10 (pre-roll variant: at 0).
const ev = (eventType, t) => ({ eventType, startTimeInSeconds: t, beaconUrls: [] });
const ad = (adId, t, d) => ({
  adId, startTimeInSeconds: t, durationInSeconds: d,
  trackingEvents: [ev('impression', t), ev('firstQuartile', t + d / 4), ev('midpoint', t + d / 2), ev('complete', t + d)],
});
const tracking = (at) => ({
  avails: [{ availId: 'b', startTimeInSeconds: at, durationInSeconds: 4, adBreakTrackingEvents: [ev('breakStart', at), ev('breakEnd', at + 4)],
    ads: [ad('a1', at, 2), ad('a2', at + 2, 2)] }],
});

// frames builds read frames: [asset, first, last] runs, one callback each,
// displayed every 1/FPS s from t0 (ms); session is the session clock, off
// the picture by skew s. gapAt (seq numbers) are callbacks not read, drop
// frames ('asset#n') never presented, missed frames presented without a
// callback, ahead {seq: k} callbacks whose pixels were drawn k frames later
// than the frame they report.
function frames(runs, { sessionStart = 0, skew = 0, gapAt = [], drop = [], ahead = {}, missed = [] } = {}) {
  const out = [];
  let seq = 0;
  let presented = 0;
  let i = 0;
  for (const [asset, first, last] of runs) {
    for (let n = first; n <= last; n++, i++) {
      if (drop.includes(`${asset}#${n}`)) continue; // never presented: no callback
      presented++;
      if (missed.includes(`${asset}#${n}`)) continue; // presented, but the busy page got no callback
      seq++;
      if (gapAt.includes(seq)) continue;
      const t = sessionStart + i / FPS;
      // ahead[seq]: the pixels read are that many frames past the callback's frame.
      const read = n + (ahead[seq] || 0);
      out.push({ asset, frame: read, code: { asset: 1, frame: read }, seq, presented, at: 1000 + (i * 1000) / FPS, session: t + skew, mediaTime: t });
    }
  }
  return out;
}

const run = (json, list) => {
  const m = createFrameMatcher();
  m.setTracking(json);
  for (const f of list) m.frame(f);
  return m;
};
const shown = (m, t) => {
  const f = m.frameFor(t);
  return f ? `${f.asset}#${f.frame}` : null;
};

test('frame matcher: the frame each tracking time is shown by', async (t) => {
  const midroll = [['main', 280, 299], ['ad-a', 0, 59], ['ad-c', 0, 59], ['main', 300, 320]];
  const cases = [
    {
      name: 'mid-roll: first frames, quartiles, the first frame after each ad',
      json: tracking(10), frames: frames(midroll, { sessionStart: 280 / FPS }),
      want: { 10: 'ad-a#0', 10.5: 'ad-a#15', 11: 'ad-a#30', 12: 'ad-c#0', 14: 'main#300' },
      firsts: ['a1 ad-a#0', 'a2 ad-c#0'],
    },
    {
      name: 'the session clock 250 ms off the picture does not move the frames',
      json: tracking(10), frames: frames(midroll, { sessionStart: 280 / FPS, skew: -0.25 }),
      want: { 10: 'ad-a#0', 11: 'ad-a#30', 14: 'main#300' },
    },
    {
      name: 'a frame never presented: the next one shows its time',
      json: tracking(10), frames: frames(midroll, { sessionStart: 280 / FPS, drop: ['ad-a#0', 'ad-a#15', 'ad-c#0'] }),
      want: { 10: 'ad-a#1', 10.5: 'ad-a#16', 12: 'ad-c#1' },
      firsts: ['a1 ad-a#1', 'a2 ad-c#1'],
    },
    {
      name: 'frames not read around a time: unknown, not guessed',
      // callbacks 35-36 are ad-a#14-15 (20 content frames first)
      json: tracking(10), frames: frames(midroll, { sessionStart: 280 / FPS, gapAt: [35, 36] }),
      want: { 10: 'ad-a#0', 10.5: null, 11: 'ad-a#30' },
    },
    {
      name: 'a frame presented without a callback: the times it may have shown are unknown',
      json: tracking(10), frames: frames(midroll, { sessionStart: 280 / FPS, missed: ['ad-a#15', 'main#300'] }),
      want: { 10: 'ad-a#0', 10.5: null, 11: 'ad-a#30', 14: null },
    },
    {
      name: 'pixels of a later frame than the callback reports: that frame is not used',
      // callback 35 is ad-a#14; its pixels say #16, so 10.5 (#15) is not known from it
      json: tracking(10), frames: frames(midroll, { sessionStart: 280 / FPS, ahead: { 35: 2 } }),
      want: { 10: 'ad-a#0', 10.5: null, 11: 'ad-a#30' },
    },
    {
      name: 'pre-roll: frame 0 with nothing before it; the same asset twice is two ads',
      json: tracking(0), frames: frames([['ad-a', 0, 59], ['ad-a', 0, 59], ['main', 0, 10]]),
      want: { 0: 'ad-a#0', 0.5: 'ad-a#15', 2: 'ad-a#0', 3: 'ad-a#30', 4: 'main#0' },
      firsts: ['a1 ad-a#0', 'a2 ad-a#0'],
    },
    {
      name: 'pre-roll whose first presented frame is its frame 3 (hls.js on TS): that frame',
      json: tracking(0), frames: frames([['ad-a', 3, 59], ['ad-c', 0, 59], ['main', 0, 10]]),
      want: { 0: 'ad-a#3', 0.5: 'ad-a#15', 2: 'ad-c#0' },
      firsts: ['a1 ad-a#3', 'a2 ad-c#0'],
    },
    {
      name: 'pre-roll whose first frames were presented without a callback: unknown, not guessed',
      json: tracking(0), frames: frames([['ad-a', 0, 59], ['ad-c', 0, 59]], { missed: ['ad-a#0', 'ad-a#1', 'ad-a#2'] }),
      want: { 0: null, 0.5: 'ad-a#15', 2: 'ad-c#0' },
      firsts: ['a2 ad-c#0'],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const m = run(c.json, c.frames);
      assert.equal(m.codes, 'yes');
      for (const [time, want] of Object.entries(c.want)) assert.equal(shown(m, Number(time)), want, `t=${time}`);
      if (c.firsts) assert.deepEqual(m.firstFrames().map((f) => `${f.adId} ${f.asset}#${f.frame}`), c.firsts);
    });
  }
});

test('frame matcher: frames read before the first tracking response count', () => {
  const m = createFrameMatcher();
  for (const f of frames([['ad-a', 0, 59], ['ad-c', 0, 59], ['main', 0, 5]])) m.frame(f);
  assert.equal(m.frameFor(0), null);
  m.setTracking(tracking(0));
  assert.equal(shown(m, 0), 'ad-a#0');
  assert.equal(shown(m, 4), 'main#0');
});

test('frame matcher: media without frame codes is reported, and near() bounds the reading', () => {
  const m = createFrameMatcher();
  m.setTracking(tracking(10));
  assert.equal(m.codes, 'unknown');
  for (let i = 1; i <= 30; i++) m.frame({ code: null, seq: i, at: i * 33, session: 10 });
  assert.equal(m.codes, 'no');
  assert.equal(m.near(9.5, 0.6), true);
  assert.equal(m.near(8, 0.6), false);
  assert.equal(m.near(12.4, 0.6), true);
  assert.equal(m.near(20, 0.6), false);
});
