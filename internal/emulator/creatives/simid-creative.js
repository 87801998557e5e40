/*
 * simid-creative.js is availkit's SIMID 1.1 test creative, written for the
 * emulator's SIMID scenarios. Each simid-*.html page loads it with a mode in
 * <body data-mode="…">:
 *
 *   good            opens a session, resolves init and startCreative, shows
 *                   the ad time it is sent, a "Learn more" button (clickThru,
 *                   playerHandles) and controls for requestPause/Play/Skip/
 *                   Stop/ChangeVolume/Resize/ChangeAdDuration (to
 *                   adParameters.extendTo, default 11 s), reports
 *                   adParameters.trackingUrl once; answers init with
 *                   {adIcons: true} when adParameters.adIcons is true
 *                   started, asks getMediaState, logs.
 *   never-resolves  opens a session and never answers init.
 *   rejects         rejects init with creative error 1104.
 *   flood           after startCreative, floods the player with requests.
 *   navigate-top    starts like good, then tries to reach the host page
 *                   (canary, cookie, storage, DOM, top navigation) and to
 *                   forge player messages; results go to
 *                   /beacon/<session>/simid-<attempt>?value=… (the session
 *                   of adParameters.trackingUrl, else "hostile").
 *   click-no-gesture starts like good, then sends clickThru with
 *                   playerHandles every 1.5 s from 5.5 s on, without a click.
 *
 * What it received is mirrored on <body data-*> for tests: data-state,
 * data-media (counts of SIMID:Media:* types), data-time (last ad time),
 * data-init (the init args as JSON), data-replies (resolve/reject log).
 */
(function () {
  'use strict';
  var body = document.body;
  var mode = body.getAttribute('data-mode') || 'good';
  var player = window.parent;
  var rnd = new Uint8Array(12);
  crypto.getRandomValues(rnd);
  var sessionId = Array.prototype.map.call(rnd, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  var nextId = 0;
  var lastIn = -1;
  var waiting = {};
  var init = null;
  var media = {};
  var replies = [];

  // report sends an attempt's outcome to the collector: under the
  // session of adParameters.trackingUrl (/beacon/<session>/…) when there is
  // one, so the emulator records it, else under "hostile".
  function report(what, value) {
    try {
      var m = /^(.*\/beacon\/[^/?]+\/)/.exec(params().trackingUrl || '');
      var u = new URL((m ? m[1] : '/beacon/hostile/') + 'simid-' + encodeURIComponent(what), location.href);
      u.searchParams.set('value', String(value).slice(0, 200));
      new Image().src = u.href;
    } catch (e) { /* nowhere to report */ }
  }
  function attempt(what, fn) {
    try { report(what, 'got:' + fn()); } catch (e) { report(what, 'blocked:' + (e && e.name)); }
  }
  function set(k, v) { body.setAttribute('data-' + k, typeof v === 'string' ? v : JSON.stringify(v)); }

  function send(type, args, cb) {
    var id = nextId++;
    if (cb) waiting[id] = cb;
    player.postMessage(JSON.stringify({ sessionId: sessionId, messageId: id, timestamp: Date.now(), type: type, args: args || {} }), '*');
    return id;
  }
  function answer(m, ok, value) {
    send(ok ? 'resolve' : 'reject', { messageId: m.messageId, value: value || {} });
  }

  window.addEventListener('message', function (ev) {
    if (ev.source !== player || typeof ev.data !== 'string') return;
    var m;
    try { m = JSON.parse(ev.data); } catch (e) { return; }
    if (!m || m.sessionId !== sessionId || m.messageId <= lastIn) return;
    lastIn = m.messageId;
    if (m.type === 'resolve' || m.type === 'reject') {
      var cb = waiting[m.args && m.args.messageId];
      delete waiting[m.args && m.args.messageId];
      replies.push(m.type);
      set('replies', replies.slice(-20).join(','));
      if (cb) cb(m.type === 'resolve', (m.args && m.args.value) || m.args);
      return;
    }
    if (m.type.indexOf('SIMID:Media:') === 0) {
      var k = m.type.slice(12);
      media[k] = (media[k] || 0) + 1;
      set('media', media);
      if (k === 'timeupdate') set('time', String(m.args.currentTime));
      return;
    }
    switch (m.type) {
      case 'SIMID:Player:init': return onInit(m);
      case 'SIMID:Player:startCreative': return onStart(m);
      case 'SIMID:Player:adStopped':
      case 'SIMID:Player:adSkipped':
        set('state', m.type.slice(13));
        return answer(m, true);
      case 'SIMID:Player:fatalError':
        set('state', 'fatalError:' + (m.args && m.args.errorCode));
        return answer(m, true);
      case 'SIMID:Player:resize':
        set('size', m.args.videoDimensions.width + 'x' + m.args.videoDimensions.height);
        return answer(m, true);
      default:
        return answer(m, true);
    }
  });

  function params() {
    try { return JSON.parse((init && init.creativeData && init.creativeData.adParameters) || '{}') || {}; } catch (e) { return {}; }
  }

  function onInit(m) {
    init = m.args;
    set('init', init);
    set('state', 'init');
    if (mode === 'never-resolves') return;
    if (mode === 'rejects') {
      answer(m, false, { errorCode: 1104, message: 'availkit test creative rejects init' });
      return;
    }
    // adParameters.adIcons: the creative draws its own industry icons and
    // says so in its init answer (availkit's counterpart of VPAID adIcons).
    answer(m, true, params().adIcons === true ? { adIcons: true } : undefined);
  }

  function onStart(m) {
    answer(m, true);
    set('state', 'started');
    if (mode === 'flood') return flood();
    ui();
    var p = params();
    if (p.trackingUrl) send('SIMID:Creative:reportTracking', { trackingUrls: [p.trackingUrl, 'javascript:parent.canary=1'] });
    send('SIMID:Creative:getMediaState', {}, function (ok, st) { set('mediastate', st); });
    send('SIMID:Creative:log', { message: 'availkit test creative started' });
    if (mode === 'navigate-top') setTimeout(attack, 200);
    if (mode === 'click-no-gesture') {
      setTimeout(function click() {
        send('SIMID:Creative:clickThru', { x: 1, y: 1, playerHandles: true, uri: p.clickThrough || '' }, function (ok) {
          set('click', ok ? 'resolved' : 'rejected');
          report('click', ok ? 'got:resolved' : 'blocked:rejected');
        });
        setTimeout(click, 1500);
      }, 5500);
    }
  }

  function button(id, label, fn) {
    var b = document.createElement('button');
    b.id = id;
    b.textContent = label;
    b.addEventListener('click', fn);
    document.getElementById('controls').appendChild(b);
  }

  function ui() {
    var p = params();
    document.getElementById('label').textContent = p.label || 'SIMID creative';
    button('simid-click', 'Learn more', function (ev) {
      send('SIMID:Creative:clickThru', { x: ev.clientX, y: ev.clientY, playerHandles: true, uri: p.clickThrough || '' },
        function (ok) { set('click', ok ? 'resolved' : 'rejected'); });
    });
    button('simid-pause', 'Pause', function () { send('SIMID:Creative:requestPause', {}, function (ok) { set('pause', ok); }); });
    button('simid-play', 'Play', function () { send('SIMID:Creative:requestPlay', {}, function (ok) { set('play', ok); }); });
    button('simid-mute', 'Mute', function () { send('SIMID:Creative:requestChangeVolume', { volume: 0.5, muted: true }, function (ok) { set('volume', ok); }); });
    button('simid-skip', 'Skip', function () { send('SIMID:Creative:requestSkip', {}, function (ok) { set('skip', ok); }); });
    button('simid-stop', 'Close', function () { send('SIMID:Creative:requestStop', {}, function (ok) { set('stop', ok); }); });
    button('simid-extend', 'More time', function () {
      send('SIMID:Creative:requestChangeAdDuration', { duration: p.extendTo || 11 }, function (ok) { set('extend', ok); });
    });
    button('simid-resize', 'Resize', function () { send('SIMID:Creative:requestResize', {}, function (ok) { set('resize', ok); }); });
  }

  function flood() {
    var n = 0;
    (function burst() {
      for (var i = 0; i < 200; i++, n++) {
        send('SIMID:Creative:reportTracking', { trackingUrls: [location.origin + '/beacon/hostile/simid-flood?n=' + n] });
        send('SIMID:Creative:log', { message: 'flood ' + n });
      }
      if (n < 5000) setTimeout(burst, 10);
    })();
  }

  function attack() {
    var top = window.top;
    attempt('parent-canary', function () { return top.canary; });
    attempt('parent-cookie', function () { return top.document.cookie; });
    attempt('parent-storage', function () { return top.localStorage.getItem('canary'); });
    attempt('parent-dom', function () { return top.document.body.innerHTML.length; });
    attempt('write-canary', function () { top.canary = 'pwned'; return top.canary; });
    attempt('own-cookie', function () { return document.cookie; });
    attempt('own-storage', function () { return localStorage.getItem('canary'); });
    attempt('frame-element', function () { return window.frameElement; });
    // Forged player messages: another session, a replayed id, a resolve of
    // nothing, and a clickThru to a javascript: URL.
    player.postMessage(JSON.stringify({ sessionId: 'forged', messageId: 999, timestamp: 0, type: 'SIMID:Creative:requestStop', args: {} }), '*');
    player.postMessage(JSON.stringify({ sessionId: sessionId, messageId: 0, timestamp: 0, type: 'SIMID:Creative:requestStop', args: {} }), '*');
    send('resolve', { messageId: 12345 });
    send('SIMID:Creative:clickThru', { playerHandles: true, uri: 'javascript:top.canary="pwned"' },
      function (ok) { report('js-click', ok ? 'got:resolved' : 'blocked:rejected'); });
    attempt('top-nav', function () { top.location.href = new URL('/pwned', location.href).href; return 'navigated?'; });
    attempt('top-replace', function () { top.location.replace(new URL('/pwned', location.href).href); return 'replaced?'; });
  }

  set('state', 'loaded');
  send('createSession', {}, function (ok) { set('session', ok ? 'resolved' : 'rejected'); });
})();
