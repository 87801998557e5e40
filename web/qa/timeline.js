// Avail timeline of the QA page: every avail and ad from the tracking JSON
// as blocks on the session clock, each tracking event as a tick that turns
// solid once its beacon fired, plus the playhead. Positions are CSS variables
// set through CSSOM so the page runs under a strict CSP.

function secs(iso, n) {
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  if (typeof iso !== 'string') return NaN;
  const m = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso);
  if (!m) return NaN;
  return (Number(m[1]) || 0) * 3600 + (Number(m[2]) || 0) * 60 + (Number(m[3]) || 0);
}

function div(cls) {
  const d = document.createElement('div');
  d.className = cls;
  return d;
}

export function createTimeline({ track, avails, playhead, axis, clock }) {
  const known = new Map(); // availId → avail JSON (merged across polls)
  const firedKeys = new Set();
  const watched = new Set();
  let dur = NaN;
  let head = 0;
  let range = [0, 60];
  let dirty = true;

  function computeRange() {
    if (Number.isFinite(dur) && dur > 0) return [0, dur];
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
    return [Math.max(0, lo), Math.max(hi, lo + 30)];
  }

  function pos(t) {
    return (((t - range[0]) / (range[1] - range[0])) * 100).toFixed(3) + '%';
  }

  function render() {
    dirty = false;
    range = computeRange();
    avails.replaceChildren();
    for (const a of known.values()) {
      const s = secs(a.startTime, a.startTimeInSeconds);
      const d = secs(a.duration, a.durationInSeconds);
      if (!Number.isFinite(s)) continue;
      const box = div('tl-avail');
      if (watched.has(a.availId)) box.dataset.watched = '';
      box.style.setProperty('--x', pos(s));
      box.style.setProperty('--w', (((Math.max(d, 0.5)) / (range[1] - range[0])) * 100).toFixed(3) + '%');
      box.title = `avail ${a.availId} · ${s.toFixed(3)} s + ${Number.isFinite(d) ? d.toFixed(3) : '?'} s`;
      avails.append(box);
      for (const ad of a.ads || []) {
        const as = secs(ad.startTime, ad.startTimeInSeconds);
        const ad_ = secs(ad.duration, ad.durationInSeconds);
        if (!Number.isFinite(as)) continue;
        const b = div('tl-ad');
        b.style.setProperty('--x', pos(as));
        b.style.setProperty('--w', ((Math.max(ad_, 0.2) / (range[1] - range[0])) * 100).toFixed(3) + '%');
        b.title = `ad ${ad.adId} ${ad.adTitle || ''} · ${as.toFixed(3)} s${ad.skipOffset ? ` · skip ${ad.skipOffset}` : ''}`;
        avails.append(b);
        for (const ev of ad.trackingEvents || []) {
          const es = secs(ev.startTime, ev.startTimeInSeconds);
          if (!Number.isFinite(es)) continue;
          const tick = div('tl-ev');
          if (firedKeys.has(`${ad.adId}|${ev.eventType}`)) tick.dataset.fired = '';
          tick.style.setProperty('--x', pos(es));
          tick.title = `${ev.eventType} @ ${es.toFixed(3)} s`;
          avails.append(tick);
        }
      }
    }
    axis.replaceChildren();
    const span = range[1] - range[0];
    const step = [5, 10, 15, 30, 60, 120, 300, 600].find((x) => span / x <= 8) || 1200;
    for (let t = Math.ceil(range[0] / step) * step; t <= range[1]; t += step) {
      const l = document.createElement('span');
      l.style.setProperty('--x', pos(t));
      l.textContent = `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, '0')}`;
      axis.append(l);
    }
    paintHead();
  }

  function paintHead() {
    playhead.style.setProperty('--x', pos(head));
    clock.textContent = `${head.toFixed(2)} s${Number.isFinite(dur) ? ` / ${dur.toFixed(1)} s` : ' · live'}`;
  }

  return {
    reset() {
      known.clear();
      firedKeys.clear();
      watched.clear();
      dur = NaN;
      head = 0;
      render();
    },
    setTracking(json) {
      for (const a of (json && json.avails) || []) {
        if (!a || a.availId === undefined) continue;
        const prev = known.get(a.availId);
        known.set(a.availId, prev ? { ...prev, ...a, ads: a.ads && a.ads.length ? a.ads : prev.ads } : a);
      }
      render();
    },
    setMarkers(list) {
      for (const m of list || []) if (m && m.watched && m.availId !== undefined) watched.add(m.availId);
      dirty = true;
    },
    fired(d) {
      if (d && d.eventType) firedKeys.add(`${d.adId}|${d.eventType}`);
      dirty = true;
    },
    setPlayhead(t, d) {
      head = t;
      const nd = Number.isFinite(d) ? d : NaN;
      if (nd !== dur && !(Number.isNaN(nd) && Number.isNaN(dur))) {
        dur = nd;
        dirty = true;
      }
      if (!Number.isFinite(dur)) dirty = true; // live window slides
      if (dirty) render();
      else paintHead();
    },
  };
}
