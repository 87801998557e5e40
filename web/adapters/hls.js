// hls.js adapter (hls.js ≥ 1.6).
//
// Session time for HLS is 0 at the first segment of the first media playlist
// served to the session, and MediaTailor names HLS ads by media-sequence
// number. The mapping is anchored per fragment sn: the session start of
// every sn is the EXTINF sum from the anchor sn, and its media start is
// where hls.js put the fragment's first video frame.
//
// That is not the fragment start. hls.js places each fragment after a
// discontinuity by the lowest timestamp of any of its tracks (audio, or the
// video decode time); with B-frames the first frame is presented two frame
// durations later, and AAC priming moves the audio. On MPEG-TS from common
// encoders the first frame of an ad is 70-110 ms after hls.js' fragment
// start, and the gap grows by a few ms with each discontinuity. The video
// track's start PTS (frag.elementaryStreams.video.startPTS, known once
// hls.js has parsed the fragment) is the media time of the first presented
// frame, which is where the ad begins for the viewer (IAB/MRC: an
// impression counts when the ad begins to render). Until the next
// fragment's first frame is on screen the session clock holds just before
// its session start, so nothing of the next fragment fires on the last
// frame of this one.

const EV = {
  LEVEL_LOADED: 'hlsLevelLoaded',
  LEVEL_UPDATED: 'hlsLevelUpdated',
  FRAG_CHANGED: 'hlsFragChanged',
  FRAG_PARSED: 'hlsFragParsed',
  FRAG_BUFFERED: 'hlsFragBuffered',
  ERROR: 'hlsError',
};

import { screenClock, screenMethods } from './screen.js';

export const name = 'hls.js';

// canAttach reports whether player looks like an hls.js instance: duck-typed so
// that two copies of hls.js on a page both work.
export function canAttach(player) {
  if (!player || typeof player.on !== 'function' || typeof player.off !== 'function') return false;
  const E = player.constructor && player.constructor.Events;
  return !!(E && E.FRAG_CHANGED === EV.FRAG_CHANGED) || typeof player.loadSource === 'function';
}

// HOLD is how far before the next fragment's session start the clock waits
// while that fragment's first frame is not yet on screen: below the 1 ms
// precision of tracking times, so an event there is not crossed early.
const HOLD = 0.0002;

// attach starts mapping hls's media time to session time. The caller owns the
// returned handle and must call detach() before destroying hls or the video.
export function attach(hls, video, host) {
  const screen = screenClock(video);
  // sn → {start, dur, frag} in session seconds, built from the first
  // playlist and extended as the live window slides; frag is hls.js'
  // Fragment, whose media start hls.js refines as it parses.
  const sns = new Map();
  // order holds the known sns ascending, for the binary searches of the
  // per-frame mapping (no allocation there).
  let order = [];
  let anchorSN = null;
  let announced = false;
  let live = false;
  let firstFrag = 0; // session start of the oldest fragment in the window
  let rebasedOn = null;

  function learn(frags) {
    if (!frags || frags.length === 0) return;
    if (anchorSN === null) {
      anchorSN = frags[0].sn;
      let t = 0;
      for (const f of frags) {
        sns.set(f.sn, { start: t, dur: f.duration, frag: f });
        t += f.duration;
      }
    } else {
      for (const f of frags) {
        const k = sns.get(f.sn);
        if (k) {
          // A live reload hands out new Fragment objects; keep the one
          // hls.js parsed (it carries the measured PTS).
          if (!mediaKnown(k.frag) || mediaKnown(f)) k.frag = f;
          continue;
        }
        const prev = sns.get(f.sn - 1);
        if (prev) sns.set(f.sn, { start: prev.start + prev.dur, dur: f.duration, frag: f });
      }
    }
    rebase();
    const first = sns.get(frags[0].sn);
    if (first) firstFrag = first.start;
    // Forget sns far behind the window; they can no longer be played.
    if (sns.size > frags.length * 4) {
      for (const k of sns.keys()) {
        if (k >= frags[0].sn) break;
        sns.delete(k);
      }
    }
    order = [...sns.keys()].sort((a, b) => a - b);
  }

  // rebase applies hlsAnchorMediaSequenceNumber from the tracking response
  // when the session knows it: it names the sn at session time 0, which
  // differs from our first sn when someone else fetched the first playlist.
  function rebase() {
    const a = host.anchor ? host.anchor() : null;
    const msn = a && a.hlsAnchorMediaSequenceNumber;
    if (msn === null || msn === undefined || msn === '' || anchorSN === null) return;
    const n = Number(msn);
    if (!Number.isFinite(n) || n === rebasedOn) return;
    const at = sns.get(n);
    let shift;
    if (at) shift = at.start;
    else if (n < anchorSN) {
      // Segments before our first playlist are unknown; the emulator and
      // MediaTailor keep durations at the target duration there.
      const d = sns.get(anchorSN).dur;
      shift = -(anchorSN - n) * d;
    } else return;
    rebasedOn = n;
    if (Math.abs(shift) < 1e-6) return;
    for (const v of sns.values()) v.start -= shift;
    host.log('info', `hls: rebased session clock on anchor sn ${n} (${shift.toFixed(3)} s)`);
    host.clockChanged();
  }

  // mediaStart is the media time of sn's first presented frame: the video
  // track's start PTS once hls.js has parsed the fragment, else hls.js'
  // estimate of the fragment start.
  function mediaStart(k) {
    const v = k.frag.elementaryStreams && k.frag.elementaryStreams.video;
    if (v && Number.isFinite(v.startPTS)) return v.startPTS;
    const av = k.frag.elementaryStreams && k.frag.elementaryStreams.audiovideo;
    if (av && Number.isFinite(av.startPTS)) return av.startPTS;
    return k.frag.start;
  }

  function mediaKnown(f) {
    const es = f && f.elementaryStreams;
    return !!(es && ((es.video && Number.isFinite(es.video.startPTS)) || (es.audiovideo && Number.isFinite(es.audiovideo.startPTS))));
  }

  // find returns the index in order of the last sn whose start (media or
  // session, by bySession) is at or before t; 0 when t precedes them all.
  function find(t, bySession) {
    let lo = 0;
    let hi = order.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const k = sns.get(order[mid]);
      if ((bySession ? k.start : mediaStart(k)) <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  function onLevel(_ev, data) {
    const d = data && data.details;
    if (!d) return;
    live = !!d.live;
    learn(d.fragments);
    if (!announced) {
      announced = true;
      host.manifestLoaded({ live, targetDuration: d.targetduration || 0, minimumUpdatePeriod: 0 });
    }
    host.clockChanged();
  }

  // onParsed keeps the Fragment hls.js measured and re-reads the clock: the
  // fragment's first frame may have moved.
  function onParsed(_ev, data) {
    const f = data && data.frag;
    // Alternate audio fragments share the media sequence numbers; only the
    // main (video) playlist's fragments place the picture.
    if (!f || typeof f.sn !== 'number' || (f.type && f.type !== 'main')) return;
    const k = sns.get(f.sn);
    if (!k) return;
    k.frag = f;
    host.clockChanged();
  }

  function onError(_ev, data) {
    if (!data || !data.fatal) return;
    // The VAST code of the failure if an ad is playing: codecs the browser
    // lacks are 403, media that does not decode or append 405.
    const d = String(data.details || '');
    const hint = /Codec|Incompatible/i.test(d) ? 'unsupported' : data.type === 'mediaError' ? 'decode' : '';
    host.error('player', `hls.js ${data.type}: ${data.details}`, hint);
  }

  const subs = [
    [EV.LEVEL_LOADED, onLevel],
    [EV.LEVEL_UPDATED, onLevel],
    [EV.FRAG_PARSED, onParsed],
    [EV.FRAG_BUFFERED, onParsed],
    [EV.ERROR, onError],
  ];
  for (const [e, fn] of subs) hls.on(e, fn);

  // attach may come after hls has already loaded a playlist.
  const lv = hls.levels && hls.levels[hls.currentLevel >= 0 ? hls.currentLevel : 0];
  if (lv && lv.details) onLevel(null, { details: lv.details });

  return {
    detach() {
      screen.stop();
      for (const [e, fn] of subs) hls.off(e, fn);
      sns.clear();
      order = [];
    },
    toSession(mediaTime) {
      if (order.length === 0) return mediaTime;
      const i = find(mediaTime, false);
      const k = sns.get(order[i]);
      const t = k.start + (mediaTime - mediaStart(k));
      // Hold before the next fragment until its first frame is presented.
      const n = i + 1 < order.length ? sns.get(order[i + 1]) : null;
      return n && t > n.start - HOLD ? n.start - HOLD : t;
    },
    toMedia(sessionTime) {
      if (order.length === 0) return sessionTime;
      const k = sns.get(order[find(sessionTime, true)]);
      return mediaStart(k) + (sessionTime - k.start);
    },
    seekableStart() {
      if (!live) return 0;
      return firstFrag;
    },
    ...screenMethods(screen),
    get live() {
      return live;
    },
  };
}

export default { name, canAttach, attach };
