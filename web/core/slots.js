// slots.js keeps a session's companion slots at their declared size for the
// session's life, so that a companion coming, going, or an ad without one
// never moves the page around the slot (README: Companion slots). An empty
// slot the host did not size itself would otherwise be 0 px high until the
// first companion, the companion's height while it shows, and 0 px again
// at the next ad without one.

/**
 * reserveSlots sets each slot element's inline min-width (capped at its
 * container's width) and min-height to the slot's declared width and
 * height, unless the page's own minimum is larger, skipping slots with
 * `reserve: false` or no size, and returns a
 * function that puts the element's own inline values back.
 */
export function reserveSlots(slots) {
  const undo = [];
  for (const s of Array.isArray(slots) ? slots : []) {
    const st = s && s.reserve !== false && s.element && s.element.style;
    const w = st ? Math.floor(+s.width) : 0;
    const h = st ? Math.floor(+s.height) : 0;
    if (!(w > 0 || h > 0)) continue;
    // A larger minimum of the page's own stays.
    const cs = typeof getComputedStyle === 'function' && typeof Element === 'function' && s.element instanceof Element
      ? getComputedStyle(s.element) : null;
    const own = (v) => (cs ? Number.parseFloat(v) || 0 : 0);
    const was = [st.minWidth, st.minHeight];
    if (w > own(cs?.minWidth)) st.minWidth = `min(${w}px, 100%)`;
    if (h > own(cs?.minHeight)) st.minHeight = `${h}px`;
    undo.push(() => {
      st.minWidth = was[0];
      st.minHeight = was[1];
    });
  }
  return () => {
    for (const f of undo.splice(0)) f();
  };
}
