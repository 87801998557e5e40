// boot.js records the first presented frame and the startup marks of the
// bench page, then imports the page module the ?mode= query names (a
// dynamic import, so every mode shares this one small boot module). A
// mode ending in -hold runs its page with startupHold (window.startupHold),
// one ending in -eager with coreStart 'eager' (window.coreStart; the
// default otherwise).

const q = new URLSearchParams(location.search);
const mode = q.get('mode') || 'hls';

const result = { mode, ff: 0, marks: {}, error: '' };
window.startup = result;

/** mark records a named time (ms since navigation start). */
window.startupMark = (name, t = performance.now()) => {
  if (!(name in result.marks)) result.marks[name] = t;
};

/** watchFirstFrame resolves result.ff at the first presented frame of video. */
window.watchFirstFrame = (video) => {
  video.requestVideoFrameCallback((now, meta) => {
    result.ff = meta.presentationTime || now;
  });
};

window.addEventListener('error', (e) => { result.error = String(e.message); });
window.addEventListener('unhandledrejection', (e) => { result.error = String(e.reason && e.reason.message || e.reason); });

window.startupHold = /-hold\b/.test(mode) ? 3000 : 0;
window.coreStart = /-eager\b/.test(mode) ? 'eager' : undefined;
import(`./${mode.replace(/(-hold|-eager)+$/, '')}.js`).catch((e) => { result.error = String(e && e.message || e); });
