// The QA timeline's clock text reads like a player's controls: truncated
// (the <video> controls say 1:37 at 97.6 s), signed, h:mm:ss past an hour,
// with float noise at a tick not showing as the second before. The Session
// panel's playhead and session-clock rows (web/qa/clockline.js) read live
// time from the first frame and label the raw seconds with their origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { clockText } from '../../web/qa/timeline.js';

test('clockText truncates as the player controls do', () => {
  const cases = [
    [0, 0, '0:00'], [97.6, 0, '1:37'], [97.999, 0, '1:37'], [0.1 * 3 * 200, 0, '1:00'], [60 - 1e-12, 0, '1:00'], [97.999999, 0, '1:37'],
    [3725.4, 0, '1:02:05'], [-12.9, 0, '−0:12'], [-0.4, 0, '0:00'], [97.6125, 3, '1:37.612'], [1.0005, 3, '0:01.000'],
  ];
  for (const [t, d, want] of cases) assert.equal(clockText(t, d), want, `${t} (${d} digits)`);
});

import { playheadText, sessionClockText } from '../../web/qa/clockline.js';

test('the Session panel reads a live playhead from the first frame, never as raw session seconds', () => {
  assert.equal(playheadText({ t: 29263039.8, live: true, reading: null, paused: false }), 'waiting for the first frame');
  assert.equal(playheadText({ t: 29263039.8, live: true, reading: ['0:19.873', '16:37:19.873 UTC'], paused: false }), '0:19 since start · 16:37:19 UTC');
  assert.equal(playheadText({ t: 50, live: true, reading: ['−0:04.500', ''], paused: true }), '−0:04 since start · paused');
  assert.equal(playheadText({ t: 22.67, duration: 97.6, live: false, paused: false }), '0:22 / 1:37');
  assert.equal(playheadText({ t: 22.67, duration: NaN, live: false, paused: false }), '0:22');
});

test('the session clock row says what the seconds count from', () => {
  const nb = (s) => s.replace(/\u00a0/g, ' ');
  const ast = Date.UTC(2026, 0, 1) / 1000;
  assert.equal(nb(sessionClockText({ t: 29263039.094, media: 29263039.1, format: 'dash', live: true, ast })),
    '29263039.09 s since MPD@availabilityStartTime (2026-01-01 00:00:00 UTC) · media +0.01 s');
  assert.equal(nb(sessionClockText({ t: 29263039.094, media: NaN, format: 'dash', live: true, ast: NaN })),
    '29263039.09 s since MPD@availabilityStartTime');
  assert.equal(nb(sessionClockText({ t: 39.22, media: 39.07, format: 'hls', live: false })), "39.22 s since the session's first segment · media −0.15 s");
  assert.equal(nb(sessionClockText({ t: -0.001, media: 0, format: 'dash', live: false })), '0.00 s of MPD presentation time · media +0.00 s');
});

// A minimal DOM for the timeline: elements with text, style and children.
function el() {
  const e = {
    children: [], dataset: {}, title: '', textContent: '', className: '', clientWidth: 0, offsetWidth: 0,
    style: { setProperty() {} },
    append(...c) { e.children.push(...c); },
    replaceChildren(...c) { e.children = c; },
  };
  return e;
}

test('the timeline clock never reads "-0.00 s" while the session clock sits a hair below 0 before the first frame', async () => {
  globalThis.document = { createElement: el };
  const { createTimeline } = await import('../../web/qa/timeline.js');
  const clock = el();
  const tl = createTimeline({ track: el(), avails: el(), playhead: el(), axis: el(), clock });
  // DASH VOD: the <video> at 0, its period 0.004 s into the presentation; dash.js has no duration yet.
  tl.setPlayhead(-0.004, NaN);
  assert.equal(clock.textContent, '0.00 s');
  tl.setPlayhead(-0.004, 97.6);
  assert.equal(clock.textContent, '0:00 / 1:37 · 0.00 s');
  tl.setPlayhead(22.678, 97.6);
  assert.equal(clock.textContent, '0:22 / 1:37 · 22.68 s');
});
