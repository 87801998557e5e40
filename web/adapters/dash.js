// dash.js adapter (dash.js ≥ 5).
//
// Session time for DASH VOD is the MPD presentation time, which is what
// dash.js puts on the video element (it sets the SourceBuffer
// timestampOffset from Period@start and @presentationTimeOffset). For live
// DASH MediaTailor counts from MPD@availabilityStartTime; dash.js' video time
// is also presentation time there, which for Periods timed from AST is
// seconds since AST (checked in Chromium with dash.js 5.2.1 against the
// emulator: currentTime ≈ 2.8e7 s for AST 2026-01-01, offset 0). The offset
// is still measured (video time against timeAsUTC() − AST) so that a player
// build that rebases its timeline does not shift every beacon.

const EV = {
  MANIFEST_LOADED: 'manifestLoaded',
  STREAM_INITIALIZED: 'streamInitialized',
  PERIOD_SWITCH_COMPLETED: 'periodSwitchCompleted',
  ERROR: 'error',
  FRAGMENT_STARTED: 'fragmentLoadingStarted',
  FRAGMENT_PROGRESS: 'fragmentLoadingProgress',
  FRAGMENT_COMPLETED: 'fragmentLoadingCompleted',
  FRAGMENT_ABANDONED: 'fragmentLoadingAbandoned',
};

import { screenClock, screenMethods } from './screen.js';

export const name = 'dash.js';

// canAttach reports whether player looks like a dash.js MediaPlayer.
export function canAttach(player) {
  return !!player && typeof player.isDynamic === 'function' && typeof player.getDashMetrics === 'function' &&
    typeof player.on === 'function';
}

// astSeconds reads MPD@availabilityStartTime from dash.js' parsed manifest,
// which holds a Date in 5.x and a string or number in older builds.
function astSeconds(mpd) {
  const a = mpd && mpd.availabilityStartTime;
  if (a === null || a === undefined) return NaN;
  if (a instanceof Date) return a.getTime() / 1000;
  if (typeof a === 'number') return a > 1e11 ? a / 1000 : a;
  const t = Date.parse(a);
  return Number.isFinite(t) ? t / 1000 : NaN;
}

// attach starts mapping dash.js' media time to session time. The caller owns
// the returned handle and must call detach() before player.reset().
export function attach(player, video, host) {
  const screen = screenClock(video);
  let live = false;
  let ast = NaN; // seconds since the epoch
  let offset = 0; // media time − session time
  let announced = false;
  let period = null; // {id, start, duration} of the Period playing

  function measure() {
    if (!live || !Number.isFinite(ast) || typeof player.timeAsUTC !== 'function') return;
    const utc = player.timeAsUTC();
    const t = video.currentTime;
    if (!Number.isFinite(utc) || !(t > 0)) return;
    // timeAsUTC is derived from the same currentTime, so the difference is
    // the timeline shift; sub-ms residue is float noise.
    const o = Math.round((t - (utc - ast)) * 1000) / 1000;
    if (Math.abs(o - offset) > 0.001) {
      offset = o;
      host.log('info', `dash: media time is AST${o >= 0 ? '+' : ''}${o.toFixed(3)} s`);
      host.clockChanged();
    }
  }

  function onManifest(e) {
    const mpd = e && e.data;
    if (!mpd) return;
    live = mpd.type === 'dynamic';
    if (live) ast = astSeconds(mpd);
    if (!announced) {
      announced = true;
      host.manifestLoaded({
        live,
        targetDuration: 0,
        minimumUpdatePeriod: Number(mpd.minimumUpdatePeriod) || 0,
      });
    }
  }

  function onStream() {
    if (typeof player.isDynamic === 'function') live = player.isDynamic();
    measure();
  }

  function onPeriod(e) {
    const s = e && e.toStreamInfo;
    if (s) period = { id: s.id, start: s.start, duration: s.duration };
    measure();
    host.clockChanged();
  }

  function onError(e) {
    const err = e && e.error;
    const msg = `dash.js: ${err && (err.message || err.code) || 'error'}`;
    // dash.js names unsupported codecs and media errors in its message.
    const hint = /codec|not supported|unsupported|capabilit/i.test(msg) ? 'unsupported' : /media|decode|append/i.test(msg) ? 'decode' : '';
    host.error('player', msg, hint);
  }

  const stall = stallWatch(player, video, host);
  const subs = [
    [EV.MANIFEST_LOADED, onManifest],
    [EV.STREAM_INITIALIZED, onStream],
    [EV.PERIOD_SWITCH_COMPLETED, onPeriod],
    [EV.ERROR, onError],
    [EV.FRAGMENT_STARTED, stall.activity],
    [EV.FRAGMENT_PROGRESS, stall.activity],
    [EV.FRAGMENT_COMPLETED, stall.activity],
    [EV.FRAGMENT_ABANDONED, stall.activity],
  ];
  for (const [ev, fn] of subs) player.on(ev, fn);

  return {
    detach() {
      stall.stop();
      screen.stop();
      for (const [ev, fn] of subs) player.off(ev, fn);
    },
    toSession(mediaTime) {
      return mediaTime - offset;
    },
    toMedia(sessionTime) {
      return sessionTime + offset;
    },
    // seek moves the playhead to a media time. On VOD it goes through
    // dash.js: setting video.currentTime to the first instant of a Period
    // (a skip to the ad's end) left dash.js 5.2 stuck after it flushed the
    // buffer, about one time in three. Live keeps the element's clock, since
    // dash.js moves live seeks by its live delay.
    seek(mediaTime) {
      if (!live && typeof player.seekToPresentationTime === 'function') {
        try {
          player.seekToPresentationTime(mediaTime);
          stall.arm();
          return;
        } catch {
          // not initialised yet: the element's clock below
        }
      }
      video.currentTime = mediaTime;
    },
    seekableStart() {
      if (!live) return 0;
      const w = typeof player.getDvrWindow === 'function' ? player.getDvrWindow() : null;
      if (w && Number.isFinite(w.startAsUtc) && Number.isFinite(ast)) return w.startAsUtc - ast;
      const s = video.seekable;
      return s && s.length ? s.start(0) - offset : 0;
    },
    ...screenMethods(screen),
    get live() {
      return live;
    },
    get period() {
      return period;
    },
    get availabilityStartTime() {
      return ast;
    },
  };
}

// STALL_MS is how long playback may sit still with nothing buffered ahead
// and no segment activity after a plugin seek before the watch seeks again;
// STALL_TRIES bounds how often it does per seek, STALL_WATCH_MS how long
// it watches.
const STALL_MS = 2000;
const STALL_TRIES = 2;
const STALL_WATCH_MS = 15000;

// stallWatch gets dash.js going again after a plugin seek on VOD that left
// it stuck: dash.js 5.2, after a skip to the first instant of a Period,
// sometimes played a few frames and then waited with nothing buffered and
// no segment requested (about once in 30 runs of the interaction test). A
// plugin seek is the viewer's way out of an ad, so the watch seeks again
// where playback sits, which makes dash.js load the Period again. It does
// nothing while the element is paused, seeking or ended, within STALL_MS of
// a segment request's start, progress or end (a slow network after a seek
// is not a stall: its bytes keep coming), or once playback moves. The
// adapter calls activity() on dash.js' fragment events; they are not
// counted, since a request a seek aborts may never report its end.
export function stallWatch(player, video, host, clock = () => performance.now()) {
  let timer = 0;
  let until = 0;
  let tries = 0;
  let last = NaN;
  let since = 0;
  const ahead = () => {
    const b = video.buffered;
    const t = video.currentTime;
    for (let i = 0; b && i < b.length; i++) if (b.start(i) <= t + 0.1 && b.end(i) > t) return b.end(i) - t;
    return 0;
  };
  function check() {
    timer = 0;
    const now = clock();
    if (now > until) return;
    const t = video.currentTime;
    if (video.paused || video.seeking || video.ended || t !== last || ahead() > 0.1) {
      last = t;
      since = now;
    } else if (now - since >= STALL_MS && tries < STALL_TRIES) {
      tries++;
      since = now;
      host.log('warn', `dash: stalled at ${t.toFixed(3)} s after a seek, nothing buffered or loading: seeking again`);
      try {
        player.seekToPresentationTime(t);
      } catch {
        video.currentTime = t;
      }
    }
    timer = setTimeout(check, 250);
  }
  return {
    arm() {
      if (timer) clearTimeout(timer);
      until = clock() + STALL_WATCH_MS;
      tries = 0;
      last = NaN;
      since = clock();
      timer = setTimeout(check, 250);
    },
    activity() {
      since = clock();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = 0;
    },
  };
}

export default { name, canAttach, attach };
