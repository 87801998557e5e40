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

function brief(type, d) {
  if (!d || typeof d !== 'object') return String(d ?? '');
  const first = FIRST[type] || [];
  const keys = [...new Set([...first.filter((k) => k in d), ...Object.keys(d)])];
  const parts = [];
  for (const k of keys) {
    const v = d[k];
    if (v === null || v === undefined || v === '' || typeof v === 'object') continue;
    let text = typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : String(v);
    // Long side fields (raw bodies, URLs) are cut; the row's title has them whole.
    if (text.length > 60 && !first.includes(k)) text = `${text.slice(0, 59)}…`;
    parts.push(`${k}=${text}`);
    if (parts.length >= 6) break;
  }
  return parts.join(' ');
}

export function createEventLog(list, progressToggle) {
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
      s.textContent = brief(type, detail);
      li.title = JSON.stringify(detail);
      li.append(t, n, s);
      list.append(li);
      while (list.childElementCount > CAP) list.firstElementChild.remove();
      list.scrollTop = list.scrollHeight;
    },
  };
}
