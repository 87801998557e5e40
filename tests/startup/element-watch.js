// element-watch.js: the bench's first-frame watcher for element.html.

const result = { mode: 'element', ff: 0, marks: {}, error: '' };
window.startup = result;
const el = document.querySelector('availkit-player');
el.addEventListener('beacon', (e) => {
  if (e.detail.eventType === 'impression' && !result.marks.impression) result.marks.impression = performance.now();
});
el.addEventListener('error', (e) => { result.error = String(e.detail && e.detail.message); });
el.video.requestVideoFrameCallback((now, meta) => { result.ff = meta.presentationTime || now; });
