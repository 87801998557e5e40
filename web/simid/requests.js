// requests.js answers a SIMID creative's SIMID:Creative:* messages for the
// host (host.js): each is resolved or rejected, and only the ones a player
// can honour safely change anything.

import { httpURL, openClickThrough } from '../companions/safety.js';
import { CREATIVE_ERROR, PLAYER_ERROR, STOP_CODE, T, num, str } from './protocol.js';
import { grant } from './duration.js';

const unsupported = { errorCode: PLAYER_ERROR.UNSUPPORTED_FUNCTIONALITY_REQUEST };

// REPORT_EVENT is the eventType a creative's reportTracking URLs are fired
// under: not a VAST event, so the core counts each URL once per ad.
export const REPORT_EVENT = 'simidReportTracking';

// activated says whether the host has a live user gesture; a click inside
// the creative's frame activates its ancestors too.
const activated = () => !globalThis.navigator?.userActivation || navigator.userActivation.isActive;

/**
 * handleRequest answers message m (of type SIMID:Creative:<name>) from ad a
 * for host.
 */
export function handleRequest(host, a, m, name) {
  const ok = (value = {}) => host.reply(a, m, true, value);
  const no = (args = unsupported, message = '') => {
    host.reply(a, m, false, { ...args, message });
    // Say why in the creative's own log (SIMID:Player:log).
    if (message) host.post(a, T.log, { message: `${m.type}: ${message}` });
  };
  const v = host.video;
  const started = a.phase === 'playing';
  switch (name) {
    case 'log':
      host.dispatchEvent(new CustomEvent('simidlog', {
        detail: { availId: a.availId, adId: a.adId, message: str(m.args.message, 500) },
      }));
      return ok();
    case 'getMediaState':
      return ok(host.mediaState(a));
    case 'fatalError': {
      ok();
      const c = num(m.args.errorCode, 0);
      host.fail(c >= 1100 && c <= 1199 ? c : CREATIVE_ERROR.UNSPECIFIED,
        `SIMID creative fatal error: ${str(m.args.errorMessage, 200)}`, false);
      return undefined;
    }
    case 'clickThru':
      return click(host, a, m, ok, no);
    case 'reportTracking':
      return report(host, a, m, ok, no);
    case 'requestPause':
      if (!started) return no();
      v.pause();
      return ok();
    case 'requestPlay':
      if (!started || a.holding) return no();
      v.play().then(() => ok(), () => no({ errorCode: PLAYER_ERROR.UNSPECIFIED }, 'play() refused'));
      return undefined;
    case 'requestChangeVolume': {
      const vol = num(m.args.volume);
      if (vol !== null && vol >= 0 && vol <= 1) v.volume = vol;
      if (typeof m.args.muted === 'boolean') v.muted = m.args.muted;
      return ok();
    }
    case 'requestSkip':
      // A stitched ad is skipped by the core's own rules (skipOffset);
      // live breaks are never shortened.
      if (!started || a.live) return no();
      return host.session.skip() ? ok() : no(unsupported, 'the ad is not skippable now');
    case 'requestStop':
      ok();
      // The creative goes; the stitched ad it sat on plays to its end.
      host.stop(STOP_CODE.CREATIVE_INITIATED);
      return undefined;
    case 'requestChangeAdDuration': {
      const d = num(m.args.duration);
      if (!a.simid.variableDuration || a.live || d === null || (d <= 0 && d !== -2)) return no();
      grant(host, a, Math.min(d === -2 ? host.opts.maxAdSeconds : d, host.opts.maxAdSeconds));
      return ok();
    }
    default:
      // requestResize, requestNavigation, requestFullscreen, expand…: the
      // page's layout and navigation are the host's.
      return no();
  }
}

// click handles clickThru: only after a user gesture and only to an
// http(s) page (the creative's, else the VAST ClickThrough). clickTracking
// fires through the core once per accepted click.
function click(host, a, m, ok, no) {
  if (a.phase !== 'playing') return no();
  if (!activated()) return no(unsupported, 'clickThru without a user gesture');
  const now = performance.now();
  // One click-through a second is plenty for a human.
  if (now - a.lastClick < 1000) return no(unsupported, 'too many clicks');
  const raw = str(m.args.uri);
  const uri = httpURL(raw, null);
  if (raw && !uri) return no(unsupported, 'clickThru URI is not http(s)');
  a.lastClick = now;
  const playerHandles = m.args.playerHandles !== false;
  const s = host.session;
  // Session.clickThrough fires clickTracking and returns the VAST
  // ClickThrough without opening it.
  const vast = typeof s.clickThrough === 'function' ? s.clickThrough({ open: false }) : '';
  if (playerHandles) {
    openClickThrough(uri || httpURL(vast, null) || httpURL(a.clickThrough, null), { requireActivation: true });
  }
  return ok();
}

// report fires the creative's tracking URLs through the Session (macros,
// dedupe, beacon events): http(s) only, at most maxTrackingUrls per ad.
function report(host, a, m, ok, no) {
  const list = Array.isArray(m.args.trackingUrls) ? m.args.trackingUrls : [];
  const urls = [];
  for (const u of list.slice(0, 20)) {
    if (typeof u === 'string' && u.length <= 4096 && httpURL(u, null)) urls.push(u.trim());
  }
  if (!urls.length) return no(unsupported, 'no http(s) tracking URL');
  for (const u of urls) {
    if (a.tracked >= host.opts.maxTrackingUrls) break;
    a.tracked++;
    host.session.fireTracking({ availId: a.availId, adId: a.adId, eventType: REPORT_EVENT, urls: [u], key: `simid:${u}` });
  }
  return ok();
}
