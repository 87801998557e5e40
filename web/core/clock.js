// clock.js decides when the core is driven between timeupdate events.
//
// Far from any scheduled item, timeupdate (~4 Hz) is enough and nothing is
// armed. Within NEAR seconds, every presented frame ticks
// (requestVideoFrameCallback, else requestAnimationFrame, else a short
// timer where nothing renders). Within about a frame, a timer set for the
// item's time re-reads currentTime, which Chromium interpolates between
// frames, so a beacon leaves a few ms after its time and never before: the
// core compares the real playhead.

import { NEAR } from './constants.js';
import { LEAD, offTarget } from '../adapters/screen.js';

// Within PRECISE_MS (wall ms) of an event a timer set for its time re-reads
// currentTime: more than a frame at 24-30 fps, so it always covers the gap
// the frame clock would leave.
const PRECISE_MS = 50;
// FRAME_MS is the frame-clock period where there is no rendering loop.
const FRAME_MS = 16;

/**
 * FrameClock calls tick on the frames and at the times arm asks for, and
 * tells when the first frame is on screen (rendered). stop cancels
 * everything it holds.
 */
export class FrameClock {
  constructor(video, tick) {
    this.video = video;
    this.tick = tick;
    this.rendered = false; // a frame has been shown since playback started
    this._rvfc = 0; // pending requestVideoFrameCallback id
    this._rvfcFirst = 0; // pending first-frame callback id
    this._raf = 0; // pending requestAnimationFrame id
    this._frameTimer = 0; // frame-clock fallback without rVFC/rAF
    this._timer = 0; // pending precise setTimeout id
    this._timerAt = 0; // performance.now() the precise timer is due
    this._firstTimer = 0; // pending setTimeout for the first frame's display
  }

  /**
   * arm schedules the next tick given nextIn, the session seconds to the
   * core's next scheduled item, near, the core's StatusNear bit, and wait,
   * the ms the playhead the core was given stays pinned short of a frame
   * not shown yet (the adapter's screenWait; NaN: not pinned).
   */
  arm(nextIn, near, wait = NaN) {
    const v = this.video;
    if (v.paused || v.seeking || v.ended) {
      this.stop();
      return;
    }
    // Playing: the first frame renders the ad as soon as it is on screen.
    // A player shows it while it still buffers for playback, with
    // currentTime at its start; `playing` (and the element's clock) came
    // 50-170 ms later, and the pre-roll's impression with it.
    if (!this.rendered) this._watchFrame();
    const rate = v.playbackRate > 0 ? v.playbackRate : 1;
    // A pinned playhead cannot reach the item before the frame shows: the
    // timer is set for that moment. Set for the item's time instead, it
    // polled a clock that could not move (every 4 ms, Chromium's floor for
    // nested timers) and ticked up to 4 ms after the frame.
    const wall = Math.max((nextIn / rate) * 1000, wait > 0 ? wait : 0);
    // The horizon is NEAR of wall time at least, so at high rates the frame
    // clock still starts before a 4 Hz timeupdate could step over the event.
    const horizon = NEAR * Math.max(1, rate);
    if (!(nextIn <= horizon) && !near) {
      this._idle();
      return;
    }
    this._frame();
    if (nextIn <= horizon && wall <= PRECISE_MS) this._precise(wall);
  }

  // nextFrame ticks once on the next presented frame, whatever the state:
  // Chromium presents a seek's landing frame and clears seeking 30-50 ms
  // before a busy page gets `seeked`. The screen clock takes no frame a
  // seek shows off its target (offTarget), so that tick cannot read one.
  nextFrame() {
    this._frame();
  }

  // _precise ticks once wall ms from now (plus half a ms, so the re-read
  // playhead is past the item, never before it).
  _precise(wall) {
    const due = performance.now() + wall + 0.5;
    if (this._timer && this._timerAt <= due + 1) return;
    if (this._timer) clearTimeout(this._timer);
    this._timerAt = due;
    this._timer = setTimeout(() => {
      this._timer = 0;
      this.tick();
    }, Math.max(0, wall + 0.5));
  }

  // _frame asks for a tick on the next presented frame (rVFC), else the
  // next animation frame, else (no rendering loop, e.g. a worker or Node)
  // in FRAME_MS.
  _frame() {
    const v = this.video;
    if (this._rvfc || this._raf || this._frameTimer) return;
    if (typeof v.requestVideoFrameCallback === 'function') {
      this._rvfc = v.requestVideoFrameCallback(() => {
        this._rvfc = 0;
        this.tick();
      });
    } else if (typeof requestAnimationFrame === 'function') {
      this._raf = requestAnimationFrame(() => {
        this._raf = 0;
        this.tick();
      });
    } else {
      this._frameTimer = setTimeout(() => {
        this._frameTimer = 0;
        this.tick();
      }, FRAME_MS);
    }
  }

  /**
   * watchFirstFrame sets rendered once a frame is on screen while playing:
   * impressions wait for the ad to be actually seen. At `playing` with a
   * frame the element presented already (presented(), the adapter's screen
   * clock: a frame shown while paused) it is on screen now; waiting for
   * the next presented frame instead made the pre-roll's impression a frame
   * (15-35 ms) late. readyState alone does not say it: Chromium's own HLS
   * player reported `playing` with HAVE_ENOUGH_DATA 12-14 ms before it
   * presented its first frame, and the pre-roll's beacons left before it.
   * Without presented (an adapter with no screen clock) readyState decides.
   */
  watchFirstFrame(presented) {
    const v = this.video;
    if (this.rendered) return;
    if (!v.paused && v.readyState >= 2 && (typeof presented !== 'function' || presented())) {
      this.rendered = true;
      return;
    }
    if (typeof v.requestVideoFrameCallback !== 'function') {
      this.rendered = true;
      return;
    }
    this._watchFrame();
  }

  // _watchFrame sets rendered when the next presented frame counts as on
  // screen while playing: from LEAD ms before its expected display time,
  // as the screen clock counts it (web/adapters/screen.js). A frame
  // presented while paused does not count; the next arm watches again.
  _watchFrame() {
    const v = this.video;
    if (this._rvfcFirst || this._firstTimer || typeof v.requestVideoFrameCallback !== 'function') return;
    this._rvfcFirst = v.requestVideoFrameCallback((now, meta) => {
      this._rvfcFirst = 0;
      // A frame shown while seeking elsewhere is not the ad on screen.
      if (v.paused || (meta && offTarget(v, meta.mediaTime))) return;
      const show = () => {
        this._firstTimer = 0;
        if (v.paused || this.rendered) return;
        this.rendered = true;
        this.tick();
      };
      const at = meta && meta.expectedDisplayTime > 0 ? meta.expectedDisplayTime : now;
      const wait = at - LEAD - performance.now();
      if (wait > 0) this._firstTimer = setTimeout(show, wait + 0.5);
      else show();
    });
  }

  // _idle cancels the ticks (the frame clock and the precise timer), not
  // the watch for the first frame.
  _idle() {
    const v = this.video;
    if (this._rvfc && v.cancelVideoFrameCallback) v.cancelVideoFrameCallback(this._rvfc);
    if (this._raf && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(this._raf);
    if (this._timer) clearTimeout(this._timer);
    if (this._frameTimer) clearTimeout(this._frameTimer);
    this._rvfc = this._raf = this._timer = this._frameTimer = 0;
  }

  /** stop cancels every pending callback and timer. */
  stop() {
    this._idle();
    const v = this.video;
    if (this._rvfcFirst && v.cancelVideoFrameCallback) v.cancelVideoFrameCallback(this._rvfcFirst);
    if (this._firstTimer) clearTimeout(this._firstTimer);
    this._rvfcFirst = this._firstTimer = 0;
  }
}
