// hls.js adapter (hls.js ≥ 1.6).
//
// Session time for HLS is 0 at the first segment of the first media playlist
// served to the session, and MediaTailor names HLS ads by media-sequence
// number. hls.js keeps its own media timeline whose fragment starts move when
// it re-aligns on parsed PTS, so the mapping is anchored on fragment sn: the
// session start of every sn is the EXTINF sum from the anchor sn, and the
// offset is re-read from the fragment that is playing (FRAG_CHANGED).

const EV = {
  LEVEL_LOADED: 'hlsLevelLoaded',
  LEVEL_UPDATED: 'hlsLevelUpdated',
  FRAG_CHANGED: 'hlsFragChanged',
  ERROR: 'hlsError',
};

export const name = 'hls.js';

// canAttach reports whether player looks like an hls.js instance: duck-typed so
// that two copies of hls.js on a page both work.
export function canAttach(player) {
  if (!player || typeof player.on !== 'function' || typeof player.off !== 'function') return false;
  const E = player.constructor && player.constructor.Events;
  return !!(E && E.FRAG_CHANGED === EV.FRAG_CHANGED) || typeof player.loadSource === 'function';
}

// attach starts mapping hls's media time to session time. The caller owns the
// returned handle and must call detach() before destroying hls or the video.
export function attach(hls, video, host) {
  // sn → {start, dur} in session seconds, built from the first playlist and
  // extended as the live window slides.
  const sns = new Map();
  let anchorSN = null;
  let offset = 0; // media time − session time
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
        sns.set(f.sn, { start: t, dur: f.duration });
        t += f.duration;
      }
    } else {
      for (const f of frags) {
        if (sns.has(f.sn)) continue;
        const prev = sns.get(f.sn - 1);
        if (prev) sns.set(f.sn, { start: prev.start + prev.dur, dur: f.duration });
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

  function align(frag) {
    if (!frag || typeof frag.sn !== 'number') return;
    const k = sns.get(frag.sn);
    if (!k) return;
    const o = frag.start - k.start;
    if (Math.abs(o - offset) > 0.001) {
      offset = o;
      host.clockChanged();
    }
  }

  function onLevel(_ev, data) {
    const d = data && data.details;
    if (!d) return;
    live = !!d.live;
    learn(d.fragments);
    if (d.fragments && d.fragments.length) {
      // The fragment nearest the playhead is the most precise anchor before
      // FRAG_CHANGED has fired.
      align(d.fragments[0]);
    }
    if (!announced) {
      announced = true;
      host.manifestLoaded({ live, targetDuration: d.targetduration || 0, minimumUpdatePeriod: 0 });
    }
  }

  function onFragChanged(_ev, data) {
    align(data && data.frag);
  }

  function onError(_ev, data) {
    if (data && data.fatal) host.error('player', `hls.js ${data.type}: ${data.details}`);
  }

  const subs = [
    [EV.LEVEL_LOADED, onLevel],
    [EV.LEVEL_UPDATED, onLevel],
    [EV.FRAG_CHANGED, onFragChanged],
    [EV.ERROR, onError],
  ];
  for (const [e, fn] of subs) hls.on(e, fn);

  // attach may come after hls has already loaded a playlist.
  const lv = hls.levels && hls.levels[hls.currentLevel >= 0 ? hls.currentLevel : 0];
  if (lv && lv.details) onLevel(null, { details: lv.details });

  return {
    detach() {
      for (const [e, fn] of subs) hls.off(e, fn);
      sns.clear();
    },
    toSession(mediaTime) {
      return mediaTime - offset;
    },
    toMedia(sessionTime) {
      return sessionTime + offset;
    },
    seekableStart() {
      if (!live) return 0;
      return firstFrag;
    },
    get live() {
      return live;
    },
  };
}

export default { name, canAttach, attach };
