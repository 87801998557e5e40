// seeks.js tells apart the seeks an attached <video> reports, so that the
// core judges each by who made it: the plugin's own seeks (not judged
// again), a start position set before playback (OriginStart: never snapped
// back), a player hopping a hole in its buffer (OriginGap) and everything
// else, a user's seek (OriginNative, corrected after the fact).

import { GAP_JUMP, ORIGIN } from './constants.js';

// A seek the plugin issued is recognised on `seeking` within this tolerance
// (s): players round currentTime to their sample clock.
const SELF_SEEK_TOL = 0.05;

/**
 * SeekWatch keeps what classifying a `seeking` event needs: the plugin's
 * pending seek, whether the element waits for data, and whether playback
 * has started.
 */
export class SeekWatch {
  constructor() {
    this._self = null; // media time of a seek we issued
    this.waiting = false; // the element fired waiting and has not played since
    this.started = false; // the element fired playing at least once
  }

  /** issued records a seek the plugin is about to make to mediaTime. */
  issued(mediaTime) {
    this._self = mediaTime;
  }

  /**
   * own reports whether a `seeking` at mediaTime is the plugin's own seek;
   * the pending seek is consumed either way.
   */
  own(mediaTime) {
    if (this._self === null) return false;
    const ok = Math.abs(mediaTime - this._self) <= SELF_SEEK_TOL;
    this._self = null;
    return ok;
  }

  /** playing records that the element plays (it no longer waits). */
  playing() {
    this.waiting = false;
    this.started = true;
  }

  /**
   * origin classifies a seek from → to (session seconds) the element
   * already started. A position set before the first `playing` — the
   * host's currentTime, hls.js startPosition, a dash.js start time — is a
   * start position: the viewer resumes there, no break is skipped over.
   * video and toMedia are used to find a gap jump (see isGapJump).
   */
  origin(from, to, video, toMedia) {
    if (!this.started) return ORIGIN.start;
    return this.isGapJump(from, to, video, toMedia) ? ORIGIN.gap : ORIGIN.native;
  }

  /**
   * isGapJump tells a player's own hop over a hole in its buffer (hls.js
   * and dash.js gap controllers, a stall nudge) from a user's seek: it is
   * short and forward, and it starts while the element waits for data or
   * lands in a buffered range that begins after where playback was. A
   * user's short seek lands inside data already playing through, and is
   * judged by the no-skip rules; refusing a gap jump instead would stall
   * playback, since the player retries it until it gives up.
   */
  isGapJump(from, to, video, toMedia) {
    if (!(to > from) || to - from >= GAP_JUMP) return false;
    if (this.waiting) return true;
    const b = video.buffered;
    const t = video.currentTime;
    const fromMedia = toMedia(from);
    for (let i = 0; b && i < b.length; i++) {
      if (b.start(i) - 0.01 <= t && t <= b.end(i)) return b.start(i) > fromMedia + 0.001;
    }
    return false;
  }
}
