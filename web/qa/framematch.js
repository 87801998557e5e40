// Frame matcher of the QA page: which presented frame does each beacon
// describe, and when was it on screen?
//
// It is fed the frames web/qa/framecode.js reads (asset and frame number
// from the pixels, display time on the wall clock) and the tracking JSON.
// Every frame gets a session position: an ad frame n sits at its ad's start
// + n/FPS (the ad is the one whose start is nearest the session clock when
// the run of that asset began), any other frame continues the frame read
// just before it (content or slate after an ad). The frame a tracking time
// T describes is the first presented frame at or after T (half a frame of
// slack: tracking times are truncated to the millisecond): the ad's first
// frame for impression, start and breakStart, the frame k·duration/4 into
// the ad for quartiles, the first frame after the ad for complete and
// breakEnd — the frame where two consecutively read frames cross T. The
// page reads only near tracking times, so a crossing is recorded only when
// both frames around it were read in consecutive frame callbacks with no
// frame presented between them (presentedFrames: a busy page misses
// callbacks); otherwise the beacon's frame stays unknown rather than
// guessed, and so does a frame whose pixels do not match the media time its
// callback reports. Two such frames further apart than one frame mean the
// player skipped media: frames it dropped, or a jump over a hole in its
// buffer (hls.js seeks over one after a stall, see jump()). The viewer's
// first picture at or after a time inside the skipped stretch is the frame
// after it, so the beacon is measured against that frame, and the crossing
// says how much was skipped (jump), so the page can mark it. Frames read
// before the first tracking response (a pre-roll starts playing before it
// arrives) are kept and matched when it comes.
//
// Pure logic (no DOM): tests/node/qa-framematch.test.mjs drives it.

import { FPS } from './framecode.js';

const HALF = 0.5 / FPS;
// MISSES is how many frames without a code make the media "not bundled".
const MISSES = 30;
// NEAREST is how far (s) the session clock may be from an ad run's
// position for the run to be taken as that ad.
const NEAREST = 1.5;
// EARLY caps the frames kept until the first tracking response.
const EARLY = 900;
// MAX_JUMP (s) bounds a player's own skip over a buffer hole: hls.js jumps
// the hole plus 0.1 s, and a hole wider than this is a seek, not a hole.
const MAX_JUMP = 1;
// MAX_BOUND (s of session) bounds the stretch between two frames read
// around missed callbacks that still says when a time inside it was shown.
const MAX_BOUND = 1;

// secs reads a tracking time: the *InSeconds number, else the ISO duration.
export function secs(iso, n) {
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  if (typeof iso !== 'string') return NaN;
  const m = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso);
  if (!m) return NaN;
  return (Number(m[1]) || 0) * 3600 + (Number(m[2]) || 0) * 60 + (Number(m[3]) || 0);
}

const key = (t) => Math.round(t * 1000);

// createFrameMatcher returns an empty matcher; see the methods.
export function createFrameMatcher() {
  const ads = new Map(); // availId|adId → {availId, adId, start, end}
  let points = []; // sorted tracking times (s)
  const crossed = new Map(); // key(T) → {f: frame entry, jump: null | {ms, from}}
  // key(T) → {after, by}: T's first frame was shown after the frame read at
  // after and by the one read at by (ms epoch), but not read itself: the
  // page missed the callbacks of the frames between.
  const bounded = new Map();
  const firsts = new Map(); // availId|adId → first presented frame of the ad
  let codes = 'unknown'; // 'yes' once a code was read, 'no' when none shows
  let misses = 0;
  let prev = null; // last frame read (with pos)
  let run = null; // {asset, last, base, first, ad}
  const listeners = new Set();
  let tracked = false; // a tracking response was given
  let early = []; // frames read before it
  let jumping = false; // the player seeked over a hole since prev was read

  function addPoint(t, set) {
    if (Number.isFinite(t) && t >= 0) set.add(key(t));
  }

  function nearestAd(pos0, t) {
    let best = null;
    for (const ad of ads.values()) {
      const d = Math.abs(ad.start + pos0 - t);
      if (d < NEAREST && (!best || d < best.d)) best = { ad, d };
    }
    return best && best.ad;
  }

  // firstAt returns the index of the first point ≥ t.
  function firstAt(t) {
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (points[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // cross records f as the first frame shown at or after every point T
  // with from < T − HALF ≤ to (to: f's position, or the most that is known
  // of it). skip: {s, from} when media between the frame at from and f was
  // never presented; a point whose own frame lies in that stretch carries it.
  // missed says the frame before entry was read in the callback before
  // its own, with frames presented between them that the page got no
  // callback for (a busy page; at 4× most callbacks are missed).
  function missed(entry) {
    return !!prev && entry.seq === prev.seq + 1 && Number.isFinite(entry.presented) && Number.isFinite(prev.presented)
      && entry.presented > prev.presented + 1;
  }

  // bound records, for every point T between a and b's positions whose
  // first frame is not a or b, that it was shown after a and by b.
  function bound(a, b) {
    let changed = false;
    for (let i = firstAt(a.pos + HALF + 1e-9); i < points.length && points[i] - HALF <= b.pos + 1e-9; i++) {
      const k = key(points[i]);
      if (crossed.has(k) || bounded.has(k) || Math.abs(b.pos - points[i]) <= HALF + 1e-9) continue;
      bounded.set(k, { after: a.at, by: b.at });
      changed = true;
    }
    return changed;
  }

  function cross(from, to, f, skip) {
    let changed = false;
    for (let i = firstAt(from + HALF + 1e-9); i < points.length && points[i] - HALF <= to + 1e-9; i++) {
      const k = key(points[i]);
      if (crossed.has(k)) continue;
      // Frame of the point itself shown (f at T): not a jump for that point.
      const own = to === f.pos && Math.abs(f.pos - points[i]) <= HALF + 1e-9;
      crossed.set(k, { f, jump: skip && !own ? { ms: skip.s * 1000, from: skip.from } : null });
      changed = true;
    }
    return changed;
  }

  const api = {
    // setTracking merges one tracking response's avails and ads.
    setTracking(json) {
      const set = new Set(points.map(key));
      for (const a of (json && json.avails) || []) {
        if (!a) continue;
        const as = secs(a.startTime, a.startTimeInSeconds);
        addPoint(as, set);
        addPoint(as + secs(a.duration, a.durationInSeconds), set);
        for (const ev of a.adBreakTrackingEvents || []) addPoint(secs(ev.startTime, ev.startTimeInSeconds), set);
        for (const ad of a.ads || []) {
          const s = secs(ad.startTime, ad.startTimeInSeconds);
          const d = secs(ad.duration, ad.durationInSeconds);
          if (!Number.isFinite(s)) continue;
          ads.set(`${a.availId}|${ad.adId}`, { availId: String(a.availId), adId: String(ad.adId), start: s, end: s + (Number.isFinite(d) ? d : 0) });
          addPoint(s, set);
          addPoint(s + d, set);
          for (const ev of ad.trackingEvents || []) addPoint(secs(ev.startTime, ev.startTimeInSeconds), set);
        }
      }
      points = [...set].sort((x, y) => x - y).map((k) => k / 1000);
      tracked = true;
      const kept = early;
      early = [];
      for (const e of kept) api.frame(e);
    },

    // tracked says whether a tracking response was given: until then the
    // page reads every frame.
    get tracked() {
      return tracked;
    },

    // near says whether session time t is within w seconds of a tracking
    // time: the page reads frames only there.
    near(t, w) {
      if (!points.length || !Number.isFinite(t)) return false;
      const i = firstAt(t - w);
      return i < points.length && points[i] <= t + w;
    },

    // frame takes one read frame: entry as web/qa/framecode.js gives it
    // (code null when the picture has none), plus session, the session
    // clock at its display time.
    frame(entry) {
      if (!tracked) {
        if (early.length < EARLY) early.push(entry);
        return;
      }
      if (!entry.code) {
        prev = null;
        if (codes !== 'yes' && ++misses >= MISSES) codes = 'no';
        return;
      }
      codes = 'yes';
      // Read in consecutive callbacks, and no frame presented between them
      // without a callback (a busy page misses some: presentedFrames jumps).
      let contiguous = !!prev && entry.seq === prev.seq + 1
        && (!Number.isFinite(entry.presented) || !Number.isFinite(prev.presented) || entry.presented === prev.presented + 1);
      // After the player's seek over a hole, the frame it lands on carries
      // on from prev only if it is that landing: presented right after prev
      // and a little ahead of it; anything else was a seek after all.
      const jumped = jumping;
      jumping = false;
      if (jumped && !(contiguous && entry.mediaTime > prev.mediaTime && entry.mediaTime - prev.mediaTime <= MAX_JUMP)) {
        api.discontinuity();
        contiguous = false;
      }
      const isAd = entry.asset.startsWith('ad-');
      const newRun = !run || entry.asset !== run.asset || entry.frame < run.last;
      if (!newRun && prev && prev.asset === entry.asset && Number.isFinite(entry.mediaTime) && Number.isFinite(prev.mediaTime)
        && Math.abs((entry.frame - prev.frame) / FPS - (entry.mediaTime - prev.mediaTime)) > HALF) {
        // The pixels are not of the frame the callback reports (a busy main
        // thread drew a later one): its display time is not this frame's.
        prev = null;
        return;
      }
      // landing: where a content or slate run entered by a jump over a hole
      // starts at the earliest (its frame numbers do not say where it sits
      // in the session): the end of the ad before it, else the frame after
      // prev. Its frames get no position: it stays unknown.
      let landing = NaN;
      if (newRun) {
        const ad = isAd ? nearestAd(entry.frame / FPS, entry.session) : null;
        let base = NaN;
        if (isAd) base = ad ? ad.start : NaN;
        else if (contiguous && Number.isFinite(prev.pos)) {
          if (jumped) landing = Math.max(prev.pos + 1 / FPS, prev.ad ? prev.ad.end : -Infinity);
          else base = prev.pos + 1 / FPS;
        }
        run = { asset: entry.asset, last: entry.frame, base, first: isAd ? 0 : entry.frame, ad };
      }
      run.last = entry.frame;
      const f = { ...entry, pos: run.base + (entry.frame - run.first) / FPS, ad: run.ad };
      let changed = false;
      // The ad's first presented frame: read right after a frame of another
      // run, its frame 0 at playback start or after a seek, or the first
      // frame the element presented at all (hls.js on TS starts a pre-roll
      // at its frame 3 and shows nothing before it).
      const adFirst = newRun && run.ad && (contiguous || entry.frame === 0 || entry.presented === 1);
      if (adFirst && !firsts.has(`${run.ad.availId}|${run.ad.adId}`)) {
        firsts.set(`${run.ad.availId}|${run.ad.adId}`, f);
        changed = true;
      }
      const to = Number.isFinite(f.pos) ? f.pos : landing;
      if (Number.isFinite(to)) {
        const from = contiguous && Number.isFinite(prev.pos) ? prev.pos : adFirst ? run.ad.start - 1 / FPS : NaN;
        // Skipped: the media time between the frame shown before and this
        // one, less a frame (at a discontinuity it counts the timestamps'
        // own gap too); with none before, the ad's frames before this one.
        const s = contiguous ? entry.mediaTime - prev.mediaTime - 1 / FPS : f.pos - from - 1 / FPS;
        const skip = s > HALF ? { s, from: contiguous ? `${prev.asset}#${prev.frame}` : '' } : null;
        if (Number.isFinite(from)) changed = cross(from, to, f, skip) || changed;
        else if (missed(entry) && Number.isFinite(prev.pos) && Number.isFinite(f.pos) && f.pos > prev.pos && f.pos - prev.pos <= MAX_BOUND) {
          changed = bound(prev, f) || changed;
        }
      }
      prev = f;
      if (changed) for (const fn of listeners) fn();
    },

    // discontinuity forgets the last frame (a seek): no crossing spans it.
    discontinuity() {
      prev = null;
      run = null;
      jumping = false;
    },

    // jump says the player itself seeked forward over a hole in its buffer
    // (stalled at the hole's start): unlike a viewer's seek, which the
    // plugin may snap back from, the frame it lands on is the next picture
    // the viewer sees. Checked against that frame (see frame()).
    jump() {
      if (prev) jumping = true;
    },

    // frameFor returns the presented frame that describes tracking time t
    // (null while unknown); jump {ms, from} when the player skipped the
    // media at t, and the frame is the first one shown after the skip
    // (from: the frame shown before it, '' at the start of playback).
    frameFor(t) {
      if (!Number.isFinite(t) || t < 0) return null;
      for (const k of [key(t), key(t) - 1, key(t) + 1]) {
        const c = crossed.get(k);
        if (c) return c.jump ? { ...c.f, jump: c.jump } : c.f;
      }
      return null;
    },

    // rangeFor returns {after, by} (ms epoch) for tracking time t when its
    // frame was not read but was shown between two frames that were (the
    // page missed the callbacks between): null otherwise.
    rangeFor(t) {
      if (!Number.isFinite(t) || t < 0) return null;
      for (const k of [key(t), key(t) - 1, key(t) + 1]) {
        const b = bounded.get(k);
        if (b) return { ...b };
      }
      return null;
    },

    // firstFrames lists each ad's first presented frame with its ad.
    firstFrames() {
      return [...firsts.values()].map((f) => ({ ...f.ad, at: f.at, session: f.session, asset: f.asset, frame: f.frame }));
    },

    // codes is 'yes' once a frame code was read, 'no' when the media
    // carries none (not the bundled media), 'unknown' before.
    get codes() {
      return codes;
    },

    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },

    reset() {
      ads.clear();
      points = [];
      crossed.clear();
      bounded.clear();
      firsts.clear();
      codes = 'unknown';
      misses = 0;
      prev = null;
      run = null;
      tracked = false;
      early = [];
      jumping = false;
    },
  };
  return api;
}
