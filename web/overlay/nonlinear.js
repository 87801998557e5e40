// nonlinear.js shows non-linear (overlay) ads over the content video.
//
// A non-linear avail (tracking JSON nonLinearAvails[]) is shown when the
// Session emits "nonlinear" for it, for its duration (else its
// minSuggestedDuration, else opts.defaultSeconds) of content actually played
// — paused or seeking time does not count. Resources render like companions:
// StaticResource as <img>, IFrameResource/HTMLResource in iframes sandboxed
// without allow-same-origin. A static overlay is clickable (http(s)
// click-through, noopener, clickTracking); every overlay has a close button
// (close). impression/creativeView/start fire once when it is first visible.

import { adFrame, adLink, beaconURLs, httpURL, imageSource } from '../companions/safety.js';

const str = (v) => (typeof v === 'string' ? v.trim() : '');

// seconds reads a duration given as seconds or as an ISO-8601 "PT…" string
// (hours, minutes, seconds), 0 when absent or malformed.
export function seconds(v) {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v : 0;
  const m = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(str(v));
  if (!m || str(v) === 'PT') return 0;
  return (Number(m[1] || 0) * 3600) + (Number(m[2] || 0) * 60) + Number(m[3] || 0);
}

// overlayDuration is how long a non-linear ad stays up.
export function overlayDuration(ad, fallback) {
  return seconds(ad.durationInSeconds) || seconds(ad.duration)
    || seconds(ad.minSuggestedDurationInSeconds) || seconds(ad.minSuggestedDuration) || fallback;
}

function resourceOf(ad) {
  const img = imageSource(str(ad.staticResource), str(ad.staticResourceCreativeType));
  if (img.ok) return { kind: 'static', url: img.url };
  const src = httpURL(str(ad.iFrameResource));
  if (src) return { kind: 'iframe', url: src };
  if (str(ad.htmlResource)) return { kind: 'html', html: ad.htmlResource };
  return null;
}

// NonLinearRenderer is returned by createNonLinearRenderer. It is an
// EventTarget emitting "overlayshow" and "overlayhide" ({availId, adId,
// reason}) for hosts that lay out around the overlay.
export class NonLinearRenderer extends EventTarget {
  constructor(session, video, container, opts = {}) {
    super();
    this.session = session;
    this.video = video;
    this.container = container;
    this.opts = { defaultSeconds: 10, ...opts };
    this.cur = null;
    this.onNonLinear = (e) => this.show(e.detail || {});
    this.onTime = () => this.tick();
    if (session) session.addEventListener('nonlinear', this.onNonLinear);
    if (video) video.addEventListener('timeupdate', this.onTime);
  }

  // show puts up the first renderable overlay of a non-linear avail (its
  // nonLinearAdsList[].nonLinearAdList[]). It replaces any overlay showing.
  show(avail) {
    this.hide('replaced');
    const lists = Array.isArray(avail.nonLinearAdsList) ? avail.nonLinearAdsList : [];
    for (const group of lists) {
      const ads = group && Array.isArray(group.nonLinearAdList) ? group.nonLinearAdList : [];
      for (const ad of ads) {
        const res = ad && typeof ad === 'object' ? resourceOf(ad) : null;
        if (res) return this.draw(avail, group, ad, res);
      }
    }
    return false;
  }

  draw(avail, group, ad, res) {
    const availId = str(avail.availId);
    const adId = str(ad.adId) || str(ad.creativeId);
    // The size comes from the tracking reply, so it is hostile: the box is
    // clamped to the container (16 px side margins, 48 px for the controls
    // below, 16 above) and sits in a layer that clips to it, so no size an
    // ad server sends can cover the page around the player.
    const cw = this.container.clientWidth || 640;
    const ch = this.container.clientHeight || 360;
    const w = Math.max(0, Math.min(Number(ad.width) || 480, cw - 16));
    const h = Math.max(0, Math.min(Math.round((Number(ad.height) || 70) * (w / (Number(ad.width) || w))), ch - 64));
    const layer = document.createElement('div');
    layer.className = 'ak-nonlinear-layer';
    layer.style.cssText = 'position:absolute;inset:0;overflow:hidden;pointer-events:none;z-index:3';
    const box = document.createElement('div');
    box.className = 'ak-nonlinear';
    box.setAttribute('role', 'complementary');
    box.setAttribute('aria-label', 'Advertisement');
    box.style.cssText = `position:absolute;left:50%;bottom:48px;transform:translateX(-50%);width:${w}px;height:${h}px;`
      + 'max-width:calc(100% - 16px);max-height:calc(100% - 64px);pointer-events:auto';
    layer.append(box);
    const cur = {
      availId, adId, avail, group, ad, box, layer, shown: false, played: 0,
      last: this.video ? this.video.currentTime : 0,
      duration: overlayDuration(ad, this.opts.defaultSeconds), clicks: 0, observer: null,
    };
    const key = `nonlinear:${availId}:${adId}`;
    const visible = () => {
      if (cur.shown || this.cur !== cur) return;
      cur.shown = true;
      for (const type of ['impression', 'creativeView', 'start']) {
        this.track(cur, type, beaconURLs(group.trackingEvents, type), `${key}:${type}`);
      }
      this.dispatchEvent(new CustomEvent('overlayshow', { detail: { availId, adId } }));
    };

    let el;
    if (res.kind === 'static') {
      el = document.createElement('img');
      el.alt = str(ad.adTitle) || 'Advertisement';
      el.referrerPolicy = 'no-referrer';
      el.style.cssText = 'display:block;width:100%;height:100%;object-fit:contain';
      el.addEventListener('load', () => { if (el.naturalWidth > 0) visible(); }, { once: true });
      el.addEventListener('error', () => this.hide('error'), { once: true });
      const href = httpURL(str(ad.clickThrough));
      if (href) {
        const link = adLink(href, () => {
          cur.clicks++;
          const urls = [...beaconURLs(group.trackingEvents, 'clickTracking'), str(ad.clickTracking)].filter(Boolean);
          this.track(cur, 'clickTracking', urls, `${key}:click:${cur.clicks}`);
        });
        link.append(el);
        box.append(link);
      } else {
        box.append(el);
      }
      el.src = res.url;
    } else {
      el = adFrame('Advertisement', 'border:0;display:block;width:100%;height:100%');
      el.addEventListener('load', visible, { once: true });
      if (res.kind === 'iframe') el.src = res.url;
      else el.srcdoc = res.html;
      box.append(el);
    }

    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'ak-nonlinear-close';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Close advertisement');
    close.style.cssText = 'position:absolute;top:-10px;right:-10px;width:22px;height:22px;border-radius:11px;border:0;background:#000c;color:#fff;cursor:pointer';
    close.addEventListener('click', () => {
      this.track(cur, 'close', beaconURLs(group.trackingEvents, 'close'), `${key}:close`);
      this.hide('closed');
    });
    box.append(close);

    this.cur = cur;
    this.container.append(layer);
    return true;
  }

  // tick counts content time actually played while the overlay is up; a jump
  // (seek) is not playing.
  tick() {
    const cur = this.cur;
    if (!cur || !this.video) return;
    const t = this.video.currentTime;
    const d = t - cur.last;
    cur.last = t;
    if (d > 0 && d < 1.5 && !this.video.seeking) cur.played += d;
    if (cur.played >= cur.duration) this.hide('ended');
  }

  track(cur, eventType, urls, key) {
    if (urls.length === 0) return;
    try {
      this.session.fireTracking({ availId: cur.availId, adId: cur.adId, eventType, urls, key });
    } catch (e) {
      console.warn('availkit: fireTracking failed', e);
    }
  }

  // hide takes the overlay down.
  hide(reason = 'hidden') {
    const cur = this.cur;
    if (!cur) return;
    this.cur = null;
    cur.layer.remove();
    this.dispatchEvent(new CustomEvent('overlayhide', { detail: { availId: cur.availId, adId: cur.adId, reason } }));
  }

  // destroy hides the overlay and drops every listener.
  destroy() {
    this.hide('destroyed');
    if (this.session) this.session.removeEventListener('nonlinear', this.onNonLinear);
    if (this.video) this.video.removeEventListener('timeupdate', this.onTime);
  }
}

// createNonLinearRenderer shows non-linear avails over video inside
// container (a positioned element around the video) whenever session emits
// "nonlinear" with a nonLinearAvails[] entry as detail. opts.defaultSeconds
// (10) applies when the ad gives no duration. The caller must call destroy.
export function createNonLinearRenderer(session, video, container, opts = {}) {
  return new NonLinearRenderer(session, video, container, opts);
}
