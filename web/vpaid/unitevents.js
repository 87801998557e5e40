// unitevents.js reads the VPAID events a unit sends through the frame
// bridge (runner.js has checked the sender and token): it enforces the
// VPAID 2.0 order (nothing before AdLoaded), forwards state events once and
// the viewer's acts on every occurrence, and turns AdClickThru into a
// click-through only with the viewer's activation.

import { httpURL, openClickThrough } from '../companions/safety.js';
import { companionsFromUnit } from './companions-from-unit.js';

const ONCE = new Set([
  'AdImpression', 'AdVideoStart', 'AdVideoFirstQuartile', 'AdVideoMidpoint',
  'AdVideoThirdQuartile', 'AdVideoComplete', 'AdUserClose',
]);

// EACH are forwarded on every occurrence: each is one act of the viewer.
const EACH = new Set(['AdInteraction', 'AdUserAcceptInvitation', 'AdUserMinimize']);

const bool = (v) => (typeof v === 'boolean' ? v : null);

const KNOWN = new Set([
  'AdLoaded', 'AdStarted', 'AdStopped', 'AdSkipped', 'AdSkippableStateChange', 'AdSizeChange',
  'AdLinearChange', 'AdDurationChange', 'AdExpandedChange', 'AdRemainingTimeChange',
  'AdVolumeChange', 'AdImpression', 'AdVideoStart', 'AdVideoFirstQuartile', 'AdVideoMidpoint',
  'AdVideoThirdQuartile', 'AdVideoComplete', 'AdClickThru', 'AdInteraction',
  'AdUserAcceptInvitation', 'AdUserMinimize', 'AdUserClose', 'AdPaused', 'AdPlaying', 'AdLog',
  'AdError',
]);

export const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const str = (v) => (typeof v === 'string' ? v : '');

export function unitEvent(r, a, m) {
  const name = str(m.name);
  if (!KNOWN.has(name) || a.phase === 'done') return;
  const args = Array.isArray(m.args) ? m.args : [];
  const info = m.info && typeof m.info === 'object' ? m.info : {};
  if (name === 'AdError') {
    r.fail(`VPAID AdError: ${str(args[0]).slice(0, 200)}`);
    return;
  }
  // No events before AdLoaded (VPAID 2.0 §3.3).
  if (a.phase === 'loading') return;
  if (a.phase === 'init') {
    if (name !== 'AdLoaded') return;
    r.timings.adLoaded = performance.now();
    // adIcons true: the unit draws its own industry icons (VPAID 2.0 §3.2); the icon layer stands down.
    if (info.icons === true) r.session.dispatchEvent(new CustomEvent('adicons', { detail: { availId: a.availId, adId: a.adId, adIcons: true } }));
    companionsFromUnit(r.session, a, info.companions);
    a.phase = 'starting';
    r.state('starting');
    r.arm(a, r.opts.replyTimeoutMs, 'VPAID unit sent no AdStarted');
    r.call(a, 'startAd');
    return;
  }
  switch (name) {
    case 'AdStarted':
      if (a.phase !== 'starting') return;
      r.timings.adStarted = performance.now();
      clearTimeout(a.timer);
      a.phase = 'playing';
      r.state('playing');
      r.forward(a, 'AdStarted', {});
      r.progress(a, num(info.remaining), num(info.duration));
      r.resize();
      return;
    case 'AdStopped':
    case 'AdSkipped':
      if (name === 'AdSkipped') r.forward(a, 'AdSkipped', {});
      r.finish({ ok: true, reason: name });
      return;
    case 'AdPaused':
      if (a.paused) return;
      a.paused = true;
      r.forward(a, name, {});
      return;
    case 'AdPlaying':
      if (!a.paused) return;
      a.paused = false;
      r.forward(a, name, {});
      return;
    case 'AdVolumeChange': {
      const vol = num(info.volume);
      if (vol === null || vol < 0) return;
      const muted = vol === 0;
      if (muted === a.muted) return;
      a.muted = muted;
      r.forward(a, name, { volume: vol, muted });
      return;
    }
    case 'AdClickThru':
      click(r, a, args);
      return;
    case 'AdSkippableStateChange':
      a.skippable = info.skippable === true;
      r.progress(a, a.remaining, a.duration);
      return;
    case 'AdDurationChange':
    case 'AdRemainingTimeChange':
      r.progress(a, num(info.remaining), num(info.duration));
      return;
    case 'AdLinearChange': {
      // A linear unit owns the slot; a non-linear one lets content play
      // under it (VPAID 2.0 §3.2.1 adLinear).
      const linear = bool(info.linear);
      if (linear === null || linear === a.linear) return;
      a.linear = linear;
      if (a.controls) {
        if (linear) a.controls.hold();
        else a.controls.release();
      }
      r.forward(a, name, { linear });
      return;
    }
    case 'AdExpandedChange': {
      const expanded = bool(info.expanded);
      if (expanded === null || expanded === a.expanded) return;
      a.expanded = expanded;
      r.forward(a, name, { expanded });
      return;
    }
    case 'AdSizeChange':
      // The unit's answer to resizeAd: nothing to count, and the player
      // never sizes the unit itself.
      return;
    default:
      if (EACH.has(name)) {
        r.forward(a, name, { id: str(args[0]).slice(0, 200) });
      } else if (ONCE.has(name) && !a.fired.has(name)) {
        a.fired.add(name);
        r.forward(a, name, {});
      }
  }
}

function click(r, a, args) {
  const now = performance.now();
  // One click-through a second is plenty for a human.
  if (now - a.lastClick < 1000) return;
  a.lastClick = now;
  const url = httpURL(str(args[0]));
  const playerHandles = args[2] === true;
  r.forward(a, 'AdClickThru', { url, id: str(args[1]).slice(0, 200), playerHandles });
  if (playerHandles) {
    const target = url || httpURL(a.clickThrough);
    // The click happened in the ad frame; user activation propagates to
    // r window, and without it the unit is clicking by itself.
    openClickThrough(target, { requireActivation: true });
  }
}
