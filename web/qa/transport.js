// Play/pause, mute and fullscreen buttons for the QA page's player. The
// <video> has no native controls: their seek bar would be a second one
// under the ad overlay's, which is the one that shows the ad markers and
// snaps back (README: "drop controls for a player with only the
// overlay's"). The overlay has no play or mute button, so these stand in.

export function createTransport({ video, stage, play, mute, full }) {
  function sync() {
    play.textContent = video.paused ? 'Play' : 'Pause';
    mute.textContent = video.muted ? 'Unmute' : 'Mute';
    full.textContent = document.fullscreenElement === stage ? 'Exit fullscreen' : 'Fullscreen';
  }
  play.addEventListener('click', () => {
    // A refused play (no source yet, autoplay policy) leaves the label as is.
    if (video.paused) video.play().catch(() => {});
    else video.pause();
  });
  mute.addEventListener('click', () => {
    video.muted = !video.muted;
  });
  // Fullscreen takes the stage, not the <video>, so the ad overlay comes along.
  full.hidden = !document.fullscreenEnabled;
  full.addEventListener('click', () => {
    const p = document.fullscreenElement ? document.exitFullscreen() : stage.requestFullscreen();
    p.catch(() => { /* refused (no user activation, iframe policy): nothing changes */ });
  });
  for (const t of ['play', 'pause', 'volumechange', 'emptied']) video.addEventListener(t, sync);
  document.addEventListener('fullscreenchange', sync);
  sync();
}
