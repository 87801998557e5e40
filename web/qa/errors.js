// Status pill and error list of the QA page. The pill says what the page is
// doing; once a run has errors it shows how many and the latest, and a click
// (or Enter) opens the list of every error of the run, oldest first, with
// its time, kind, source, HTTP status or VAST code and message (the latest
// CAP of them; the count is the run's total). Escape or
// the close button folds the list; a new run starts an empty one.

const CAP = 200;

function labelOf(d) {
  return `${d.kind || 'error'}${d.source ? ` (${d.source})` : ''}`;
}

// createStatus drives pill (a button) and panel (its list, hidden); clock()
// gives the seconds an error is listed at (the event log's, so the two read
// alike), else seconds since reset.
export function createStatus(pill, panel, clock) {
  const ol = panel.querySelector('ol');
  const title = panel.querySelector('[data-count]');
  let base = { text: 'idle', tone: 'idle' };
  let errors = []; // the latest CAP
  let total = 0;
  let t0 = performance.now();

  function paint() {
    const n = total;
    if (!n) {
      pill.textContent = base.text;
      pill.dataset.tone = base.tone;
      pill.title = '';
      pill.setAttribute('aria-disabled', 'true');
      return;
    }
    const last = errors[n - 1];
    pill.textContent = `${n} error${n === 1 ? '' : 's'} · ${last.label} ▾`;
    pill.dataset.tone = base.tone === 'bad' || n > 1 ? 'bad' : 'warn';
    pill.title = `${base.text} · ${last.message || last.label} (click for every error)`;
    pill.removeAttribute('aria-disabled');
    title.textContent = n > errors.length ? `${n}, the latest ${errors.length} listed` : String(n);
  }

  function open(on) {
    const show = on && errors.length > 0;
    panel.hidden = !show;
    pill.setAttribute('aria-expanded', String(show));
  }

  pill.addEventListener('click', () => open(panel.hidden));
  panel.querySelector('button')?.addEventListener('click', () => {
    open(false);
    pill.focus();
  });
  // Escape folds the list wherever the focus is (the pill keeps it after a click).
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !panel.hidden) {
      open(false);
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
      const e = { ...d, label: label || labelOf(d), at: clock ? clock() : (performance.now() - t0) / 1000 };
      errors.push(e);
      total++;
      const li = document.createElement('li');
      const time = document.createElement('time');
      time.textContent = `${e.at.toFixed(2)} s`;
      const what = document.createElement('b');
      what.textContent = labelOf(d);
      const code = document.createElement('span');
      code.textContent = [d.status ? `HTTP ${d.status}` : '', d.code ? `VAST ${d.code}` : '', d.adId ? `ad ${d.adId}` : ''].filter(Boolean).join(' · ');
      const msg = document.createElement('p');
      // The core's message often quotes the server's already.
      const server = d.serverMessage && !String(d.message || '').includes(d.serverMessage) ? d.serverMessage : '';
      msg.textContent = [d.message, server].filter(Boolean).join(' — ');
      li.append(time, what, code, msg);
      ol.append(li);
      if (errors.length > CAP) {
        errors.shift();
        ol.firstElementChild.remove();
      }
      paint();
    },
    // reset starts a run with no errors.
    reset() {
      errors = [];
      total = 0;
      ol.replaceChildren();
      t0 = performance.now();
      open(false);
      paint();
    },
    get errors() {
      return errors.map(({ label, ...d }) => d);
    },
  };
}
