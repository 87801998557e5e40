/*
 * vpaid-throws-init.js is a broken VPAID 2.0 unit: it handshakes, then throws
 * from initAd. A player must catch it, report VAST error 901 and go back to
 * content (VPAID 2.0 §3.4: "the ad must never throw"; players must cope).
 */
(function () {
  'use strict';
  function noop() {}
  var ad = {
    handshakeVersion: function () { return '2.0.0'; },
    initAd: function () { throw new Error('vpaid-throws-init: initAd exploded on purpose'); },
    startAd: noop, stopAd: noop, skipAd: noop, resizeAd: noop, pauseAd: noop, resumeAd: noop,
    expandAd: noop, collapseAd: noop, subscribe: noop, unsubscribe: noop,
    getAdLinear: function () { return true; },
    getAdRemainingTime: function () { return -1; },
    getAdDuration: function () { return -1; }
  };
  window.getVPAIDAd = function () { return ad; };
})();
