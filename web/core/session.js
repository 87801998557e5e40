// session.js is the Session class: one ad-tracking session, a thin
// coordinator between the Go core and the page.
//
// The core decides everything (when a beacon is due, what a seek may do,
// what the overlay shows); the Session moves numbers across the boundary
// and performs the side effects the core asks for. The per-frame path is
// the core's ak_update export (numbers in, a status word out); the object
// API (js.FuncOf methods, ~10 µs a call) is used only when that status says
// something happened. Whatever the core queues leaves through one path,
// _flush, whether a player is attached or the host drives the session
// headless. Types: availkit.d.ts.

import { attachPlayer, detachPlayer } from './attach.js';
import { noteAway, pollSeen } from './catchup.js';
import { FrameClock } from './clock.js';
import { startAt, START_TOL } from './config.js';
import { connect } from './connect.js';
import { STATUS, ORIGIN } from './constants.js';
import { destroyParts } from './parts.js';
import { now, videoFlags, stateFlags, playerSize, clickPos, vastPlayerCode } from './player.js';
import { SeekWatch } from './seeks.js';
import { reserveSlots } from './slots.js';
import { TrackingView } from './tracking.js';
import { Guard } from './transport.js';
import { httpURL } from './url.js';

/**
 * Session is one ad-tracking session. It is an EventTarget; every event is
 * a CustomEvent whose detail is documented in availkit.d.ts. The caller
 * must call destroy() when done. Sessions are made by AvailKit.createSession.
 */
export class Session extends EventTarget {
  constructor(kit, opts) {
    super();
    this._kit = kit;
    this._opts = opts;
    this._exports = kit._exports;
    this.video = opts.video || null;
    this.container = opts.container || null;
    this.manifestUrl = '';
    this.trackingUrl = '';
    this.sessionId = '';
    this.destroyed = false;
    this._obj = null; // the core's session object; null once destroyed or dead
    this._handle = -1;
    this._adapter = null;
    this._live = false;
    this._rate = 1; // playback rate last told to the core
    this._startAt = startAt(opts); // session seconds; 0: none
    this._lastPlayhead = 0; // session time at the last update
    this._status = 0;
    this._unlisten = null;
    this._clock = this.video ? new FrameClock(this.video, () => this._tick()) : null;
    this._seeks = new SeekWatch();
    this._guard = new Guard();
    this._tracking = new TrackingView();
    this._parts = []; // overlay, companions, vpaid: {destroy()}
    this._held = []; // events emitted before createSession resolved
    this._holding = true;
    this._initError = null; // detail of the error event init emitted
    this._early = null; // EarlyInit: the init request sent before the core was ready
    this._starting = null; // Promise of the core's init while createSession has resolved without it
    this._manifest = null; // the last manifestLoaded info, replayed to a late core
    this._unhold = null; // releases playback held for a starting core (startupHold)
    this._unwatchStart = null; // cancels the first-frame watch that starts a held-back core
    this._readySent = false; // ready went out from the early init (connect.js)
    this._playedFrom = null; // {ph, t} where playback began before the core ran
    this._awayAt = NaN; // session time playback last reached before the core ran
    this._awaySeek = null; // {from, to, origin}: a viewer's seek while the core was away
    this._pollSeen = null; // set while the catch-up waits for the core's first tracking reply
    // Companion slots keep their declared size until destroy (slots.js).
    this._unreserve = reserveSlots(opts.companionSlots);
  }

  // _init connects the session to the core (connect.js): it rejects with an
  // AvailKitError of the failure; on a kit whose core is still loading, a
  // plainly successful early init resolves it while the core catches up.
  _init() {
    return connect(this);
  }

  _release() {
    this._holding = false;
    const held = this._held;
    this._held = [];
    for (const [t, d] of held) this._dispatch(t, d);
  }

  _log(level, msg) {
    const l = this._opts.log;
    if (typeof l === 'function') l(level, msg);
    else if (level === 'error' || level === 'warn') console[level](msg);
  }

  // _emit delivers an event of the core (or the Session's own), holding it
  // until createSession has resolved.
  _emit(type, detail) {
    if (this.destroyed) return;
    if (type === 'trackingupdate') {
      this._tracking.learn(detail);
      if (this._adapter && this._obj) {
        // Live windows slide: forget avails behind the seekable start, then
        // re-arm the clock, since a new break may be close.
        if (this._live) this._obj.setWindow(this._adapter.seekableStart());
        queueMicrotask(() => this._tick());
      }
    }
    if (this._pollSeen) pollSeen(this, type, detail);
    if (this._holding) this._held.push([type, detail]);
    else this._dispatch(type, detail);
  }

  // _dispatch delivers one event. A throwing listener must not break the
  // core's flush or the host player, so it is reported, not propagated.
  _dispatch(type, detail) {
    if (type === 'beacon' && detail) detail.firedAt = now();
    try {
      this.dispatchEvent(new CustomEvent(type, { detail }));
    } catch (e) {
      this._log('error', `availkit: ${type} listener threw: ${e && e.message || e}`);
    }
  }

  // _fatal is called when the core has exited: nothing may call into it
  // again. Every listener, timer, frame callback and part is released, the
  // core object is dropped (so every method becomes inert) and the host
  // gets one `internal` error. destroy() stays the host's to call.
  _fatal(message) {
    if (this.destroyed || !this._obj) return;
    this.detach();
    this._obj = null;
    this._handle = -1;
    this._guard.close();
    destroyParts(this._parts, (l, m) => this._log(l, m));
    this._parts = [];
    this._kit._sessions.delete(this);
    this._emit('error', { kind: 'internal', source: 'core', status: 0, message });
  }

  // _call invokes a core method, then performs whatever it queued.
  _call(name, ...args) {
    if (this.destroyed || !this._obj) return undefined;
    const r = this._obj[name](...args);
    this._flush();
    return r;
  }

  // _flush drains the core's queued events and seek and performs them: the
  // seek goes to the attached player, else to the host as `seekrequest`.
  // It is the only way out of the core for queued work.
  _flush() {
    if (this.destroyed || !this._obj) return null;
    const s = this._obj.flush();
    if (!s) return null;
    const batch = JSON.parse(s);
    for (const e of batch.events || []) this._emit(e.type, e.detail);
    if (!batch.seek) return null;
    // The core's decision also says allow (always false here); hosts get
    // the SeekRequest of availkit.d.ts.
    const { to, resumeAt, reason } = batch.seek;
    const seek = { to, resumeAt, reason };
    this._perform(seek);
    return seek;
  }

  // _perform carries out a seek the core decided ({to, resumeAt, reason}).
  _perform(seek) {
    if (this._adapter) this._seekMedia(seek.to);
    else this._emit('seekrequest', seek);
  }

  // _drive feeds the core one playhead sample and flushes what it queued.
  _drive(ph, flags, t = now()) {
    this._lastPlayhead = ph;
    this._status = this._exports.ak_update(this._handle, ph, t, flags);
    return this._status & STATUS.actions ? this._flush() : null;
  }

  // ---- players ------------------------------------------------------------

  // attach connects a player. player may be an hls.js instance, a dash.js
  // MediaPlayer, the <video> itself or nothing (the <video> of the options is
  // then driven directly). opts.adapters replaces the adapter list.
  attach(player, opts = {}) {
    attachPlayer(this, player, opts);
    return this;
  }

  // detach disconnects the player and stops the frame clock; the session
  // stays usable (attach again, or headless update()).
  detach() {
    if (this._stopAway) this._stopAway();
    this._stopAway = null;
    detachPlayer(this);
  }

  // _playerError reports a fatal player error; during a break it is also
  // the ad's failure, sent once per ad as the error beacons with its VAST
  // code (the core ignores it outside breaks).
  _playerError(kind, message, hint) {
    this._emit('error', { kind, source: 'player', status: 0, message });
    this.adError(vastPlayerCode(this.video, hint));
  }

  // _manifestServed: the player fetched its first media playlist but has
  // not parsed it yet (native <video>), so the server has made its ad
  // decisions: the first tracking poll leaves now. The core takes it for a
  // VOD manifest without a duration; the manifestLoaded that follows gives
  // the duration, and live turns the polls to the live pace.
  _manifestServed() {
    if (this._manifest) return;
    if (!this._obj) {
      if (this._early && this._starting) this._early.pollAhead(this.trackingUrl);
      return;
    }
    this._call('manifestLoaded', { live: false, targetDuration: 0, minimumUpdatePeriod: 0, duration: 0 });
  }

  _manifestLoaded(m) {
    this._live = !!m.live;
    this._manifest = m;
    if (!this._obj) {
      // A starting core gets it in caughtUp (catchup.js); its first tracking poll,
      // which the manifest starts, leaves now.
      if (this._early && this._starting) this._early.pollAhead(this.trackingUrl);
      return;
    }
    this._call('manifestLoaded', {
      live: !!m.live,
      targetDuration: +m.targetDuration || 0,
      minimumUpdatePeriod: +m.minimumUpdatePeriod || 0,
      duration: +m.duration || (this.video && Number.isFinite(this.video.duration) ? this._toSession(this.video.duration) : 0),
    });
    if (this._adapter) this._tick();
  }

  // _rateChanged tells the core the playback rate: at 2× and more a 4 Hz
  // timeupdate moves the playhead by seconds, which the core would read as
  // seeks without it.
  _rateChanged() {
    const r = this.video && this.video.playbackRate;
    this._setRate(r > 0 ? r : 1);
  }

  _setRate(r) {
    if (r === this._rate || !this._obj) return;
    this._rate = r;
    this._obj.setRate(r);
  }

  _sizeChanged() {
    if (this.video && this._obj) this._obj.setPlayerSize(...playerSize(this.video));
  }

  _durationChanged() {
    const d = this.video && this.video.duration;
    if (this._obj && Number.isFinite(d) && d > 0) this._obj.setDuration(this._toSession(d));
  }

  _toSession(mediaTime) {
    return this._adapter ? this._adapter.toSession(mediaTime) : mediaTime;
  }

  _toMedia(sessionTime) {
    return this._adapter ? this._adapter.toMedia(sessionTime) : sessionTime;
  }

  // _tick feeds the core the playhead and arms the next wake-up. It drives
  // the core in attached mode; update() does in headless mode.
  _tick() {
    // A core still catching up (_starting) is ticked by caughtUp, once
    // the parts listen and it knows the manifest.
    if (this._starting) return void noteAway(this, false);
    if (this.destroyed || !this._adapter || this._handle < 0) return;
    const v = this.video;
    // _onSeeking decides; the landing frame ticks (shown 30-50 ms before a busy page gets seeked).
    if (v.seeking) return void this._clock?.nextFrame();
    const ph = this._toSession(this._screenMedia());
    this._drive(ph, videoFlags(v, this._clock.rendered));
    if (this._handle < 0 || !this._adapter) return; // a listener destroyed or detached us
    const wait = this._adapter.screenWait ? this._adapter.screenWait() : NaN;
    this._clock.arm(this._exports.ak_next(this._handle, ph), !!(this._status & STATUS.near), wait);
  }

  // ---- seeking --------------------------------------------------------------

  _seekMedia(sessionTime) {
    const to = this._toMedia(sessionTime);
    this._seeks.issued(to);
    if (typeof this._adapter.seek === 'function') this._adapter.seek(to);
    else this.video.currentTime = to;
  }

  // _onSeeking judges seeks the plugin did not issue (native controls,
  // keyboard, scripts, the player's own) after the fact: the core decides
  // from where the playhead was to where it is going.
  _onSeeking() {
    const v = this.video;
    if (this._starting) return void noteAway(this, true);
    if (this._seeks.own(v.currentTime)) return;
    const from = this._lastPlayhead;
    const to = this._toSession(v.currentTime);
    const d = this._call('seek', from, to, this._seeks.origin(from, to, v, (t) => this._toMedia(t)));
    if (d && !d.allow && this._adapter) this._seekMedia(d.to);
    else this._lastPlayhead = to;
  }

  // seek moves the playhead to session time t through the no-skip policy and
  // returns the decision {allow, to, resumeAt, reason}.
  seek(t) {
    if (this.destroyed) return null;
    const d = this._call('seek', this._playheadNow(), +t, ORIGIN.api);
    if (d && this._adapter) this._seekMedia(d.to);
    return d || null;
  }

  // _playheadNow is the session time of the picture on screen: the clock the
  // core runs on, so the overlay, skip() and seek() agree with the beacons
  // (a Skip button enabled on currentTime, a frame ahead of the screen,
  // would be refused by the core).
  _playheadNow() {
    return this._adapter ? this._toSession(this._screenMedia()) : this._lastPlayhead;
  }

  // _screenMedia is the media time on screen (the adapter's rVFC clock),
  // currentTime when the adapter has none.
  _screenMedia() {
    return this._adapter.screenTime ? this._adapter.screenTime() : this.video.currentTime;
  }

  // ---- headless mode ----------------------------------------------------------

  // update feeds the playhead (session seconds) when no adapter is attached,
  // with the player state in state ({paused, muted, fullscreen, seeking,
  // ended, rendered, rate}). It returns the seek the host must perform, or
  // null; the seek is also dispatched as `seekrequest`.
  update(playhead, state = {}) {
    if (!this._obj) this._kit._need(); // a headless host that feeds a playhead is playing
    if (this.destroyed || this._handle < 0) return null;
    if (typeof state.rate === 'number') this._setRate(state.rate > 0 ? state.rate : 1);
    const ph = +playhead;
    if (this._startAt > 0) {
      // The first update of a session with startAt: the host is sent there.
      const to = this._startAt;
      this._startAt = 0;
      if (Math.abs(ph - to) > START_TOL) {
        const d = this._call('seek', ph, to, ORIGIN.start);
        const seek = { to: d ? d.to : to, resumeAt: -1, reason: 'start' };
        this._lastPlayhead = seek.to;
        this._perform(seek);
        return seek;
      }
    }
    return this._drive(ph, stateFlags(state));
  }

  // nextEventIn returns the session seconds from playhead to the next
  // scheduled item (Infinity: none), for hosts that run their own clock.
  nextEventIn(playhead = this._playheadNow()) {
    return this._handle < 0 ? Infinity : this._exports.ak_next(this._handle, +playhead);
  }

  // requestSeek asks the core before a headless host seeks: it returns where
  // to go instead of `to` (the same value when allowed).
  requestSeek(to) {
    const d = this._call('seek', this._lastPlayhead, +to, this._adapter ? ORIGIN.api : ORIGIN.native);
    return d ? d.to : +to;
  }

  // manifestLoaded tells the core the player loaded the first media
  // manifest, which starts tracking polls. Adapters call it; headless hosts
  // call it themselves: {live, targetDuration, minimumUpdatePeriod, duration}.
  manifestLoaded(info = {}) {
    this._manifestLoaded(info);
  }

  // ---- controls and queries -----------------------------------------------------

  // skip skips the current ad when it is skippable; returns whether it did.
  // A VPAID unit is asked to skipAd, once it says it is skippable.
  skip() {
    if (this._call('skip')) return true;
    return this._parts.some((p) => typeof p.viewerSkip === 'function' && p.viewerSkip());
  }

  // clickThrough fires clickTracking and opens the ad's landing page in a new
  // window (http/https only, noopener). Call it from a user gesture; given
  // the click's MouseEvent, its position over the video goes out as
  // [CLICKPOS]. With {open: false} nothing is opened (a SIMID creative's
  // click opens its own URL). Returns the URL, or ''.
  clickThrough(arg) {
    const opts = arg && typeof arg === 'object' && 'open' in arg ? arg : {};
    const at = opts === arg ? null : clickPos(this.video, arg);
    const url = httpURL((at ? this._call('clickThrough', at[0], at[1]) : this._call('clickThrough')) || '', '');
    if (url && opts.open !== false && typeof window !== 'undefined' && typeof window.open === 'function') {
      window.open(url, '_blank', 'noopener,noreferrer');
      // A landing tab that hides the page pauses the ad until the viewer
      // is back (away.js, loaded with mount.js); the host may opt out.
      if (this._pauseWhileAway && this._adapter && this.video && this._opts.pauseOnClickThrough !== false) {
        if (this._stopAway) this._stopAway();
        this._stopAway = this._pauseWhileAway(this.video, () => !!(this._status & STATUS.inAd));
      }
    }
    return url;
  }

  // ui returns the overlay state (see UIState in availkit.d.ts).
  ui() {
    if (this.destroyed || !this._obj) return null;
    return JSON.parse(this._obj.ui(this._playheadNow()));
  }

  // markers returns the avails for a seek bar: [{availId, start, duration, watched}].
  markers() {
    if (this.destroyed || !this._obj) return [];
    return JSON.parse(this._obj.markers());
  }

  // stats returns the ad statistics (AdStats in availkit.d.ts): per beacon
  // type scheduled/fired/failed/server/skippedBySeek, per ad played/skipped/
  // errored/watched, and beacon send latency.
  stats() {
    if (this.destroyed || !this._obj) return null;
    return JSON.parse(this._obj.stats());
  }

  contentTime(t = this._playheadNow()) {
    return this._obj ? this._obj.contentTime(+t) : +t;
  }

  streamTime(c) {
    return this._obj ? this._obj.streamTime(+c) : +c;
  }

  // currentTime is the playhead in session time.
  get currentTime() {
    return this._playheadNow();
  }

  // duration is the session duration in session time (NaN until known,
  // Infinity for live: hls.js gives live streams a finite media duration).
  get duration() {
    if (this._live) return Infinity;
    const d = this.video ? this.video.duration : NaN;
    return Number.isFinite(d) ? this._toSession(d) : d;
  }

  // live says whether the player reported a live stream.
  get live() {
    return this._live;
  }

  // pollNow asks for a tracking poll now (VOD: after a manifest reload).
  pollNow() {
    this._call('pollNow');
  }

  // fireTracking fires extra tracking URLs (companions, VPAID) through the
  // core's dedupe and macro expansion; they are reported as beacon events.
  // companionsFromVAST reads a VPAID unit's getAdCompanions XML into the
  // adstart companions shape (the core parses it).
  companionsFromVAST(xml) {
    if (this.destroyed || !this._obj || typeof xml !== 'string') return [];
    return JSON.parse(this._obj.companionsFromVAST(xml));
  }

  fireTracking(t) {
    return this._call('fireTracking', {
      availId: t.availId || '', adId: t.adId || '', eventType: t.eventType || '',
      urls: Array.from(t.urls || []), key: t.key || '', reason: +t.reason || 0,
    });
  }

  // vpaidEvent maps a VPAID creative event onto the ad's beacons.
  vpaidEvent(name, data = {}) {
    return this._call('vpaidEvent', String(name), data);
  }

  // adError reports an ad failure with a VAST error code (e.g. 405, 602):
  // the ad's and the break's error beacons fire once with [ERRORCODE].
  adError(code) {
    return !!this._call('adError', +code);
  }

  // vpaidStopped hands the slot back to content: the core seeks past the
  // stitched slate to the avail end.
  vpaidStopped(result = {}) {
    return this._call('vpaidStopped', result);
  }

  // destroy releases everything: listeners, timers, frame callbacks, the
  // adapter, UI parts and the core's session (its js.Funcs). Idempotent.
  destroy() {
    if (this.destroyed) return;
    this.detach();
    destroyParts(this._parts, (l, m) => this._log(l, m));
    this._parts = [];
    this._unreserve();
    this.destroyed = true;
    this._held = [];
    this._guard.close();
    if (this._obj) this._obj.destroy();
    this._obj = null;
    this._handle = -1;
    this._kit._sessions.delete(this);
  }
}
