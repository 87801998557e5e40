// controls.js carries the viewer's controls to a running VPAID unit and
// holds the content <video> under it.
//
// The viewer acts on the player, not on the unit's frame: the host's
// buttons (or its keyboard shortcuts) call play()/pause() and set
// volume/muted on the content <video>, and make the player fullscreen.
// While a unit runs, each such change that the runner did not cause itself
// becomes the matching VPAID call: pause → pauseAd, play → resumeAd,
// volume/mute → setAdVolume, fullscreen → resizeAd (and expandAd /
// collapseAd for a non-linear unit).
//
// Holding content (VOD: paused and hidden) never rejects a host's pending
// play(): pausing while a play() promise is pending rejects it with
// AbortError, so the hold waits until that play has settled (`playing`, or
// a `timeupdate` of a play that settled earlier) before pausing.

// SETTLE_MS bounds the wait for a pending play() that never settles (no
// data arrives); the hold pauses then anyway.
const SETTLE_MS = 1500;

// ContentControls is created per ad by the runner.
export class ContentControls {
  // unit is {pause(), resume(), setVolume(v), resize(), expand(), collapse(),
  // linear(): boolean|null}; live keeps content playing (muted) underneath.
  constructor(video, unit, live) {
    this.video = video;
    this.unit = unit;
    this.live = live;
    this.own = { pause: 0, play: 0 }; // pause/play events the runner caused, still to arrive
    // intent is the viewer's sound; forced: the runner keeps live content
    // muted under the unit, so the element's muted flag is not the viewer's.
    this.intent = video ? { muted: video.muted, volume: video.volume } : { muted: false, volume: 1 };
    this.forced = false;
    // playing is whether the viewer (or the host page) wants content to
    // play: as it was when the unit took the slot, then each play or pause
    // the runner did not cause. A play() the host issues just after the
    // unit took the slot (autostart) is held for the unit, and content
    // resumes with it when the ad ends.
    this.playing = video ? !video.paused : false;
    // visibility is the element's own, given back to VOD content (giveBack).
    this.visibility = video ? video.style.visibility : '';
    this.settle = null; // cancel of a pending hold
    this.held = false;
    this.off = [];
    if (!video) return;
    const on = (t, f) => {
      video.addEventListener(t, f);
      this.off.push(() => video.removeEventListener(t, f));
    };
    on('pause', () => this.onPause());
    on('play', () => this.onPlay());
    on('volumechange', () => this.onVolume());
  }

  // hold takes content away for the unit: VOD pauses (once a pending play
  // settled) and hides it; live mutes it.
  hold() {
    const v = this.video;
    if (!v) return;
    this.held = true;
    if (this.live) {
      this.forced = true;
      v.muted = true;
      return;
    }
    v.style.visibility = 'hidden';
    this.pauseSettled();
  }

  // release gives content back to the page while the unit is non-linear
  // (AdLinearChange to false): the content plays under the overlay.
  release() {
    const v = this.video;
    if (!v || !this.held) return;
    this.held = false;
    this.cancelSettle();
    if (this.live) {
      this.forced = false;
      v.muted = this.intent.muted;
      return;
    }
    v.style.visibility = '';
    if (v.paused) {
      this.own.play++;
      v.play().catch(() => {});
    }
  }

  // pauseSettled pauses the content <video> without rejecting a play()
  // the host has pending.
  pauseSettled() {
    const v = this.video;
    this.cancelSettle();
    if (v.paused) return;
    const evs = ['playing', 'timeupdate', 'pause', 'error', 'emptied'];
    const go = () => {
      this.cancelSettle();
      if (!this.held || v.paused) return;
      this.own.pause++;
      v.pause();
    };
    // A task later, so the element's own task resolving the play() promise
    // has run.
    const later = () => setTimeout(go, 0);
    for (const t of evs) v.addEventListener(t, later, { once: true });
    const timer = setTimeout(go, SETTLE_MS);
    this.settle = () => {
      clearTimeout(timer);
      for (const t of evs) v.removeEventListener(t, later);
    };
  }

  cancelSettle() {
    if (this.settle) this.settle();
    this.settle = null;
  }

  onPause() {
    if (this.own.pause > 0) {
      this.own.pause--;
      return;
    }
    this.playing = false;
    this.unit.pause();
  }

  onPlay() {
    if (this.own.play > 0) {
      this.own.play--;
      return;
    }
    this.playing = true;
    this.unit.resume();
    // VOD: the viewer's play resumes the unit, not the slate under it.
    if (this.held && !this.live) this.pauseSettled();
  }

  // onVolume reads the viewer's sound off the element. Events arrive a task
  // after the change and several may be queued, so each reads the element's
  // current state and acts only on a change of the viewer's intent. While
  // forced, muted means nothing (it is the runner's) and unmuted is the
  // viewer turning the sound on.
  onVolume() {
    const v = this.video;
    const muted = this.forced ? (v.muted ? this.intent.muted : false) : v.muted;
    const changed = muted !== this.intent.muted || v.volume !== this.intent.volume;
    this.intent = { muted, volume: v.volume };
    if (changed) this.unit.setVolume(muted ? 0 : v.volume);
    // Live content stays silent under a linear unit whatever the viewer set.
    if (this.forced && !v.muted) v.muted = true;
  }

  // fullscreen follows the player into and out of fullscreen.
  fullscreen(on) {
    this.unit.resize();
    if (this.unit.linear() === false) {
      if (on) this.unit.expand();
      else this.unit.collapse();
    }
  }

  // giveBack hands content back once the ad is over: live keeps the
  // viewer's latest sound, VOD its visibility from before the unit. Whether
  // VOD plays on is the runner's call (playing), after the Session has moved
  // the playhead past the slate.
  giveBack() {
    const v = this.video;
    if (!v) return;
    if (this.live) v.muted = this.intent.muted;
    else v.style.visibility = this.visibility;
  }

  destroy() {
    // A pause already queued by pauseSettled (its setTimeout(go, 0)) must
    // find the hold over: the ad ended and content is being handed back.
    this.held = false;
    this.cancelSettle();
    for (const f of this.off) f();
    this.off = [];
  }
}
