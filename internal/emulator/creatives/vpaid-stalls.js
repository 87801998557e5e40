/*
 * vpaid-stalls.js is a broken VPAID 2.0 unit that stops answering without
 * using the CPU: it loads and starts like a good one (AdLoaded, AdStarted,
 * AdImpression, AdVideoStart), then, stallAfter seconds later, replaces its
 * frame's document with an empty one (as a unit that redirects its own frame,
 * or whose document dies, does). The bridge goes with it, so pings, stopAd
 * and skipAd all go unanswered and the frame, still in the page, says
 * nothing more. A player must notice the silence, remove the frame, report
 * VAST error 901 and go back to content, without waiting for the avail's end.
 *
 * (Swallowing the host's messages with a capture listener does not silence
 * the bridge in Chromium: frame.js's listener, registered first, still runs.)
 *
 * AdParameters (JSON, optional): mediaUrl (default
 * /media/progressive/vpaid-video.mp4), stallAfter (seconds, default 0.5).
 */
(function () {
  'use strict';
  var scriptURL = (document.currentScript && document.currentScript.src) || location.href;
  var subs = {};
  var video = null;
  var stallAfter = 0.5;
  function noop() {}
  function emit(name) {
    var args = Array.prototype.slice.call(arguments, 1);
    (subs[name] || []).forEach(function (s) {
      setTimeout(function () { try { s.fn.apply(s.scope, args); } catch (e) { /* ignore */ } }, 0);
    });
  }
  function stall() {
    location.replace('about:blank');
  }
  var ad = {
    handshakeVersion: function () { return '2.0.0'; },
    initAd: function (w, h, mode, rate, creativeData, env) {
      var params = {};
      try { params = JSON.parse((creativeData && creativeData.AdParameters) || '{}') || {}; } catch (e) { /* defaults */ }
      if (typeof params.stallAfter === 'number') stallAfter = params.stallAfter;
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
        setTimeout(stall, stallAfter * 1000);
      }, function (e) { emit('AdError', String(e)); });
    },
    stopAd: noop, skipAd: noop, resizeAd: noop, pauseAd: noop, resumeAd: noop,
    expandAd: noop, collapseAd: noop,
    subscribe: function (fn, name, scope) { (subs[name] = subs[name] || []).push({ fn: fn, scope: scope }); },
    unsubscribe: noop,
    getAdLinear: function () { return true; },
    getAdSkippableState: function () { return false; },
    getAdRemainingTime: function () { return video ? Math.max(0, 60 - video.currentTime) : 60; },
    getAdDuration: function () { return 60; }
  };
  window.getVPAIDAd = function () { return ad; };
})();
