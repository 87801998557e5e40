// runner.js runs VPAID 2.0 JavaScript units for a Session, isolated from the
// host page.
//
// Each ad gets a fresh iframe on frame.html, sandboxed without
// allow-same-origin (an opaque origin), holding its own slot and <video>. The
// host and the frame talk by postMessage: the host accepts a message only from
// that iframe's window and, after the first hello, only with the ad's random
// token (bridge.js); every field is type-checked, events are forwarded to
// the Session at most once (state events) or on real changes (pause/play,
// mute) (unitevents.js), nothing is accepted after the ad ends, and a unit
// that floods the bridge or stops answering its pings is cut off
// (watchdog.js). Every awaited reply has a timeout; a timeout or AdError
// ends the ad with VAST error 901 and returns to content.
//
// The runner itself owns an ad's life: its phases and their timeouts, the
// player's calls into the unit, and the hand-back of content
// (controls.js). Frames come from frames.js, the slot's size from slot.js.

import { httpURL } from '../companions/safety.js';
import { ContentControls } from './controls.js';
import { hello, randomToken, receive } from './bridge.js';
import { SpareFrame, unitFrame } from './frames.js';
import { slotSize, watchSlot } from './slot.js';
import { num, str } from './unitevents.js';
import { MessageCap, overstayDeadline } from './watchdog.js';

// VPAID_ERROR is the VAST error code for any VPAID failure.
export const VPAID_ERROR = 901;

const DEFAULTS = {
  frameUrl: new URL('./frame.html', import.meta.url).href,
  loadTimeoutMs: 10000,
  replyTimeoutMs: 5000,
  // graceMs is how long past the avail's duration (or the unit's own
  // remaining time) the unit may run before the runner asks it to stop.
  graceMs: 3000,
  // maxAdSeconds caps a unit that keeps extending its remaining time.
  maxAdSeconds: 180,
  maxMessagesPerSecond: 120,
  // A frame with a ping unanswered for unresponsiveMs is removed (0: never).
  pingMs: 1000,
  unresponsiveMs: 5000,
  desiredBitrate: 1000,
  pollMs: 250,
  autoStart: true,
  live: undefined,
  prewarm: 'auto',
};

// VPAIDRunner is returned by createVPAIDRunner. It is an EventTarget that
// emits "vpaidstate" ({phase, availId, adId, t}) on each phase change and
// "vpaidprogress" ({availId, adId, remaining, duration, skippable}); the
// latter is also dispatched on the Session so the ad UI can show the unit's
// own countdown.
export class VPAIDRunner extends EventTarget {
  constructor(session, video, container, opts = {}) {
    super();
    this.session = session;
    this.video = video;
    this.container = container;
    this.opts = { ...DEFAULTS, ...opts };
    this.ad = null;
    // timings of the last ad, performance.now() ms: start, hello, loaded,
    // adLoaded, adStarted, end.
    this.timings = null;
    this.onAdStart = (e) => {
      if (e.detail && e.detail.vpaid) this.run(e.detail);
    };
    this.onAdEnd = (e) => {
      const a = this.ad;
      if (a && e.detail && e.detail.adId === a.adId && e.detail.availId === a.availId) this.stop('adend');
    };
    // A spare frame, loaded ahead when a break is coming, takes the frame's
    // start-up (often a new renderer process for the opaque origin) off the
    // time to AdStarted. It is used by at most one ad.
    this.spare = null;
    this.seenVPAID = false;
    // A break says whether it holds a VPAID ad when the core knows
    // (detail.hasVPAID); otherwise a session that has had one is likely to
    // have more. A non-VPAID break must not cost an idle frame.
    this.onBreakSoon = (e) => {
      const has = e && e.detail ? e.detail.hasVPAID : undefined;
      if (this.opts.prewarm === true || has === true || (has === undefined && this.seenVPAID)) this.prewarm();
    };
    this.onBreakEnd = () => this.dropSpare();
    if (this.opts.autoStart && session) {
      session.addEventListener('adstart', this.onAdStart);
      session.addEventListener('adend', this.onAdEnd);
      session.addEventListener('adbreakupcoming', this.onBreakSoon);
      session.addEventListener('adbreakstart', this.onBreakSoon);
      session.addEventListener('adbreakend', this.onBreakEnd);
    }
  }

  // prewarm loads a spare unit frame, hidden, so the next VPAID ad starts
  // sooner. Called on adbreakupcoming/adbreakstart (see onBreakSoon);
  // harmless to repeat; the spare goes at adbreakend.
  prewarm() {
    if (this.spare || typeof document === 'undefined') return;
    this.spare = new SpareFrame(this.opts.frameUrl, this.container);
  }

  dropSpare() {
    const sp = this.spare;
    if (!sp) return;
    this.spare = null;
    sp.drop();
  }

  // active reports whether a unit is loaded or playing.
  get active() {
    return this.ad !== null;
  }

  // run plays the VPAID unit of one ad (an adstart detail with a non-null
  // vpaid field) and resolves when it is over and content has been handed
  // back: {ok, reason, code?}. A running ad is cancelled first.
  run(detail) {
    if (this.ad) this.finish({ ok: false, reason: 'replaced' });
    const v = (detail && detail.vpaid) || {};
    const a = {
      availId: str(detail && detail.availId),
      adId: str(detail && detail.adId),
      vpaid: v,
      token: randomToken(),
      phase: 'loading',
      iframe: null,
      timer: 0,
      watchdog: 0,
      deadline: 0,
      fired: new Set(),
      paused: false,
      muted: false,
      skippable: false,
      linear: null, // the unit's adLinear once it reports a change
      expanded: null,
      controls: null,
      remaining: null,
      duration: num(v.duration),
      helloSeen: false,
      cap: new MessageCap(this.opts.maxMessagesPerSecond),
      liveness: null,
      lastClick: -Infinity,
      live: this.opts.live ?? !!((detail && detail.live) ?? (this.session && this.session.live)),
      // The VAST ClickThrough, for an AdClickThru that names no URL.
      clickThrough: str(v.clickThrough) || str(detail && detail.clickThrough),
      cleanups: [],
      resolve: null,
      forged: 0,
    };
    const done = new Promise((resolve) => { a.resolve = resolve; });
    this.ad = a;
    this.seenVPAID = true;
    this.timings = { start: performance.now() };
    this.state('loading');

    // Only JavaScript units run; a Flash or unknown VPAID type is an error.
    const type = str(v.mediaType).toLowerCase();
    if (type && !/^(application|text)\/(x-)?javascript$/.test(type)) {
      this.fail(`unsupported VPAID media type "${type.slice(0, 60)}"`);
      return done;
    }
    const uri = httpURL(str(v.mediaFileUri));
    if (!uri) {
      this.fail(`VPAID media file is not an http(s) URL: ${str(v.mediaFileUri).slice(0, 100)}`);
      return done;
    }
    a.uri = uri;
    this.takeContent(a);

    const spare = this.spare;
    this.spare = null;
    const f = spare ? spare.take() : unitFrame();
    a.iframe = f;

    const onMessage = (ev) => receive(this, a, ev);
    window.addEventListener('message', onMessage);
    a.cleanups.push(() => window.removeEventListener('message', onMessage));
    a.cleanups.push(watchSlot(this.container, () => this.resize(),
      () => a.controls && a.controls.fullscreen(this.size()[2] === 'fullscreen')));

    this.arm(a, this.opts.loadTimeoutMs, 'VPAID unit did not load in time');
    if (spare) {
      f.style.visibility = '';
      if (spare.ready) hello(this, a);
    } else {
      f.src = this.opts.frameUrl;
      this.container.appendChild(f);
    }
    return done;
  }

  // skip is the viewer's Skip: skipAd, only while the unit says it is
  // skippable (adSkippableState). Units before VPAID 2.0 are never run.
  skip() {
    const a = this.ad;
    if (!a || a.phase !== 'playing' || !a.skippable) return false;
    this.call(a, 'skipAd');
    this.awaitEnd(a);
    return true;
  }

  // viewerSkip is Session.skip()'s way to the running unit.
  viewerSkip() {
    return this.skip();
  }

  // expand and collapse carry the player's fullscreen to a non-linear unit.
  expand() {
    if (this.ad && this.ad.phase === 'playing') this.call(this.ad, 'expandAd');
  }

  collapse() {
    if (this.ad && this.ad.phase === 'playing') this.call(this.ad, 'collapseAd');
  }

  // stop asks a playing unit to stop; a unit still loading is dropped.
  stop(reason = 'stopped') {
    const a = this.ad;
    if (!a) return;
    if (a.phase === 'playing') {
      this.call(a, 'stopAd');
      this.awaitEnd(a);
    } else if (a.phase !== 'stopping') {
      this.finish({ ok: false, reason });
    }
  }

  pause() {
    if (this.ad && this.ad.phase === 'playing') this.call(this.ad, 'pauseAd');
  }

  resume() {
    if (this.ad && this.ad.phase === 'playing') this.call(this.ad, 'resumeAd');
  }

  // setVolume forwards the player's volume (0–1) to the unit.
  setVolume(v) {
    if (this.ad && this.ad.phase === 'playing' && typeof v === 'number' && v >= 0 && v <= 1) {
      this.call(this.ad, 'setAdVolume', [v]);
    }
  }

  // resize tells the unit the player's current size and view mode; the
  // player never sizes the unit itself (VPAID 2.0 resizeAd).
  resize() {
    const a = this.ad;
    if (!a || (a.phase !== 'playing' && a.phase !== 'stopping')) return;
    const [w, h, mode] = this.size();
    this.call(a, 'resizeAd', [w, h, mode]);
  }

  // destroy ends any running ad and drops the Session listeners.
  destroy() {
    if (this.ad) this.finish({ ok: false, reason: 'destroyed' });
    this.dropSpare();
    if (this.session) {
      this.session.removeEventListener('adstart', this.onAdStart);
      this.session.removeEventListener('adend', this.onAdEnd);
      this.session.removeEventListener('adbreakupcoming', this.onBreakSoon);
      this.session.removeEventListener('adbreakstart', this.onBreakSoon);
      this.session.removeEventListener('adbreakend', this.onBreakEnd);
    }
  }

  // size is the slot's [width, height, viewMode] (slot.js).
  size() {
    return slotSize(this.container);
  }

  state(phase) {
    const a = this.ad;
    this.dispatchEvent(new CustomEvent('vpaidstate', {
      detail: { phase, availId: a ? a.availId : '', adId: a ? a.adId : '', t: performance.now() },
    }));
  }

  arm(a, ms, why) {
    clearTimeout(a.timer);
    a.timer = setTimeout(() => {
      if (this.ad === a) this.fail(why);
    }, ms);
  }

  awaitEnd(a) {
    a.phase = 'stopping';
    this.state('stopping');
    clearTimeout(a.watchdog);
    this.arm(a, this.opts.replyTimeoutMs, 'VPAID unit did not stop in time');
  }

  call(a, method, args = []) {
    const w = a.iframe && a.iframe.contentWindow;
    if (!w) return;
    w.postMessage({ ak: 'vpaid', type: 'call', method, args }, '*');
  }

  progress(a, remaining, duration) {
    if (remaining !== null && remaining >= 0) a.remaining = remaining;
    if (duration !== null && duration > 0) a.duration = duration;
    if (a.phase === 'playing') this.rearm(a);
    const detail = {
      availId: a.availId, adId: a.adId, remaining: a.remaining, duration: a.duration,
      skippable: a.skippable,
    };
    this.dispatchEvent(new CustomEvent('vpaidprogress', { detail }));
    try {
      this.session.dispatchEvent(new CustomEvent('vpaidprogress', { detail }));
    } catch { /* a session that is not an EventTarget */ }
  }

  // rearm keeps the watchdog that stops a unit which overstays (see
  // overstayDeadline).
  rearm(a) {
    const start = this.timings.adStarted || performance.now();
    const deadline = overstayDeadline(start, num(a.vpaid.duration), a.remaining, this.opts);
    if (a.deadline && Math.abs(deadline - a.deadline) < 250) return;
    a.deadline = deadline;
    clearTimeout(a.watchdog);
    a.watchdog = setTimeout(() => {
      if (this.ad === a && a.phase === 'playing') {
        this.call(a, 'stopAd');
        this.awaitEnd(a);
      }
    }, Math.max(0, deadline - performance.now()));
  }

  forward(a, name, data) {
    try {
      this.session.vpaidEvent(name, { availId: a.availId, adId: a.adId, ...data });
    } catch (e) {
      console.warn('availkit: vpaidEvent failed', e);
    }
  }

  // takeContent holds the content <video> for the unit (see controls.js):
  // live keeps running behind it so the stream does not fall out of its
  // window, only the stitched slate's sound goes; VOD pauses, once a play()
  // the host has pending settled, and hides it. From then on the viewer's
  // pause/play, volume and fullscreen on the player reach the unit.
  takeContent(a) {
    const v = this.video;
    if (!v) return;
    a.controls = new ContentControls(v, {
      pause: () => this.pause(),
      resume: () => this.resume(),
      setVolume: (vol) => this.setVolume(vol),
      resize: () => this.resize(),
      expand: () => this.expand(),
      collapse: () => this.collapse(),
      linear: () => a.linear,
    }, a.live);
    a.cleanups.push(() => a.controls.destroy());
    a.controls.hold();
  }

  fail(reason) {
    const a = this.ad;
    if (!a) return;
    this.forward(a, 'AdError', { code: VPAID_ERROR, message: reason });
    this.finish({ ok: false, reason, code: VPAID_ERROR });
  }

  // finish tears the ad down exactly once and hands content back through the
  // Session, which moves the playhead to the avail's end so the slate is never
  // shown.
  finish(result) {
    const a = this.ad;
    if (!a || a.phase === 'done') return;
    a.phase = 'done';
    this.ad = null;
    clearTimeout(a.timer);
    clearTimeout(a.watchdog);
    for (const c of a.cleanups) c();
    if (a.iframe) {
      a.iframe.remove();
      a.iframe.removeAttribute('src');
      a.iframe = null;
    }
    this.timings.end = performance.now();
    if (a.controls) a.controls.giveBack();
    const out = { ...result, availId: a.availId, adId: a.adId, forged: a.forged };
    try {
      this.session.vpaidStopped(out);
    } catch (e) {
      console.warn('availkit: vpaidStopped failed', e);
    }
    // VOD content resumes if it was playing when the unit took the slot or
    // the viewer pressed play since (a.controls.playing).
    if (a.controls && !a.live && a.controls.playing) {
      this.video.play().catch(() => {});
    }
    this.dispatchEvent(new CustomEvent('vpaidstate', {
      detail: { phase: 'done', availId: a.availId, adId: a.adId, t: this.timings.end, result: out },
    }));
    a.resolve(out);
  }
}

// createVPAIDRunner attaches a VPAID runner to session. video is the content
// <video> (paused and hidden for VOD, muted for live while a unit plays);
// container is the positioned element over the video that receives the
// unit's iframe. With opts.autoStart (default) the runner starts on every
// adstart whose detail.vpaid is set; otherwise call run(detail) yourself.
// Options: frameUrl, loadTimeoutMs (10000), replyTimeoutMs (5000), graceMs,
// maxAdSeconds, maxMessagesPerSecond, pingMs (1000), unresponsiveMs (5000),
// desiredBitrate (kbps), pollMs, live,
// prewarm (true: load a spare frame at every break, not only VPAID ones).
// The caller must call destroy when done with the player.
export function createVPAIDRunner(session, video, container, opts = {}) {
  return new VPAIDRunner(session, video, container, opts);
}
