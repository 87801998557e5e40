// Avail timeline of the QA page: every avail and ad from the tracking JSON
// as blocks on the session clock, each tracking event as a tick that turns
// solid once its beacon fired (red once a send of it failed), plus the
// playhead. Positions are CSS variables
// set through CSSOM so the page runs under a strict CSP.
//
// Live session time is not readable as is (DASH live counts seconds since
// MPD@availabilityStartTime: 28364820 s is "472747:00"), so a live axis is
// labelled from the position playback started at, and the clock adds the
// wall-clock time when the tracking JSON gives a way to know it.
//
// Where the frame codes of the bundled media are read (web/qa/onscreen.js),
// a mark shows where each ad's first frame actually appeared: at the
// session clock's reading when that frame was displayed.

import { secs } from './framematch.js';

// ACTS are the tracking events the viewer's or the creative's actions fire
// (pause, mute, clickTracking, skip, error …), not the playhead: MediaTailor
// lists them at the ad's start, where a hollow "due" tick would sit over
// the fired impression and start. They get no tick. The non-time rows of
// internal/beacon/rules.go; TestQATimelineActs keeps the two equal.
const ACTS = new Set(['pause', 'resume', 'mute', 'unmute', 'fullscreen', 'exitFullscreen', 'playerExpand', 'playerCollapse',
  'expand', 'collapse', 'rewind', 'clickTracking', 'clickThrough', 'customClick', 'otherAdInteraction', 'acceptInvitation',
  'acceptInvitationLinear', 'adExpand', 'adCollapse', 'minimize', 'skip', 'closeLinear', 'close', 'interactiveStart',
  'overlayViewDuration', 'notUsed', 'verificationNotExecuted', 'error']);

function div(cls) {
  const d = document.createElement('div');
  d.className = cls;
  return d;
}

// clockText formats t seconds as m:ss (h:mm:ss past an hour), signed;
// digits > 0 adds that many decimals to the seconds (m:ss.mmm). It
// truncates, as a player's controls do: 97.6 s, and hls.js' duration
// 97.999999, read 1:37 as in the <video>'s own controls. Only float noise
// (1e-9) is forgiven, so that a tick at 60 s computed as 59.99999999999999
// still reads 1:00.
export function clockText(t, digits = 0) {
  const neg = t < 0;
  const scale = 10 ** digits;
  const all = Math.floor(Math.abs(t) * scale + 1e-9);
  let s = Math.floor(all / scale);
  const frac = all - s * scale;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const ss = String(s).padStart(2, '0') + (digits ? `.${String(frac).padStart(digits, '0')}` : '');
  const body = h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
  return (neg && all !== 0 ? '−' : '') + body;
}

function wallText(epochSec, digits = 0) {
  return new Date(epochSec * 1000).toISOString().slice(11, digits ? 20 + digits : 19) + ' UTC';
}

// mergeEvents keeps every tracking event seen for an ad or break: a paged
// live poll lists only what is new, and would otherwise wipe the rest.
function mergeEvents(prev = [], next = []) {
  const key = (e) => `${e.eventType}@${e.startTimeInSeconds ?? e.startTime}`;
  const out = new Map(prev.map((e) => [key(e), e]));
  for (const e of next) out.set(key(e), e);
  return [...out.values()];
}

function mergeAds(prev = [], next = []) {
  const out = new Map(prev.map((ad) => [ad.adId, ad]));
  for (const ad of next) {
    const old = out.get(ad.adId);
    out.set(ad.adId, old ? { ...old, ...ad, trackingEvents: mergeEvents(old.trackingEvents, ad.trackingEvents) } : ad);
  }
  return [...out.values()];
}

// keepInside aligns an axis label that, centred on its tick, would stick
// out of the axis (the 0:00 at the left end, a tick near the right end) to
// the axis edge instead. ticks: [label, fraction of the axis].
function keepInside(axis, ticks) {
  const w = axis.clientWidth;
  if (!w) return; // not laid out (hidden): nothing to measure
  for (const [l, frac] of ticks) {
    const half = l.offsetWidth / 2;
    if (frac * w - half < 0) l.dataset.edge = 'start';
    else if (frac * w + half > w) l.dataset.edge = 'end';
  }
}

export function createTimeline({ track, avails, playhead, axis, clock }) {
  const known = new Map(); // availId → avail JSON (merged across polls)
  const firedKeys = new Map(); // adId|eventType → 'ok', or 'failed' once a send failed
  const watched = new Set();
  let dur = NaN;
  let live = false;
  let origin = NaN; // live: session time playback started at
  let wallOffset = NaN; // epoch seconds at session time 0, when known
  let ast = NaN; // DASH live: MPD@availabilityStartTime (epoch s), from the tracking JSON
  let head = 0;
  let range = [0, 60];
  let dirty = true;
  let firsts = []; // each ad's first presented frame (onscreen.js firstFrames)

  function computeRange() {
    if (!live && Number.isFinite(dur) && dur > 0) return [0, dur];
    // Live: a window around what is known and the playhead.
    let lo = head - 60;
    let hi = head + 60;
    for (const a of known.values()) {
      const s = secs(a.startTime, a.startTimeInSeconds);
      if (Number.isFinite(s)) {
        lo = Math.min(lo, s - 10);
        hi = Math.max(hi, s + secs(a.duration, a.durationInSeconds) + 10);
      }
    }
    lo = Math.max(lo, head - 120);
    hi = Math.min(hi, head + 180);
    return [Math.max(0, lo), Math.max(hi, lo + 30)];
  }

  function pos(t) {
    return (((t - range[0]) / (range[1] - range[0])) * 100).toFixed(3) + '%';
  }

  // label is what the axis and tooltips show for session time t.
  function label(t) {
    return live && Number.isFinite(origin) ? clockText(t - origin) : clockText(t);
  }

  function render() {
    dirty = false;
    range = computeRange();
    avails.replaceChildren();
    const span = range[1] - range[0];
    for (const a of known.values()) {
      const s = secs(a.startTime, a.startTimeInSeconds);
      const d = secs(a.duration, a.durationInSeconds);
      if (!Number.isFinite(s)) continue;
      const seen = watched.has(a.availId);
      const box = div('tl-avail');
      if (seen) box.dataset.watched = '';
      box.style.setProperty('--x', pos(s));
      box.style.setProperty('--w', ((Math.max(d, 0.5) / span) * 100).toFixed(3) + '%');
      box.title = `avail ${a.availId} · ${label(s)} (${s.toFixed(3)} s) + ${Number.isFinite(d) ? d.toFixed(3) : '?'} s${seen ? ' · watched' : ''}`;
      avails.append(box);
      for (const ad of a.ads || []) {
        const as = secs(ad.startTime, ad.startTimeInSeconds);
        const ad_ = secs(ad.duration, ad.durationInSeconds);
        if (!Number.isFinite(as)) continue;
        const b = div('tl-ad');
        if (seen) b.dataset.watched = '';
        b.style.setProperty('--x', pos(as));
        b.style.setProperty('--w', ((Math.max(ad_, 0.2) / span) * 100).toFixed(3) + '%');
        b.title = `ad ${ad.adId} ${ad.adTitle || ''} · ${label(as)} (${as.toFixed(3)} s)${ad.skipOffset ? ` · skip ${ad.skipOffset}` : ''}`;
        avails.append(b);
        for (const ev of ad.trackingEvents || []) {
          const es = secs(ev.startTime, ev.startTimeInSeconds);
          if (!Number.isFinite(es) || ACTS.has(ev.eventType)) continue;
          const tick = div('tl-ev');
          const sent = firedKeys.get(`${ad.adId}|${ev.eventType}`);
          if (sent === 'ok') tick.dataset.fired = '';
          else if (sent === 'failed') tick.dataset.failed = '';
          tick.style.setProperty('--x', pos(es));
          tick.title = `${ev.eventType} @ ${label(es)} (${es.toFixed(3)} s)`;
          avails.append(tick);
        }
      }
    }
    for (const f of firsts) {
      if (!Number.isFinite(f.session)) continue;
      const mark = div('tl-ff');
      // The session clock starts at 0: a pre-roll frame read below it is the
      // player's clock at startup (hls.js on MPEG-TS steps below 0 by the
      // AAC priming), not a time before the session, so it reads 0.
      const at = Math.max(f.session, 0);
      const off = (at - f.start) * 1000;
      mark.style.setProperty('--x', pos(at));
      mark.dataset.adId = f.adId;
      mark.title = `ad ${f.adId}: first frame (${f.asset}#${f.frame}) on screen at session ${at.toFixed(3)} s, `
        + `${Math.abs(off).toFixed(0)} ms ${off < 0 ? 'before' : 'after'} its tracking start ${f.start.toFixed(3)} s`;
      avails.append(mark);
    }
    axis.replaceChildren();
    const step = [5, 10, 15, 30, 60, 120, 300, 600].find((x) => span / x <= 8) || 1200;
    // Live ticks fall on whole steps from the origin so labels read 0:15, 0:30…
    const base = live && Number.isFinite(origin) ? origin : 0;
    const ticks = [];
    for (let t = base + Math.ceil((range[0] - base) / step) * step; t <= range[1]; t += step) {
      const l = document.createElement('span');
      l.style.setProperty('--x', pos(t));
      l.textContent = label(t);
      axis.append(l);
      ticks.push([l, (t - range[0]) / span]);
    }
    keepInside(axis, ticks);
    paintHead();
  }

  function paintHead() {
    playhead.style.setProperty('--x', pos(head));
    if (!live) {
      // The session clock sits a hair below 0 until the first frame: no "-0.00 s".
      const sec = `${(Math.abs(head) < 0.005 ? 0 : head).toFixed(2)} s`;
      clock.textContent = Number.isFinite(dur) ? `${clockText(head)} / ${clockText(dur)} · ${sec}` : sec;
      return;
    }
    // Until the first frame the playhead is the player's way to the live
    // edge (0, then seconds since availabilityStartTime on DASH): neither
    // it nor the wall time it would stand for means anything yet.
    if (!Number.isFinite(origin)) {
      clock.textContent = 'live · waiting for the first frame';
      return;
    }
    const wall = Number.isFinite(wallOffset) ? ` · ${wallText(wallOffset + head)}` : '';
    clock.textContent = `live · ${clockText(head - origin)} since start${wall}`;
  }

  function learnWallClock(json) {
    const a = json && json.dashAvailabilityStartTime;
    if (typeof a === 'string' && Number.isFinite(Date.parse(a))) {
      ast = Date.parse(a) / 1000;
      wallOffset = ast;
      return;
    }
    for (const a of (json && json.avails) || []) {
      const pdt = a && a.availProgramDateTime;
      const s = a && secs(a.startTime, a.startTimeInSeconds);
      if (typeof pdt === 'string' && Number.isFinite(Date.parse(pdt)) && Number.isFinite(s)) {
        wallOffset = Date.parse(pdt) / 1000 - s;
        return;
      }
    }
  }

  return {
    reset() {
      known.clear();
      firedKeys.clear();
      watched.clear();
      dur = NaN;
      live = false;
      origin = NaN;
      wallOffset = NaN;
      ast = NaN;
      head = 0;
      firsts = [];
      render();
    },
    // setFirstFrames marks where each ad's first frame appeared:
    // [{adId, start, session, asset, frame}], session the session clock's
    // reading at its display.
    setFirstFrames(list) {
      firsts = Array.isArray(list) ? list : [];
      dirty = true;
    },
    // setLive says whether the session is live; its axis then counts from
    // the first settled playhead given to setPlayhead.
    setLive(v) {
      live = !!v;
      dirty = true;
    },
    setTracking(json) {
      learnWallClock(json);
      for (const a of (json && json.avails) || []) {
        if (!a || a.availId === undefined) continue;
        const prev = known.get(a.availId);
        known.set(a.availId, prev
          ? { ...prev, ...a, ads: mergeAds(prev.ads, a.ads), adBreakTrackingEvents: mergeEvents(prev.adBreakTrackingEvents, a.adBreakTrackingEvents) }
          : a);
      }
      render();
    },
    setMarkers(list) {
      for (const m of list || []) if (m && m.watched && m.availId !== undefined) watched.add(m.availId);
      dirty = true;
    },
    // fired marks an event's tick: sent, or failed (failed once any send
    // of it failed: a beaconerror follows its beacon).
    fired(d, failed = false) {
      if (!d || !d.eventType) return;
      const k = `${d.adId}|${d.eventType}`;
      if (failed) firedKeys.set(k, 'failed');
      else if (!firedKeys.has(k)) firedKeys.set(k, 'ok');
      dirty = true;
    },
    // setPlayhead moves the playhead to session time t; d is the VOD
    // duration (NaN unknown). settled says the player shows a frame at t:
    // before that a live player may still report 0 on its way to the edge,
    // which must not become the origin.
    setPlayhead(t, d, settled = true) {
      if (!Number.isFinite(t)) return;
      head = t;
      if (live && !Number.isFinite(origin) && settled) {
        origin = Math.floor(t);
        dirty = true;
      }
      const nd = Number.isFinite(d) ? d : NaN;
      if (nd !== dur && !(Number.isNaN(nd) && Number.isNaN(dur))) {
        dur = nd;
        dirty = true;
      }
      if (live || !Number.isFinite(dur)) dirty = true; // live window slides
      if (dirty) render();
      else paintHead();
    },
    // timeText gives session time t as the live axis reads it, to the
    // millisecond: [time since playback started, its UTC wall time or ''];
    // null for VOD, or before the origin is known.
    timeText(t) {
      if (!live || !Number.isFinite(origin) || !Number.isFinite(t)) return null;
      return [clockText(t - origin, 3), Number.isFinite(wallOffset) ? wallText(wallOffset + t, 3) : ''];
    },
    get state() {
      return { live, origin, wallOffset, ast, range: [...range], avails: [...known.values()] };
    },
  };
}
