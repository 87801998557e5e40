// attach.js connects a Session to a player: the adapter, the <video>
// listeners, the start position. Split from session.js, which keeps the
// per-frame path and the API; these run once per attach.

import { pickAdapter } from '../adapters/index.js';
import { notePlayStart, stopStartWatch } from './catchup.js';
import { START_TOL } from './config.js';
import { ORIGIN } from './constants.js';
import { listenVideo } from './player.js';
import { afterFirstFrame, holdPlayback } from './startup.js';


// attachPlayer implements Session.attach: it picks the adapter for player,
// hands it the session's host callbacks and listens to the <video>.
export function attachPlayer(s, player, opts) {
  if (s.destroyed) throw new Error('availkit: session destroyed');
  if (!s._obj && !s._starting) throw new Error('availkit: the core has stopped');
  if (s._adapter) detachPlayer(s);
  if (!s.video) throw new Error('availkit: attach needs options.video (use update() for headless mode)');
  const a = pickAdapter(player, opts.adapters || s._opts.adapters);
  if (!a) throw new Error('availkit: no adapter for this player');
  const host = {
    manifestLoaded: (m) => s._manifestLoaded(m),
    manifestServed: () => s._manifestServed(),
    clockChanged: () => s._tick(),
    error: (kind, message, hint) => s._playerError(kind, message, hint),
    log: (level, msg) => s._log(level, msg),
    anchor: () => s._tracking.anchor(),
  };
  s._adapter = a.attach(player, s.video, host);
  const hold = Number(s._opts.startupHold);
  if (s._starting && hold > 0 && !s._unhold) s._unhold = holdPlayback(s.video, hold);
  if (s._starting && !s._unwatchStart) s._unwatchStart = afterFirstFrame(s.video, () => s._kit._need());
  s._unlisten = listenVideo(s.video, {
    tick: () => s._tick(),
    playing: () => {
      notePlayStart(s);
      s._seeks.playing();
      s._clock.watchFirstFrame(s._adapter && s._adapter.screenPresented);
      s._tick();
    },
    waiting: () => { s._seeks.waiting = true; },
    seeking: () => s._onSeeking(),
    rate: () => s._rateChanged(),
    size: () => s._sizeChanged(),
    duration: () => s._durationChanged(),
    metadata: () => startPosition(s),
  });
  s._sizeChanged();
  s._rateChanged();
  startPosition(s);
  s._tick();
}

// detachPlayer implements Session.detach: the player and the frame clock
// let go; the session stays usable.
export function detachPlayer(s) {
  if (s._unhold) s._unhold();
  s._unhold = null;
  stopStartWatch(s);
  if (s._unlisten) s._unlisten();
  s._unlisten = null;
  if (s._clock) s._clock.stop();
  if (s._adapter) {
    try { s._adapter.detach(); } catch (e) { s._log('warn', `availkit: detach: ${e && e.message || e}`); }
  }
  s._adapter = null;
}

// startPosition applies a start position before playback starts: the
// startAt option (once the element has metadata, so the seek holds), or
// a position the host set on the element before attaching. The core
// takes it as OriginStart: no snap-back, and the breaks before it fire
// nothing. Positions set later but before the first `playing` (hls.js
// startPosition, a dash.js start time, currentTime) arrive as `seeking`
// and SeekWatch classifies them the same way.
export function startPosition(s) {
  const v = s.video;
  if (s._seeks.started || !s._adapter || !s._obj) return;
  let to = s._toSession(v.currentTime);
  if (s._startAt > 0) {
    if (v.readyState < 1) return; // again on loadedmetadata
    to = s._startAt;
    s._startAt = 0;
  }
  if (!(to > START_TOL) || Math.abs(to - s._lastPlayhead) <= START_TOL) return;
  const d = s._call('seek', s._lastPlayhead, to, ORIGIN.start);
  s._lastPlayhead = d ? d.to : to;
  if (s._adapter && Math.abs(s._toSession(v.currentTime) - s._lastPlayhead) > START_TOL) {
    s._seekMedia(s._lastPlayhead);
  }
}
