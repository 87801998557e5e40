// driver.js connects an ad's Open Measurement verifications to a host's OM
// service, or reports them as not executed.
//
// availkit does not contain the IAB OM SDK (it is licensed to integrators
// through IAB Tech Lab's certification). A host that has it passes an
// `omid` session option: an object whose createAdSession(ctx) starts an OM
// ad session for one ad (loading the ad's verification scripts the way its
// OM SDK service does, in "limited" access mode by default: sandboxed,
// cross-origin frames) and returns {event(type, data), finish()}. This
// driver then feeds that session the ad's life: loaded, impression, start,
// quartiles, pause/resume, volume, player state, clicks, geometry, skip,
// complete and errors, then finish() at the ad end.
//
// Without a service, every verification of an ad fires its
// verificationNotExecuted tracking once, with [REASON] 2 (verification not
// supported); with one, a verification the service cannot run fires it
// with the reason the service gives (1 rejected, 3 load error), and a
// verification with no OMID JavaScript resource fires it with 2.
//
// Each verification's outcome is also dispatched on the Session as a
// "verification" event ({availId, adId, vendor, status, reason}): status
// 'executed' once the host's service started the OM ad session that runs
// it, 'notExecuted' with its [REASON] when it was reported not executed
// (after 'executed' too, when the service gives up on it later).

// REASON holds the VAST 4.1 verificationNotExecuted [REASON] codes.
export const REASON = Object.freeze({ REJECTED: 1, NOT_SUPPORTED: 2, LOAD_ERROR: 3 });

const QUARTILES = [[0.25, 'firstQuartile'], [0.5, 'midpoint'], [0.75, 'thirdQuartile']];

// omidResources returns a verification's OMID JavaScript resources with an
// http(s) URL: the only kind a web OM service can load.
export function omidResources(v) {
  const list = v && Array.isArray(v.javaScriptResource) ? v.javaScriptResource : [];
  return list.filter((r) => r && String(r.apiFramework || '').toLowerCase() === 'omid'
    && typeof r.uri === 'string' && /^https?:\/\//i.test(r.uri.trim()));
}

// notExecutedURLs returns a verification's verificationNotExecuted URLs.
export function notExecutedURLs(v) {
  const evs = v && Array.isArray(v.trackingEvents) ? v.trackingEvents : [];
  return evs.filter((e) => e && e.event === 'verificationNotExecuted' && typeof e.uri === 'string' && e.uri.trim())
    .map((e) => e.uri.trim());
}

// OMIDDriver is one session's driver; createOMIDDriver makes it.
export class OMIDDriver {
  constructor(session, video, container, service) {
    this.session = session;
    this.video = video || null;
    this.container = container || null;
    this.service = service && typeof service.createAdSession === 'function' ? service : null;
    this.accessMode = (service && service.accessMode) || 'limited';
    this.ad = null;
    const on = (target, type, fn) => {
      if (!target) return;
      target.addEventListener(type, fn);
      this._off.push(() => target.removeEventListener(type, fn));
    };
    this._off = [];
    on(session, 'adstart', (e) => this.start(e.detail || {}));
    on(session, 'adprogress', (e) => this.progress(e.detail || {}));
    on(session, 'adend', (e) => this.end(e.detail || {}));
    on(session, 'error', (e) => this.error(e.detail || {}));
    on(session, 'beacon', (e) => {
      const d = e.detail || {};
      if (d.eventType === 'clickTracking' && this.matches(d)) this.send('adUserInteraction', { interactionType: 'click' });
    });
    on(this.video, 'pause', () => {
      if (!this.ad || this.ad.paused || (this.video && this.video.ended)) return;
      this.ad.paused = true;
      this.send('pause');
    });
    on(this.video, 'play', () => {
      if (!this.ad || !this.ad.paused) return;
      this.ad.paused = false;
      this.send('resume');
    });
    on(this.video, 'volumechange', () => {
      // muted and volume changes each fire volumechange; report values.
      const v = this.volume();
      if (!this.ad || v === this.ad.volume) return;
      this.ad.volume = v;
      this.send('volumeChange', { mediaPlayerVolume: v });
    });
    if (typeof document !== 'undefined') {
      on(document, 'fullscreenchange', () => this.send('playerStateChange', { state: this.playerState() }));
    }
  }

  matches(d) {
    return this.ad && d.availId === this.ad.availId && d.adId === this.ad.adId;
  }

  volume() {
    const v = this.video;
    if (!v) return 1;
    return v.muted ? 0 : Math.max(0, Math.min(1, v.volume));
  }

  playerState() {
    if (typeof document === 'undefined') return 'normal';
    const fs = document.fullscreenElement;
    return fs && (fs === this.video || fs === this.container || fs.contains(this.video)) ? 'fullscreen' : 'normal';
  }

  // start begins an ad: with a service, an OM ad session for its OMID
  // verifications; without one, verificationNotExecuted for each.
  start(d) {
    this.finish();
    const verifications = Array.isArray(d.adVerifications) ? d.adVerifications : [];
    if (!verifications.length) return;
    const ad = {
      availId: String(d.availId || ''), adId: String(d.adId || ''), duration: +d.duration || 0,
      verifications, runnable: [], quartiles: 0, paused: false, ended: false, om: null, queue: [], reported: new Set(),
    };
    this.ad = ad;
    for (const v of verifications) {
      if (this.service && omidResources(v).length) ad.runnable.push(v);
      else this.notExecuted(ad, v, REASON.NOT_SUPPORTED);
    }
    if (!ad.runnable.length) {
      this.ad = null;
      return;
    }
    const ctx = {
      availId: ad.availId, adId: ad.adId, adTitle: String(d.adTitle || ''), adSystem: String(d.adSystem || ''),
      creativeId: String(d.creativeId || ''), duration: ad.duration, skipOffset: +d.skipOffset,
      position: d.position || '', accessMode: this.accessMode,
      verifications: ad.runnable.map((v) => ({ ...v, javaScriptResource: omidResources(v) })),
      video: this.video, slot: this.container, partner: { name: 'availkit', version: '1' },
      notExecuted: (vendor, reason) => {
        for (const v of ad.runnable) if (v.vendor === vendor) this.notExecuted(ad, v, reason);
      },
    };
    this.send('loaded', {
      skippable: +d.skipOffset >= 0, skipOffset: +d.skipOffset >= 0 ? +d.skipOffset : null,
      autoPlay: true, position: ctx.position,
    });
    this.send('impression');
    ad.volume = this.volume();
    this.send('start', { duration: ad.duration, mediaPlayerVolume: ad.volume });
    this.send('geometryChange', this.geometry());
    // The driver is fetched by the first ad with verifications, so the
    // player may have paused before it listened: report the state it finds.
    if (this.video && this.video.paused && !this.video.ended) {
      ad.paused = true;
      this.send('pause');
    }
    this.observe();
    // A session returned directly is used at once; a promised one gets the
    // events queued meanwhile, and is finished at once if the ad ended.
    const attach = (om) => {
      if (!om || typeof om.event !== 'function') throw new Error('createAdSession returned no session');
      ad.om = om;
      for (const v of ad.runnable) if (!ad.reported.has(ad.verifications.indexOf(v))) this.status(ad, v, 'executed', 0);
      for (const [t, data] of ad.queue) this.deliver(ad, t, data);
      ad.queue = [];
      if (ad.ended) this.finishOM(ad);
    };
    try {
      const res = this.service.createAdSession(ctx);
      if (res && typeof res.then === 'function') res.then(attach).catch((e) => this.failed(ad, e));
      else attach(res);
    } catch (e) {
      this.failed(ad, e);
    }
  }

  // failed reports every verification of an ad whose OM session could not
  // start as not executed (load error).
  failed(ad, e) {
    this.log(`omid: createAdSession failed: ${e && e.message || e}`);
    for (const v of ad.runnable) this.notExecuted(ad, v, REASON.LOAD_ERROR);
    if (this.ad === ad) this.finish();
  }

  notExecuted(ad, v, reason) {
    const i = ad.verifications.indexOf(v);
    if (ad.reported.has(i)) return;
    ad.reported.add(i);
    this.status(ad, v, 'notExecuted', reason);
    const urls = notExecutedURLs(v);
    if (!urls.length) return;
    try {
      this.session.fireTracking({ availId: ad.availId, adId: ad.adId, eventType: 'verificationNotExecuted', urls, key: `omid:${i}`, reason });
    } catch (e) {
      this.log(`omid: fireTracking failed: ${e && e.message || e}`);
    }
  }

  // status tells the host (and the QA page) what became of a verification.
  status(ad, v, status, reason) {
    if (typeof this.session.dispatchEvent !== 'function') return;
    const detail = { availId: ad.availId, adId: ad.adId, vendor: String(v.vendor || ''), status, reason };
    this.session.dispatchEvent(new CustomEvent('verification', { detail }));
  }

  // send queues or delivers one event to the current ad's OM session.
  send(type, data = {}) {
    const ad = this.ad;
    if (!ad || ad.ended) return;
    if (!ad.om) {
      ad.queue.push([type, data]);
      return;
    }
    this.deliver(ad, type, data);
  }

  deliver(ad, type, data) {
    try {
      ad.om.event(type, data);
    } catch (e) {
      this.log(`omid: event ${type}: ${e && e.message || e}`);
    }
  }

  progress(d) {
    const ad = this.ad;
    if (!ad || !this.matches(d) || !(ad.duration > 0)) return;
    const f = (+d.adPlayhead || 0) / ad.duration;
    while (ad.quartiles < QUARTILES.length && f >= QUARTILES[ad.quartiles][0]) {
      this.send(QUARTILES[ad.quartiles][1]);
      ad.quartiles++;
    }
  }

  end(d) {
    const ad = this.ad;
    if (!ad || !this.matches(d)) return;
    if (d.skipped) {
      this.send('skipped');
    } else {
      while (ad.quartiles < QUARTILES.length) this.send(QUARTILES[ad.quartiles++][1]);
      this.send('complete');
    }
    this.finish();
  }

  error(d) {
    if (!this.ad || d.source !== 'ad') return;
    this.send('error', { errorType: 'video', code: +d.code || 0, message: String(d.message || '') });
  }

  geometry() {
    const el = this.video || this.container;
    if (!el || typeof el.getBoundingClientRect !== 'function') return { x: 0, y: 0, width: 0, height: 0, percentageInView: 0 };
    const r = el.getBoundingClientRect();
    const vw = globalThis.innerWidth || 0;
    const vh = globalThis.innerHeight || 0;
    const w = Math.max(0, Math.min(r.right, vw) - Math.max(r.left, 0));
    const h = Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0));
    const area = r.width * r.height;
    const pct = area > 0 ? Math.round((w * h * 100) / area) : 0;
    return { x: Math.round(r.left), y: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height), percentageInView: pct };
  }

  // observe reports geometry changes while the ad plays: visibility steps
  // (IntersectionObserver) and size changes (ResizeObserver).
  observe() {
    const el = this.video || this.container;
    if (!el) return;
    const report = () => this.send('geometryChange', this.geometry());
    const obs = [];
    if (typeof IntersectionObserver === 'function') {
      let first = true;
      const io = new IntersectionObserver(() => {
        if (first) {
          first = false; // the initial callback repeats the start geometry
          return;
        }
        report();
      }, { threshold: [0, 0.25, 0.5, 0.75, 1] });
      io.observe(el);
      obs.push(io);
    }
    if (typeof ResizeObserver === 'function') {
      let first = true;
      const ro = new ResizeObserver(() => {
        if (first) {
          first = false;
          return;
        }
        report();
      });
      ro.observe(el);
      obs.push(ro);
    }
    this._observers = obs;
  }

  // finish ends the current ad's OM session.
  finish() {
    for (const o of this._observers || []) o.disconnect();
    this._observers = [];
    const ad = this.ad;
    if (!ad) return;
    ad.ended = true;
    this.ad = null;
    if (ad.om) this.finishOM(ad);
  }

  finishOM(ad) {
    if (typeof ad.om.finish !== 'function') return;
    try {
      ad.om.finish();
    } catch (e) {
      this.log(`omid: finish: ${e && e.message || e}`);
    }
  }

  log(m) {
    if (typeof console !== 'undefined') console.warn(`availkit: ${m}`);
  }

  destroy() {
    this.finish();
    for (const off of this._off) off();
    this._off = [];
  }
}

// createOMIDDriver makes the driver for a session; service is the host's
// `omid` option (undefined: verifications are reported as not executed).
export function createOMIDDriver(session, video, container, service) {
  return new OMIDDriver(session, video, container, service);
}
