// The Session panel's two clock rows on the QA page.
//
// playhead: where playback is, as a viewer reads it: m:ss of the VOD
// duration, or on live the time since playback started and its UTC wall
// time (the timeline's own reading, timeText).
//
// session clock: the raw session time, in the seconds the tracking JSON and
// the beacon log use, with what it counts from, and the <video> element's
// offset from it. A live DASH session counts seconds since
// MPD@availabilityStartTime, which for a channel started months ago is
// tens of millions: printed as "session 29263039.09 s" beside the playhead
// it read as a broken clock, so it is only shown labelled.

import { clockText } from './timeline.js';

const utcDate = (epochSec) => new Date(epochSec * 1000).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';

// playheadText: t session time, duration (NaN unknown), live, reading the
// timeline's timeText(t) for live ([since start, UTC] or null before the
// first frame), paused.
export function playheadText({ t, duration, live, reading, paused }) {
  let s;
  if (live) {
    if (!reading) s = 'waiting for the first frame';
    else s = `${reading[0].replace(/\.\d+$/, '')} since start${reading[1] ? ` · ${reading[1].replace(/\.\d+ UTC$/, ' UTC')}` : ''}`;
  } else {
    s = Number.isFinite(duration) ? `${clockText(t)} / ${clockText(duration)}` : clockText(t);
  }
  return paused ? `${s} · paused` : s;
}

// sessionClockText: t session time, media the <video>'s currentTime,
// format 'hls' | 'dash', live, ast MPD@availabilityStartTime in epoch
// seconds (NaN unknown).
export function sessionClockText({ t, media, format, live, ast }) {
  let base;
  if (format === 'dash' && live) base = `since MPD@availabilityStartTime${Number.isFinite(ast) ? ` (${utcDate(ast)})` : ''}`;
  else if (format === 'dash') base = 'of MPD presentation time';
  else base = "since the session's first segment";
  // The screen clock sits a hair below 0 until the first frame: no "-0.00".
  const fixed = (x) => (Math.abs(x) < 0.005 ? 0 : x).toFixed(2);
  // A number keeps its unit on its line (non-breaking space).
  let s = `${fixed(t)}\u00a0s ${base}`;
  if (Number.isFinite(media) && Number.isFinite(t)) {
    const off = Number(fixed(media - t));
    s += ` · media ${off < 0 ? '−' : '+'}${Math.abs(off).toFixed(2)}\u00a0s`;
  }
  return s;
}
