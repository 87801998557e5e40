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
//
// VOD plays from the start, so content frames carry their session position
// in their frame number. Live joins mid-stream, loops the content and
// repeats ads: there the ad runs are the anchors (see livePositions).

import { isoSeconds, judge, expectedBeacons } from './harness.mjs';
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
// Valid for one continuous play from the start (no seeks). With clock
// (samples of the page's {media, session} times) the play is live: see
// livePositions.
export function positions(frames, polls, clock) {
  if (clock) return livePositions(frames, polls, clock);
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

// MATCH_S is how far an ad run's start, read through the page's clock, may
// lie from its tracking ad's start: the page's reading is off by a frame or
// two, and the ads of a break start at least 6 s apart.
const MATCH_S = 1;

// sessionAt maps a media time to session time through the clock sample
// nearest to it: coarse (the player's own offsets, read between frames), so
// it only tells which ad a run is, never when a frame was due.
export function sessionAt(clock, media) {
  let best = null;
  for (const c of clock) {
    if (!Number.isFinite(c.media) || !Number.isFinite(c.session)) continue;
    if (!best || Math.abs(c.media - media) < Math.abs(best.media - media)) best = c;
  }
  return best ? media + best.session - best.media : NaN;
}

// livePositions gives every presented frame of a live play its session
// position. A live player joins mid-stream, the content loops and the
// same creative airs in every break, so neither a content frame number
// nor the count of ad runs says where a frame is. Each ad run is matched
// to the tracking ad starting where the page's clock puts the run
// (sessionAt; the title's asset, when it names one, must agree); its
// frames are then exact: the ad's start plus the frame number. Frames
// after an ad run count on from it, one frame per frame the element
// presented (its presentedFrames counter: frames presented without a
// callback count too), never before the end of the ad, nor, for content
// after a break's slate, before the end of the avail: nothing of a
// stitched break is shown after that. Frames before the first matched run
// count back from it (the window of expected beacons starts at the first
// frame); with no run matched, they have the page's clock positions.
// Frames after an unmatched ad run have no position until the next
// matched one.
export function livePositions(frames, polls, clock) {
  const ads = adsOf(polls);
  const avails = availsOf(polls);
  const assets = new Map();
  for (const r of polls) {
    for (const a of (r && r.avails) || []) {
      for (const ad of a.ads || []) {
        const m = /\((ad-[a-z0-9]+)\)/.exec(ad.adTitle || '');
        if (m) assets.set(`${a.availId}|${ad.adId}`, m[1]);
      }
    }
  }
  const taken = new Set();
  const matchAd = (f) => {
    const est = sessionAt(clock, f.mediaTime) - f.frame / FPS;
    let best = null;
    for (const ad of ads) {
      const named = assets.get(`${ad.availId}|${ad.adId}`);
      if (taken.has(ad) || (named && named !== f.asset) || !(Math.abs(ad.start - est) < MATCH_S)) continue;
      if (!best || Math.abs(ad.start - est) < Math.abs(best.start - est)) best = ad;
    }
    if (best) taken.add(best);
    return best;
  };
  const availEnd = (ad) => {
    const a = avails.find((x) => ad.start >= x.start - 1e-3 && ad.start < x.start + x.duration);
    return a ? a.start + a.duration : ad.start + ad.duration;
  };
  const out = [];
  const runs = [];
  let prev = null;
  let run = null;
  let lastAd = null;
  let anyAd = false;
  for (const f of frames) {
    const newRun = !prev || f.asset !== prev.asset || f.frame < prev.frame;
    const isAd = f.asset.startsWith('ad-');
    let pos;
    if (newRun) {
      const ad = isAd ? matchAd(f) : null;
      const prevRun = run;
      run = { asset: f.asset, ad, first: f };
      runs.push(run);
      if (isAd) {
        pos = ad ? ad.start + f.frame / FPS : NaN;
        if (ad) lastAd = ad;
        anyAd = true;
      } else if (prev && Number.isFinite(prev.pos)) {
        const n = Number.isFinite(f.presented) && Number.isFinite(prev.presented) ? Math.max(1, f.presented - prev.presented) : 1;
        let floor = -Infinity;
        if (prevRun.ad) floor = prevRun.ad.start + prevRun.ad.duration;
        else if (f.asset === 'main' && lastAd) floor = availEnd(lastAd);
        pos = Math.max(floor, prev.pos + n / FPS);
      } else if (!anyAd) {
        pos = sessionAt(clock, f.mediaTime);
      } else {
        pos = NaN; // after an ad run no tracking ad matched: no anchor to count from
      }
    } else if (isAd) {
      pos = run.ad ? run.ad.start + f.frame / FPS : NaN;
    } else {
      pos = prev.pos + (f.frame - prev.frame) / FPS;
    }
    prev = { ...f, pos };
    out.push(prev);
  }
  // The frames before the first matched run count back from it the same
  // way, and stay before its ad: their clock positions could land a frame
  // inside it and stand for its first frame.
  const first = out.findIndex((f) => f.asset.startsWith('ad-') && Number.isFinite(f.pos));
  for (let i = first - 1; i >= 0; i--) {
    const f = out[i];
    const next = out[i + 1];
    if (f.asset === next.asset && f.frame < next.frame) {
      f.pos = next.pos - (next.frame - f.frame) / FPS;
      continue;
    }
    const n = Number.isFinite(f.presented) && Number.isFinite(next.presented) ? Math.max(1, next.presented - f.presented) : 1;
    f.pos = next.pos - n / FPS;
    if (i === first - 1) f.pos = Math.min(f.pos, next.pos - next.frame / FPS - 1 / FPS);
  }
  return { frames: out, runs, ads };
}

// liveExpected lists the beacons a live play from session time join to
// session time to can judge: those of the ads and avails that started at
// or after join (a player joining mid-ad sends none of that ad's, or that
// break's, beacons), due by to.
export function liveExpected(polls, join, to) {
  const eps = 0.5 / FPS;
  const starts = new Map();
  for (const ad of adsOf(polls)) starts.set(`${ad.availId}|${ad.adId}`, ad.start);
  const availStart = new Map();
  for (const r of polls) {
    for (const a of (r && r.avails) || []) availStart.set(a.availId, isoSeconds(a.startTime, a.startTimeInSeconds));
  }
  return expectedBeacons(polls, join - eps, to).filter((w) => {
    const s = w.adId ? starts.get(`${w.availId}|${w.adId}`) : availStart.get(w.availId);
    return s >= join - eps;
  });
}

// liveProgress is evaluated in the on-screen page during a live play: the
// page's playhead readings (a clock sample for positions), the breaks
// shown so far (ad frames, then content again) and the content frames
// presented since the last of them.
export function liveProgress() {
  const st = window.e2e.state();
  let breaks = 0;
  let inAd = false;
  let after = 0;
  for (const f of window.onscreen.frames()) {
    if (f.asset.startsWith('ad-')) inAd = true;
    if (f.asset !== 'main') {
      after = 0;
      continue;
    }
    if (inAd) breaks++;
    inAd = false;
    after++;
  }
  return { media: st.media, session: st.session, breaks, after };
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
// clock, for a live play, is as for positions.
export function report({ frames, polls, want, records, rate = 1, clock }) {
  const { frames: pf, runs, ads } = positions(frames, polls, clock);
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
