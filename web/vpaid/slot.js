// slot.js measures the slot a unit plays in. The player never sizes the
// unit itself: it tells the unit the slot's size and view mode (initAd,
// resizeAd) and the unit lays itself out (VPAID 2.0 §3.1.2).

// slotSize returns [width, height, viewMode] of container: 'fullscreen'
// when container is, or is inside, the fullscreen element.
export function slotSize(container) {
  const r = container.getBoundingClientRect();
  const fs = document.fullscreenElement;
  const mode = fs && (fs === container || fs.contains(container)) ? 'fullscreen' : 'normal';
  return [Math.round(r.width), Math.round(r.height), mode];
}

// watchSlot calls onFullscreen on every fullscreen change of the document
// and onResize when container changes size (where ResizeObserver exists).
// It returns the function that stops both.
export function watchSlot(container, onResize, onFullscreen) {
  document.addEventListener('fullscreenchange', onFullscreen);
  let ro = null;
  if (typeof ResizeObserver === 'function') {
    ro = new ResizeObserver(onResize);
    ro.observe(container);
  }
  return () => {
    document.removeEventListener('fullscreenchange', onFullscreen);
    if (ro) ro.disconnect();
  };
}
