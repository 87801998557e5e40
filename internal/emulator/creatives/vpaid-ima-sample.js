/*
 * vpaid-ima-sample.js is a VPAID 2.0 linear unit that behaves like the one
 * MediaTailor's VPAID documentation points to, Google IMA's sample
 * "VpaidVideoAd.js" (googleads-ima-html5/vpaid/linear). Written for availkit
 * from that unit's observable behaviour, not from its code:
 *
 *  - initAd parses AdParameters with a bare JSON.parse, so an empty string
 *    (what MediaTailor's tracking JSON carries for that very ad:
 *    "adParameters": "") throws a SyntaxError out of initAd;
 *  - the parameters must be {"videos": [{"url", "mimetype"}, …]}; the first
 *    video whose mimetype the videoSlot can play is used, none → AdError;
 *  - AdLoaded once the video's metadata is in, then on startAd: AdStarted,
 *    AdImpression, AdVideoStart and the quartiles from the video's clock,
 *    AdVideoComplete and AdStopped when it ends; a click on the slot sends
 *    AdClickThru("", "0", true) so the player opens the VAST ClickThrough.
 *
 * Scenarios: vpaid-ima (good AdParameters), vpaid-ima-empty (AdParameters "").
 */
(function () {
  'use strict';

  var QUARTILES = [[0.25, 'AdVideoFirstQuartile'], [0.5, 'AdVideoMidpoint'], [0.75, 'AdVideoThirdQuartile']];

  function SampleAd() {
    this.subs = {};
    this.slot = null;
    this.video = null;
    this.params = null;
    this.size = { width: 0, height: 0, viewMode: 'normal' };
    this.state = 'new'; // new → loaded → started → stopped
    this.sent = {};
    this.off = [];
  }

  SampleAd.prototype.handshakeVersion = function () { return '2.0'; };

  SampleAd.prototype.subscribe = function (fn, name, scope) {
    if (typeof fn === 'function') (this.subs[name] = this.subs[name] || []).push({ fn: fn, scope: scope });
  };

  SampleAd.prototype.unsubscribe = function (fn, name) {
    this.subs[name] = (this.subs[name] || []).filter(function (s) { return s.fn !== fn; });
  };

  // send calls the subscribers of name; a subscriber's exception is the
  // player's problem and must not stop the unit.
  SampleAd.prototype.send = function (name) {
    var args = Array.prototype.slice.call(arguments, 1);
    (this.subs[name] || []).slice().forEach(function (s) {
      try { s.fn.apply(s.scope, args); } catch (e) { /* not ours */ }
    });
  };

  SampleAd.prototype.sendOnce = function (name) {
    if (this.sent[name]) return;
    this.sent[name] = true;
    this.send(name);
  };

  SampleAd.prototype.on = function (el, type, fn) {
    el.addEventListener(type, fn);
    this.off.push(function () { el.removeEventListener(type, fn); });
  };

  SampleAd.prototype.initAd = function (width, height, viewMode, desiredBitrate, creativeData, environmentVars) {
    var self = this;
    this.size = { width: width, height: height, viewMode: viewMode };
    // No guard, on purpose: JSON.parse('') throws, as the sample unit does.
    this.params = JSON.parse(creativeData.AdParameters);
    var env = environmentVars || {};
    this.slot = env.slot;
    this.video = env.videoSlot;
    var videos = (this.params && this.params.videos) || [];
    var pick = null;
    for (var i = 0; i < videos.length && !pick; i++) {
      if (videos[i] && videos[i].url && this.video && this.video.canPlayType(videos[i].mimetype || '') !== '') pick = videos[i];
    }
    if (!this.video || !pick) {
      this.send('AdError', 'no playable video in AdParameters.videos');
      return;
    }
    var v = this.video;
    this.on(v, 'loadedmetadata', function () {
      if (self.state !== 'new') return;
      self.state = 'loaded';
      self.send('AdLoaded');
    });
    this.on(v, 'timeupdate', function () { self.tick(); });
    this.on(v, 'ended', function () {
      if (self.state !== 'started') return;
      self.sendOnce('AdVideoComplete');
      self.stopAd();
    });
    this.on(v, 'error', function () { self.fail('video error'); });
    if (this.slot) {
      this.on(this.slot, 'click', function () {
        if (self.state === 'started') self.send('AdClickThru', '', '0', true);
      });
    }
    v.src = pick.url;
    v.load();
  };

  SampleAd.prototype.tick = function () {
    if (this.state !== 'started') return;
    var v = this.video;
    if (!(v.duration > 0)) return;
    if (v.currentTime > 0) this.sendOnce('AdVideoStart');
    for (var i = 0; i < QUARTILES.length; i++) {
      if (v.currentTime >= v.duration * QUARTILES[i][0]) this.sendOnce(QUARTILES[i][1]);
    }
  };

  SampleAd.prototype.startAd = function () {
    var self = this;
    if (this.state !== 'loaded') return;
    this.state = 'started';
    var begun = function () {
      self.sendOnce('AdStarted');
      self.sendOnce('AdImpression');
    };
    var p = this.video.play();
    if (p && p.then) {
      p.then(begun, function () {
        self.video.muted = true;
        self.video.play().then(begun, function () { self.fail('play refused'); });
      });
    } else {
      begun();
    }
  };

  // end tears down once and reports whether this call did it.
  SampleAd.prototype.end = function () {
    if (this.state === 'stopped') return false;
    this.state = 'stopped';
    this.off.forEach(function (f) { f(); });
    this.off = [];
    if (this.video) {
      this.video.pause();
      this.video.removeAttribute('src');
    }
    return true;
  };

  SampleAd.prototype.fail = function (msg) {
    if (this.end()) this.send('AdError', msg);
  };

  SampleAd.prototype.stopAd = function () {
    if (this.end()) this.send('AdStopped');
  };

  SampleAd.prototype.skipAd = function () {
    if (this.end()) this.send('AdSkipped');
  };

  SampleAd.prototype.resizeAd = function (width, height, viewMode) {
    this.size = { width: width, height: height, viewMode: viewMode };
    this.send('AdSizeChange');
  };

  SampleAd.prototype.pauseAd = function () {
    if (this.state !== 'started' || this.video.paused) return;
    this.video.pause();
    this.send('AdPaused');
  };

  SampleAd.prototype.resumeAd = function () {
    var self = this;
    if (this.state !== 'started' || !this.video.paused) return;
    this.video.play().then(function () { self.send('AdPlaying'); }, function () {});
  };

  SampleAd.prototype.expandAd = function () {};
  SampleAd.prototype.collapseAd = function () {};
  SampleAd.prototype.getAdLinear = function () { return true; };
  SampleAd.prototype.getAdWidth = function () { return this.size.width; };
  SampleAd.prototype.getAdHeight = function () { return this.size.height; };
  SampleAd.prototype.getAdExpanded = function () { return false; };
  SampleAd.prototype.getAdSkippableState = function () { return false; };
  SampleAd.prototype.getAdDuration = function () {
    return this.video && this.video.duration > 0 ? this.video.duration : -2;
  };
  SampleAd.prototype.getAdRemainingTime = function () {
    var d = this.getAdDuration();
    return d > 0 ? Math.max(0, d - this.video.currentTime) : -2;
  };
  SampleAd.prototype.getAdVolume = function () { return this.video ? (this.video.muted ? 0 : this.video.volume) : -1; };
  SampleAd.prototype.setAdVolume = function (v) {
    if (!this.video || typeof v !== 'number' || v < 0 || v > 1) return;
    this.video.volume = v;
    this.video.muted = v === 0;
    this.send('AdVolumeChange');
  };
  SampleAd.prototype.getAdCompanions = function () { return ''; };
  SampleAd.prototype.getAdIcons = function () { return false; };

  window.getVPAIDAd = function () { return new SampleAd(); };
})();
