// On-screen meter of the QA page: reads the frame code of the presented
// frames near tracking times (web/qa/framecode.js), matches them to the
// tracking JSON (web/qa/framematch.js) and says, per beacon, how many ms
// before (−) or after (+) the frame it describes was on screen the request
// left the page. Reading is limited to WINDOW seconds (× the playback rate)
// around each tracking time (and the start, until the first tracking
// response), and stops for media without frame codes, so a long content
// stretch costs one frame callback per frame and nothing else.

import { record } from './framecode.js';
import { createFrameMatcher } from './framematch.js';

// WINDOW (s) around a tracking time in which frames are read: wider than
// the distance between the session clock and the picture (100-320 ms on
// TS media with B-frames).
const WINDOW = 0.6;
// GIVE_UP (s): a beacon whose frame was not read this long after its time
// on the session clock (a seek, frames skipped) shows "—".
const GIVE_UP = 2;

// EARLY (ms) is how far before its frame a request counts as early, as the
// bench and the browser tests judge it: the plugin sends up to 8 ms ahead
// on purpose, so that the request arrives as the frame is shown.
export const EARLY = 20;

// num writes ms rounded, with its sign (− for before the frame).
function num(ms) {
  const r = Math.round(ms);
  return `${r < 0 ? '−' : r > 0 ? '+' : ''}${Math.abs(r)}`;
}

function signed(ms) {
  return `${num(ms)} ms`;
}

function wall(ms) {
  return `${new Date(ms).toISOString().slice(11, 23)} UTC`;
}

// createOnScreen returns the meter for video; start() it for each session.
export function createOnScreen(video) {
  const m = createFrameMatcher();
  let rec = null;
  let clock = () => NaN;
  let tainted = false;

  // The player's own seek over a hole in its buffer (hls.js' gap
  // controller after a stall, at every discontinuity of the B-frame fMP4
  // media: docs/onscreen.md) is told from a viewer's: the element stalled
  // (waiting, no playing since), plays on, and the seek goes forward from
  // the last presented frame into a buffered range that does not hold that
  // frame. A viewer's seek is a discontinuity: the plugin may snap it
  // back, and the frame it lands on is then not the one the beacons
  // describe.
  let stalled = false;
  let lastMedia = NaN; // media time of the last presented frame, read or not
  const onWaiting = () => {
    stalled = true;
  };
  const onPlaying = () => {
    stalled = false;
  };
  function overHole(from, to) {
    const b = video.buffered;
    for (let i = 0; i < b.length; i++) {
      if (b.start(i) <= to && to <= b.end(i)) return b.start(i) > from;
    }
    return false;
  }
  const onSeeking = () => {
    const to = video.currentTime;
    if (stalled && !video.paused && to > lastMedia && overHole(lastMedia, to)) m.jump();
    else m.discontinuity();
  };

  function want(meta) {
    if (meta && Number.isFinite(meta.mediaTime)) lastMedia = meta.mediaTime;
    if (tainted || m.codes === 'no') return false;
    return !m.tracked || m.near(clock(), WINDOW * Math.max(1, video.playbackRate || 1));
  }

  function onFrame(e) {
    if (e.tainted) {
      // A cross-origin picture cannot be read: no frame codes here.
      tainted = true;
      return;
    }
    // The session clock when the frame is displayed, not now (the read
    // comes a task after the frame callback).
    e.session = clock() + ((e.at - Date.now()) / 1000) * (video.playbackRate || 1);
    m.frame(e);
  }

  return {
    // start follows a new session; now() is its session clock.
    start(now) {
      this.stop();
      m.reset();
      tainted = false;
      stalled = false;
      lastMedia = NaN;
      clock = now;
      if (typeof video.requestVideoFrameCallback !== 'function') return;
      rec = record(video, { want, onFrame });
      video.addEventListener('seeking', onSeeking);
      video.addEventListener('waiting', onWaiting);
      video.addEventListener('playing', onPlaying);
    },
    stop() {
      rec?.stop();
      rec = null;
      video.removeEventListener('seeking', onSeeking);
      video.removeEventListener('waiting', onWaiting);
      video.removeEventListener('playing', onPlaying);
    },
    setTracking(json) {
      m.setTracking(json);
    },
    // onChange calls fn when a frame a beacon describes was read.
    onChange(fn) {
      return m.onChange(fn);
    },
    firstFrames() {
      return m.firstFrames();
    },
    // cell says what the beacon log shows for beacon d, whose request left
    // at sentAt (ms epoch): {text, tone, title, ms?, frame?, at?, jump?,
    // pending?} (frame 'asset#n' and its display time at, ms epoch, when
    // known; jump, ms of media the player skipped where the beacon's own
    // frame was never shown: the value, marked ↷, is against the frame after).
    cell(d, sentAt) {
      const none = (title) => ({ text: '—', tone: '', title });
      if (d.firedBy === 'server') return none('MediaTailor sends this beacon (reportingMode server)');
      if (!(d.scheduledTime >= 0)) return none('an action or host beacon: no frame of the stream describes it');
      if (!rec || tainted || m.codes === 'no') return none('frames cannot be identified: the media carries no frame codes (not the bundled media)');
      const f = m.frameFor(d.scheduledTime);
      if (f) {
        const ms = sentAt - f.at;
        const name = `${f.asset}#${f.frame}`;
        const jumped = f.jump
          ? `the player jumped over ${Math.round(f.jump.ms)} ms of media (${f.jump.from ? `from ${f.jump.from} to ${name}` : `playback began at ${name}`}): `
            + `the beacon's own frame was never on screen; measured against ${name}, the first frame shown after the jump. `
          : '';
        return {
          text: `${f.jump ? '↷ ' : ''}${signed(ms)}`, ms, tone: ms < -EARLY ? 'bad' : ms > 50 ? 'warn' : 'ok', frame: name, at: f.at,
          jump: f.jump ? f.jump.ms : undefined,
          title: `${jumped}frame ${name} on screen at ${wall(f.at)}, request sent at ${wall(sentAt)}: `
            + `${Math.abs(Math.round(ms))} ms ${ms < 0 ? 'before' : 'after'} the frame`
            + (ms < -EARLY ? ': EARLY' : ms < 0 ? ' (sent just ahead on purpose, to arrive as it is shown)' : ''),
        };
      }
      // Its frame was shown between two frames read around callbacks the
      // page missed: the request left between these two offsets from it.
      const b = m.rangeFor(d.scheduledTime);
      if (b) {
        const lo = sentAt - b.by;
        const hi = sentAt - b.after;
        return {
          text: `${num(lo)}…${num(hi)} ms`, ms: NaN, range: [lo, hi],
          tone: hi < -EARLY ? 'bad' : lo > 50 ? 'warn' : 'ok',
          title: `its frame was shown between ${wall(b.after)} and ${wall(b.by)} (the page missed the callbacks between): `
            + `the request left ${Math.round(lo)} to ${Math.round(hi)} ms after it` + (hi < -EARLY ? ': EARLY' : ''),
        };
      }
      if (clock() > d.scheduledTime + GIVE_UP * Math.max(1, video.playbackRate || 1)) {
        return none('its frame was not read (a seek, callbacks the busy page missed, or a skip the page could not follow)');
      }
      return { text: '…', tone: '', title: 'waiting for its frame to be presented', pending: true };
    },
  };
}
