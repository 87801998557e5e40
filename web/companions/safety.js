// safety.js holds the checks every rich-ads renderer applies to URLs and
// resources that come from ad markup (companions, overlays, VPAID units).
// Everything here treats its input as hostile.

import { httpURL } from '../core/url.js';

// The sandbox every ad frame gets: scripts and popups, never
// allow-same-origin, so the frame is an opaque origin that cannot touch the
// host page, its cookies or its storage, and never top navigation.
const AD_FRAME_SANDBOX = 'allow-scripts allow-popups allow-popups-to-escape-sandbox';

// adFrame returns a new, unattached iframe for ad content: the ad sandbox,
// no referrer (the page's URL is not the ad server's business), a title for
// screen readers and the inline style css. Attributes that must precede
// loading (allow) are the caller's, set before it gives the frame a src.
export function adFrame(title, css) {
  const f = document.createElement('iframe');
  f.setAttribute('sandbox', AD_FRAME_SANDBOX);
  f.setAttribute('referrerpolicy', 'no-referrer');
  f.setAttribute('title', title);
  f.style.cssText = css;
  return f;
}

// httpURL is the layer's one http(s) URL check (core/url.js); re-exported
// for the renderers that import their checks from here.
export { httpURL };

// openClickThrough opens url in a new browsing context with no opener and no
// referrer. It returns false, opening nothing, for a non-http(s) URL, and,
// when requireActivation is set, outside a user gesture: a creative that
// fires click-throughs on its own must not be able to spawn windows.
export function openClickThrough(url, { requireActivation = false, open = globalThis.open } = {}) {
  const u = httpURL(url);
  if (!u) return false;
  if (requireActivation && globalThis.navigator?.userActivation && !navigator.userActivation.isActive) {
    return false;
  }
  open.call(globalThis, u, '_blank', 'noopener,noreferrer');
  return true;
}

const imageTypes = /^image\/(png|gif|jpe?g|webp|avif|bmp|x-icon|vnd\.microsoft\.icon|svg\+xml)$/i;
const imageExt = /\.(png|gif|jpe?g|webp|avif|bmp|ico|svg)$/i;
const scriptExt = /\.(m?js|jsx?|html?|xhtml|php|swf)$/i;

// imageSource decides whether a StaticResource may be shown as an <img>. The
// tracking JSON gives no creativeType for companions, so the type is sniffed
// from the declared type (when present), the data: header or the file
// extension, and script-bearing types are refused: VAST 3 says to inject an
// application/x-javascript StaticResource as a page <script>, which availkit
// never does. An <img> never runs script, but an SVG that carries it is
// refused anyway so a later render path cannot be tricked into inlining it.
// It returns {ok, url, reason}; the browser's image decoder is the final
// check (the renderer drops an <img> that fails to decode).
export function imageSource(raw, declaredType = '', base = globalThis.location?.href) {
  if (typeof raw !== 'string' || !raw.trim()) return { ok: false, reason: 'empty' };
  const t = typeof declaredType === 'string' ? declaredType.trim().toLowerCase() : '';
  if (t && !imageTypes.test(t)) return { ok: false, reason: `type ${t} is not an image` };
  const s = raw.trim();
  if (/^data:/i.test(s)) {
    const m = /^data:([^;,]*)(;[^,]*)?,(.*)$/is.exec(s);
    if (!m || !imageTypes.test(m[1])) return { ok: false, reason: 'data: URL is not an image' };
    if (/svg/i.test(m[1])) {
      let body = m[3];
      try {
        body = /;base64/i.test(m[2] || '') ? atob(body) : decodeURIComponent(body);
      } catch {
        return { ok: false, reason: 'undecodable svg' };
      }
      if (/<script|\son\w+\s*=|javascript:|<foreignObject/i.test(body)) {
        return { ok: false, reason: 'svg carries script' };
      }
    }
    return { ok: true, url: s };
  }
  const u = httpURL(s, base);
  if (!u) return { ok: false, reason: 'not an http(s) URL' };
  const path = new URL(u).pathname;
  if (scriptExt.test(path)) return { ok: false, reason: 'script or document resource' };
  if (!t && !imageExt.test(path)) {
    // Unknown extension: allowed, the decoder decides (ad servers often serve
    // images from extension-less URLs).
  }
  return { ok: true, url: u };
}

// beaconURLs collects the URLs of the tracking events named type, accepting
// both shapes found in the tracking JSON: {eventType, beaconUrls[]} and
// {event, uri}.
export function beaconURLs(events, type) {
  const out = [];
  if (!Array.isArray(events)) return out;
  for (const e of events) {
    if (!e || typeof e !== 'object') continue;
    const name = typeof e.eventType === 'string' ? e.eventType : e.event;
    if (name !== type) continue;
    if (Array.isArray(e.beaconUrls)) {
      for (const u of e.beaconUrls) if (typeof u === 'string' && u) out.push(u);
    }
    if (typeof e.uri === 'string' && e.uri) out.push(e.uri);
  }
  return out;
}

/**
 * adLink wraps an ad's click-through in a safe anchor: a new browsing context
 * with no opener and no referrer, filling its box. href must already have
 * passed httpURL; onClick fires the ad's click tracking. label, when given,
 * becomes the accessible name.
 */
export function adLink(href, onClick, label) {
  const link = document.createElement('a');
  link.href = href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.referrerPolicy = 'no-referrer';
  if (label) link.setAttribute('aria-label', label);
  link.style.cssText = 'display:block;width:100%;height:100%';
  link.addEventListener('click', onClick);
  return link;
}
