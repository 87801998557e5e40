// Ad UI overlay: countdown ("Ad 2 of 3 · 0:12"), Skip after skipOffset,
// "Learn more", the upcoming-break notice and a seek bar with avail markers.
//
// The overlay is pure DOM driven by session events and session.ui(); it owns
// no ad logic. Skip, click-through and seeks go back through the session so
// the core decides (and fires skip / clickTracking). It needs no inline
// styles: layout is in availkit.css and positions are CSS variables set via
// CSSOM, which a strict style-src CSP allows.

import { defaultStrings, format, clock } from './strings.js';
import { SESSION_EVENTS } from '../core/events.js';

function el(tag, cls, attrs) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
  return e;
}

function num(...vals) {
  for (const v of vals) if (typeof v === 'number' && Number.isFinite(v)) return v;
  return NaN;
}

// readUI normalises session.ui() so the overlay tolerates a core that leaves
// fields out (no ad → most are absent).
export function readUI(session) {
  let u = null;
  try {
    u = session.ui();
  } catch {
    return null;
  }
  if (!u) return null;
  const index = num(u.adIndex, u.index);
  const count = num(u.adCount, u.count);
  return {
    inAd: !!(u.inAd ?? u.active ?? (count > 0 && index >= 0)),
    index,
    count,
    adRemaining: num(u.adRemaining, u.remaining),
    breakRemaining: num(u.breakRemaining),
    // The core reports skipIn −1 for an ad that cannot be skipped, > 0 while
    // Skip counts down and 0 (skippable true) once it may be pressed.
    skipIn: num(u.skipIn),
    canSkip: !!(u.skippable && !(u.skipIn > 0)),
    upcomingIn: num(u.upcomingIn),
    clickThrough: !!(u.clickThrough || u.hasClickThrough),
  };
}

// createAdOverlay builds the overlay inside container, which the host must
// stack over the video (position it; the overlay fills it). opts.strings
// replaces any of the default strings, opts.theme sets --ak-* variables (keys
// with or without the "--ak-" prefix), opts.seekBar:false hides the bar.
// The caller must call destroy(), which removes every node, listener and
// frame callback the overlay made.
export function createAdOverlay(container, session, opts = {}) {
  const S = { ...defaultStrings, ...(opts.strings || {}) };
  const root = el('div', 'ak-overlay', { role: 'region', 'aria-label': S.region, 'data-state': 'idle' });
  if (opts.theme) {
    for (const [k, v] of Object.entries(opts.theme)) root.style.setProperty(k.startsWith('--') ? k : `--ak-${k}`, String(v));
  }

  const top = el('div', 'ak-top');
  const badge = el('div', 'ak-badge', { 'aria-live': 'polite', 'aria-atomic': 'true' });
  const badgeLabel = el('span', 'ak-badge-label');
  const badgeSep = el('span', 'ak-badge-sep', { 'aria-hidden': 'true' });
  const badgeTime = el('span', 'ak-badge-time', { 'aria-hidden': 'true' });
  badge.append(badgeLabel, badgeSep, badgeTime);
  const learn = el('button', 'ak-btn ak-learn', { type: 'button', 'aria-label': S.learnMoreLabel, hidden: '' });
  learn.textContent = S.learnMore;
  top.append(badge, learn);

  const upcoming = el('div', 'ak-upcoming', { role: 'status', hidden: '' });

  const skip = el('button', 'ak-btn ak-skip', { type: 'button', hidden: '', 'aria-disabled': 'true' });

  const bar = el('div', 'ak-bar', { role: 'slider', tabindex: '0', 'aria-label': S.seekBar, 'aria-valuemin': '0' });
  const track = el('div', 'ak-bar-track');
  const played = el('div', 'ak-bar-played');
  const marks = el('div', 'ak-bar-marks');
  const thumb = el('div', 'ak-bar-thumb');
  track.append(played, marks, thumb);
  bar.append(track);
  if (opts.seekBar === false) bar.hidden = true;

  root.append(top, upcoming, skip, bar);
  container.append(root);

  const video = session.video || null;
  let state = 'idle';
  let raf = 0;
  let lastBadge = '';
  let lastSkip = '';
  let lastUpcoming = '';
  let upcomingAt = NaN; // session time of the announced break
  let resumeNote = ''; // after a snapback: where playback goes on after the break
  let dragging = false;
  let dragFrac = 0;
  let destroyed = false;
  // While a VPAID unit runs, the content video under it is paused, so the
  // core's ad clock stands still: the countdown comes from the unit's own
  // remaining time (vpaidprogress), counted down between its reports.
  let vpaid = null; // {remaining (s, NaN unknown), at (performance.now() of the report)}
  // A SIMID creative granted more time than its stitched media (VOD
  // requestChangeAdDuration): the countdown follows the granted duration,
  // through the hold at the media end (simidprogress, web/simid/duration.js).
  let simid = null; // {remaining, at, holding}

  function now() {
    const t = session.currentTime;
    if (typeof t === 'number' && Number.isFinite(t)) return t;
    return video ? video.currentTime : 0;
  }
  function duration() {
    const d = session.duration;
    if (d === Infinity) return NaN; // live: no VOD seek bar
    if (typeof d === 'number' && Number.isFinite(d) && d > 0) return d;
    return video && Number.isFinite(video.duration) ? video.duration : NaN;
  }

  function setState(s) {
    if (state === s) return;
    state = s;
    root.dataset.state = s;
    if (s !== 'idle') loop();
  }

  function renderAd(u) {
    // Index 0 is the break's fill (slate after the last ad): no ad is playing.
    const label = u.index < 1 ? S.adBreak : u.count > 1 ? format(S.adOf, { index: u.index, count: u.count }) : S.adSingle;
    let rem = Number.isFinite(u.breakRemaining) ? u.breakRemaining : u.adRemaining;
    const unit = vpaid || simid;
    if (unit && Number.isFinite(unit.remaining)) {
      // Counted down between reports while the unit's clock runs alone (a
      // VPAID unit, a SIMID hold); a playing SIMID ad reports each timeupdate.
      const running = unit === vpaid || unit.holding;
      const left = Math.max(0, unit.remaining - (running ? (performance.now() - unit.at) / 1000 : 0));
      // The rest of the break after this ad still counts.
      const after = Number.isFinite(u.breakRemaining) && Number.isFinite(u.adRemaining) ? Math.max(0, u.breakRemaining - u.adRemaining) : 0;
      rem = left + after;
    }
    const text = `${label}|${clock(rem, true)}`;
    if (text !== lastBadge) {
      lastBadge = text;
      badgeLabel.textContent = label;
      badgeSep.textContent = S.separator;
      badgeTime.textContent = clock(rem, true);
    }
    let sk = 'hidden';
    // A VPAID unit draws its own click-through; our Skip shows once the
    // unit says it may be skipped (adSkippableState) and asks it to skipAd.
    if (vpaid) sk = vpaid.skippable ? 'ready' : 'hidden';
    else if (u.canSkip) sk = 'ready';
    else if (u.skipIn > 0) sk = `wait:${Math.ceil(u.skipIn - 1e-3)}`;
    if (sk !== lastSkip) {
      const wasReady = lastSkip === 'ready';
      lastSkip = sk;
      skip.hidden = sk === 'hidden';
      if (sk === 'ready') {
        skip.textContent = S.skip;
        skip.setAttribute('aria-label', S.skipLabel);
        skip.setAttribute('aria-disabled', 'false');
        skip.dataset.ready = '';
        // Keyboard users land on the control that just became useful.
        if (!wasReady && opts.focusSkip !== false && root.contains(document.activeElement)) skip.focus();
      } else if (sk !== 'hidden') {
        const s = sk.slice(5);
        skip.textContent = format(S.skipIn, { s });
        skip.setAttribute('aria-label', format(S.skipInLabel, { s }));
        skip.setAttribute('aria-disabled', 'true');
        delete skip.dataset.ready;
      }
    }
    learn.hidden = !u.clickThrough || !!vpaid;
  }

  function renderUpcoming(u) {
    const left = u && Number.isFinite(u.upcomingIn) ? u.upcomingIn : upcomingAt - now();
    // Whole seconds, as the notice reads; under a millisecond left is the
    // break itself (a pre-roll's playhead is held just short of 0 until its
    // first frame shows), not "Ad break in 0".
    const secs = Math.ceil(left - 1e-3);
    if (!Number.isFinite(secs) || secs < 1) {
      if (state === 'upcoming') setState('idle');
      upcoming.hidden = true;
      lastUpcoming = '';
      return;
    }
    const text = format(S.upcoming, { s: secs });
    if (text !== lastUpcoming) {
      lastUpcoming = text;
      upcoming.textContent = text;
    }
    upcoming.hidden = false;
  }

  function renderBar() {
    if (bar.hidden) return;
    const d = duration();
    const live = !Number.isFinite(d);
    root.classList.toggle('ak-live', live);
    if (live) return;
    const t = dragging ? dragFrac * d : now();
    const f = Math.max(0, Math.min(1, t / d));
    track.style.setProperty('--ak-played', (f * 100).toFixed(3) + '%');
    bar.setAttribute('aria-valuemax', d.toFixed(0));
    bar.setAttribute('aria-valuenow', t.toFixed(0));
    bar.setAttribute('aria-valuetext', format(S.seekValue, { time: clock(t), duration: clock(d) }));
  }

  function renderMarkers() {
    const d = duration();
    let list = [];
    try {
      list = (session.markers && session.markers()) || [];
    } catch {
      list = [];
    }
    marks.replaceChildren();
    if (!Number.isFinite(d) || d <= 0) return;
    for (const m of list) {
      const start = num(m.start, m.startTime);
      const dur = num(m.duration, 0);
      if (!Number.isFinite(start)) continue;
      const mk = el('span', 'ak-bar-marker', {
        role: 'img',
        'aria-label': format(m.watched ? S.markerWatched : S.marker, { time: clock(start) }),
      });
      if (m.watched) mk.dataset.watched = '';
      mk.style.setProperty('--ak-at', ((start / d) * 100).toFixed(3) + '%');
      mk.style.setProperty('--ak-span', ((Math.max(dur, 0) / d) * 100).toFixed(3) + '%');
      marks.append(mk);
    }
  }

  function render() {
    const u = readUI(session);
    if (state === 'ad' || (u && u.inAd)) {
      if (u && u.inAd) {
        if (state !== 'ad') setState('ad');
        renderAd(u);
      } else if (simid && simid.holding) {
        renderAd({ index: 1, count: 1, breakRemaining: NaN, adRemaining: NaN, canSkip: false, skipIn: 0, clickThrough: '' });
      }
      // A seek sent back to a break says why, and where it will go on.
      upcoming.hidden = !resumeNote;
      if (resumeNote && upcoming.textContent !== resumeNote) upcoming.textContent = resumeNote;
    } else if (state === 'upcoming') {
      renderUpcoming(u);
    }
    renderBar();
  }

  // loop runs on animation frames only while something counts down, so an
  // idle overlay costs nothing.
  function loop() {
    if (raf || destroyed) return;
    const step = () => {
      raf = 0;
      if (destroyed) return;
      render();
      if (state !== 'idle') raf = requestAnimationFrame(step);
    };
    raf = requestAnimationFrame(step);
  }

  const handlers = {
    adbreakupcoming(e) {
      const d = e.detail || {};
      upcomingAt = num(d.startTime, d.start, now() + num(d.in, d.lead));
      if (state === 'idle') setState('upcoming');
    },
    adbreakstart() {
      upcoming.hidden = true;
      setState('ad');
    },
    adstart(e) {
      const d = e.detail || {};
      simid = null;
      lastSkip = '';
      learn.hidden = !d.clickThrough;
      setState('ad');
    },
    adskippable() {
      lastSkip = '';
      render();
    },
    adprogress() {
      if (state === 'ad' && !raf) render();
    },
    adend() {
      skip.hidden = true;
      lastSkip = '';
    },
    vpaidstart() {
      vpaid = { remaining: NaN, at: performance.now() };
      root.dataset.vpaid = '';
      learn.hidden = true;
      setState('ad');
      render();
    },
    simidprogress(e) {
      const d = e.detail || {};
      simid = { remaining: num(d.remaining), at: performance.now(), holding: d.holding === true };
      if (simid.holding) setState('ad');
      if (state === 'ad' && !raf) render();
    },
    simidstate(e) {
      if (!e.detail || e.detail.phase !== 'done' || !simid) return;
      simid = null;
      lastBadge = '';
      const u = readUI(session);
      if (!(u && u.inAd)) setState('idle');
    },
    vpaidprogress(e) {
      const d = e.detail || {};
      if (!vpaid) return;
      vpaid = { remaining: num(d.remaining), at: performance.now(), skippable: d.skippable === true };
      lastSkip = '';
      if (state === 'ad' && !raf) render();
    },
    vpaidend() {
      vpaid = null;
      delete root.dataset.vpaid;
      lastBadge = '';
      render();
    },
    adbreakend() {
      resumeNote = '';
      upcoming.hidden = true;
      vpaid = null;
      delete root.dataset.vpaid;
      skip.hidden = true;
      learn.hidden = true;
      lastBadge = '';
      lastSkip = '';
      setState('idle');
      renderMarkers();
    },
    trackingupdate() {
      renderMarkers();
    },
    ready() {
      renderMarkers();
    },
    snapback(e) {
      const d = e.detail || {};
      resumeNote = Number.isFinite(d.resumeAt) && d.resumeAt >= 0 ? format(S.resumeAfter, { time: clock(d.resumeAt) }) : '';
      renderBar();
    },
  };
  // The handlers' names are session event types (core/events.js); a name
  // that is not one would never be called.
  const subscribed = SESSION_EVENTS.filter((n) => n in handlers);
  for (const n of subscribed) session.addEventListener(n, handlers[n]);

  function onSkip() {
    if (skip.getAttribute('aria-disabled') === 'true') return;
    session.skip();
  }
  function onLearn(ev) {
    session.clickThrough(ev); // the click's position feeds [CLICKPOS]
  }

  function fracAt(ev) {
    const r = track.getBoundingClientRect();
    return r.width > 0 ? Math.max(0, Math.min(1, (ev.clientX - r.left) / r.width)) : 0;
  }
  // Dragging only previews; the seek is asked for once, on release, so a
  // scrub across an avail does not trigger snap-back half way.
  function onDown(ev) {
    if (ev.button !== 0 || !Number.isFinite(duration())) return;
    dragging = true;
    dragFrac = fracAt(ev);
    bar.setPointerCapture?.(ev.pointerId);
    bar.dataset.dragging = '';
    renderBar();
  }
  function onMove(ev) {
    if (!dragging) return;
    dragFrac = fracAt(ev);
    renderBar();
  }
  function onUp(ev) {
    if (!dragging) return;
    dragging = false;
    delete bar.dataset.dragging;
    dragFrac = fracAt(ev);
    session.seek(dragFrac * duration());
    renderBar();
  }
  function onKey(ev) {
    const d = duration();
    if (!Number.isFinite(d)) return;
    const t = now();
    let to = NaN;
    if (ev.key === 'ArrowRight') to = t + 5;
    else if (ev.key === 'ArrowLeft') to = t - 5;
    else if (ev.key === 'PageUp') to = t + 30;
    else if (ev.key === 'PageDown') to = t - 30;
    else if (ev.key === 'Home') to = 0;
    else if (ev.key === 'End') to = d - 0.5;
    if (!Number.isFinite(to)) return;
    ev.preventDefault();
    session.seek(Math.max(0, Math.min(d, to)));
  }
  function onTime() {
    if (state === 'idle') renderBar();
  }
  function onMeta() {
    renderMarkers();
    renderBar();
  }

  const domSubs = [
    [skip, 'click', onSkip],
    [learn, 'click', onLearn],
    [bar, 'pointerdown', onDown],
    [bar, 'pointermove', onMove],
    [bar, 'pointerup', onUp],
    [bar, 'pointercancel', onUp],
    [bar, 'keydown', onKey],
  ];
  if (video) {
    domSubs.push([video, 'timeupdate', onTime], [video, 'durationchange', onMeta]);
  }
  for (const [t, n, f] of domSubs) t.addEventListener(n, f);

  renderMarkers();
  render();

  return {
    element: root,
    // refresh re-reads markers and state, for hosts that change the stream.
    refresh() {
      renderMarkers();
      render();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (raf) cancelAnimationFrame(raf);
      raf = 0;
      for (const n of subscribed) session.removeEventListener(n, handlers[n]);
      for (const [t, n, f] of domSubs) t.removeEventListener(n, f);
      root.remove();
    },
  };
}

export default createAdOverlay;
