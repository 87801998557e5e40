/*
 * frame.js is the VPAID bridge inside the sandboxed frame (see frame.html).
 *
 * Protocol (all messages are plain objects with ak: "vpaid"):
 *   frame → host  {type: "hello"}                       once, on start-up, no token yet
 *   host → frame  {type: "load", token, uri, origin, pollMs}
 *   frame → host  {type: "loaded", token, version}      getVPAIDAd + handshakeVersion done
 *   host → frame  {type: "call", method, args}          initAd/startAd/stopAd/…
 *   frame → host  {type: "event", token, name, args, info}  one VPAID event
 *                 (AdLoaded's info: icons = getAdIcons(), companions = getAdCompanions())
 *   frame → host  {type: "state", token, remaining, duration}  every pollMs after AdStarted
 *   frame → host  {type: "error", token, message, phase}
 *   host → frame  {type: "ping", n}                     every second (watchdog.js)
 *   frame → host  {type: "pong", token, n}              at once, whatever the creative does
 *
 * The token and the host window are captured before the creative runs, so a
 * creative that replaces window.parent or listens for messages learns
 * neither; the host still treats everything from here as untrusted.
 */
(function () {
  'use strict';

  var host = window.parent;
  var postToHost = host.postMessage.bind(host);
  var slot = document.getElementById('ak-slot');
  var video = document.getElementById('ak-video');
  var token = '';
  var hostOrigin = '*';
  var ad = null;
  var done = false;
  var pollTimer = 0;
  var pollMs = 250;

  var METHODS = ['handshakeVersion', 'initAd', 'startAd', 'stopAd', 'skipAd', 'resizeAd',
    'pauseAd', 'resumeAd', 'expandAd', 'collapseAd', 'subscribe', 'unsubscribe'];
  var CALLS = { initAd: 1, startAd: 1, stopAd: 1, skipAd: 1, resizeAd: 1, pauseAd: 1, resumeAd: 1,
    expandAd: 1, collapseAd: 1, setAdVolume: 1 };
  var EVENTS = ['AdLoaded', 'AdStarted', 'AdStopped', 'AdSkipped', 'AdSkippableStateChange',
    'AdSizeChange', 'AdLinearChange', 'AdDurationChange', 'AdExpandedChange',
    'AdRemainingTimeChange', 'AdVolumeChange', 'AdImpression', 'AdVideoStart',
    'AdVideoFirstQuartile', 'AdVideoMidpoint', 'AdVideoThirdQuartile', 'AdVideoComplete',
    'AdClickThru', 'AdInteraction', 'AdUserAcceptInvitation', 'AdUserMinimize', 'AdUserClose',
    'AdPaused', 'AdPlaying', 'AdLog', 'AdError'];

  function send(type, fields) {
    var msg = { ak: 'vpaid', type: type, token: token };
    if (fields) for (var k in fields) if (Object.prototype.hasOwnProperty.call(fields, k)) msg[k] = fields[k];
    try { postToHost(msg, hostOrigin); } catch (e) { /* host gone */ }
  }

  // plain keeps only cloneable scalars, so a creative cannot make the bridge
  // throw (DataCloneError) or ship large objects to the host.
  function plain(v) {
    if (typeof v === 'string') return v.slice(0, 2048);
    if (typeof v === 'number' || typeof v === 'boolean') return v;
    return null;
  }

  function getter(name) {
    try {
      return ad && typeof ad[name] === 'function' ? plain(ad[name]()) : null;
    } catch (e) {
      return null;
    }
  }

  // text reads a string getter with its own cap: getAdCompanions returns
  // VAST XML, longer than plain allows.
  function text(name, max) {
    try {
      var v = ad && typeof ad[name] === 'function' ? ad[name]() : '';
      return typeof v === 'string' ? v.slice(0, max) : '';
    } catch (e) {
      return '';
    }
  }

  function state() {
    send('state', { remaining: getter('getAdRemainingTime'), duration: getter('getAdDuration') });
  }

  function finish() {
    done = true;
    clearInterval(pollTimer);
  }

  function onEvent(name) {
    return function () {
      if (done) return;
      var args = [];
      for (var i = 0; i < arguments.length && i < 3; i++) args.push(plain(arguments[i]));
      var info = {};
      if (name === 'AdVolumeChange') info.volume = getter('getAdVolume');
      if (name === 'AdLoaded') {
        info.icons = getter('getAdIcons');
        info.companions = text('getAdCompanions', 65536);
      }
      if (name === 'AdSkippableStateChange') info.skippable = getter('getAdSkippableState');
      if (name === 'AdLinearChange') info.linear = getter('getAdLinear');
      if (name === 'AdExpandedChange') info.expanded = getter('getAdExpanded');
      if (name === 'AdSizeChange') {
        info.width = getter('getAdWidth');
        info.height = getter('getAdHeight');
      }
      if (name === 'AdDurationChange' || name === 'AdRemainingTimeChange' || name === 'AdStarted') {
        info.remaining = getter('getAdRemainingTime');
        info.duration = getter('getAdDuration');
      }
      send('event', { name: name, args: args, info: info });
      if (name === 'AdStarted' && !pollTimer) pollTimer = setInterval(state, pollMs);
      if (name === 'AdStopped' || name === 'AdSkipped' || name === 'AdError') finish();
    };
  }

  function fail(phase, e) {
    send('error', { phase: phase, message: plain(String((e && e.message) || e)) });
    finish();
  }

  function loadCreative(uri) {
    var s = document.createElement('script');
    s.src = uri;
    s.onerror = function () { fail('load', 'creative script failed to load'); };
    s.onload = function () {
      try {
        if (typeof window.getVPAIDAd !== 'function') throw new Error('no getVPAIDAd()');
        ad = window.getVPAIDAd();
        if (!ad) throw new Error('getVPAIDAd() returned nothing');
        for (var i = 0; i < METHODS.length; i++) {
          if (typeof ad[METHODS[i]] !== 'function') throw new Error('VPAID method missing: ' + METHODS[i]);
        }
        var version = plain(ad.handshakeVersion('2.0'));
        for (var j = 0; j < EVENTS.length; j++) ad.subscribe(onEvent(EVENTS[j]), EVENTS[j], null);
        send('loaded', { version: version });
      } catch (e) {
        fail('load', e);
      }
    };
    document.head.appendChild(s);
  }

  function call(method, args) {
    if (!ad || done || !CALLS[method] || typeof ad[method] !== 'function') return;
    if (!Array.isArray(args)) args = [];
    try {
      if (method === 'initAd') {
        video.muted = !!args[5];
        ad.initAd(Number(args[0]) || 0, Number(args[1]) || 0, String(args[2] || 'normal'),
          Number(args[3]) || 0, { AdParameters: String(args[4] || '') },
          { slot: slot, videoSlot: video, videoSlotCanAutoPlay: true });
      } else if (method === 'resizeAd') {
        ad.resizeAd(Number(args[0]) || 0, Number(args[1]) || 0, String(args[2] || 'normal'));
      } else if (method === 'setAdVolume') {
        ad.setAdVolume(Number(args[0]));
      } else {
        ad[method]();
      }
    } catch (e) {
      fail(method, e);
    }
  }

  window.addEventListener('message', function (ev) {
    if (ev.source !== host) return;
    var m = ev.data;
    if (!m || typeof m !== 'object' || m.ak !== 'vpaid') return;
    if (m.type === 'load' && !token && typeof m.token === 'string' && m.token && typeof m.uri === 'string') {
      token = m.token;
      if (typeof m.origin === 'string' && /^https?:\/\//.test(m.origin)) hostOrigin = m.origin;
      if (typeof m.pollMs === 'number' && m.pollMs >= 50) pollMs = m.pollMs;
      loadCreative(m.uri);
    } else if (m.type === 'call' && token && typeof m.method === 'string') {
      call(m.method, m.args);
    } else if (m.type === 'ping' && token && typeof m.n === 'number') {
      send('pong', { n: m.n });
    }
  });

  send('hello');
})();
