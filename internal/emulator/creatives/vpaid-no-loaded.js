/*
 * vpaid-no-loaded.js is a broken VPAID 2.0 unit: initAd returns quietly and
 * AdLoaded never comes. A player must time the reply out, report VAST error
 * 901 and go back to content (VPAID 2.0 §3.4).
 */
(function () {
  'use strict';
  function noop() {}
  var subs = [];
  var ad = {
    handshakeVersion: function () { return '2.0.0'; },
    initAd: noop,
    startAd: noop, stopAd: noop, skipAd: noop, resizeAd: noop, pauseAd: noop, resumeAd: noop,
    expandAd: noop, collapseAd: noop,
    subscribe: function (fn, name) { subs.push([fn, name]); },
    unsubscribe: noop,
    getAdLinear: function () { return true; },
    getAdRemainingTime: function () { return -2; },
    getAdDuration: function () { return -2; }
  };
  window.getVPAIDAd = function () { return ad; };
})();
