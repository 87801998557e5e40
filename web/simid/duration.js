// duration.js is the SIMID host's side of a variableDuration ad on VOD: a
// creative granted more time (SIMID:Creative:requestChangeAdDuration) makes
// the ad last that long, past its stitched media. The countdown follows
// the granted duration (a `simidprogress` event on the Session, which the
// ad UI counts down from), and the ad cannot be played past while it runs:
// at the media end the player holds, paused, until the extra time is up,
// and a viewer's play() during the hold is refused (the no-skip rule of an
// ad applies to its whole granted duration).

import { adTime } from './media.js';

// TICK_MS is how often the countdown is re-published during the hold (the
// content clock stands still then).
const TICK_MS = 250;

// grant records a granted duration (seconds, already capped) for ad a and
// publishes the new countdown.
export function grant(host, a, seconds) {
  a.extendTo = seconds;
  progress(host, a);
}

// extended says whether ad a runs past its stitched media.
export const extended = (a) => !a.live && a.extendTo > a.duration;

// progress dispatches `simidprogress` {availId, adId, duration, remaining,
// holding} for an extended ad: remaining is the granted duration less the
// ad time played (during the hold, less the time held).
export function progress(host, a) {
  if (!extended(a) || host.ad !== a) return;
  const t = a.holdStart ? a.duration + (performance.now() - a.holdStart) / 1000 : Math.min(adTime(host, a), a.duration);
  const detail = {
    availId: a.availId, adId: a.adId, duration: a.extendTo,
    remaining: Math.max(0, a.extendTo - t), holding: !!a.holdStart,
  };
  try {
    host.session.dispatchEvent(new CustomEvent('simidprogress', { detail }));
  } catch { /* not an EventTarget */ }
}

// hold keeps the player paused at the end of ad a's media for the rest of
// its granted duration, then calls done. A viewer's play() meanwhile is
// undone (the ad is still running); the hold's cleanups go with the ad's.
export function hold(host, a, done) {
  const v = host.video;
  const extra = a.extendTo - a.duration;
  a.holdStart = performance.now();
  const refuse = () => {
    if (a.holding) v.pause();
  };
  v.addEventListener('play', refuse);
  const tick = setInterval(() => progress(host, a), TICK_MS);
  a.cleanups.push(() => {
    v.removeEventListener('play', refuse);
    clearInterval(tick);
  });
  a.holding = setTimeout(() => {
    if (host.ad !== a) return;
    a.holding = 0;
    v.removeEventListener('play', refuse);
    clearInterval(tick);
    done();
  }, extra * 1000);
  v.pause();
  progress(host, a);
}
