// renderer.js renders an ad's companion ads into the host page's slots
// without letting ad markup touch the page.
//
// StaticResource becomes an <img> (script-bearing types refused);
// IFrameResource and HTMLResource become iframes sandboxed without
// allow-same-origin (opaque origin), HTML through srcdoc — never innerHTML.
// creativeView fires once per companion when it is loaded, at least half
// visible and its ad's impression has gone out (a companion is part of the
// ad's view, so its count never precedes the ad's own); a click on a static
// companion opens its http(s) click-through with noopener and fires
// companionClickTracking. Companions are removed when
// their ad ends, except end-cards (renderingMode "end-card"), which stay
// until the next ad or clear().

import { adFrame, adLink, beaconURLs, httpURL, imageSource } from './safety.js';

// COMPANION_ERROR is VAST error 602: required companions could not be shown.
export const COMPANION_ERROR = 602;

const int = (v) => {
  const n = Number.parseInt(typeof v === 'number' ? String(v) : v, 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
};
const str = (v) => (typeof v === 'string' ? v.trim() : '');
const adKey = (d) => `${str(d && d.availId)}\n${str(d && d.adId)}`;

// resourceOf picks the resource a companion will be rendered from, most
// contained first: an image cannot run script at all.
export function resourceOf(c, base = globalThis.location?.href) {
  if (!c || typeof c !== 'object') return null;
  const img = imageSource(str(c.staticResource), str(c.staticResourceCreativeType || c.creativeType), base);
  if (img.ok) return { kind: 'static', url: img.url };
  const src = httpURL(str(c.iFrameResource), base);
  if (src) return { kind: 'iframe', url: src };
  const html = typeof c.htmlResource === 'string' ? c.htmlResource : '';
  if (html.trim()) return { kind: 'html', html };
  return null;
}

// chooseCompanions places companions into slots: first a companion whose
// adSlotId names a slot (and fits it, when both sizes are known), then exact
// size matches, then best fit (the fitting slot it fills most), a companion
// of unknown size taking any slot left. Each slot and companion is used once;
// companions with nothing renderable are never placed. `required` (all / any
// / none, from the companions' attributes) decides whether the ad's
// companions may be shown at all: {placements: [{slot, companion}], required,
// ok, code?}; when !ok placements is empty and code is 602.
export function chooseCompanions(companions, slots, base = globalThis.location?.href) {
  const list = Array.isArray(companions) ? companions : [];
  const sl = (Array.isArray(slots) ? slots : []).map((s, i) => ({
    i, w: int(s && s.width), h: int(s && s.height), id: str(s && s.adSlotId),
  }));
  let required = '';
  const cs = list.map((c, i) => {
    const a = (c && typeof c.attributes === 'object' && c.attributes) || {};
    if (!required && str(a.required)) required = str(a.required).toLowerCase();
    return { i, w: int(a.width), h: int(a.height), id: str(a.adSlotId ?? a.adSlotID), ok: resourceOf(c, base) !== null };
  });
  const used = new Set();
  const placed = new Map();
  const fits = (c, s) => !c.w || !c.h || !s.w || !s.h || (c.w <= s.w && c.h <= s.h);
  const place = (c, s) => {
    placed.set(c.i, s.i);
    used.add(s.i);
  };
  for (const c of cs) {
    if (!c.ok || !c.id) continue;
    const s = sl.find((x) => !used.has(x.i) && x.id === c.id && fits(c, x));
    if (s) place(c, s);
  }
  for (const c of cs) {
    if (!c.ok || placed.has(c.i) || !c.w || !c.h) continue;
    const s = sl.find((x) => !used.has(x.i) && x.w === c.w && x.h === c.h);
    if (s) place(c, s);
  }
  for (const c of cs) {
    if (!c.ok || placed.has(c.i) || !c.w || !c.h) continue;
    let best = null;
    let bestFill = 0;
    for (const s of sl) {
      if (used.has(s.i) || !s.w || !s.h || c.w > s.w || c.h > s.h) continue;
      const fill = (c.w * c.h) / (s.w * s.h);
      if (fill > bestFill) {
        best = s;
        bestFill = fill;
      }
    }
    if (best) place(c, best);
  }
  for (const c of cs) {
    if (!c.ok || placed.has(c.i) || (c.w && c.h)) continue;
    const s = sl.find((x) => !used.has(x.i));
    if (s) place(c, s);
  }
  const placements = [...placed].map(([companion, slot]) => ({ slot, companion }))
    .sort((a, b) => a.companion - b.companion);
  let ok = true;
  if (required === 'all') ok = cs.length > 0 && placements.length === cs.length;
  else if (required === 'any') ok = placements.length > 0;
  return ok ? { placements, required, ok } : { placements: [], required, ok, code: COMPANION_ERROR };
}

// CompanionRenderer is returned by createCompanionRenderer.
export class CompanionRenderer {
  constructor(session, slots, opts = {}) {
    this.session = session;
    this.slots = Array.isArray(slots) ? slots.filter((s) => s && s.element) : [];
    this.opts = { render: true, viewThreshold: 0.5, ...opts };
    this.shown = []; // {el, endCard, observer, cleanup}
    this.clicks = 0;
    // impressed is the key of the latest ad whose impression went out.
    this.impressed = '';
    this.onAdStart = (e) => this.show(e.detail || {});
    this.onAdEnd = (e) => this.end(e.detail || {});
    this.onBeacon = (e) => {
      if (e.detail && e.detail.eventType === 'impression') this.impress(e.detail);
    };
    // A VPAID unit reports its own impression; the slate under it may play
    // (live) and emit adprogress before the unit has rendered anything.
    this.onProgress = (e) => {
      const d = e.detail || {};
      if (!(this.current.vpaid && adKey(d) === this.current.key)) this.impress(d);
    };
    // current is the ad of the latest adstart and how many companions its
    // tracking JSON gave: a VPAID unit's own companions (adcompanions, from
    // getAdCompanions) are shown only for that ad and only when it had none.
    this.current = { key: '', count: 0, vpaid: false };
    this.onUnitCompanions = (e) => {
      const d = e.detail || {};
      if (adKey(d) === this.current.key && this.current.count === 0) this.show(d);
    };
    if (session) {
      session.addEventListener('adcompanions', this.onUnitCompanions);
      session.addEventListener('adstart', this.onAdStart);
      session.addEventListener('adend', this.onAdEnd);
      session.addEventListener('beacon', this.onBeacon);
      session.addEventListener('adprogress', this.onProgress);
    }
  }

  // impress marks an ad as viewed and lets its companions count their
  // creativeView. The signal is the ad's impression beacon (the core sends
  // every beacon of a batch before the batch's events reach listeners, so
  // a view fired from here always leaves after the impression), or, for an
  // ad without impression URLs, its first adprogress, which the core emits
  // only once the ad renders (not for a VPAID ad: its unit reports the
  // impression, the slate's playback does not count).
  impress(d) {
    const k = adKey(d);
    if (this.impressed === k) return;
    this.impressed = k;
    for (const rec of this.shown) if (rec.adKey === k) rec.maybeView();
  }

  // show renders the companions of one ad (an adstart detail) and emits a
  // "companion" event on the Session: {availId, adId, companions,
  // placements: [{slot, element, companion}], rendered, required, ok, code?}.
  // With opts.render false nothing is drawn and the host renders from the
  // event itself.
  show(detail) {
    this.clear();
    const companions = Array.isArray(detail.companions) ? detail.companions : [];
    this.current = { key: adKey(detail), count: companions.length, vpaid: !!detail.vpaid || detail.source === 'vpaid' };
    if (companions.length === 0) return null;
    const choice = chooseCompanions(companions, this.slots);
    const placements = choice.placements.map((p) => ({
      slot: p.slot, element: this.slots[p.slot].element, companion: companions[p.companion], index: p.companion,
    }));
    const rendered = this.opts.render !== false && choice.ok;
    if (rendered) {
      for (const p of placements) this.draw(detail, p);
    }
    const out = {
      availId: str(detail.availId), adId: str(detail.adId), companions,
      placements: placements.map(({ slot, element, companion }) => ({ slot, element, companion })),
      rendered, required: choice.required, ok: choice.ok,
    };
    if (!choice.ok) out.code = choice.code;
    try {
      this.session.dispatchEvent(new CustomEvent('companion', { detail: out }));
    } catch { /* not an EventTarget */ }
    // Required companions that cannot be shown fail the ad: its error
    // beacons go out once with 602 and the session emits an `error`.
    if (!choice.ok && this.session && typeof this.session.adError === 'function') this.session.adError(choice.code);
    return out;
  }

  draw(ad, p) {
    const c = p.companion;
    const res = resourceOf(c);
    const a = (c.attributes && typeof c.attributes === 'object' && c.attributes) || {};
    const slot = this.slots[p.slot];
    const w = int(a.width) || int(slot.width);
    const h = int(a.height) || int(slot.height);
    const box = document.createElement('div');
    box.className = 'ak-companion';
    box.dataset.akCompanion = String(p.index);
    // A companion never grows past its slot: the slot's declared height
    // caps a taller size from the tracking reply, and max-width its width.
    const maxH = int(slot.height) || h;
    box.style.cssText = `position:relative;width:${w}px;height:${h}px;max-width:100%;max-height:${maxH}px;overflow:hidden`;
    const rec = {
      el: box, endCard: str(a.renderingMode).toLowerCase() === 'end-card', observer: null,
      loaded: false, visible: false, viewed: false, adKey: adKey(ad), maybeView: null,
    };
    const key = `companion:${str(ad.availId)}:${str(ad.adId)}:${p.index}`;
    const maybeView = () => {
      if (rec.viewed || !rec.loaded || !rec.visible) return;
      if (this.impressed !== rec.adKey) {
        // Shown before the ad's impression (an ad paused before its first
        // frame): held until impress.
        box.dataset.akViewed = 'held';
        return;
      }
      rec.viewed = true;
      box.dataset.akViewed = 'true';
      this.track(ad, 'creativeView', beaconURLs(c.trackingEvents, 'creativeView'), `${key}:creativeView`);
    };
    rec.maybeView = maybeView;
    const loaded = () => {
      rec.loaded = true;
      maybeView();
    };

    if (res.kind === 'static') {
      const img = document.createElement('img');
      img.alt = str(c.altText) || 'Advertisement';
      img.width = w;
      img.height = h;
      img.referrerPolicy = 'no-referrer';
      img.decoding = 'async';
      img.style.cssText = 'display:block;width:100%;height:100%;object-fit:contain';
      img.addEventListener('load', () => {
        // The decoder is the final sniff: anything that is not an image
        // never counts as shown.
        if (img.naturalWidth > 0) loaded();
      }, { once: true });
      img.addEventListener('error', () => box.remove(), { once: true });
      const href = httpURL(str(c.companionClickThrough));
      if (href) {
        const link = adLink(href, () => {
          const urls = [str(c.companionClickTracking)].filter(Boolean);
          this.clicks++;
          this.track(ad, 'companionClickTracking', urls, `${key}:click:${this.clicks}`);
        }, `${img.alt} (opens in a new window)`);
        link.append(img);
        box.append(link);
      } else {
        box.append(img);
      }
      img.src = res.url;
    } else {
      const f = adFrame(str(c.altText) || 'Advertisement', 'border:0;display:block;width:100%;height:100%');
      f.setAttribute('scrolling', 'no');
      f.width = String(w);
      f.height = String(h);
      f.addEventListener('load', loaded, { once: true });
      if (res.kind === 'iframe') f.src = res.url;
      else f.srcdoc = res.html;
      box.append(f);
    }

    if (rec.endCard) {
      const close = document.createElement('button');
      close.type = 'button';
      close.className = 'ak-companion-close';
      close.textContent = '×';
      close.setAttribute('aria-label', 'Close');
      close.style.cssText = 'position:absolute;top:2px;right:2px;z-index:1';
      close.addEventListener('click', () => {
        this.track(ad, 'closeLinear', beaconURLs(ad.trackingEvents, 'closeLinear'), `${key}:closeLinear`);
        this.remove(rec);
      });
      box.append(close);
    }

    slot.element.append(box);
    if (typeof IntersectionObserver === 'function') {
      rec.observer = new IntersectionObserver((entries) => {
        for (const e of entries) {
          if (e.isIntersecting && e.intersectionRatio >= this.opts.viewThreshold) {
            rec.visible = true;
            maybeView();
          }
        }
      }, { threshold: [0, this.opts.viewThreshold, 1] });
      rec.observer.observe(box);
    } else {
      rec.visible = true;
    }
    this.shown.push(rec);
  }

  track(ad, eventType, urls, key) {
    try {
      this.session.fireTracking({ availId: str(ad.availId), adId: str(ad.adId), eventType, urls, key });
    } catch (e) {
      console.warn('availkit: fireTracking failed', e);
    }
  }

  remove(rec) {
    rec.observer?.disconnect();
    rec.el.remove();
    this.shown = this.shown.filter((r) => r !== rec);
  }

  // end removes the companions of an ending ad, keeping end-cards.
  end() {
    for (const rec of [...this.shown]) if (!rec.endCard) this.remove(rec);
  }

  // clear removes every companion, end-cards included.
  clear() {
    for (const rec of [...this.shown]) this.remove(rec);
  }

  // destroy clears the slots and drops the Session listeners.
  destroy() {
    this.clear();
    if (this.session) {
      this.session.removeEventListener('adstart', this.onAdStart);
      this.session.removeEventListener('adend', this.onAdEnd);
      this.session.removeEventListener('adcompanions', this.onUnitCompanions);
      this.session.removeEventListener('beacon', this.onBeacon);
      this.session.removeEventListener('adprogress', this.onProgress);
    }
  }
}

// createCompanionRenderer renders companions into slots ({element, width,
// height, adSlotId}, the Session's companionSlots option) on every adstart
// (and on adcompanions: a VPAID unit's own, for an ad without any in the
// tracking JSON) and clears them on adend. opts.render false only emits
// "companion" events so the host can render itself; opts.viewThreshold (0.5) is the visible
// fraction that counts as shown. The caller must call destroy.
export function createCompanionRenderer(session, slots, opts = {}) {
  return new CompanionRenderer(session, slots, opts);
}
