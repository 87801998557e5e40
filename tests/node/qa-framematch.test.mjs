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
// than the frame they report. jump and seek ('asset#n') put the player's
// seek over a buffer hole (matcher.jump()) or any other seek
// (matcher.discontinuity()) just before that frame; the frames jumped over
// go in drop.
function frames(runs, { sessionStart = 0, skew = 0, gapAt = [], drop = [], ahead = {}, missed = [], jump = [], seek = [] } = {}) {
  const out = [];
  let seq = 0;
  let presented = 0;
  let i = 0;
  for (const [asset, first, last] of runs) {
    for (let n = first; n <= last; n++, i++) {
      if (drop.includes(`${asset}#${n}`)) continue; // never presented: no callback
      if (jump.includes(`${asset}#${n}`)) out.push({ call: 'jump' });
      if (seek.includes(`${asset}#${n}`)) out.push({ call: 'discontinuity' });
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
  for (const f of list) {
    if (f.call) m[f.call]();
    else m.frame(f);
  }
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

// The player skipped media (hls.js seeks over a hole in its buffer at a
// discontinuity; Chromium drops a late frame): a time inside the skipped
// stretch is shown first by the frame after it, and the matcher says how
// much was skipped. Frames not read stay unknown, as before.
test('frame matcher: a jump over skipped media is measured against the first frame after it', async (t) => {
  const midroll = [['main', 280, 299], ['ad-a', 0, 59], ['ad-c', 0, 59], ['main', 300, 320]];
  const opt = { sessionStart: 280 / FPS };
  // hls.js on the B-frame fMP4: the hole eats the last frames before a
  // boundary, and its 0.1 s padding three frames after it.
  const hole = (before, after) => ({ ...opt, drop: [...before, ...after.slice(0, -1)], jump: after.slice(-1) });
  const five = 5000 / FPS; // ms: five frames never presented
  const cases = [
    {
      name: 'a jump over an ad start: its first frame after the hole, marked',
      frames: frames(midroll, hole(['main#298', 'main#299'], ['ad-a#0', 'ad-a#1', 'ad-a#2', 'ad-a#3'])),
      want: { 10: ['ad-a#3', five, 'main#297'], 10.5: ['ad-a#15', null] },
      firsts: ['a1 ad-a#3', 'a2 ad-c#0'],
    },
    {
      name: 'a jump from one ad into the next: complete and the next impression on the landing frame',
      frames: frames(midroll, hole(['ad-a#58', 'ad-a#59'], ['ad-c#0', 'ad-c#1', 'ad-c#2', 'ad-c#3'])),
      want: { 11: ['ad-a#30', null], 12: ['ad-c#3', five, 'ad-a#57'], 13: ['ad-c#30', null] },
      firsts: ['a1 ad-a#0', 'a2 ad-c#3'],
    },
    {
      name: 'a jump from an ad into content: complete and breakEnd on the landing frame',
      // Content frame numbers do not place it: the skip is the media time jumped.
      frames: frames(midroll, hole(['ad-c#58', 'ad-c#59'], ['main#300', 'main#301', 'main#302', 'main#303'])),
      want: { 13: ['ad-c#30', null], 14: ['main#303', five, 'ad-c#57'] },
    },
    {
      name: 'a frame dropped at the ad start: the next frame, a one-frame skip',
      frames: frames(midroll, { ...opt, drop: ['ad-a#0'] }),
      want: { 10: ['ad-a#1', 1000 / FPS, 'main#299'], 10.5: ['ad-a#15', null] },
    },
    {
      name: 'playback that begins at a pre-roll\'s frame 3: the frames before it were skipped',
      json: tracking(0), frames: frames([['ad-a', 3, 59], ['ad-c', 0, 59], ['main', 0, 10]]),
      want: { 0: ['ad-a#3', 3000 / FPS, ''], 2: ['ad-c#0', null] },
    },
    {
      name: 'a seek that is not the player\'s jump: unknown',
      frames: frames(midroll, { ...opt, drop: ['main#298', 'main#299', 'ad-a#0', 'ad-a#1', 'ad-a#2'], seek: ['ad-a#3'] }),
      want: { 10: null, 10.5: ['ad-a#15', null] },
      firsts: ['a2 ad-c#0'],
    },
    {
      name: 'callbacks missed across the jump: unknown (what was on screen is not known)',
      frames: frames(midroll, { ...hole(['main#298', 'main#299'], ['ad-a#0', 'ad-a#1', 'ad-a#2', 'ad-a#3']), missed: ['ad-a#3'] }),
      want: { 10: null, 10.5: ['ad-a#15', null] },
      firsts: ['a2 ad-c#0'],
    },
    {
      name: 'callbacks missed without a jump: unknown, as before',
      frames: frames(midroll, { ...opt, missed: ['ad-a#0'] }),
      want: { 10: null, 10.5: ['ad-a#15', null] },
    },
    {
      name: 'a "jump" landing more than a second ahead is a seek: unknown',
      frames: frames(midroll, hole(['main#298', 'main#299'], [...Array.from({ length: 40 }, (_, n) => `ad-a#${n}`)])),
      want: { 10: null, 11: null, 12: ['ad-c#0', null] },
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const m = run(c.json || tracking(10), c.frames);
      for (const [time, want] of Object.entries(c.want)) {
        const f = m.frameFor(Number(time));
        if (want === null) {
          assert.equal(f, null, `t=${time}`);
          continue;
        }
        const [frame, ms, from] = want;
        assert.equal(f && `${f.asset}#${f.frame}`, frame, `t=${time}`);
        if (ms === null) assert.equal(f.jump, undefined, `t=${time}: no jump`);
        else {
          assert.ok(f.jump, `t=${time}: a jump`);
          assert.ok(Math.abs(f.jump.ms - ms) < 0.5, `t=${time}: jumped ${f.jump.ms} ms, want ${ms}`);
          assert.equal(f.jump.from, from, `t=${time}: from`);
        }
      }
      if (c.firsts) assert.deepEqual(m.firstFrames().map((f) => `${f.adId} ${f.asset}#${f.frame}`), c.firsts);
    });
  }
});

// Frames presented without a callback (a busy page; most of them at 4×):
// the time whose frame was among them is not known to the frame, but it
// was shown after the frame read before them and by the one read after.
test('frame matcher: a time whose frame the page missed gets the display times around it', async (t) => {
  // 20 content frames, then the break at 10 (callback n shows frame n-1 of the run).
  const runs = [['main', 280, 299], ['ad-a', 0, 59], ['ad-c', 0, 59], ['main', 300, 310]];
  const at = (i) => 1000 + (i * 1000) / FPS; // display time of the i-th frame of runs
  const cases = [
    {
      name: 'quartile frame missed: between its neighbours',
      missed: ['ad-a#15'], t: 10.5, want: { after: at(20 + 14), by: at(20 + 16) },
    },
    {
      name: 'four frames missed around the midpoint: between the frames read around them',
      missed: ['ad-a#29', 'ad-a#30', 'ad-a#31', 'ad-a#32'], t: 11, want: { after: at(20 + 28), by: at(20 + 33) },
    },
    { name: 'the frame itself read: exact, no range', missed: [], t: 10.5, want: null },
    { name: 'frames not read at all (no callback): no range', gapAt: [35, 36], t: 10.5, want: null },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const m = run(tracking(10), frames(runs, { sessionStart: 280 / FPS, missed: c.missed || [], gapAt: c.gapAt || [] }));
      assert.deepEqual(m.rangeFor(c.t), c.want);
      if (c.want) assert.equal(m.frameFor(c.t), null, 'the frame itself stays unknown');
    });
  }
});
