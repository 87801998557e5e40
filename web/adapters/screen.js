// Screen clock: the media time of the picture on screen.
//
// video.currentTime runs ahead of the screen: Chromium advances it from the
// audio clock and shows the frame of that time one or two display refreshes
// later (its expectedDisplayTime), and after a discontinuity the last frame
// of the previous segment stays up until the first frame of the next one,
// which B-frames push 60-110 ms past the segment start. A beacon fired on
// currentTime reaches the ad server before the ad is seen. The screen clock
// follows requestVideoFrameCallback instead: the frame presented last, from
// its expected display time on, advanced at the playback rate, never past
// the next frame that is not yet on screen, never more than one frame
// interval past the frame shown (a decoder that takes longer to show the
// next frame, as at a DASH Period switch, holds the clock) and never past
// currentTime once past the frame shown. A frame counts as shown LEAD ms
// before its expected display time, for the trip of the beacon request. A
// hidden page, where frame callbacks stop, and frame callbacks silent for
// STALE fall back to currentTime.
//
// Without requestVideoFrameCallback the clock is currentTime.

// STALE is how long (ms) a presented frame may go without a successor
// before the clock stops trusting it (frame callbacks throttled or the
// element not rendered): currentTime alone then.
const STALE = 1000;
// FIRST_STALE is how long (ms) the clock waits for the first frame after
// the load before it trusts currentTime alone (an element that is not
// rendered): longer than STALE, since a loaded machine took over a second
// to show a stream's first frame, and reading currentTime meanwhile sent a
// pre-roll's impression before anything was on screen.
const FIRST_STALE = 3000;
// BEFORE keeps the clock just short of a frame that is not on screen yet.
const BEFORE = 1e-4;
// LEAD (ms): a frame counts as on screen this long before its expected
// display time. A beacon's request leaves when the clock reaches its frame,
// and then spends 3-5 ms reaching even a loopback collector (more on a
// network), after 1-4 ms of timer and flush latency on the main thread:
// counted from the display time, the arrival was 7-16 ms after the frame
// at steady state. Leading by LEAD brings it to about the display time,
// never more than LEAD before it: well within the 20 ms a beacon may
// precede its frame, and within a frame at 2× (16.7 ms at 30 fps).
export const LEAD = 8;
// BACK is how far (s) the clock may fall behind a value it returned while
// playing before the fall counts as a discontinuity (a loop, a seek the
// element did not announce) rather than a late frame after the STALE
// fallback: within it the clock holds instead of going back, so the core
// never sees playback step backwards without a seek.
const BACK = 2;
// NUDGE is how far (s) forward seeks before the first frame may go and
// still be the player's own nudges past a start stall (hls.js: 0.1, 0.2,
// then 0.3 s more).
const NUDGE = 1;
// LANDING (s): while the element seeks, currentTime is the seek's target,
// and a frame presented then counts only from NUDGE before the target to
// LANDING past it: the landing frame holds the target (at most a frame
// before it), and a player's nudge past a start stall or a buffer hole
// (hls.js on TS: 0 to 0.1667 s) shows the frame it leaves, which the
// viewer sees. Chromium, seeking to a host's start position at 30 s on a
// load not played yet, showed the frame at 0 while still seeking, and a
// tick once seeking cleared (before the landing frame was called back)
// read 0.09 s from it and sent the pre-roll's beacons.
const LANDING = 0.1;

// offTarget says whether a frame of mediaTime presented now is not where
// video is seeking to: a picture from before a seek elsewhere, not the one
// the viewer gets.
export function offTarget(video, mediaTime) {
  const d = mediaTime - video.currentTime;
  return !!video.seeking && !(d > -NUDGE && d <= LANDING);
}

// screenMethods are an adapter handle's methods over clock, a
// screenClock: screenTime, the media time of the picture on screen (the
// playhead the Session feeds the core, so that a beacon leaves when its
// frame is shown, not when currentTime passes it), screenWait, how long
// (ms) the last screenTime() stays pinned short of a frame not shown yet
// (NaN: it is not), the frame clock's wake-up, and screenPresented, whether
// a frame has been presented since the load or the last seek.
export function screenMethods(clock) {
  return {
    screenTime: () => clock.now(),
    screenWait: () => clock.wait(),
    screenPresented: () => clock.presented(),
  };
}

// screenClock starts following video's presented frames; now() returns the
// media time on screen, stop() ends the frame callbacks.
export function screenClock(video) {
  const rvfc = video && typeof video.requestVideoFrameCallback === 'function';
  // The two latest presented frames: their media time and the
  // performance.now() time they are (expected to be) visible.
  let shownMedia = NaN;
  let shownAt = NaN;
  let nextMedia = NaN;
  let nextAt = NaN;
  // step is the shortest media time between two presented frames seen:
  // the next frame is at least that far after the one on screen.
  let step = Infinity;
  let id = 0;
  let stopped = false;
  // waitFrom is when now() was first asked while playing with no frame
  // displayed since the load or the last seek (NaN: not yet asked).
  let waitFrom = NaN;
  // shown says a frame has been displayed since the clock started; until
  // then hold is the first reading, which the clock stays just short of.
  let shown = false;
  let hold = NaN;

  function onFrame(now, meta) {
    if (stopped) return;
    id = video.requestVideoFrameCallback(onFrame);
    if (offTarget(video, meta.mediaTime)) return;
    const at = Number.isFinite(meta.expectedDisplayTime) && meta.expectedDisplayTime > 0 ? meta.expectedDisplayTime : now;
    if (Number.isFinite(nextAt) && nextAt <= at) {
      shownMedia = nextMedia;
      shownAt = nextAt;
    }
    const d = meta.mediaTime - nextMedia;
    if (d > 1e-4 && d < step) step = d;
    nextMedia = meta.mediaTime;
    nextAt = at;
  }
  // last is the value now() returned last while playing.
  let last = -Infinity;
  // wait is how long (ms) the last reading stays pinned short of a frame
  // called back but not counted as shown yet: the clock cannot pass it
  // before then (NaN: not pinned).
  let wait = NaN;
  function reset() {
    // hls.js nudges currentTime forward (0.1 s a try) when playback does
    // not start on the first data: those seeks keep the hold, a real one
    // (a start position, the viewer) drops it.
    const ct = video.currentTime;
    if (shown || !(ct >= hold && ct - hold < NUDGE)) {
      hold = NaN;
      waitFrom = NaN;
    }
    shownMedia = shownAt = nextMedia = nextAt = NaN;
    last = -Infinity;
  }
  // forward returns v, or last when v is a small step back from it.
  function forward(v) {
    if (v < last && v > last - BACK) return last;
    last = v;
    return v;
  }
  if (rvfc) {
    id = video.requestVideoFrameCallback(onFrame);
    video.addEventListener('seeking', reset);
  }

  return {
    now() {
      wait = NaN;
      const ct = video.currentTime;
      if (!rvfc || video.seeking) {
        last = -Infinity;
        return ct;
      }
      if (video.paused) {
        // Paused, the element reports its audio clock, a little past the
        // frame left on screen; playing on, the clock follows frames again
        // and would step back (native HLS: 0.1 s), which the core counts as
        // a rewind. Remembered, the step back is held instead.
        last = ct;
        // Before the first frame, where playback will start from is the
        // hold: the first reading while playing may come after the audio
        // clock has run on (a busy page, 2x) with no frame shown, and held
        // there the clock passed a pre-roll's start before its first frame.
        // Nothing was on screen to step back from.
        if (!shown && !Number.isFinite(shownMedia) && !(nextAt <= performance.now() + LEAD)) {
          if (!(hold <= ct)) hold = ct;
          last = -Infinity;
        }
        return ct;
      }
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return forward(ct);
      const t = performance.now() + LEAD;
      let m = shownMedia;
      let at = shownAt;
      let cap = Infinity;
      if (Number.isFinite(nextAt)) {
        if (nextAt <= t) {
          m = nextMedia;
          at = nextAt;
        } else cap = nextMedia - BEFORE;
      }
      if (!Number.isFinite(m)) {
        // Nothing displayed since the load or the seek: the element may
        // report playing at a time whose frame is not on screen yet. Before
        // the first frame ever the clock stays short of its first reading
        // (hls.js nudged past a start stall: the first frame shown was
        // 0.33 s on, and a pre-roll's impression at 0 must wait for it);
        // after a seek, short of currentTime and of the frame coming. No
        // frame for FIRST_STALE, or STALE after a seek (an element that is
        // not rendered): the clock is currentTime.
        if (!Number.isFinite(waitFrom)) waitFrom = t;
        if (t - waitFrom > (shown ? STALE : FIRST_STALE)) return forward(ct);
        if (!shown) {
          if (!Number.isFinite(hold)) hold = ct;
          // The first frame, called back but not counted as shown yet,
          // releases the hold: say when.
          if (Number.isFinite(nextAt)) wait = nextAt - t;
          return forward(Math.min(ct, hold) - BEFORE);
        }
        const y = Math.min(ct - BEFORE, cap);
        if (y === cap) wait = nextAt - t;
        return forward(y);
      }
      shown = true;
      if (t - at > STALE) return forward(ct);
      const rate = video.playbackRate > 0 ? video.playbackRate : 1;
      // currentTime bounds the advance past the frame shown (a stall), not
      // the frame itself: Chromium's currentTime read 4-16 ms short of the
      // frame on screen (hls.js and dash.js on fMP4), and capped there the
      // clock made a beacon wait for it.
      const x = Math.min(cap, m + step - BEFORE, Math.max(m, Math.min(ct, m + ((t - at) / 1000) * rate)));
      if (x === cap) wait = nextAt - t;
      return forward(x);
    },
    // presented says a frame has been on screen (from LEAD ms before its
    // expected display time) since the load or the last seek, paused or not.
    presented() {
      return Number.isFinite(nextAt) && nextAt <= performance.now() + LEAD;
    },
    // wait returns how long (ms) the value now() returned last stays pinned
    // short of the next frame (NaN: it is not). The frame clock wakes the
    // core then, rather than polling a clock that cannot move.
    wait() {
      return wait;
    },
    stop() {
      stopped = true;
      if (rvfc) {
        video.cancelVideoFrameCallback(id);
        video.removeEventListener('seeking', reset);
      }
    },
  };
}
