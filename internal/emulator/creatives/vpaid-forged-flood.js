/*
 * vpaid-forged-flood.js is a hostile VPAID 2.0 unit: once started it floods
 * the host window with messages the bridge never accepts (fake hellos,
 * malformed and wrongly tokened ones) instead of VPAID events. A player must
 * count them against its message cap all the same, cut the unit off with
 * error 901 and go back to content.
 */
(function () {
  'use strict';
  var subs = {};
  var timer = 0;
  function emitNow(name) {
    (subs[name] || []).forEach(function (s) { try { s.fn.call(s.scope); } catch (e) { /* ignore */ } });
  }
  var junk = [
    { ak: 'vpaid', type: 'hello' },
    { ak: 'vpaid', type: 'event', name: 'AdVideoComplete', token: 'forged' },
    'not an object',
    { ak: 'other' },
  ];
  var ad = {
    handshakeVersion: function () { return '2.0.0'; },
    initAd: function () { setTimeout(function () { emitNow('AdLoaded'); }, 0); },
    startAd: function () {
      setTimeout(function () {
        emitNow('AdStarted');
        timer = setInterval(function () {
          for (var i = 0; i < 100; i++) window.parent.postMessage(junk[i % junk.length], '*');
        }, 10);
      }, 0);
    },
    stopAd: function () { clearInterval(timer); setTimeout(function () { emitNow('AdStopped'); }, 0); },
    skipAd: function () {},
    resizeAd: function () {},
    pauseAd: function () {},
    resumeAd: function () {},
    expandAd: function () {},
    collapseAd: function () {},
    subscribe: function (fn, name, scope) { (subs[name] = subs[name] || []).push({ fn: fn, scope: scope }); },
    unsubscribe: function (fn, name) { subs[name] = (subs[name] || []).filter(function (s) { return s.fn !== fn; }); },
    getAdLinear: function () { return true; },
    getAdWidth: function () { return 0; },
    getAdHeight: function () { return 0; },
    getAdExpanded: function () { return false; },
    getAdSkippableState: function () { return false; },
    getAdRemainingTime: function () { return 8; },
    getAdDuration: function () { return 8; },
    getAdVolume: function () { return 1; },
    setAdVolume: function () {},
    getAdCompanions: function () { return ''; },
    getAdIcons: function () { return false; },
  };
  window.getVPAIDAd = function () { return ad; };
}());
