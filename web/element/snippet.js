// snippet.js builds the copy-paste HTML a CMS editor puts in a page: one
// module script and one <availkit-player>. The QA page calls embedSnippet with
// its current configuration; CMS plugins may call it too. The output has no
// inline script or style, so it is valid under the strict CSP of the README.

const ATTRS = [
  // [config key, attribute]
  ['sessionInitUrl', 'session-init-url'],
  ['engine', 'engine'],
  ['noSkip', 'no-skip'],
  ['poster', 'poster'],
  ['hlsSrc', 'hls-src'],
  ['dashSrc', 'dash-src'],
  ['wasmUrl', 'wasm-url'],
  ['coreStart', 'core-start'],
];
const FLAGS = [['controls', 'controls'], ['autoplay', 'autoplay'], ['muted', 'muted']];
const JSON_ATTRS = [['adsParams', 'ads-params'], ['originParams', 'origin-params']];

function esc(s, quote) {
  s = String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return quote === '"' ? s.replace(/"/g, '&quot;') : s.replace(/'/g, '&#39;');
}

// attr quotes JSON with single quotes so it stays readable for editors.
function attr(name, value) {
  const v = String(value);
  const q = v.includes('"') && !v.includes("'") ? "'" : '"';
  return `${name}=${q}${esc(v, q)}${q}`;
}

function nonEmpty(o) {
  return o && typeof o === 'object' && Object.keys(o).length > 0;
}

/**
 * preloadLinks returns the hints that let the browser fetch the player
 * library (and an eager core) while it parses the page, instead of after
 * the element's module graph (one round trip per import level): the wasm
 * with coreStart 'eager' (as="fetch" crossorigin matches the loader's
 * fetch, so the response is reused), availkit.js (availkit.min.js for the minified element), and the
 * library the init URL's extension calls for. config.preload === false
 * leaves them out.
 */
function preloadLinks(c) {
  if (c.preload === false) return '';
  const base = new URL('..', new URL(c.scriptUrl, 'http://x.invalid/'));
  const rel = (u) => (/^[a-z][a-z0-9+.-]*:/i.test(c.scriptUrl) ? u.href : u.pathname + u.search);
  const wasm = c.wasmUrl || rel(new URL('availkit.wasm', base));
  // The minified element shares its code with availkit.min.js (the same
  // chunks, whose names carry a hash): preloading that entry fetches them.
  const min = /\.min\.js$/.test(new URL(c.scriptUrl, 'http://x.invalid/').pathname);
  const links = [`<link rel="modulepreload" href="${esc(rel(new URL(min ? 'availkit.min.js' : 'availkit.js', base)), '"')}">`];
  // The core is preloaded only for an element that starts it eagerly: by
  // default it waits for the first frame, download included.
  if (c.coreStart === 'eager') links.unshift(`<link rel="preload" href="${esc(wasm, '"')}" as="fetch" crossorigin>`);
  let path = '';
  try { path = new URL(c.sessionInitUrl, 'http://x.invalid/').pathname; } catch { /* no library hint */ }
  const dash = c.engine === 'dash' || (c.engine !== 'hls' && c.engine !== 'native' && path.endsWith('.mpd'));
  const lib = dash ? c.dashSrc || rel(new URL('vendor/dash.all.min.js', base)) : c.hlsSrc || rel(new URL('vendor/hls.min.mjs', base));
  if (c.engine !== 'native') links.push(`<link rel="modulepreload" href="${esc(lib, '"')}">`);
  return `${links.join('\n')}\n`;
}

/**
 * embedSnippet returns the embed HTML for config:
 * {scriptUrl (the element module's absolute URL, required), sessionInitUrl
 * (required), adsParams, originParams, engine ('auto' is the default and is
 * left out), noSkip ('last' is the default and is left out), controls,
 * autoplay, muted, poster, hlsSrc, dashSrc, wasmUrl, coreStart, companionSlots:
 * [{width, height, adSlotId}], preload (default true: <link> hints for the
 * core and the player library)}. autoplay without muted is allowed but most
 * browsers refuse it; callers may warn.
 */
export function embedSnippet(config) {
  const c = config || {};
  if (!c.scriptUrl) throw new Error('embedSnippet: scriptUrl is required');
  if (!c.sessionInitUrl) throw new Error('embedSnippet: sessionInitUrl is required');
  const attrs = [];
  for (const [k, name] of ATTRS) {
    const v = c[k];
    if (v === undefined || v === null || v === '') continue;
    if (k === 'engine' && v === 'auto') continue;
    if (k === 'noSkip' && v === 'last') continue;
    attrs.push(attr(name, v));
  }
  for (const [k, name] of JSON_ATTRS) if (nonEmpty(c[k])) attrs.push(attr(name, JSON.stringify(c[k])));
  for (const [k, name] of FLAGS) if (c[k]) attrs.push(name);
  const slots = (c.companionSlots || []).map((s) => {
    const a = ['slot="companion"'];
    if (s.width) a.push(attr('data-width', Number(s.width)));
    if (s.height) a.push(attr('data-height', Number(s.height)));
    if (s.adSlotId) a.push(attr('data-ad-slot-id', s.adSlotId));
    return `  <div ${a.join(' ')}></div>\n`;
  });
  return preloadLinks(c)
    + `<script type="module" src="${esc(c.scriptUrl, '"')}"></script>\n`
    + `<availkit-player\n  ${attrs.join('\n  ')}>\n${slots.join('')}</availkit-player>\n`;
}
