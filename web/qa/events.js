// Event log of the QA page: newest last, capped so a long live run stays
// responsive. adprogress is hidden unless asked for; it fires many times a
// second and would drown everything else.

const CAP = 400;

function brief(d) {
  if (!d || typeof d !== 'object') return String(d ?? '');
  const parts = [];
  for (const [k, v] of Object.entries(d)) {
    if (v === null || v === undefined || typeof v === 'object') continue;
    parts.push(`${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v}`);
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
    add(type, detail) {
      if (type === 'adprogress' && !(progressToggle && progressToggle.checked)) return;
      const li = document.createElement('li');
      li.dataset.type = type;
      const t = document.createElement('time');
      t.textContent = ((performance.now() - t0.v) / 1000).toFixed(2);
      const n = document.createElement('b');
      n.textContent = type;
      const s = document.createElement('span');
      s.textContent = brief(detail);
      li.title = JSON.stringify(detail);
      li.append(t, n, s);
      list.append(li);
      while (list.childElementCount > CAP) list.firstElementChild.remove();
      list.scrollTop = list.scrollHeight;
    },
  };
}
