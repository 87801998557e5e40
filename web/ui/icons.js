// icons.js draws an ad's industry icons (VAST <Icon>: AdChoices, Google
// "Why this ad") over the video while the ad plays.
//
// The icons come in the adstart detail (icons[], decoded by the core from
// the ad's extensions). Each is drawn at its xPosition/yPosition and size
// from `offset` for `duration` seconds of ad time (0: to the ad end).
// IconViewTracking fires once per ad when the icon is first on screen (its
// image loaded) and the ad's impression has gone out; IconClickTracking fires on every click. Both go through
// the core's fireTracking, so dedupe, macros and server-mode rules are the
// core's. A click opens the icon's click-through in a new window (http/https
// only, noopener, within the click's user gesture); an icon without one
// opens its fallback image panel (Google's IconClickFallbackImages) over
// the video, pausing the ad until the panel is closed. Nothing is drawn
// for an ad whose VPAID or SIMID unit says it draws its own icons (an
// "adicons" event with adIcons true).

import { adFrame, httpURL, imageSource, openClickThrough } from '../companions/safety.js';

const int = (v) => (Number.isFinite(+v) && +v > 0 ? Math.round(+v) : 0);
const str = (v) => (typeof v === 'string' ? v.trim() : '');
const MAX_ICONS = 8;
const adKey = (d) => `${String((d && d.availId) || '')}\n${String((d && d.adId) || '')}`;
const sameAd = (ad, d) => adKey(ad) === adKey(d);
const DEFAULT_SIZE = 24;

// iconResource picks what an icon is drawn from, most contained first: an
// image cannot run script.
export function iconResource(icon) {
  const img = imageSource(str(icon.staticResource), str(icon.creativeType));
  if (img.ok) return { kind: 'static', url: img.url };
  const src = httpURL(str(icon.iFrameResource));
  if (src) return { kind: 'iframe', url: src };
  if (str(icon.htmlResource)) return { kind: 'html', html: icon.htmlResource };
  return null;
}

// iconVisible says whether an icon is up at ad time t (seconds).
export function iconVisible(icon, t) {
  const off = Math.max(0, +icon.offset || 0);
  const dur = Math.max(0, +icon.duration || 0);
  return t >= off && (dur === 0 || t < off + dur);
}

// placement returns the CSS position of an icon: keywords pin it to an
// edge, numbers are pixels from the left/top edge.
export function placement(icon) {
  const x = str(icon.xPosition).toLowerCase();
  const y = str(icon.yPosition).toLowerCase();
  const out = {};
  if (x === 'left') out.left = '0px';
  else if (/^\d+$/.test(x)) out.left = `${x}px`;
  else out.right = '0px';
  if (y === 'bottom') out.bottom = '0px';
  else if (/^\d+$/.test(y)) out.top = `${y}px`;
  else out.top = '0px';
  return out;
}

// pickFallback chooses the fallback image to show in a panel maxWidth CSS
// pixels wide at device pixel ratio dpr: the smallest image sharp enough,
// else the largest. It returns {image, width, height} in CSS pixels, or
// null when no image is usable.
export function pickFallback(images, maxWidth, dpr = 1) {
  const ok = (Array.isArray(images) ? images : [])
    .filter((im) => im && imageSource(str(im.staticResource), str(im.creativeType)).ok)
    .sort((a, b) => int(a.width) - int(b.width));
  if (!ok.length) return null;
  const base = ok[0];
  const bw = int(base.width) || 400;
  const bh = int(base.height) || Math.round(bw * 0.375);
  const w = Math.min(bw, Math.max(1, maxWidth || bw));
  const h = Math.round((bh * w) / bw);
  const need = w * (dpr > 0 ? dpr : 1);
  const image = ok.find((im) => (int(im.width) || bw) >= need) || ok[ok.length - 1];
  return { image, width: w, height: h };
}

// IconRenderer is returned by createIconRenderer; it emits "iconshow",
// "iconclick" and "iconpanel" ({availId, adId, index, program}) for hosts
// and QA tools.
export class IconRenderer extends EventTarget {
  constructor(session, video, container) {
    super();
    this.session = session;
    this.video = video || null;
    this.container = container;
    this.ad = null;
    this.layer = null;
    this.panel = null;
    this._off = [];
    const on = (target, type, fn) => {
      if (!target) return;
      target.addEventListener(type, fn);
      this._off.push(() => target.removeEventListener(type, fn));
    };
    // impressed is the key of the latest ad whose impression went out: an
    // icon's view counts only after it (IAB: IconViewTracking is a view of
    // the ad's icon, and the ad is not viewed before its impression). The
    // signal is the impression beacon, or for an ad without impression URLs
    // its first adprogress (emitted once the ad renders), as for companions;
    // a VPAID unit reports its own impression, the slate's progress does
    // not count.
    this.impressed = '';
    on(session, 'adstart', (e) => this.start(e.detail || {}, false));
    on(session, 'vpaidstart', (e) => this.start(e.detail || {}, true));
    on(session, 'beacon', (e) => this.replay(e));
    on(session, 'adprogress', (e) => {
      const d = e.detail || {};
      if (!(this.ad && this.ad.vpaid && sameAd(this.ad, d))) this.impress(d);
      this.tick(d);
    });
    on(session, 'adend', (e) => this.end(e.detail || {}));
    on(session, 'adbreakend', () => this.clear());
    on(session, 'adicons', (e) => this.replay(e));
  }

  // replay takes an adicons or beacon event, live or one that came while
  // this module loaded (web/core/mount.js).
  replay(e) {
    const d = (e && e.detail) || {};
    if (e.type === 'beacon') {
      if (d.eventType === 'impression') this.impress(d);
    } else if (e.type === 'adicons') {
      if (this.ad && d.adIcons === true && sameAd(this.ad, d)) {
        this.ad.suppressed = true;
        this.removeIcons();
      }
    }
  }

  start(d, vpaid) {
    this.clear();
    const icons = (Array.isArray(d.icons) ? d.icons : []).slice(0, MAX_ICONS)
      .map((icon, index) => ({ icon, index, res: iconResource(icon), el: null, loaded: false, viewed: false, clicks: 0 }))
      .filter((x) => x.res);
    if (!icons.length) return;
    this.ad = { availId: String(d.availId || ''), adId: String(d.adId || ''), icons, suppressed: false, vpaid };
    this.tick(d);
  }

  // impress records an ad's impression and counts the views its icons
  // were holding.
  impress(d) {
    const k = adKey(d);
    if (this.impressed === k) return;
    this.impressed = k;
    if (!this.ad || adKey(this.ad) !== k) return;
    for (const it of this.ad.icons) if (it.loaded) this.viewed(it);
  }

  // tick shows and hides the icons for the ad time of an adstart or
  // adprogress detail.
  tick(d) {
    const ad = this.ad;
    if (!ad || ad.suppressed || !sameAd(ad, d)) return;
    const t = +d.adPlayhead || 0;
    for (const it of ad.icons) {
      const want = iconVisible(it.icon, t);
      if (want && !it.el) this.draw(it);
      else if (!want && it.el) {
        it.el.remove();
        it.el = null;
      }
    }
  }

  ensureLayer() {
    if (this.layer && this.layer.isConnected) return this.layer;
    const l = document.createElement('div');
    l.className = 'ak-icons';
    l.style.cssText = 'position:absolute;inset:0;pointer-events:none;z-index:4';
    this.container.appendChild(l);
    this.layer = l;
    return l;
  }

  draw(it) {
    const { icon, res, index } = it;
    const ad = this.ad;
    const w = int(icon.width);
    const h = int(icon.height);
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'ak-icon';
    btn.dataset.program = str(icon.program);
    btn.setAttribute('aria-label', str(icon.program) || 'Ad information');
    btn.style.cssText = 'position:absolute;padding:0;margin:0;border:0;background:transparent;cursor:pointer;pointer-events:auto;line-height:0';
    Object.assign(btn.style, placement(icon));
    if (w) btn.style.width = `${w}px`;
    if (h) btn.style.height = `${h}px`;
    if (!w || !h) {
      btn.style.width = btn.style.width || `${DEFAULT_SIZE}px`;
      btn.style.height = btn.style.height || `${DEFAULT_SIZE}px`;
    }
    const viewed = () => this.viewed(it);
    if (res.kind === 'static') {
      const img = document.createElement('img');
      img.alt = '';
      img.decoding = 'async';
      img.referrerPolicy = 'no-referrer';
      img.style.cssText = 'width:100%;height:100%;display:block;pointer-events:none';
      img.addEventListener('load', () => { if (img.naturalWidth > 0) viewed(); }, { once: true });
      img.addEventListener('error', () => { btn.remove(); if (it.el === btn) it.el = null; }, { once: true });
      img.src = res.url;
      btn.appendChild(img);
    } else {
      const f = adFrame(str(icon.program) || 'Ad information', 'border:0;width:100%;height:100%;display:block;pointer-events:none');
      f.addEventListener('load', viewed, { once: true });
      if (res.kind === 'iframe') f.src = res.url;
      else f.srcdoc = res.html;
      btn.appendChild(f);
    }
    btn.addEventListener('click', (e) => {
      e.preventDefault();
      e.stopPropagation();
      this.click(it);
    });
    this.ensureLayer().appendChild(btn);
    it.el = btn;
    this.emit('iconshow', ad, it);
  }

  viewed(it) {
    it.loaded = true;
    // Not on screen (hidden by ad time or by a unit drawing its own): no view.
    if (it.viewed || !it.el || !this.ad || this.ad.suppressed || this.impressed !== adKey(this.ad)) return;
    it.viewed = true;
    this.fire('iconViewTracking', it.icon.viewTracking, `icon:${it.index}:view`);
  }

  click(it) {
    const ad = this.ad;
    if (!ad) return;
    it.clicks++;
    // One key per click: IconClickTracking counts every click.
    this.fire('iconClickTracking', it.icon.clickTracking, `icon:${it.index}:click:${it.clicks}`);
    this.emit('iconclick', ad, it);
    if (openClickThrough(it.icon.clickThrough, { requireActivation: true })) return;
    if (!httpURL(str(it.icon.clickThrough))) this.openPanel(it);
  }

  fire(eventType, urls, key) {
    const list = (Array.isArray(urls) ? urls : []).filter((u) => typeof u === 'string' && u.trim());
    if (!list.length || !this.ad) return;
    try {
      this.session.fireTracking({ availId: this.ad.availId, adId: this.ad.adId, eventType, urls: list, key });
    } catch (e) {
      console.warn('availkit: fireTracking failed', e);
    }
  }

  // openPanel shows the icon's fallback image over the video and pauses
  // the ad until the viewer closes it.
  openPanel(it) {
    const box = this.container.getBoundingClientRect();
    const pick = pickFallback(it.icon.fallbackImages, Math.floor(box.width * 0.9), globalThis.devicePixelRatio || 1);
    if (!pick) return;
    this.closePanel();
    const panel = document.createElement('div');
    panel.className = 'ak-icon-panel';
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-modal', 'false');
    panel.setAttribute('aria-label', str(pick.image.altText) || 'Ad information');
    panel.style.cssText = 'position:absolute;left:50%;top:50%;transform:translate(-50%,-50%);pointer-events:auto;'
      + 'background:#fff;box-shadow:0 2px 12px rgba(0,0,0,.5);line-height:0';
    const img = document.createElement('img');
    img.alt = str(pick.image.altText);
    img.referrerPolicy = 'no-referrer';
    img.width = pick.width;
    img.height = pick.height;
    img.src = imageSource(str(pick.image.staticResource), str(pick.image.creativeType)).url;
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'ak-icon-panel-close';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Close');
    close.style.cssText = 'position:absolute;top:2px;right:2px;font:18px/1 sans-serif;padding:2px 6px;cursor:pointer';
    close.addEventListener('click', (e) => {
      e.stopPropagation();
      this.closePanel();
    });
    panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.closePanel();
    });
    panel.append(img, close);
    this.ensureLayer().appendChild(panel);
    const v = this.video;
    this.panel = { el: panel, resume: !!(v && !v.paused) };
    if (this.panel.resume) v.pause();
    close.focus();
    this.emit('iconpanel', this.ad, it);
  }

  closePanel() {
    const p = this.panel;
    if (!p) return;
    this.panel = null;
    p.el.remove();
    if (p.resume && this.video) this.video.play().catch(() => {});
  }

  emit(type, ad, it) {
    this.dispatchEvent(new CustomEvent(type, {
      detail: { availId: ad.availId, adId: ad.adId, index: it.index, program: str(it.icon.program) },
    }));
  }

  end(d) {
    if (this.ad && d.availId === this.ad.availId && d.adId === this.ad.adId) this.clear();
  }

  removeIcons() {
    this.closePanel();
    if (!this.ad) return;
    for (const it of this.ad.icons) {
      if (it.el) it.el.remove();
      it.el = null;
    }
  }

  clear() {
    this.removeIcons();
    this.ad = null;
    if (this.layer) this.layer.remove();
    this.layer = null;
  }

  destroy() {
    this.clear();
    for (const off of this._off) off();
    this._off = [];
  }
}

// createIconRenderer draws the icons of the session's ads into container
// (the element over the video). The caller must call destroy.
export function createIconRenderer(session, video, container) {
  return new IconRenderer(session, video, container);
}
