// On-screen judge: when was the frame each beacon describes presented, and
// how long before or after that did the beacon reach the collector?
//
// Input is the list of presented frames read by web/qa/framecode.js (one
// entry per change of the frame code, with its display time on the wall
// clock), the tracking responses the plugin polled, and the collector's
// records. The frame a beacon describes is the first presented frame whose
// session position is at or after the beacon's time: an ad's first frame
// for impression, start and breakStart, the frame k·duration/4 into the ad
// for quartiles, the first frame after the ad for complete and breakEnd.

import { isoSeconds, judge } from './harness.mjs';
import { FPS } from '../../web/qa/framecode.js';

export { FPS };

// adsOf lists the linear ads of the tracking responses in session order:
// {availId, adId, start, duration}.
export function adsOf(polls) {
  const seen = new Map();
  for (const r of polls) {
    for (const a of (r && r.avails) || []) {
      for (const ad of a.ads || []) {
        const k = `${a.availId}|${ad.adId}`;
        if (seen.has(k)) continue;
        seen.set(k, { availId: a.availId, adId: ad.adId, start: isoSeconds(ad.startTime, ad.startTimeInSeconds),
          duration: isoSeconds(ad.duration, ad.durationInSeconds) });
      }
    }
  }
  return [...seen.values()].sort((x, y) => x.start - y.start);
}

function availsOf(polls) {
  const seen = new Map();
  for (const r of polls) {
    for (const a of (r && r.avails) || []) {
      if (!seen.has(a.availId)) {
        seen.set(a.availId, { start: isoSeconds(a.startTime, a.startTimeInSeconds), duration: isoSeconds(a.duration, a.durationInSeconds) });
      }
    }
  }
  return [...seen.values()].sort((x, y) => x.start - y.start);
}

// positions gives every presented frame its session position (seconds).
// Frames form runs (same asset, rising frame number); the k-th ad run is the
// k-th ad of the tracking responses, content frames sit at their content
// time plus the avails before them, slate runs continue the run before.
// Valid for one continuous play from the start (no seeks).
export function positions(frames, polls) {
  const ads = adsOf(polls);
  const avails = availsOf(polls);
  const contentPos = (t) => {
    let s = t;
    for (const a of avails) if (a.start <= s + 1e-3) s += a.duration;
    return s;
  };
  const out = [];
  let k = -1;
  let prev = null;
  let runStart = 0;
  let runFirst = 0;
  const runs = [];
  for (const f of frames) {
    const newRun = !prev || f.asset !== prev.asset || f.frame < prev.frame;
    let pos;
    if (f.asset === 'main') pos = contentPos(f.frame / FPS);
    else if (f.asset.startsWith('ad-')) {
      if (newRun) k++;
      pos = ads[k] ? ads[k].start + f.frame / FPS : NaN;
    } else {
      if (newRun) {
        runStart = prev ? prev.pos + 1 / FPS : 0;
        runFirst = f.frame;
      }
      pos = runStart + (f.frame - runFirst) / FPS;
    }
    if (newRun) runs.push({ asset: f.asset, ad: f.asset.startsWith('ad-') ? ads[k] : null, first: f });
    prev = { ...f, pos };
    out.push(prev);
  }
  return { frames: out, runs, ads };
}

// dueFrame returns the presented frame a beacon at session time t describes
// (null when playback never reached it). Tracking times are truncated to the
// millisecond, so half a frame of slack picks the frame at t.
export function dueFrame(frames, t) {
  for (const f of frames) if (f.pos >= t - 0.5 / FPS) return f;
  return null;
}

// shownAt returns when the frame a beacon at session time t describes was
// on screen: {at, known}. The due frame f is the first frame called back
// at or after t; when the element's presentedFrames counter says the k
// frames before f (back to t) were presented without a callback (Chromium
// does not call back every frame, the first one of a load often not), the
// described frame was shown k frame durations before f, or, for frames
// before the load's first callback, at some unknown time before that
// (a frame shown at load stays on screen until playback moves on).
export function shownAt(frames, f, t, rate = 1) {
  const k = Math.round((f.pos - t) * FPS);
  if (!(k > 0) || !Number.isFinite(f.presented)) return { at: f.at, known: true };
  const i = frames.indexOf(f);
  const before = i > 0 ? frames[i - 1] : null;
  const unseen = f.presented - (before ? before.presented : 0) - 1;
  if (unseen < k) return { at: f.at, known: true };
  return { at: f.at - (k * 1000) / FPS / rate, known: !!before };
}

// report judges one run: per expected beacon its collector arrival against
// the due frame's display time (ms, negative = before the frame), and the
// missed and duplicated counts.
export function report({ frames, polls, want, records, rate = 1 }) {
  const { frames: pf, runs, ads } = positions(frames, polls);
  const { hits, stray } = judge(want, records);
  const rows = [];
  for (const w of want) {
    const h = hits.get(w.key);
    const f = dueFrame(pf, w.time);
    const r = h[0];
    const shown = f ? shownAt(pf, f, w.time, rate) : { at: NaN, known: false };
    rows.push({ type: w.eventType, time: w.time, adId: w.adId, due: shown.at, known: shown.known,
      frame: f ? `${f.asset}#${f.frame}${shown.at < f.at ? ' (frames before it shown without a callback)' : ''}` : '',
      late: r && f ? r.receivedAt - shown.at : NaN, hits: h.length });
  }
  return {
    rows,
    runs,
    ads,
    stray,
    missed: rows.filter((x) => x.hits === 0).length,
    duplicates: rows.filter((x) => x.hits > 1).length,
  };
}
