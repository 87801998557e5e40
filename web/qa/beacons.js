// Beacon log of the QA page: one row per beacon the plugin dispatched, with
// how late it left (playhead − scheduled, in ms of wall time: the media
// time divided by the playback rate when it left, so that at 4× the column
// does not read four times the delay a viewer could see), how long before
// or after the
// frame it describes was on screen, and when the collector got it.
// Collector records are matched to dispatched beacons by the URL the beacon
// carried (event path + query string, macros already expanded), in order.
// Beacons without a schedule (player actions, companion views: scheduled
// time < 0) show no lateness. "collector ms" is the collector's receipt time
// minus the moment the request left the page: the beacon event is
// dispatched after the send, behind the other listeners of its batch, so
// timing from the event made the column negative.
// "on screen" comes from the page's frame reader (web/qa/onscreen.js): the
// moment the request left minus the display time of the frame the beacon
// describes; it fills in when that frame is read, which may be after the
// beacon left.
// Against a third-party endpoint there is no collector (setCollector(false)):
// a row says what the plugin saw, "fired" or "failed" (its beaconerror), and
// the collector column is hidden by the page.

import { EARLY } from './onscreen.js';

function td(text, cls) {
  const c = document.createElement('td');
  if (cls) c.className = cls;
  c.textContent = text;
  return c;
}

const fmt = (v, d = 3) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '–');

// Columns of a row.
const C = { scheduled: 3, playhead: 4, late: 5, screen: 6, collector: 7, status: 8 };

// timeCell writes session time t: seconds, or what opts.timeText makes of
// it ([main, sub] text, e.g. time since start and the UTC wall time of a
// live session).
function timeCell(cell, t, timeText) {
  const parts = timeText && t >= 0 ? timeText(t) : null;
  if (!parts) {
    cell.textContent = t >= 0 ? fmt(t) : '–';
    return;
  }
  const sub = document.createElement('small');
  sub.textContent = parts[1] || '';
  cell.replaceChildren(parts[0], sub);
  cell.title = `session ${fmt(t)} s`;
}

// createBeaconLog fills tbody and summary. opts.onScreen(detail, sentAt)
// returns the on-screen cell {text, tone, title} of a beacon, or null
// while it does not apply; opts.timeText(t) returns [main, sub] texts for a
// session time, or null for plain seconds; opts.rate() is the playback
// rate now (1 without it).
export function createBeaconLog(tbody, summary, opts = {}) {
  let rows = []; // {d, firedAt, rate, tr, rec, status}
  let received = [];
  let collector = true;

  function urlKey(url) {
    try {
      const u = new URL(url);
      return `${u.pathname.split('/').pop()}?${u.search.slice(1)}`;
    } catch {
      return url;
    }
  }

  function paintScreen(r) {
    const c = r.tr.cells[C.screen];
    const v = opts.onScreen ? opts.onScreen(r.d, r.firedAt) : null;
    r.screen = v;
    c.textContent = v ? v.text : '–';
    c.dataset.tone = (v && v.tone) || '';
    c.title = (v && v.title) || '';
  }

  function paintRow(r) {
    const late = r.d.scheduledTime >= 0 ? ((r.d.playhead - r.d.scheduledTime) * 1000) / r.rate : NaN;
    const cells = r.tr.cells;
    timeCell(cells[C.scheduled], r.d.scheduledTime, opts.timeText);
    timeCell(cells[C.playhead], r.d.playhead, opts.timeText);
    cells[C.late].textContent = Number.isFinite(late) ? (Math.abs(late) < 0.05 ? 0 : late).toFixed(1) : '–';
    cells[C.late].dataset.tone = !Number.isFinite(late) ? '' : late < -0.5 ? 'bad' : late > 50 ? 'warn' : 'ok';
    paintScreen(r);
    cells[C.collector].textContent = r.rec ? (r.rec.receivedAt - r.firedAt).toFixed(0) : '–';
    cells[C.collector].classList.add('emu-only');
    cells[C.status].textContent = r.status;
    r.tr.dataset.status = r.status;
  }

  function paintSummary() {
    const bySrv = rows.filter((r) => r.status === 'server').length;
    const n = rows.length - bySrv;
    const got = rows.filter((r) => r.rec).length;
    const dup = rows.filter((r) => r.status === 'duplicate').length + received.filter((x) => x.extra).length;
    const err = rows.filter((r) => r.status === 'error' || r.status === 'failed').length;
    const early = rows.filter((r) => r.d.scheduledTime >= 0 && r.d.playhead - r.d.scheduledTime < -0.0005).length;
    const onScreen = rows.filter((r) => r.screen && Number.isFinite(r.screen.ms));
    // A range (callbacks missed around the frame) counts as early only
    // when all of it is.
    const ranged = rows.filter((r) => r.screen && r.screen.range);
    const before = onScreen.filter((r) => r.screen.ms < -EARLY).length + ranged.filter((r) => r.screen.range[1] < -EARLY).length;
    // "—": the frame was never read: those beacons are not in the count
    // above. "↷": the player skipped the beacon's frame, and the value is
    // against the first frame after the skip: counted, and said.
    const unmeasured = rows.filter((r) => r.screen && !r.screen.pending && !r.screen.range && !Number.isFinite(r.screen.ms)).length;
    const jumped = onScreen.filter((r) => Number.isFinite(r.screen.jump)).length;
    summary.textContent = (collector
      ? `${n} fired · ${got} at collector · ${early} early · ${dup} dup · ${err} failed`
      : `${n - err} fired · ${err} failed · ${early} early (no collector: the plugin's view)`)
      + (onScreen.length + ranged.length ? ` · ${before} of ${onScreen.length + ranged.length} over ${EARLY} ms before their frame` : '')
      + (ranged.length ? ` (${ranged.length} within a range: a…b)` : '')
      + (onScreen.length + ranged.length && unmeasured ? ` (${unmeasured} not measured: —)` : '')
      + (jumped ? ` (${jumped} against the frame after a skip: ↷)` : '')
      + (bySrv ? ` · ${bySrv} by the server` : '');
    summary.dataset.tone = early || dup || err || before ? 'warn' : 'ok';
  }

  return {
    reset() {
      rows = [];
      received = [];
      tbody.replaceChildren();
      summary.textContent = '';
    },
    // fired adds the row of one beacon event; sentAt (ms epoch) is when its
    // request left the page, if the caller saw it go.
    fired(name, d, sentAt) {
      // A beaconerror is the outcome of a beacon already listed (after its
      // retry): it marks that row, so a failure is not counted as a second
      // beacon. Only a URL refused before sending has no row yet.
      if (name === 'beaconerror') {
        const r = rows.findLast((x) => x.d.url === d.url && x.d.eventType === d.eventType && x.status !== 'error' && x.status !== 'failed');
        if (r) {
          r.status = collector ? 'error' : 'failed';
          r.tr.title = `${r.d.url}\n${d.message || ''}`;
          paintRow(r);
          paintSummary();
          return;
        }
      }
      const tr = document.createElement('tr');
      tr.append(
        td(String(rows.length + 1), 'n'),
        td(d.eventType || '?'),
        td(d.adId ? String(d.adId) : d.availId ? `break ${d.availId}` : ''),
        td('', 'n'),
        td('', 'n'),
        td('', 'n'),
        td('', 'n screen'),
        td('', 'n'),
        td(''),
      );
      tr.title = d.url || '';
      // Date.now(), not detail.firedAt: the collector stamps with the wall
      // clock, and performance.timeOrigin + now() drifts from it over time.
      const firedAt = Number.isFinite(sentAt) ? sentAt : Date.now();
      const failed = name === 'beaconerror';
      // reportingMode 'server': MediaTailor sends this one, the plugin only
      // reports it; there is no request of the plugin's to match.
      const server = !failed && d.firedBy === 'server';
      const rate = opts.rate ? opts.rate() : 1;
      const r = { d, firedAt, rate: rate > 0 ? rate : 1, tr, rec: null, status: server ? 'server' : collector ? (failed ? 'error' : 'sent') : (failed ? 'failed' : 'fired') };
      rows.push(r);
      paintRow(r);
      tbody.append(tr);
      tr.scrollIntoView?.({ block: 'nearest' });
      paintSummary();
    },
    // refresh repaints the time and on-screen cells: the frame a beacon
    // describes was read, or the live clock's origin became known.
    // pending: only the rows whose frame is still awaited.
    refresh({ pending = false } = {}) {
      for (const r of rows) if (!pending || (r.screen && r.screen.pending)) paintRow(r);
      paintSummary();
    },
    // pending says whether a row still awaits its frame.
    get pending() {
      return rows.some((r) => r.screen && r.screen.pending);
    },
    // setCollector says whether a collector will report (the emulator) or
    // not (a third-party endpoint); call it before the first beacon.
    setCollector(on) {
      collector = !!on;
      paintSummary();
    },
    // received takes the collector's whole list for the session and matches
    // it in order; extra records for one key are duplicates.
    received(list) {
      if (!Array.isArray(list)) return;
      received = list.map((x) => ({ ...x }));
      const pool = new Map();
      for (const x of received) {
        const k = `${x.eventType}?${x.rawQuery ?? ''}`;
        if (!pool.has(k)) pool.set(k, []);
        pool.get(k).push(x);
      }
      for (const r of rows) {
        if (r.status === 'server') continue;
        const q = pool.get(urlKey(r.d.url));
        const rec = q && q.shift();
        r.rec = rec || null;
        // A request the plugin gave up on (no answer in time) may still
        // have reached the collector: it keeps its error and takes its
        // record, which is not a duplicate.
        if (r.status !== 'error') r.status = rec ? 'received' : 'sent';
        paintRow(r);
      }
      for (const q of pool.values()) for (const x of q) x.extra = true;
      paintSummary();
    },
    get rows() {
      return rows.map((r) => ({ ...r.d, firedAt: r.firedAt, receivedAt: r.rec ? r.rec.receivedAt : null, status: r.status,
        onScreenMs: r.screen && Number.isFinite(r.screen.ms) ? r.screen.ms : null,
        onScreenFrame: (r.screen && r.screen.frame) || '', onScreenText: r.tr.cells[C.screen].textContent,
        onScreenJump: r.screen && Number.isFinite(r.screen.jump) ? r.screen.jump : null }));
    },
  };
}
