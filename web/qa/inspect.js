// Inspect panel of the QA page: the tracking inspector. It takes a pasted
// or dropped tracking JSON, a tracking URL or a session-initialization URL
// (the session is started, its manifest and first media playlist loaded,
// since MediaTailor decides ads on manifest requests, then its tracking
// fetched), lints it with the Go linter (internal/lint, run by inspect.wasm
// in a worker, not by the player plugin) and shows the decode error with
// its JSON path, the findings by severity, the avail timeline and the
// beacon schedule the plugin would follow. Export saves all of it as JSON.

const SEVERITIES = ['error', 'warning', 'info'];

/**
 * @param {{input: HTMLTextAreaElement, form: HTMLFormElement, live: HTMLSelectElement, exportBtn: HTMLButtonElement,
 *   summary: HTMLElement, error: HTMLElement, findings: HTMLTableSectionElement, timeline: HTMLElement,
 *   schedule: HTMLTableSectionElement, drop: HTMLElement}} els
 * @param {{fetch?: typeof fetch, lint?: (text: string, o: {live: string}) => Promise<object>}} [deps]
 *   lint defaults to inspect.wasm's, loaded on first use.
 */
export function createInspectPanel(els, deps = {}) {
  const fetchFn = deps.fetch || globalThis.fetch.bind(globalThis);
  let linter = deps.lint || null;
  let last = null; // {source, steps, live, report}

  async function lint(text, live) {
    if (!linter) {
      const { loadInspector } = await import('../inspect/inspect.js');
      const insp = await loadInspector({ workers: 1 });
      linter = (t, o) => insp.lint(t, o);
    }
    return linter(text, { live });
  }

  // get fetches url as text, naming the step in errors.
  async function get(url, what, init) {
    let r;
    try {
      r = await fetchFn(url, { cache: 'no-store', ...init });
    } catch (e) {
      throw new Error(`${what}: ${url}: ${e.message} (unreachable, or refused by CORS: see README "Real endpoints")`);
    }
    const body = await r.text();
    if (!r.ok) throw new Error(`${what}: HTTP ${r.status} for ${url}: ${body.slice(0, 200)}`);
    return body;
  }

  // load turns the input into a tracking document: its text, where it came
  // from and the requests made for it.
  async function load(raw) {
    const text = raw.trim();
    if (!/^https?:\/\//i.test(text)) return { text: raw, source: 'pasted JSON', steps: [] };
    const url = new URL(text);
    if (!url.pathname.includes('/v1/session/')) {
      return { text: await get(url.href, 'tracking'), source: url.href, steps: [`GET ${url.href}`] };
    }
    const steps = [`POST ${url.href}`];
    const init = JSON.parse(await get(url.href, 'session init', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
    }));
    if (!init || !init.trackingUrl || !init.manifestUrl) throw new Error('session init: the reply has no manifestUrl/trackingUrl');
    const manifest = new URL(init.manifestUrl, url).href;
    const tracking = new URL(init.trackingUrl, url).href;
    steps.push(`GET ${manifest}`);
    const body = await get(manifest, 'manifest');
    // An HLS multivariant playlist: ads are placed when a media playlist is
    // served, so load the first one before asking for tracking.
    const media = /#EXT-X-STREAM-INF[^\n]*\n\s*([^#\s][^\n]*)/.exec(body);
    if (media) {
      const m = new URL(media[1].trim(), manifest).href;
      steps.push(`GET ${m}`);
      await get(m, 'media playlist');
    }
    steps.push(`GET ${tracking}`);
    return { text: await get(tracking, 'tracking'), source: tracking, steps };
  }

  async function run(raw) {
    els.exportBtn.disabled = true;
    els.error.textContent = '';
    els.summary.textContent = 'inspecting…';
    els.summary.dataset.tone = '';
    const live = els.live.value;
    let doc;
    let report;
    try {
      doc = await load(raw);
      report = await lint(doc.text, live);
    } catch (e) {
      last = null;
      clear();
      els.error.textContent = e.message;
      els.summary.textContent = 'failed';
      els.summary.dataset.tone = 'warn';
      return null;
    }
    last = { source: doc.source, requests: doc.steps, live: live || 'guess', inspectedAt: new Date().toISOString(), report };
    render(report);
    els.exportBtn.disabled = false;
    return report;
  }

  function clear() {
    els.findings.replaceChildren();
    els.schedule.replaceChildren();
    els.timeline.replaceChildren();
  }

  function render(rep) {
    clear();
    if (rep.error) {
      const e = rep.error;
      els.error.textContent = `decode error at ${e.path || '(document)'}: ${e.message}` + (e.line ? ` (line ${e.line}, column ${e.column})` : '');
      els.summary.textContent = 'does not decode';
      els.summary.dataset.tone = 'warn';
      return;
    }
    const n = Object.fromEntries(SEVERITIES.map((s) => [s, rep.findings.filter((f) => f.severity === s).length]));
    els.summary.textContent = `${n.error} error · ${n.warning} warning · ${n.info} info · ${rep.timeline.length} avail(s) · ${rep.schedule.length} beacon(s)`;
    els.summary.dataset.tone = n.error ? 'warn' : 'ok';
    for (const f of rep.findings) {
      const tr = row([f.severity, f.code, f.path || '(document)', f.message]);
      tr.dataset.severity = f.severity;
      tr.cells[1].title = (rep.codes && rep.codes[f.code]) || '';
      els.findings.append(tr);
    }
    drawTimeline(rep.timeline);
    for (const b of rep.schedule) {
      const at = b.at >= 0 ? b.at.toFixed(3) : '—';
      const tr = row([at, b.eventType, b.availId, b.adId || '', b.trigger, b.sent ? 'yes' : 'no', b.url]);
      tr.dataset.trigger = b.trigger;
      tr.cells[6].title = b.url;
      els.schedule.append(tr);
    }
  }

  function drawTimeline(avails) {
    if (!avails.length) return;
    const t0 = Math.min(...avails.map((a) => a.start));
    const t1 = Math.max(...avails.map((a) => a.end));
    const span = Math.max(t1 - t0, 1);
    const pct = (t) => `${(((t - t0) / span) * 100).toFixed(3)}%`;
    for (const a of avails) {
      const el = document.createElement('div');
      el.className = 'insp-avail';
      el.dataset.availId = a.availId;
      if (a.unfilled) el.dataset.unfilled = '';
      if (a.overlay) el.dataset.overlay = '';
      el.style.left = pct(a.start);
      el.style.width = `calc(${pct(t0 + a.end - a.start)} + 2px)`;
      el.title = `avail ${a.availId}: ${a.start.toFixed(3)}–${a.end.toFixed(3)} s${a.unfilled ? ' (unfilled)' : ''}${a.overlay ? ' (overlay)' : ''}`;
      for (const ad of a.ads || []) {
        const b = document.createElement('div');
        b.className = 'insp-ad';
        if (ad.vpaid) b.dataset.vpaid = '';
        b.style.left = `${(((ad.start - a.start) / Math.max(a.end - a.start, 1e-9)) * 100).toFixed(3)}%`;
        b.style.width = `${(((ad.end - ad.start) / Math.max(a.end - a.start, 1e-9)) * 100).toFixed(3)}%`;
        b.title = `ad ${ad.adId}: ${ad.start.toFixed(3)}–${ad.end.toFixed(3)} s${ad.vpaid ? ' VPAID' : ''}${ad.skip >= 0 ? ` skippable after ${ad.skip} s` : ''}`;
        el.append(b);
      }
      const label = document.createElement('span');
      label.textContent = `${a.availId} @${a.start.toFixed(1)}s`;
      el.append(label);
      els.timeline.append(el);
    }
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = String(c);
      tr.append(td);
    }
    return tr;
  }

  function exportJSON() {
    if (!last) return;
    const blob = new Blob([JSON.stringify(last, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `availkit-lint-${last.inspectedAt.replace(/[:.]/g, '-')}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  els.form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(els.input.value);
  });
  els.exportBtn.addEventListener('click', exportJSON);
  els.drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    els.drop.dataset.over = '';
  });
  els.drop.addEventListener('dragleave', () => delete els.drop.dataset.over);
  els.drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    delete els.drop.dataset.over;
    const dt = e.dataTransfer;
    const file = dt && dt.files && dt.files[0];
    const text = file ? await file.text() : (dt && (dt.getData('text/uri-list') || dt.getData('text/plain'))) || '';
    if (!text) return;
    els.input.value = text;
    run(text);
  });

  return {
    run,
    /** The last inspection (what Export saves), null before one succeeds. */
    get last() { return last; },
  };
}
