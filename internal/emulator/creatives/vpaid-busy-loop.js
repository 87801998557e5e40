/*
 * vpaid-busy-loop.js is a hostile VPAID 2.0 unit that spins the CPU: it loads
 * and starts like a good one (AdLoaded, AdStarted, AdImpression,
 * AdVideoStart), then runs a busy loop for spinMs milliseconds (a bound, so a
 * test run ends; a real one may never return). It measures what the browser
 * does with a frame whose script never yields: whether the host page's main
 * thread keeps running (an out-of-process frame) or freezes with it (the
 * frame shares the page's renderer). See docs/security.md.
 *
 * AdParameters (JSON, optional): mediaUrl, spinAfter (seconds, default 0.5),
 * spinMs (default 4000).
 */
(function () {
  'use strict';
  var scriptURL = (document.currentScript && document.currentScript.src) || location.href;
  var subs = {};
  var video = null;
  var spinAfter = 0.5;
  var spinMs = 4000;
  function noop() {}
  function emit(name) {
    var args = Array.prototype.slice.call(arguments, 1);
    (subs[name] || []).forEach(function (s) {
      setTimeout(function () { try { s.fn.apply(s.scope, args); } catch (e) { /* ignore */ } }, 0);
    });
  }
  function spin() {
    var end = Date.now() + spinMs;
    var x = 0;
    while (Date.now() < end) x++;
    return x;
  }
  var ad = {
    handshakeVersion: function () { return '2.0.0'; },
    initAd: function (w, h, mode, rate, creativeData, env) {
      var params = {};
      try { params = JSON.parse((creativeData && creativeData.AdParameters) || '{}') || {}; } catch (e) { /* defaults */ }
      if (typeof params.spinAfter === 'number') spinAfter = params.spinAfter;
      if (typeof params.spinMs === 'number') spinMs = params.spinMs;
      video = env && env.videoSlot;
      if (!video) { emit('AdError', 'no videoSlot'); return; }
      video.loop = true;
      video.addEventListener('loadedmetadata', function () { emit('AdLoaded'); }, { once: true });
      video.src = new URL(params.mediaUrl || '/media/progressive/vpaid-video.mp4', scriptURL).href;
      video.load();
    },
    startAd: function () {
      video.muted = true;
      video.play().then(function () {
        emit('AdStarted');
        emit('AdImpression');
        emit('AdVideoStart');
        setTimeout(spin, spinAfter * 1000);
      }, function (e) { emit('AdError', String(e)); });
    },
    stopAd: noop, skipAd: noop, resizeAd: noop, pauseAd: noop, resumeAd: noop,
    expandAd: noop, collapseAd: noop,
    subscribe: function (fn, name, scope) { (subs[name] = subs[name] || []).push({ fn: fn, scope: scope }); },
    unsubscribe: noop,
    getAdLinear: function () { return true; },
    getAdSkippableState: function () { return false; },
    getAdRemainingTime: function () { return 60; },
    getAdDuration: function () { return 60; }
  };
  window.getVPAIDAd = function () { return ad; };
})();
