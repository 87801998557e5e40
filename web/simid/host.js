// host.js runs SIMID 1.1 interactive creatives for a Session, isolated from
// the host page.
//
// Each ad's creative is an HTML document loaded straight into an iframe over
// the video, sandboxed without allow-same-origin (an opaque origin: no host
// DOM, cookies or storage). Unlike VPAID the stitched ad keeps playing under
// it: the real <video> is the ad's media, and its events are forwarded to the
// creative as SIMID:Media:*. The host accepts messages only from that
// iframe's window, only within the session the creative opened, with rising
// message ids; every field is type-checked, requests are answered with
// resolve/reject, and a creative that floods the channel, breaks the
// protocol or misses a deadline is unloaded with VAST error 902 (the SIMID
// code is in the result). A failing creative never stops the ad itself.

import { adFrame, httpURL } from '../companions/safety.js';
import {
  VAST_SIMID_ERROR, CREATIVE_ERROR, PLAYER_ERROR, STOP_CODE, T,
  CREATIVE_PREFIX, parse, num, str,
} from './protocol.js';
import { handleRequest } from './requests.js';
import { initArgs, listenMedia, mediaState, playerSize } from './media.js';
import { extended, hold } from './duration.js';

export { VAST_SIMID_ERROR, CREATIVE_ERROR, PLAYER_ERROR } from './protocol.js';

const DEFAULTS = {
  // sessionTimeoutMs: from setting the frame's src to createSession.
  sessionTimeoutMs: 5000,
  // replyTimeoutMs: for the creative's answer to init and startCreative.
  replyTimeoutMs: 3000,
  // stopTimeoutMs: how long adStopped/adSkipped may go unanswered.
  stopTimeoutMs: 1000,
  maxMessagesPerSecond: 60,
  maxMessageBytes: 64 * 1024,
  // maxViolations: malformed or out-of-protocol messages tolerated.
  maxViolations: 10,
  // maxTrackingUrls: reportTracking URLs fired per ad.
  maxTrackingUrls: 50,
  // maxAdSeconds caps requestChangeAdDuration.
  maxAdSeconds: 180,
  autoStart: true,
  live: undefined,
  prewarm: 'auto',
};

/**
 * SIMIDHost is returned by createSIMIDHost. It is an EventTarget emitting
 * "simidstate" ({phase, availId, adId, t, result?}; phases loading, init,
 * starting, playing, stopping, done) and "simidlog" ({availId, adId,
 * message}); simidstate is also dispatched on the Session.
 */
export class SIMIDHost extends EventTarget {
  constructor(session, video, container, opts = {}) {
    super();
    this.session = session;
    this.video = video;
    this.container = container;
    this.opts = { ...DEFAULTS, ...opts };
    this.ad = null;
    // timings of the last ad, performance.now() ms: start, session, init,
    // started (startCreative resolved), end.
    this.timings = null;
    this.spare = null;
    this.seenSIMID = false;
    // An ad with a VPAID unit belongs to the VPAID runner, which hides the
    // video a SIMID creative would sit on.
    this.onAdStart = (e) => {
      if (e.detail && e.detail.simid && !e.detail.vpaid) this.run(e.detail);
    };
    this.onAdEnd = (e) => {
      const a = this.ad;
      if (a && e.detail && e.detail.adId === a.adId && e.detail.availId === a.availId) this.adEnded(a, !!e.detail.skipped);
    };
    this.onBreakSoon = () => {
      if (this.opts.prewarm === true || (this.opts.prewarm === 'auto' && this.seenSIMID)) this.prewarm();
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

  get active() {
    return this.ad !== null;
  }

  frame() {
    // Hidden until startCreative resolves (SIMID "How to handle ad
    // loading"); transparent so the ad video shows through.
    const f = adFrame('Interactive advertisement',
      'position:absolute;inset:0;width:100%;height:100%;border:0;z-index:1;background:transparent;visibility:hidden');
    f.setAttribute('allow', 'autoplay');
    f.className = 'ak-simid-frame';
    return f;
  }

  // prewarm puts a hidden sandboxed frame in the page ahead of a break, so
  // the next creative's frame exists already; the spare goes at break end.
  prewarm() {
    if (this.spare || typeof document === 'undefined') return;
    const f = this.frame();
    f.src = 'about:blank';
    this.container.appendChild(f);
    this.spare = f;
  }

  dropSpare() {
    if (this.spare) this.spare.remove();
    this.spare = null;
  }

  // run shows the SIMID creative of one ad (an adstart detail with a
  // non-null simid field) and resolves when it is unloaded:
  // {ok, reason, code?, simidCode?, availId, adId, forged}.
  run(detail) {
    if (this.ad) this.finish({ ok: false, reason: 'replaced' });
    const s = (detail && detail.simid) || {};
    const live = this.opts.live ?? !!((detail && detail.live) ?? (this.session && this.session.live));
    const a = {
      availId: str(detail && detail.availId, 200),
      adId: str(detail && detail.adId, 200),
      simid: s,
      live,
      duration: num(detail && detail.duration, 0),
      skipOffset: num(detail && detail.skipOffset, -1),
      // Session time of the ad's first frame: SIMID media times are the ad's.
      start: num(detail && detail.playhead, 0) - num(detail && detail.adPlayhead, 0),
      clickThrough: str(detail && detail.clickThrough),
      phase: 'loading',
      iframe: null,
      sid: '',
      nextId: 0,
      lastIn: -1,
      pending: new Map(),
      timer: 0,
      window: { start: 0, count: 0 },
      violations: 0,
      forged: 0,
      tracked: 0,
      lastClick: -Infinity,
      extendTo: 0,
      holding: 0,
      holdStart: 0,
      cleanups: [],
      resolve: null,
    };
    const done = new Promise((resolve) => { a.resolve = resolve; });
    this.ad = a;
    this.seenSIMID = true;
    this.timings = { start: performance.now() };
    this.state('loading');

    const url = httpURL(str(s.url), null);
    const type = str(s.type).toLowerCase();
    if (!url || (type && type !== 'text/html')) {
      this.fail(PLAYER_ERROR.MEDIA_NOT_SUPPORTED, `SIMID creative is not an http(s) text/html document: ${str(s.url, 100)} ${type}`);
      return done;
    }
    // SIMID: a player that cannot extend the break must not render a
    // variableDuration creative. Live breaks cannot be extended.
    if (s.variableDuration === true && live) {
      this.finish({ ok: false, reason: 'variableDuration creative on a live stream: not rendered' });
      return done;
    }

    const onMessage = (ev) => this.receive(a, ev);
    window.addEventListener('message', onMessage);
    a.cleanups.push(() => window.removeEventListener('message', onMessage));
    const resize = () => this.sendResize();
    document.addEventListener('fullscreenchange', resize);
    a.cleanups.push(() => document.removeEventListener('fullscreenchange', resize));
    if (typeof ResizeObserver === 'function') {
      const ro = new ResizeObserver(resize);
      ro.observe(this.container);
      a.cleanups.push(() => ro.disconnect());
    }

    const f = this.spare || this.frame();
    this.spare = null;
    a.iframe = f;
    this.arm(a, this.opts.sessionTimeoutMs, PLAYER_ERROR.RESPONSE_TIMEOUT, 'SIMID creative opened no session in time');
    f.src = url;
    if (!f.isConnected) this.container.appendChild(f);
    return done;
  }

  // stop unloads the running creative (Player:adStopped with code, then
  // the frame goes); the stitched ad plays on.
  stop(code = STOP_CODE.PLAYER_INITATED) {
    const a = this.ad;
    if (!a || a.phase === 'stopping') return;
    if (!a.sid || a.phase === 'loading' || a.phase === 'init') {
      this.finish({ ok: false, reason: 'stopped before start' });
      return;
    }
    this.end(a, T.adStopped, { code });
  }

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

  // ---- state ------------------------------------------------------------

  size() {
    return playerSize(this.container);
  }

  mediaState(a) {
    return mediaState(this, a);
  }

  state(phase, result) {
    const a = this.ad;
    const detail = { phase, availId: a ? a.availId : '', adId: a ? a.adId : '', t: performance.now() };
    if (result) Object.assign(detail, { availId: result.availId, adId: result.adId, result });
    this.dispatchEvent(new CustomEvent('simidstate', { detail }));
    try {
      this.session.dispatchEvent(new CustomEvent('simidstate', { detail }));
    } catch { /* a session that is not an EventTarget */ }
  }

  arm(a, ms, code, why) {
    clearTimeout(a.timer);
    a.timer = setTimeout(() => {
      if (this.ad === a) this.fail(code, why);
    }, ms);
  }

  // ---- messages out -------------------------------------------------------

  // post sends one message to the creative and, when awaited, returns a
  // promise of its resolve (rejected with the creative's reject args or on
  // timeout).
  post(a, type, args = {}, timeoutMs = 0) {
    const w = a.iframe && a.iframe.contentWindow;
    const id = a.nextId++;
    const msg = { sessionId: a.sid, messageId: id, timestamp: Date.now(), type, args };
    // The frame is an opaque origin: '*' is the only target that reaches it.
    if (w) w.postMessage(JSON.stringify(msg), '*');
    if (!timeoutMs) return null;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        a.pending.delete(id);
        reject({ timeout: true });
      }, timeoutMs);
      a.pending.set(id, { resolve, reject, timer });
    });
  }

  reply(a, m, ok, args = {}) {
    this.post(a, ok ? T.resolve : T.reject, { messageId: m.messageId, value: args, ...(ok ? {} : args) });
  }

  sendResize() {
    const a = this.ad;
    if (a && a.phase === 'playing') this.post(a, T.resize, this.size());
  }

  // ---- messages in --------------------------------------------------------

  // receive is the only way into the host from the creative.
  receive(a, ev) {
    if (this.ad !== a || !a.iframe) return;
    if (ev.source !== a.iframe.contentWindow) {
      // Another window speaking SIMID to this host (a companion, another
      // tab's frame): counted, never heard.
      if (typeof ev.data === 'string' && ev.data.includes('"sessionId"')) a.forged++;
      return;
    }
    const now = performance.now();
    if (now - a.window.start > 1000) {
      a.window.start = now;
      a.window.count = 0;
    }
    if (++a.window.count > this.opts.maxMessagesPerSecond) {
      this.fail(PLAYER_ERROR.POSTMESSAGE_CHANNEL_OVERLOADED, 'SIMID creative flooded the message channel');
      return;
    }
    const m = parse(ev.data, this.opts.maxMessageBytes);
    if (typeof m === 'string') {
      this.violation(a, m);
      return;
    }
    if (a.phase === 'loading') {
      if (m.type === T.createSession) this.open(a, m);
      else this.violation(a, `${m.type.slice(0, 40)} before createSession`);
      return;
    }
    // After createSession: the creative's session only, each id once and
    // in order, so a replayed or foreign message moves nothing.
    if (m.sessionId !== a.sid || m.messageId <= a.lastIn) {
      a.forged++;
      return;
    }
    a.lastIn = m.messageId;
    if (m.type === T.resolve || m.type === T.reject) {
      const id = num(m.args.messageId, -1);
      const p = a.pending.get(id);
      if (!p) {
        // An answer to a notification (or a late one) is harmless; one to
        // a message never sent is not from an honest creative.
        if (!(id >= 0 && id < a.nextId)) a.forged++;
        return;
      }
      a.pending.delete(id);
      clearTimeout(p.timer);
      if (m.type === T.resolve) p.resolve(m.args.value ?? m.args);
      else p.reject(m.args.value && typeof m.args.value === 'object' ? m.args.value : m.args);
      return;
    }
    if (m.type.startsWith(CREATIVE_PREFIX) && a.phase !== 'stopping') {
      handleRequest(this, a, m, m.type.slice(CREATIVE_PREFIX.length));
      return;
    }
    this.violation(a, `unexpected ${m.type.slice(0, 40)}`);
  }

  violation(a, why) {
    if (++a.violations > this.opts.maxViolations) {
      this.fail(PLAYER_ERROR.SPEC_NOT_FOLLOWED_ON_MESSAGES, `SIMID creative broke the protocol: ${why}`);
    }
  }

  // open answers createSession and initialises the creative.
  async open(a, m) {
    a.sid = m.sessionId;
    a.lastIn = m.messageId;
    this.timings.session = performance.now();
    this.reply(a, m, true);
    a.phase = 'init';
    this.state('init');
    clearTimeout(a.timer);
    let answer;
    try {
      answer = await this.post(a, T.init, initArgs(this, a), this.opts.replyTimeoutMs);
    } catch (e) {
      if (this.ad !== a) return;
      if (e && e.timeout) this.fail(PLAYER_ERROR.RESPONSE_TIMEOUT, 'SIMID creative did not answer init in time');
      else this.fail(creativeCode(e), `SIMID creative rejected init: ${str(e && e.message, 200)}`, false);
      return;
    }
    if (this.ad !== a) return;
    this.timings.init = performance.now();
    // A creative that draws its own industry icons says so in its init
    // answer ({adIcons: true}, availkit's counterpart of VPAID's adIcons;
    // SIMID 1.1 has no field for it): the icon layer stands down.
    if (answer && typeof answer === 'object' && answer.adIcons === true) {
      this.session.dispatchEvent(new CustomEvent('adicons', { detail: { availId: a.availId, adId: a.adId, adIcons: true } }));
    }
    this.start(a);
  }

  async start(a) {
    a.phase = 'starting';
    this.state('starting');
    listenMedia(this, a);
    try {
      await this.post(a, T.startCreative, {}, this.opts.replyTimeoutMs);
    } catch (e) {
      if (this.ad !== a) return;
      if (e && e.timeout) this.fail(PLAYER_ERROR.RESPONSE_TIMEOUT, 'SIMID creative did not answer startCreative in time');
      else this.fail(creativeCode(e), `SIMID creative rejected startCreative: ${str(e && e.message, 200)}`, false);
      return;
    }
    if (this.ad !== a) return;
    this.timings.started = performance.now();
    a.iframe.style.visibility = '';
    a.phase = 'playing';
    this.state('playing');
  }

  // ---- the end ------------------------------------------------------------

  // adEnded follows the Session's adend for this ad. A creative granted a
  // longer duration (requestChangeAdDuration, VOD only) keeps the player
  // paused at the ad's end until that time is up.
  adEnded(a, skipped) {
    if (a.phase === 'stopping' || a.phase === 'done') return;
    if (skipped) {
      this.end(a, T.adSkipped, {});
      return;
    }
    if (a.phase === 'playing') this.post(a, 'SIMID:Media:ended', {});
    if (a.phase === 'playing' && extended(a)) {
      hold(this, a, () => {
        this.video.play().catch(() => {});
        this.end(a, T.adStopped, { code: STOP_CODE.MEDIA_PLAYBACK_COMPLETE });
      });
      return;
    }
    this.end(a, T.adStopped, { code: STOP_CODE.MEDIA_PLAYBACK_COMPLETE });
  }

  // end tells a started creative the ad is over and unloads it once it
  // answers, or after stopTimeoutMs.
  async end(a, type, args) {
    if (!a.sid || a.phase === 'loading' || a.phase === 'init') {
      // The ad is over, so its error beacons can no longer be fired for it
      // (the core would charge the next ad): the failure is only reported.
      // The session timeout normally fires well inside the ad.
      this.finish({ ok: false, reason: 'ad ended before the creative started', code: VAST_SIMID_ERROR, simidCode: PLAYER_ERROR.RESPONSE_TIMEOUT });
      return;
    }
    a.phase = 'stopping';
    this.state('stopping');
    clearTimeout(a.timer);
    try {
      await this.post(a, type, args, this.opts.stopTimeoutMs);
    } catch { /* unloaded anyway */ }
    if (this.ad === a) this.finish({ ok: true, reason: type === T.adSkipped ? 'adSkipped' : 'adStopped' });
  }

  // fail unloads the creative with VAST error 902 through the Session (its
  // error beacons fire once) and the SIMID code in the result. notify
  // sends Player:fatalError first, when the creative has a session.
  fail(simidCode, reason, notify = true) {
    const a = this.ad;
    if (!a || a.phase === 'done') return;
    if (notify && a.sid) this.post(a, T.fatalError, { errorCode: simidCode, errorMessage: reason });
    try {
      this.session.adError(VAST_SIMID_ERROR);
    } catch (e) {
      console.warn('availkit: adError failed', e);
    }
    this.finish({ ok: false, reason, code: VAST_SIMID_ERROR, simidCode });
  }

  // finish tears the ad's creative down exactly once.
  finish(result) {
    const a = this.ad;
    if (!a || a.phase === 'done') return;
    a.phase = 'done';
    this.ad = null;
    clearTimeout(a.timer);
    if (a.holding) {
      clearTimeout(a.holding);
      this.video.play().catch(() => {});
    }
    // Settle what is still awaited, so no continuation keeps the ad alive.
    for (const p of a.pending.values()) {
      clearTimeout(p.timer);
      p.reject({ cancelled: true });
    }
    a.pending.clear();
    for (const c of a.cleanups) c();
    a.cleanups.length = 0;
    if (a.iframe) {
      a.iframe.remove();
      a.iframe.removeAttribute('src');
      a.iframe = null;
    }
    this.timings.end = performance.now();
    const out = { ...result, availId: a.availId, adId: a.adId, forged: a.forged };
    this.state('done', out);
    a.resolve(out);
  }
}

// creativeCode is the SIMID code of a creative's reject, 1100 when it named
// none in the creative range.
function creativeCode(args) {
  const c = num(args && args.errorCode, 0);
  return c >= 1100 && c <= 1199 ? c : CREATIVE_ERROR.UNSPECIFIED;
}

/**
 * createSIMIDHost attaches a SIMID host to session. video is the content
 * <video> (the stitched ad plays on in it); container is the positioned
 * element over the video that receives the creative's iframe. With
 * opts.autoStart (default) the host starts on every adstart whose
 * detail.simid is set. Options: sessionTimeoutMs (5000), replyTimeoutMs
 * (3000), stopTimeoutMs (1000), maxMessagesPerSecond (60), maxMessageBytes,
 * maxViolations, maxTrackingUrls, maxAdSeconds, live, prewarm. The caller
 * must call destroy when done with the player.
 */
export function createSIMIDHost(session, video, container, opts = {}) {
  return new SIMIDHost(session, video, container, opts);
}
