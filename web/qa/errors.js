// Status pill and error list of the QA page. The pill says what the page is
// doing; once a run has errors it shows how many and the latest, and a click
// (or Enter) opens the list of every error of the run, oldest first, with
// its time, kind, source, HTTP status or VAST code, beacon host and
// attempts, and message (the latest CAP entries; the count is the run's
// total). Escape or the close button folds the list; a new run starts an
// empty one.
//
// Some errors pass: tracking polls that failed answer again. recovered()
// marks the errors of that source resolved and lists the recovery; once
// every error is resolved the pill returns to the run's own state (its
// tone too), still offering the list. Without it a run whose tracking
// came back read as failing to its end.

const CAP = 200;

function labelOf(d) {
  return `${d.kind || 'error'}${d.source ? ` (${d.source})` : ''}`;
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

// beaconFailure turns a beaconerror detail into an error-list entry: the
// beacon's host and event type, the requests made and what became of it.
// The core retries a failed beacon once; a beacon without an answer within
// requestTimeout is aborted and not retried (it may have reached the host,
// which would then count it twice); a URL refused is never sent.
export function beaconFailure(d) {
  let host = '';
  try {
    host = new URL(d.url).host;
  } catch {
    // a URL the core refused may not parse
  }
  const n = Number(d.attempts) || 0;
  let outcome;
  if (n === 0) outcome = 'not sent: its URL was refused';
  else if (n === 1) outcome = 'given up after 1 attempt, not retried: it may have reached the host';
  else outcome = `lost: failed ${n} times (retried once)`;
  return {
    kind: 'beacon', source: d.eventType || '?', host, attempts: n, outcome,
    adId: d.adId, availId: d.availId, url: d.url, message: d.message,
  };
}

// createStatus drives pill (a button) and panel (its list, hidden); clock()
// gives the seconds an error is listed at (the event log's, so the two read
// alike), else seconds since reset.
export function createStatus(pill, panel, clock) {
  const ol = panel.querySelector('ol');
  const title = panel.querySelector('[data-count]');
  let base = { text: 'idle', tone: 'idle' };
  let entries = []; // the latest CAP: {d, label, at, li, error, resolved}
  let total = 0; // errors of the run
  let open = new Map(); // source → unresolved errors of it, listed or not
  let recovery = null; // the latest recovery entry

  const now = (t0) => (clock ? clock() : (performance.now() - t0) / 1000);
  let t0 = performance.now();

  const openCount = () => [...open.values()].reduce((a, b) => a + b, 0);

  function paint() {
    if (!total) {
      pill.textContent = base.text;
      pill.dataset.tone = base.tone;
      // The pill's width cuts a long status: the title shows it whole
      // (a link's setting the page could not honour has a line of its
      // own under the controls, app.js showNote).
      pill.title = base.text || '';
      pill.setAttribute('aria-disabled', 'true');
      return;
    }
    const unresolved = openCount();
    const errs = plural(total, 'error');
    if (!unresolved) {
      pill.textContent = `${recovery.label} · ${errs} ▾`;
      pill.dataset.tone = base.tone;
      pill.title = `${base.text} · ${recovery.d.message} (click for every error)`;
    } else {
      const last = entries.findLast((e) => e.error && !e.resolved) || entries.findLast((e) => e.error);
      pill.textContent = `${errs} · ${last.label} ▾`;
      pill.dataset.tone = base.tone === 'bad' || unresolved > 1 ? 'bad' : 'warn';
      pill.title = `${base.text} · ${last.d.message || last.label} (click for every error)`;
    }
    pill.removeAttribute('aria-disabled');
    const listed = entries.filter((e) => e.error).length;
    title.textContent = total > listed ? `${total}, the latest ${listed} listed` : String(total);
  }

  function show(on) {
    const visible = on && entries.length > 0;
    panel.hidden = !visible;
    pill.setAttribute('aria-expanded', String(visible));
  }

  // add lists entry e as li: its time, what, codes and text.
  function add(e, codes, text) {
    const li = document.createElement('li');
    const time = document.createElement('time');
    time.textContent = `${e.at.toFixed(2)} s`;
    const what = document.createElement('b');
    what.textContent = e.error ? labelOf(e.d) : e.label;
    const code = document.createElement('span');
    code.textContent = codes.filter(Boolean).join(' · ');
    const msg = document.createElement('p');
    msg.textContent = text;
    li.append(time, what, code, msg);
    if (!e.error) li.dataset.tone = 'ok';
    e.li = li;
    ol.append(li);
    entries.push(e);
    if (entries.length > CAP) entries.shift().li.remove();
  }

  pill.addEventListener('click', () => show(panel.hidden));
  panel.querySelector('button')?.addEventListener('click', () => {
    show(false);
    pill.focus();
  });
  // Escape folds the list wherever the focus is (the pill keeps it after a click).
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !panel.hidden) {
      show(false);
      pill.focus();
    }
  });

  return {
    // set shows what the page is doing (tone idle, busy, ok, warn, bad).
    set(text, tone) {
      base = { text, tone };
      paint();
    },
    // error adds one error detail; label replaces its kind (source) in the pill.
    error(d, label) {
      const e = { d: { ...d }, label: label || labelOf(d), at: now(t0), error: true, resolved: false };
      total++;
      const src = d.source || '';
      open.set(src, (open.get(src) || 0) + 1);
      // The core's message often quotes the server's already.
      const server = d.serverMessage && !String(d.message || '').includes(d.serverMessage) ? d.serverMessage : '';
      add(e, [d.status ? `HTTP ${d.status}` : '', d.code ? `VAST ${d.code}` : '', d.host ? `host ${d.host}` : '',
        d.attempts !== undefined ? plural(d.attempts, 'attempt') : '', d.adId ? `ad ${d.adId}` : d.availId ? `break ${d.availId}` : ''],
      [d.outcome, d.message, server].filter(Boolean).join(' — '));
      paint();
    },
    // recovered says that source works again (a tracking poll answered):
    // its unresolved errors are resolved and the recovery listed. It returns
    // {source, errors, since, downFor} (seconds), or null when source had
    // no unresolved error.
    recovered(source) {
      const n = open.get(source) || 0;
      if (!n) return null;
      open.delete(source);
      const mine = entries.filter((x) => x.error && !x.resolved && (x.d.source || '') === source);
      for (const x of mine) {
        x.resolved = true;
        x.li.dataset.resolved = 'true';
      }
      const at = now(t0);
      const since = mine.length ? mine[0].at : at;
      const r = { source, errors: n, since, downFor: at - since };
      const e = { d: { kind: 'recovered', source, message: `${source} works again after ${plural(n, 'error')} in ${r.downFor.toFixed(1)} s` },
        label: `${source} recovered`, at, error: false };
      add(e, [plural(n, 'error') + ' resolved'], e.d.message);
      recovery = e;
      paint();
      return r;
    },
    // reset starts a run with no errors.
    reset() {
      entries = [];
      total = 0;
      open = new Map();
      recovery = null;
      ol.replaceChildren();
      t0 = performance.now();
      show(false);
      paint();
    },
    // errors are the listed errors' details (recoveries left out).
    get errors() {
      return entries.filter((e) => e.error).map((e) => e.d);
    },
  };
}
