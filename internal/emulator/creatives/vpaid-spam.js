/*
 * vpaid-spam.js is a broken VPAID 2.0 unit: after AdLoaded and AdStarted it
 * floods its subscribers with thousands of events (impressions, quartiles,
 * pause/play flips, volume changes, click-throughs with playerHandles=true)
 * and never stops. A player must keep every beacon once, open no windows, stay
 * responsive, cut the unit off, report VAST error 901 and go back to content.
 */
(function () {
  'use strict';
  var subs = {};
  var timer = 0;
  function noop() {}
  function emitNow(name) {
    var args = Array.prototype.slice.call(arguments, 1);
    (subs[name] || []).forEach(function (s) { try { s.fn.apply(s.scope, args); } catch (e) { /* ignore */ } });
  }
  var burst = ['AdImpression', 'AdVideoStart', 'AdVideoFirstQuartile', 'AdVideoMidpoint',
    'AdVideoThirdQuartile', 'AdVideoComplete', 'AdPaused', 'AdPlaying', 'AdVolumeChange',
    'AdSkippableStateChange', 'AdLog', 'AdInteraction'];
  var ad = {
    handshakeVersion: function () { return '2.0.0'; },
    initAd: function () { setTimeout(function () { emitNow('AdLoaded'); }, 0); },
    startAd: function () {
      setTimeout(function () {
        emitNow('AdStarted');
        var round = 0;
        timer = setInterval(function () {
          for (var i = 0; i < 200; i++) {
            emitNow(burst[(round + i) % burst.length], 'spam ' + round + '/' + i);
            if (i % 50 === 0) emitNow('AdClickThru', 'https://example.com/spam?' + round, 'spam', true);
          }
          round++;
        }, 10);
      }, 0);
    },
    stopAd: noop, skipAd: noop, resizeAd: noop, pauseAd: noop, resumeAd: noop,
    expandAd: noop, collapseAd: noop,
    subscribe: function (fn, name, scope) { (subs[name] = subs[name] || []).push({ fn: fn, scope: scope }); },
    unsubscribe: noop,
    getAdLinear: function () { return true; },
    getAdVolume: function () { return Math.random() < 0.5 ? 0 : 1; },
    getAdSkippableState: function () { return true; },
    getAdRemainingTime: function () { return Math.random() * 100; },
    getAdDuration: function () { return 30; }
  };
  window.getVPAIDAd = function () { return ad; };
})();
