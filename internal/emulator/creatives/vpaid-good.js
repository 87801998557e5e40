/*
 * vpaid-good.js is availkit's well-behaved VPAID 2.0 JavaScript ad unit, used
 * by the emulator's `vpaid` scenario, the demo and the browser tests.
 *
 * It plays a short MP4 in the videoSlot it is given, fires the full VPAID
 * event sequence (AdLoaded, AdStarted, AdImpression, AdVideoStart, quartiles,
 * AdVideoComplete, AdStopped), becomes skippable after `skippableAfter`
 * seconds, and turns clicks on its slot into AdClickThru with
 * playerHandles=true.
 *
 * AdParameters (JSON, every key optional):
 *   mediaUrl        clip to play, resolved against this script's URL
 *                 (default /media/progressive/vpaid-video.mp4, the bundled 6 s clip)
 *   clickThrough    landing page for AdClickThru (default https://example.com/availkit;
 *                   "" sends an empty URL so the player uses the VAST ClickThrough)
 *   skippableAfter  seconds before adSkippableState turns true (default 2; <0 never)
 *   maxDuration     stop after this many seconds even if the clip is longer
 *   companions      VAST CompanionAds XML getAdCompanions returns (default "")
 */
(function () {
  'use strict';

  var scriptURL = (document.currentScript && document.currentScript.src) || location.href;

  function GoodAd() {
    this.subs = {};
    this.params = {};
    this.slot = null;
    this.video = null;
    this.width = 0;
    this.height = 0;
    this.viewMode = 'normal';
    this.state = 'new'; // new → loaded → started → stopped
    this.skippable = false;
    this.fired = {};
    this.listeners = [];
    this.skipButton = null;
  }

  GoodAd.prototype.handshakeVersion = function () { return '2.0.0'; };

  GoodAd.prototype.subscribe = function (fn, name, scope) {
    if (typeof fn !== 'function') return;
    (this.subs[name] = this.subs[name] || []).push({ fn: fn, scope: scope });
  };

  GoodAd.prototype.unsubscribe = function (fn, name) {
    var list = this.subs[name];
    if (!list) return;
    this.subs[name] = list.filter(function (s) { return s.fn !== fn; });
  };

  // emit never lets a subscriber's exception reach the ad's own code, and
  // defers so a player calling back into the ad from a handler cannot recurse.
  GoodAd.prototype.emit = function (name) {
    var args = Array.prototype.slice.call(arguments, 1);
    var list = (this.subs[name] || []).slice();
    setTimeout(function () {
      list.forEach(function (s) {
        try { s.fn.apply(s.scope, args); } catch (e) { /* player bug: not ours */ }
      });
    }, 0);
  };

  GoodAd.prototype.once = function (name) {
    if (this.fired[name]) return;
    this.fired[name] = true;
    this.emit(name);
  };

  GoodAd.prototype.listen = function (el, type, fn) {
    el.addEventListener(type, fn);
    this.listeners.push([el, type, fn]);
  };

  GoodAd.prototype.initAd = function (width, height, viewMode, desiredBitrate, creativeData, environmentVars) {
    var self = this;
    this.width = width;
    this.height = height;
    this.viewMode = viewMode;
    try {
      this.params = JSON.parse((creativeData && creativeData.AdParameters) || '{}') || {};
    } catch (e) {
      this.params = {};
    }
    var env = environmentVars || {};
    this.slot = env.slot;
    this.video = env.videoSlot;
    if (!this.slot || !this.video) {
      this.emit('AdError', 'vpaid-good: slot and videoSlot are required');
      return;
    }
    this.showSize();
    var src = new URL(this.params.mediaUrl || '/media/progressive/vpaid-video.mp4', scriptURL).href;

    var click = document.createElement('div');
    click.id = 'vpaid-good-click';
    click.setAttribute('role', 'link');
    click.textContent = 'Learn more';
    click.style.cssText = 'position:absolute;inset:0;cursor:pointer;color:#fff;font:14px sans-serif;' +
      'display:flex;align-items:flex-end;justify-content:flex-start;padding:8px;box-sizing:border-box';
    this.listen(click, 'click', function () {
      if (self.state !== 'started') return;
      // An explicit "" leaves the landing page to the player (VAST ClickThrough).
      var url = self.params.clickThrough === undefined ? 'https://example.com/availkit' : String(self.params.clickThrough);
      self.emit('AdClickThru', url, 'vpaid-good', true);
    });
    this.slot.appendChild(click);

    var skip = document.createElement('button');
    skip.id = 'vpaid-good-skip';
    skip.textContent = 'Skip ad';
    skip.hidden = true;
    skip.style.cssText = 'position:absolute;right:8px;bottom:8px;z-index:2';
    this.listen(skip, 'click', function (ev) {
      ev.stopPropagation();
      // Ad-side skip: AdSkipped then AdStopped (VPAID 2.0 §3.3).
      if (self.finish()) {
        self.emit('AdSkipped');
        self.emit('AdStopped');
      }
    });
    this.slot.appendChild(skip);
    this.skipButton = skip;

    var v = this.video;
    this.listen(v, 'loadedmetadata', function () {
      if (self.state !== 'new') return;
      self.state = 'loaded';
      self.emit('AdLoaded');
    });
    this.listen(v, 'error', function () {
      self.fail('vpaid-good: media error ' + (v.error ? v.error.code : '?'));
    });
    this.listen(v, 'timeupdate', function () { self.progress(); });
    this.listen(v, 'ended', function () {
      if (self.state !== 'started') return;
      self.once('AdVideoComplete');
      if (self.finish()) self.emit('AdStopped');
    });
    v.preload = 'auto';
    v.playsInline = true;
    v.src = src;
    v.load();
  };

  GoodAd.prototype.duration = function () {
    var d = this.video && isFinite(this.video.duration) ? this.video.duration : -2;
    var max = Number(this.params.maxDuration);
    if (d > 0 && max > 0 && max < d) d = max;
    return d;
  };

  GoodAd.prototype.progress = function () {
    if (this.state !== 'started') return;
    var v = this.video;
    var d = this.duration();
    if (d <= 0) return;
    var t = v.currentTime;
    if (t > 0) this.once('AdVideoStart');
    if (t >= d * 0.25) this.once('AdVideoFirstQuartile');
    if (t >= d * 0.5) this.once('AdVideoMidpoint');
    if (t >= d * 0.75) this.once('AdVideoThirdQuartile');
    var after = this.params.skippableAfter === undefined ? 2 : Number(this.params.skippableAfter);
    if (!this.skippable && after >= 0 && t >= after) {
      this.skippable = true;
      this.skipButton.hidden = false;
      this.emit('AdSkippableStateChange');
    }
    if (t >= d && this.params.maxDuration) {
      this.once('AdVideoComplete');
      if (this.finish()) this.emit('AdStopped');
    }
  };

  GoodAd.prototype.startAd = function () {
    var self = this;
    if (this.state !== 'loaded') return;
    this.state = 'started';
    var v = this.video;
    var started = function () {
      if (self.fired.AdStarted) return;
      self.once('AdStarted');
      self.once('AdImpression');
    };
    var p = v.play();
    if (p && p.then) {
      p.then(started, function () {
        // Autoplay with sound refused: VPAID lets the unit fall back to muted.
        v.muted = true;
        self.emit('AdVolumeChange');
        v.play().then(started, function (e) { self.fail('vpaid-good: play refused: ' + e); });
      });
    } else {
      started();
    }
  };

  // finish tears down once; it reports whether this call did it.
  GoodAd.prototype.finish = function () {
    if (this.state === 'stopped') return false;
    this.state = 'stopped';
    this.listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2]); });
    this.listeners = [];
    if (this.video) {
      this.video.pause();
      this.video.removeAttribute('src');
      this.video.load();
    }
    if (this.slot) this.slot.textContent = '';
    return true;
  };

  GoodAd.prototype.fail = function (msg) {
    if (this.finish()) this.emit('AdError', msg);
  };

  GoodAd.prototype.stopAd = function () {
    if (this.finish()) this.emit('AdStopped');
  };

  GoodAd.prototype.skipAd = function () {
    if (!this.skippable) return;
    if (this.finish()) this.emit('AdSkipped');
  };

  // showSize exposes the size the player last gave, so a test (or a human
  // in the QA page's inspector) can see resizeAd arrive.
  GoodAd.prototype.showSize = function () {
    if (this.slot) this.slot.setAttribute('data-ad-size', this.width + 'x' + this.height + ' ' + this.viewMode);
  };

  GoodAd.prototype.resizeAd = function (width, height, viewMode) {
    this.width = width;
    this.height = height;
    this.viewMode = viewMode;
    this.showSize();
    this.emit('AdSizeChange');
  };

  GoodAd.prototype.pauseAd = function () {
    if (this.state !== 'started' || this.video.paused) return;
    this.video.pause();
    this.emit('AdPaused');
  };

  GoodAd.prototype.resumeAd = function () {
    var self = this;
    if (this.state !== 'started' || !this.video.paused) return;
    this.video.play().then(function () { self.emit('AdPlaying'); }, function () {});
  };

  GoodAd.prototype.expandAd = function () { this.emit('AdExpandedChange'); };
  GoodAd.prototype.collapseAd = function () { this.emit('AdExpandedChange'); };

  GoodAd.prototype.getAdLinear = function () { return true; };
  GoodAd.prototype.getAdWidth = function () { return this.width; };
  GoodAd.prototype.getAdHeight = function () { return this.height; };
  GoodAd.prototype.getAdExpanded = function () { return false; };
  GoodAd.prototype.getAdSkippableState = function () { return this.skippable; };
  GoodAd.prototype.getAdDuration = function () { return this.duration(); };
  GoodAd.prototype.getAdRemainingTime = function () {
    var d = this.duration();
    if (d <= 0 || !this.video) return -2;
    return Math.max(0, d - this.video.currentTime);
  };
  GoodAd.prototype.getAdVolume = function () {
    if (!this.video) return -1;
    return this.video.muted ? 0 : this.video.volume;
  };
  GoodAd.prototype.setAdVolume = function (v) {
    if (!this.video || typeof v !== 'number' || v < 0 || v > 1) return;
    this.video.volume = v;
    this.video.muted = v === 0;
    this.emit('AdVolumeChange');
  };
  // The unit's own companions (VPAID 2.0 §3.2.9: VAST CompanionAds XML).
  GoodAd.prototype.getAdCompanions = function () {
    return typeof this.params.companions === 'string' ? this.params.companions : '';
  };
  GoodAd.prototype.getAdIcons = function () { return false; };

  window.getVPAIDAd = function () { return new GoodAd(); };
})();
