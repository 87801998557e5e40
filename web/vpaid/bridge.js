// bridge.js is the host's end of the message bridge to a unit frame
// (frame.js is the other end). A message counts only from the ad's own
// frame window and, after the first hello, only with the ad's random token;
// every message counts against the cap (watchdog.js), and once the frame
// has the token it is pinged until the ad ends.

import { unitEvent, num, str } from './unitevents.js';
import { Liveness } from './watchdog.js';

// randomToken returns the secret an ad's frame must send back with each
// message: another frame (or the page's own scripts posting to window)
// cannot forge the unit's events without it.
export function randomToken() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// receive is the only way into runner r from the frame of ad a.
export function receive(r, a, ev) {
  if (r.ad !== a || !a.iframe || ev.source !== a.iframe.contentWindow) return;
  if (a.cap.over(performance.now())) {
    r.fail('VPAID unit flooded the bridge');
    return;
  }
  const m = ev.data;
  if (!m || typeof m !== 'object' || m.ak !== 'vpaid' || typeof m.type !== 'string') {
    a.forged++;
    return;
  }
  if (m.type === 'hello') {
    hello(r, a);
    return;
  }
  if (m.token !== a.token) {
    a.forged++;
    return;
  }
  switch (m.type) {
    case 'loaded': return loaded(r, a, m);
    case 'event': return unitEvent(r, a, m);
    case 'state': return r.progress(a, num(m.remaining), num(m.duration));
    case 'pong': return a.liveness && a.liveness.pong(m.n);
    case 'error': return r.fail(`VPAID ${str(m.phase) || 'unit'} error: ${str(m.message).slice(0, 200)}`);
    default:
  }
}

// hello answers the frame's first message with the unit to load and the
// ad's token, and starts pinging the frame; it happens once per frame.
export function hello(r, a) {
  if (a.helloSeen || a.phase !== 'loading') return;
  a.helloSeen = true;
  r.timings.hello = performance.now();
  const post = (msg) => a.iframe && a.iframe.contentWindow && a.iframe.contentWindow.postMessage(msg, '*');
  post({ ak: 'vpaid', type: 'load', token: a.token, uri: a.uri, origin: location.origin, pollMs: r.opts.pollMs });
  a.liveness = new Liveness(post, { pingMs: r.opts.pingMs, timeoutMs: r.opts.unresponsiveMs }, (ms) => {
    if (r.ad === a) r.fail(`VPAID unit stopped answering (no reply for ${ms} ms)`);
  });
  a.cleanups.push(() => a.liveness.stop());
  a.liveness.start();
}

// loaded takes the frame's word that the unit's script ran: a VPAID 2.x
// unit is initialised (initAd), anything else ends the ad.
function loaded(r, a, m) {
  if (a.phase !== 'loading') return;
  const version = str(m.version);
  if (!/^2\./.test(version)) {
    r.fail(`unsupported VPAID version "${version.slice(0, 20)}"`);
    return;
  }
  r.timings.loaded = performance.now();
  a.phase = 'init';
  r.state('init');
  r.arm(a, r.opts.replyTimeoutMs, 'VPAID unit sent no AdLoaded');
  const [w, h, mode] = r.size();
  const params = typeof a.vpaid.adParameters === 'string' ? a.vpaid.adParameters : '';
  // The unit starts muted with content muted (or live): its first
  // AdVolumeChange to a volume is a real unmute.
  a.muted = !!(a.live || r.video.muted);
  r.call(a, 'initAd', [w, h, mode, r.opts.desiredBitrate, params, a.muted]);
}
