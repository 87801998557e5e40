// catchup.js hands a core that arrived after createSession (coreStart
// 'first-frame', or a core still compiling) what happened while it was
// away: the player's state, where playback began, the viewer's seeks.
// Split from session.js, which calls noteAway and pollSeen; connect.js
// calls caughtUp or startFailed, attach.js notePlayStart.

import { startPosition } from './attach.js';
import { ORIGIN } from './constants.js';
import { AvailKitError } from './errors.js';
import { now, videoFlags } from './player.js';

// AWAY_POLL_WAIT_MS bounds how long a core that arrives after a viewer's
// seek waits for its first tracking reply before it is ticked anyway.
const AWAY_POLL_WAIT_MS = 3000;

/**
 * caughtUp hands session s's core, which arrived after createSession, the
 * state of the player attached meanwhile; the beacons the playhead has
 * crossed fire now. A seek the viewer made meanwhile is judged once the
 * core has the breaks (its first tracking reply).
 */
export function caughtUp(s) {
  stopStartWatch(s);
  if (s.destroyed || !s._obj || !s._adapter) s._starting = null;
  else {
    // Still _starting while the player's state is handed over, so that
    // none of these ticks before the replay.
    if (s._manifest) s._manifestLoaded(s._manifest);
    s._sizeChanged();
    s._rateChanged();
    startPosition(s);
    if (s._awaySeek) afterFirstPoll(s, () => handOver(s));
    else handOver(s);
  }
  if (s._unhold) s._unhold();
}

/**
 * startFailed reports a core that failed after createSession resolved
 * without it, as one error event.
 */
export function startFailed(s, e) {
  s._starting = null;
  stopStartWatch(s);
  if (s._unhold) s._unhold();
  if (s.destroyed) return;
  if (s._initError) return; // the core emitted it already
  s._emit('error', e instanceof AvailKitError ? e.detail
    : { kind: 'internal', source: 'core', status: 0, message: String(e && e.message || e) });
}

/** stopStartWatch cancels the first-frame watch that starts the core. */
export function stopStartWatch(s) {
  if (s._unwatchStart) s._unwatchStart();
  s._unwatchStart = null;
}

/**
 * notePlayStart keeps where and when playback began while the core was
 * away, for replayStart.
 */
export function notePlayStart(s) {
  if (s._starting && !s._playedFrom) s._playedFrom = { ph: s._toSession(s.video.currentTime), t: now() };
}

/**
 * noteAway keeps, while the core is away, where playback has got to and
 * the viewer's seeks (seeking: a `seeking` event), for judgeAwaySeek.
 * Start positions (before the first playing) are not seeks: startPosition
 * and replayStart hand them over.
 */
export function noteAway(s, seeking) {
  const v = s.video;
  if (!s._adapter || !s._seeks.started) return;
  if (!seeking) {
    if (!v.seeking) s._awayAt = s._toSession(v.currentTime);
    return;
  }
  if (s._seeks.own(v.currentTime)) return;
  const to = s._toSession(v.currentTime);
  const a = s._awaySeek;
  const from = a ? a.from : Number.isFinite(s._awayAt) ? s._awayAt : s._playedFrom ? s._playedFrom.ph : s._lastPlayhead;
  const origin = s._seeks.origin(from, to, v, (t) => s._toMedia(t));
  // Several seeks are one, from where the first left; a viewer's seek
  // among them makes it a viewer's seek.
  s._awaySeek = { from, to, origin: a && a.origin === ORIGIN.native ? a.origin : origin };
  s._awayAt = to;
}

/**
 * pollSeen is told each event the core emits while the catch-up waits for
 * its first tracking reply (s._pollSeen set): that reply, or its failure,
 * ends the wait.
 */
export function pollSeen(s, type, detail) {
  if (type === 'trackingupdate' || (type === 'error' && detail && detail.source === 'tracking')) queueMicrotask(s._pollSeen);
}

// afterFirstPoll calls fn once the core has its first tracking reply (or
// its failure), AWAY_POLL_WAIT_MS at most.
function afterFirstPoll(s, fn) {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    s._pollSeen = null;
    fn();
  };
  const timer = setTimeout(once, AWAY_POLL_WAIT_MS);
  s._pollSeen = once;
}

// handOver ends the catch-up: the core is ticked from now on, first from
// where playback began while it was away.
function handOver(s) {
  s._starting = null;
  if (s.destroyed || !s._obj || !s._adapter) return;
  replayStart(s);
  judgeAwaySeek(s);
  s._tick();
}

// replayStart hands the core, as its first update, where and when playback
// began while it was away: the next tick is then one continuous step from
// there, so the crossed breakStart, impression, start and quartiles are
// sent (a first update in mid-ad would be a join: its impression only).
function replayStart(s) {
  const from = s._playedFrom;
  s._playedFrom = null;
  if (from && !s.video.seeking) s._drive(from.ph, videoFlags(s.video, true), from.t);
}

// judgeAwaySeek hands the core a viewer's seek made while it was away, as
// it would have judged it then: playback up to where the seek left, then
// the seek. A pre-roll skipped before the core came is snapped back to like
// any other (the no-skip rules), a second or so late.
function judgeAwaySeek(s) {
  const a = s._awaySeek;
  s._awaySeek = null;
  s._awayAt = NaN;
  if (!a || s.video.seeking || !s._adapter) return;
  if (a.from > s._lastPlayhead) s._drive(a.from, videoFlags(s.video, true));
  if (s.destroyed || !s._adapter) return;
  const d = s._call('seek', a.from, a.to, a.origin);
  if (d && !d.allow && s._adapter) s._seekMedia(d.to);
}
