// Event log of the QA page: newest last, capped so a long live run stays
// responsive. adprogress and vpaidprogress are hidden unless asked for; they
// fire many times a second and would drown everything else.

const CAP = 400;

// FIRST lists, per event type, the detail keys a tester looks for first;
// the rest follow in detail order. Without it a snapback line showed its
// avail fields and cut off from/to/resumeAt, the point of the event.
const FIRST = {
  snapback: ['from', 'to', 'resumeAt'],
  beacon: ['eventType', 'scheduledTime', 'playhead', 'adId'],
  beaconerror: ['eventType', 'attempts', 'message', 'url'],
  adstart: ['index', 'count', 'adId', 'duration', 'skipOffset'],
  adbreakstart: ['availId', 'count', 'duration'],
  adbreakupcoming: ['availId', 'start', 'duration'],
  adskippable: ['adId', 'skipOffset'],
  error: ['kind', 'source', 'status', 'message'],
  seekrequest: ['to', 'resumeAt', 'reason'],
  trackingupdate: ['avails', 'newAvails', 'newAds', 'newEvents', 'bytes'],
};

// TIMES are the detail keys that hold session time. On live they read as
// the timeline and the beacon log read them, time since playback started
// and its UTC wall time (opts.timeText): on DASH live the raw seconds count
// from MPD@availabilityStartTime, scheduledTime=29263094 to a tester. -1
// (no schedule, no resume) and VOD stay seconds; the row's title keeps the
// raw detail.
const TIMES = new Set(['scheduledTime', 'playhead', 'start', 'from', 'to', 'resumeAt']);

function timeValue(v, timeText) {
  const parts = timeText && typeof v === 'number' && v >= 0 ? timeText(v) : null;
  if (!parts) return null;
  return parts[1] ? `${parts[0]} (${parts[1]})` : parts[0];
}

function brief(type, d, timeText) {
  if (!d || typeof d !== 'object') return String(d ?? '');
  const first = FIRST[type] || [];
  const keys = [...new Set([...first.filter((k) => k in d), ...Object.keys(d)])];
  const parts = [];
  for (const k of keys) {
    const v = d[k];
    if (v === null || v === undefined || v === '' || typeof v === 'object') continue;
    let text = (TIMES.has(k) && timeValue(v, timeText)) || (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : String(v));
    // Long side fields (raw bodies, URLs) are cut; the row's title has them whole.
    if (text.length > 60 && !first.includes(k)) text = `${text.slice(0, 59)}…`;
    parts.push(`${k}=${text}`);
    if (parts.length >= 6) break;
  }
  return parts.join(' ');
}

// createEventLog fills list; opts.timeText(t) returns [main, sub] texts
// for a session time, or null for plain seconds (the beacon log's reading).
export function createEventLog(list, progressToggle, opts = {}) {
  const t0 = { v: performance.now() };
  return {
    reset() {
      list.replaceChildren();
      t0.v = performance.now();
    },
    // elapsed is the log's clock: seconds since its reset.
    elapsed() {
      return (performance.now() - t0.v) / 1000;
    },
    add(type, detail) {
      if ((type === 'adprogress' || type === 'vpaidprogress') && !(progressToggle && progressToggle.checked)) return;
      const li = document.createElement('li');
      li.dataset.type = type;
      const t = document.createElement('time');
      t.textContent = ((performance.now() - t0.v) / 1000).toFixed(2);
      const n = document.createElement('b');
      n.textContent = type;
      const s = document.createElement('span');
      s.textContent = brief(type, detail, opts.timeText);
      li.title = JSON.stringify(detail);
      li.append(t, n, s);
      list.append(li);
      while (list.childElementCount > CAP) list.firstElementChild.remove();
      list.scrollTop = list.scrollHeight;
    },
  };
}
