// Where a QA run goes: the emulator serving the page, an endpoint's
// session-init URL, or a session made elsewhere (manifest + tracking URLs);
// whether that endpoint's emulator /debug routes answer the page; and the
// header's Endpoint row that takes those URLs.

// runTarget says where a run goes: the emulator serving this page, an
// endpoint's session-init URL, or a session made elsewhere (manifest +
// tracking URLs). Session options, the origin whose /debug routes may
// answer, and the format the URL names. page is the page's own URL: a
// path starting with / is taken on its origin.
//
// A tracking URL may be any http(s) URL: hosts put MediaTailor behind
// CloudFront or their own domain, under other path prefixes than
// /v1/tracking/. Only the two mix-ups the URL itself shows are refused:
// a session-init URL (/v1/session/) given as the tracking URL, and a
// tracking URL (/v1/tracking/) given as the session-init URL.
export function runTarget(cfg, { account, origin: configName, page = globalThis.location?.href }) {
  if (cfg.manifestUrl || cfg.trackingUrl) {
    if (!cfg.manifestUrl) throw new Error('a session made elsewhere needs its manifest URL too: the player plays the manifest, the tracking URL only lists its ads');
    if (!cfg.trackingUrl) throw new Error('a session made elsewhere needs its tracking URL too: without it no ad is reported');
    const m = httpURL(cfg.manifestUrl, 'manifest URL', page);
    const t = httpURL(cfg.trackingUrl, 'tracking URL', page);
    if (t.pathname.includes('/v1/session/')) {
      throw new Error(`tracking URL: ${t.href} is a session-init URL (/v1/session/): give it as the session-init URL, with the manifest and tracking URLs empty`);
    }
    return { opts: { manifestUrl: m.href, trackingUrl: t.href, adsParams: cfg.adsParams },
      origin: t.origin, format: formatOf(m), remote: true, label: m.origin };
  }
  if (cfg.endpoint) {
    const u = httpURL(cfg.endpoint, 'session-init URL', page);
    if (u.pathname.includes('/v1/tracking/')) {
      throw new Error(`session-init URL: ${u.href} is a tracking URL (/v1/tracking/): give it as the tracking URL, with the session's manifest URL`);
    }
    return { opts: { sessionInitUrl: u.href, adsParams: cfg.adsParams }, origin: u.origin, format: formatOf(u), remote: true, label: u.origin };
  }
  const here = new URL(page).origin;
  const asset = `${cfg.kind}/index.${cfg.format === 'hls' ? 'm3u8' : 'mpd'}`;
  // media picks the emulator's media variant (ts: MPEG-TS with B-frames, HLS
  // only; bf: fMP4 with B-frames and AAC priming, HLS and DASH).
  const adsParams = { ...cfg.adsParams, scenario: cfg.scenario, ...(cfg.media ? { media: cfg.media } : {}) };
  return { opts: { sessionInitUrl: `${here}/v1/session/${account}/${configName}/${asset}`, adsParams },
    origin: here, format: cfg.format, remote: false, label: 'this emulator' };
}

// What a URL copied without its scheme starts with: an IPv4 address, a
// dotted name ending in a letters-only label (so that a file name such as
// index.m3u8 is not one; index.mpd is told apart below), or a name and a
// port; then a path, a query or the end.
const HOSTLIKE = /^(?:(?:\d{1,3}\.){3}\d{1,3}|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,63}|[a-z0-9-]+(?=:\d))(?::\d+)?(?:[/?]|$)/i;

// httpURL reads text as an absolute http(s) URL, or a path on the page's
// origin; what names the field in the error. A URL copied without its
// scheme is not taken for a relative path (new URL would make it one of
// this page, or read its host as a scheme): the message says what is missing.
export function httpURL(text, what, page) {
  const s = String(text).trim();
  if (s.startsWith('/') && !s.startsWith('//') && page) return new URL(s, page);
  let u = null;
  try {
    u = new URL(s);
  } catch {
    // not absolute: below
  }
  if (u && (u.protocol === 'http:' || u.protocol === 'https:') && u.host) return u;
  const shown = s.length > 80 ? `${s.slice(0, 79)}…` : s;
  if (HOSTLIKE.test(s) && !/^[^/?]*\.mpd$/i.test(s)) throw new Error(`${what}: “${shown}” has no scheme: write https:// (or http://) in front of it`);
  if (u && u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new Error(`${what}: “${shown}” is not an http(s) URL (${u.protocol}): the page fetches http:// and https:// URLs only`);
  }
  throw new Error(`${what}: “${shown}” is not a URL: paste the whole address, starting with https://`);
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
