// QA panel of session.stats(): per beacon type what was scheduled, sent,
// failed, left to MediaTailor and passed over by a seek; per ad what it
// did and how long it played; beacon send latency. It builds its own
// <section> next to the page's other panels, so the page markup needs no
// change, and refreshes once a second while a session runs.

const REFRESH_MS = 1000;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function row(cells, head = false) {
  const tr = el('tr');
  for (const c of cells) tr.append(el(head ? 'th' : 'td', '', String(c)));
  return tr;
}

// createStatsPanel adds the panel after `after` (an element of the page's
// panel grid) and returns {show(session), stop()}: show starts refreshing
// from a session, stop renders one last time and stops.
export function createStatsPanel(after) {
  const sec = el('section', 'panel p-stats');
  sec.style.gridColumn = '1 / -1'; // a full row below the named grid areas
  sec.setAttribute('aria-labelledby', 'h-stats');
  const h = el('h2', '', 'Ad statistics');
  h.id = 'h-stats';
  const totals = el('p', 'hint');
  totals.id = 'stats-totals';
  const latency = el('p', 'hint');
  latency.id = 'stats-latency';
  const types = el('table', 'log');
  types.id = 'stats-events';
  types.createTHead().append(row(['event', 'scheduled', 'fired', 'failed', 'server', 'skipped by seek'], true));
  types.createTBody();
  const ads = el('table', 'log');
  ads.id = 'stats-ads';
  ads.createTHead().append(row(['avail', 'ad', 'played', 'skipped', 'errored', 'watched s'], true));
  ads.createTBody();
  sec.append(h, totals, latency, types, ads);
  if (after && after.parentElement) after.after(sec);

  let session = null;
  let timer = 0;

  // ms shows a latency with one decimal, as the beacon log does.
  const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');

  function render() {
    const s = session && session.stats();
    if (!s) return;
    const t = s.totals;
    totals.textContent = `${t.ads} ${t.ads === 1 ? 'ad' : 'ads'} · ${t.played} played · ${t.skipped} skipped · ${t.errored} errored · ${t.watched.toFixed(1)} s watched`;
    const l = s.latency;
    latency.textContent = l.count ? `beacon latency: ${l.count} sent · mean ${ms(l.meanMs)} ms · p50 ${ms(l.p50Ms)} ms · p95 ${ms(l.p95Ms)} ms · max ${ms(l.maxMs)} ms` : 'beacon latency: none sent yet';
    types.tBodies[0].replaceChildren(...Object.entries(s.events).map(([k, e]) =>
      row([k, e.scheduled, e.fired, e.failed, e.server, e.skippedBySeek])));
    ads.tBodies[0].replaceChildren(...s.ads.map((a) =>
      row([a.availId, a.adId, a.played ? 'yes' : '', a.skipped ? 'yes' : '', a.errored ? 'yes' : '', a.watched.toFixed(1)])));
  }

  return {
    element: sec,
    render,
    show(s) {
      this.stop();
      session = s;
      render();
      timer = setInterval(render, REFRESH_MS);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = 0;
      render();
      session = null;
    },
  };
}
