// away.js pauses the ad while a click-through keeps the viewer away.
//
// The landing page opens in a new tab, which hides the player's: the ad
// would play on unseen, its quartiles counted for nobody and its beacons
// held back by background-tab throttling (200-780 ms late in a tryout).
// When the page goes hidden soon after the click, the ad pauses (its pause
// beacon goes out) and plays again when the viewer comes back (resume). A
// landing page in a separate window leaves the page visible: the ad plays
// on, as the viewer can still see it.

// AWAY_MS is how soon after the click the page must go hidden for the
// click to count as what took the viewer away.
export const AWAY_MS = 3000;

/**
 * pauseWhileAway watches the page after a click-through on video: hidden
 * within AWAY_MS while inAd() and playing, the video pauses; visible again,
 * it plays. Returns the function that stops watching.
 */
export function pauseWhileAway(video, inAd, doc = globalThis.document) {
  if (!video || !doc || typeof doc.addEventListener !== 'function') return () => {};
  const until = Date.now() + AWAY_MS;
  let paused = false;
  let timer = 0;
  const stop = () => {
    clearTimeout(timer);
    doc.removeEventListener('visibilitychange', onVisibility);
  };
  function onVisibility() {
    if (doc.visibilityState === 'hidden') {
      if (!paused && Date.now() <= until && !video.paused && inAd()) {
        paused = true;
        clearTimeout(timer);
        video.pause();
      }
      return;
    }
    if (!paused) return;
    stop();
    // Played only if still paused by us: a viewer who paused or played it
    // meanwhile (media keys) decided already.
    if (video.paused) {
      const p = video.play();
      if (p && typeof p.catch === 'function') p.catch(() => {});
    }
  }
  doc.addEventListener('visibilitychange', onVisibility);
  timer = setTimeout(() => {
    if (!paused) stop();
  }, AWAY_MS);
  return stop;
}
