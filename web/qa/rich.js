// "Interactive & measured" panel of the QA page: per ad with a SIMID
// creative, Open Measurement verifications or industry icons, what became
// of them, read from the session's events only (so it shows what a host
// integrating availkit could show):
//   SIMID   simidstate phases: loading → created (the creative's
//           createSession, Player:init sent) → starting → started → ended,
//           or failed with its VAST code (902), SIMID code and reason;
//   OM      per verification: executed by the host's OM service, or not
//           executed with its [REASON] (verification events), and how many
//           verificationNotExecuted beacons left (beacon events);
//   icons   per icon: view and click beacons (iconViewTracking,
//           iconClickTracking), counted once per view or click.
// It also offers the page's OM service choice: a recorder that accepts
// every verification and counts the OM events availkit sends it (it runs
// no verification script).

const PHASE = { loading: 'loading', init: 'created', starting: 'starting', playing: 'started', stopping: 'stopping' };
const REASONS = { 1: 'rejected', 2: 'not supported', 3: 'load error' };

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// recorderService is the QA page's OM service: it starts an ad session for
// every ad with verifications and keeps the event types it received.
export function recorderService(onEvent) {
  return {
    accessMode: 'limited',
    createAdSession(ctx) {
      return {
        event(type) {
          onEvent(ctx.availId, ctx.adId, type);
        },
        finish() {
          onEvent(ctx.availId, ctx.adId, 'sessionFinish');
        },
      };
    },
  };
}

// createRichPanel fills body (a <tbody>) and toggles hint (shown while no
// ad has any of the three).
export function createRichPanel(body, hint) {
  const ads = new Map(); // availId|adId → row state

  function paint(a) {
    const [, simid, om, icons] = a.tr.cells;
    simid.replaceChildren();
    if (a.simid) {
      const s = a.simid;
      const st = el('b', 'rich-state', s.state);
      st.dataset.tone = s.state === 'failed' ? 'bad' : s.state === 'ended' || s.state === 'started' ? 'ok' : 'busy';
      simid.append(st);
      if (s.error) simid.append(el('span', 'rich-err', s.error));
      // Each phase with the ms since the ad started: a slow creative shows.
      simid.append(el('small', 'rich-n', s.history.map(([p, ms]) => `${p} ${ms.toFixed(0)}`).join(' → ') + ' ms'));
    } else {
      simid.textContent = '—';
    }
    om.replaceChildren();
    if (!a.verifications.length) om.textContent = '—';
    for (const v of a.verifications) {
      const line = el('div', 'rich-line');
      const st = el('b', 'rich-state', v.status === 'executed' ? 'executed' : v.status === 'notExecuted' ? `not executed · REASON ${v.reason}` : 'pending');
      st.dataset.tone = v.status === 'executed' ? 'ok' : v.status === 'notExecuted' ? 'warn' : 'busy';
      if (v.status === 'notExecuted') st.title = REASONS[v.reason] || '';
      line.append(el('span', '', v.vendor || '(no vendor)'), st);
      if (v.beacons) line.append(el('span', 'rich-n', `verificationNotExecuted ×${v.beacons}`));
      if (v.omEvents.length) {
        const n = el('span', 'rich-n', `${v.omEvents.length} OM events`);
        n.title = v.omEvents.join(', ');
        line.append(n);
      }
      om.append(line);
    }
    icons.replaceChildren();
    if (!a.icons.length) icons.textContent = '—';
    for (const it of a.icons) {
      const line = el('div', 'rich-line');
      line.append(el('span', '', it.program || '(icon)'), el('span', 'rich-n', `views ${it.views.size} · clicks ${it.clicks.size}`));
      line.dataset.views = String(it.views.size);
      line.dataset.clicks = String(it.clicks.size);
      icons.append(line);
    }
  }

  function get(d) {
    return ads.get(`${d.availId}|${d.adId}`);
  }

  return {
    reset() {
      ads.clear();
      body.replaceChildren();
      hint.hidden = false;
      body.parentElement.hidden = true;
    },
    // adstart adds the ad's row when it has a SIMID creative, verifications or icons.
    adstart(d) {
      const vs = Array.isArray(d.adVerifications) ? d.adVerifications : [];
      const icons = Array.isArray(d.icons) ? d.icons : [];
      if (!d.simid && !vs.length && !icons.length) return;
      const tr = el('tr');
      tr.dataset.adId = String(d.adId);
      tr.append(el('td', '', `${d.availId}/${d.adId}${d.adTitle ? ` · ${d.adTitle}` : ''}`), el('td', 'rich-simid'), el('td', 'rich-om'), el('td', 'rich-icons'));
      const a = {
        tr, t0: performance.now(),
        simid: d.simid ? { state: 'announced', error: '', history: [] } : null,
        verifications: vs.map((v) => ({ vendor: String(v.vendor || ''), status: '', reason: 0, beacons: 0, omEvents: [] })),
        icons: icons.map((it) => ({ program: String(it.program || ''), views: new Set(), clicks: new Set() })),
      };
      ads.set(`${d.availId}|${d.adId}`, a);
      body.append(tr);
      hint.hidden = true;
      body.parentElement.hidden = false;
      paint(a);
    },
    simidstate(d) {
      const a = get(d);
      if (!a || !a.simid) return;
      const s = a.simid;
      if (d.phase === 'done') {
        const r = d.result || {};
        s.state = r.ok ? 'ended' : 'failed';
        s.error = r.ok ? '' : [r.code ? `VAST ${r.code}` : '', r.simidCode ? `SIMID ${r.simidCode}` : '', r.reason || ''].filter(Boolean).join(' · ');
      } else {
        s.state = PHASE[d.phase] || d.phase;
      }
      s.history.push([s.state, (Number(d.t) || performance.now()) - a.t0]);
      paint(a);
    },
    verification(d) {
      const a = get(d);
      const v = a && a.verifications.find((x) => x.vendor === d.vendor && x.status !== d.status);
      if (!v) return;
      v.status = d.status;
      v.reason = d.reason;
      paint(a);
    },
    omEvent(availId, adId, type) {
      const a = get({ availId, adId });
      if (!a) return;
      for (const v of a.verifications) if (v.status === 'executed') v.omEvents.push(type);
      paint(a);
    },
    // beacon counts verificationNotExecuted and icon beacons; one view or
    // click may send several URLs, all under one key (eventId).
    beacon(d) {
      const a = get(d);
      if (!a) return;
      const m = /^(omid|icon):(\d+)(?::(view|click))?/.exec(String(d.eventId || ''));
      if (!m) return;
      const i = Number(m[2]);
      if (m[1] === 'omid' && d.eventType === 'verificationNotExecuted' && a.verifications[i]) a.verifications[i].beacons++;
      else if (m[1] === 'icon' && a.icons[i]) (m[3] === 'view' ? a.icons[i].views : a.icons[i].clicks).add(d.eventId);
      else return;
      paint(a);
    },
    // state lists what the panel shows, for tests.
    get state() {
      return [...ads.entries()].map(([k, a]) => ({
        ad: k, simid: a.simid && { state: a.simid.state, error: a.simid.error },
        verifications: a.verifications.map(({ vendor, status, reason, beacons, omEvents }) => ({ vendor, status, reason, beacons, omEvents: omEvents.length })),
        icons: a.icons.map((it) => ({ program: it.program, views: it.views.size, clicks: it.clicks.size })),
      }));
    },
  };
}
