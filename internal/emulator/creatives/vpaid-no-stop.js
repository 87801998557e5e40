/*
 * vpaid-no-stop.js is a broken VPAID 2.0 unit: it loads and starts like a good
 * one (AdLoaded, AdStarted, AdImpression, AdVideoStart), then loops its clip
 * forever, ignores stopAd and skipAd, and never sends AdStopped. A player must
 * end it on its own clock (the avail's duration), time out the stop, report
 * VAST error 901 and go back to content (VPAID 2.0 §3.4: "no AdStopped →
 * remove").
 *
 * AdParameters (JSON, optional): mediaUrl (default /media/progressive/vpaid-video.mp4).
 */
(function () {
  'use strict';
  var scriptURL = (document.currentScript && document.currentScript.src) || location.href;
  var subs = {};
  var video = null;
  function noop() {}
  function emit(name) {
    var args = Array.prototype.slice.call(arguments, 1);
    (subs[name] || []).forEach(function (s) {
      setTimeout(function () { try { s.fn.apply(s.scope, args); } catch (e) { /* ignore */ } }, 0);
    });
  }
  var ad = {
    handshakeVersion: function () { return '2.0.0'; },
    initAd: function (w, h, mode, rate, creativeData, env) {
      var params = {};
      try { params = JSON.parse((creativeData && creativeData.AdParameters) || '{}') || {}; } catch (e) { /* defaults */ }
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
      }, function (e) { emit('AdError', String(e)); });
    },
    stopAd: noop, skipAd: noop, resizeAd: noop, pauseAd: noop, resumeAd: noop,
    expandAd: noop, collapseAd: noop,
    subscribe: function (fn, name, scope) { (subs[name] = subs[name] || []).push({ fn: fn, scope: scope }); },
    unsubscribe: noop,
    getAdLinear: function () { return true; },
    getAdSkippableState: function () { return false; },
    // Lies on purpose: the ad claims to have all the time in the world.
    getAdRemainingTime: function () { return -2; },
    getAdDuration: function () { return -2; }
  };
  window.getVPAIDAd = function () { return ad; };
})();
