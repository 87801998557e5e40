// Where a QA run goes: the emulator serving the page, an endpoint's
// session-init URL, or a session made elsewhere (manifest + tracking URLs);
// whether that endpoint's emulator /debug routes answer the page; and the
// header's Endpoint row that takes those URLs.

// runTarget says where a run goes: the emulator serving this page, an
// endpoint's session-init URL, or a session made elsewhere (manifest +
// tracking URLs). Session options, the origin whose /debug routes may
// answer, and the format the URL names.
export function runTarget(cfg, { account, origin: configName }) {
  if (cfg.manifestUrl || cfg.trackingUrl) {
    if (!cfg.manifestUrl || !cfg.trackingUrl) throw new Error('a session made elsewhere needs both its manifest URL and its tracking URL');
    const m = new URL(cfg.manifestUrl, location.href);
    return { opts: { manifestUrl: m.href, trackingUrl: new URL(cfg.trackingUrl, location.href).href, adsParams: cfg.adsParams },
      origin: new URL(cfg.trackingUrl, location.href).origin, format: formatOf(m), remote: true, label: m.origin };
  }
  if (cfg.endpoint) {
    const u = new URL(cfg.endpoint, location.href);
    return { opts: { sessionInitUrl: u.href, adsParams: cfg.adsParams }, origin: u.origin, format: formatOf(u), remote: true, label: u.origin };
  }
  const asset = `${cfg.kind}/index.${cfg.format === 'hls' ? 'm3u8' : 'mpd'}`;
  // media picks the emulator's media variant (ts: MPEG-TS with B-frames, HLS
  // only; bf: fMP4 with B-frames and AAC priming, HLS and DASH).
  const adsParams = { ...cfg.adsParams, scenario: cfg.scenario, ...(cfg.media ? { media: cfg.media } : {}) };
  return { opts: { sessionInitUrl: `${location.origin}/v1/session/${account}/${configName}/${asset}`, adsParams },
    origin: location.origin, format: cfg.format, remote: false, label: 'this emulator' };
}

function formatOf(u) {
  return /\.mpd$/i.test(u.pathname) ? 'dash' : 'hls';
}

// probeCollector resolves to true when origin's emulator /debug routes
// answer this page: a real MediaTailor has none, and an emulator refuses
// them to other origins.
export async function probeCollector(fetchFn, origin) {
  try {
    const r = await fetchFn(`${origin}/debug/stats`, { cache: 'no-store' });
    return r.ok;
  } catch {
    return false;
  }
}

// createEndpointRow drives the header's Endpoint row: toggle (a button)
// shows or hides box, a row of its own under the other controls, so that
// opening it moves none of them; error shows why the URLs were refused.
// The toggle is marked while a URL is filled in: closed, the row still
// decides where Start goes.
export function createEndpointRow({ toggle, box, error }) {
  const inputs = [...box.querySelectorAll('input')];
  const mark = () => {
    toggle.dataset.set = String(inputs.some((i) => i.value.trim() !== ''));
  };
  const open = (on) => {
    box.hidden = !on;
    toggle.setAttribute('aria-expanded', String(on));
  };
  toggle.addEventListener('click', () => open(box.hidden));
  box.addEventListener('input', () => {
    mark();
    error.textContent = '';
  });
  mark();
  return {
    open,
    // refused shows msg beside the fields, opening the row; '' clears it.
    refused(msg) {
      error.textContent = msg;
      if (msg) open(true);
    },
    // filled re-reads the fields after a script set them.
    filled: mark,
  };
}
