// player.js reads an attached <video>: the listeners that drive the core
// and the player flags of ak_update.

import { FLAGS } from './constants.js';

/**
 * now is the session's clock: wall milliseconds (performance.timeOrigin +
 * performance.now()), the time the core is given with each update.
 */
export const now = () => performance.timeOrigin + performance.now();

/**
 * listenVideo subscribes h's handlers to video, the document and the window
 * and returns the function that removes every one of them. h has tick,
 * playing, waiting, seeking, rate, size, duration and
 * metadata.
 */
export function listenVideo(video, h) {
  const subs = [];
  const on = (target, type, fn) => {
    if (!target || typeof target.addEventListener !== 'function') return;
    target.addEventListener(type, fn);
    subs.push([target, type, fn]);
  };
  for (const t of ['timeupdate', 'play', 'pause', 'ended', 'volumechange', 'seeked']) on(video, t, h.tick);
  on(video, 'ratechange', () => { h.rate(); h.tick(); });
  on(video, 'playing', h.playing);
  on(video, 'waiting', h.waiting);
  on(video, 'seeking', h.seeking);
  on(video, 'resize', h.size);
  on(video, 'durationchange', h.duration);
  on(video, 'loadedmetadata', h.metadata);
  if (typeof document !== 'undefined') {
    on(document, 'fullscreenchange', () => { h.size(); h.tick(); });
    // Beacons due while the page goes away are sent now; keepalive
    // fetches survive the unload.
    on(document, 'visibilitychange', h.tick);
  }
  if (typeof window !== 'undefined') {
    on(window, 'pagehide', h.tick);
    on(window, 'resize', h.size);
  }
  return () => {
    for (const [t, type, fn] of subs) t.removeEventListener(type, fn);
    subs.length = 0;
  };
}

/** videoFlags returns the ak_update flags of video; rendered says a frame was shown. */
export function videoFlags(v, rendered) {
  let f = 0;
  if (v.paused) f |= FLAGS.paused;
  if (v.muted || v.volume === 0) f |= FLAGS.muted;
  if (v.seeking) f |= FLAGS.seeking;
  if (v.ended) f |= FLAGS.ended;
  if (rendered) f |= FLAGS.rendered;
  if (typeof document !== 'undefined' && document.fullscreenElement) {
    const fs = document.fullscreenElement;
    if (fs === v || (fs.contains && fs.contains(v))) f |= FLAGS.fullscreen;
  }
  return f;
}

/**
 * stateFlags returns the ak_update flags of a headless host's state
 * ({paused, muted, fullscreen, seeking, ended, rendered}); rendered
 * defaults to true, the host shows frames.
 */
export function stateFlags(s) {
  let f = 0;
  if (s.paused) f |= FLAGS.paused;
  if (s.muted) f |= FLAGS.muted;
  if (s.fullscreen) f |= FLAGS.fullscreen;
  if (s.seeking) f |= FLAGS.seeking;
  if (s.ended) f |= FLAGS.ended;
  if (s.rendered !== false) f |= FLAGS.rendered;
  return f;
}

/** playerSize returns the displayed size of video in CSS pixels (else its intrinsic size). */
export function playerSize(v) {
  return [v.clientWidth || v.videoWidth || 0, v.clientHeight || v.videoHeight || 0];
}

// clickPos is a click's position over the video in CSS pixels, the space of
// [PLAYERSIZE], for [CLICKPOS]; null without a pointer position (a key
// press) or a video.
export function clickPos(v, ev) {
  if (!v || !ev || typeof ev.clientX !== 'number' || typeof v.getBoundingClientRect !== 'function') return null;
  if (ev.detail === 0 && ev.clientX === 0 && ev.clientY === 0) return null; // keyboard activation
  const r = v.getBoundingClientRect();
  const x = Math.round(ev.clientX - r.left);
  const y = Math.round(ev.clientY - r.top);
  return x >= 0 && y >= 0 && x <= r.width && y <= r.height ? [x, y] : null;
}

// VAST error codes of a player failure during an ad (VAST 4.1 §2.3.6.3).
const VAST_LINEAR = 400; // general: the player cannot display the ad
const VAST_UNSUPPORTED = 403; // no media file of a supported type
const VAST_UNDISPLAYABLE = 405; // supported type, but it does not play (decoding)

// vastPlayerCode is the VAST code of a fatal player error: the element's
// own MediaError when it has one (4 unsupported source → 403, 3 decode →
// 405), else the adapter's hint ('unsupported' or 'decode'), else 400.
export function vastPlayerCode(v, hint) {
  const code = v && v.error && v.error.code;
  if (code === 4 || hint === 'unsupported') return VAST_UNSUPPORTED;
  if (code === 3 || hint === 'decode') return VAST_UNDISPLAYABLE;
  return VAST_LINEAR;
}
