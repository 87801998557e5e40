// tracking.js keeps what JavaScript needs from the latest tracking
// responses: the overlay (non-linear) avails as MediaTailor sent them,
// which the non-linear renderer draws, and the live anchors the adapters
// re-base their clocks on. The core decides when an overlay shows (the
// `nonlinear` event); the renderer wants MediaTailor's shape, which
// complete() adds to that event.

export class TrackingView {
  constructor() {
    this._nonLinear = new Map(); // availId -> nonLinearAvails[] entry
    this._anchor = { hlsAnchorMediaSequenceNumber: null, dashAvailabilityStartTime: null };
  }

  /**
   * learn reads a trackingupdate detail. The body is parsed only when it
   * holds something this view keeps, so a plain poll costs a substring
   * search.
   */
  learn(detail) {
    const raw = detail && typeof detail.raw === 'string' ? detail.raw : '';
    const overlays = raw.includes('"nonLinearAdList"');
    if (!overlays && !raw.includes('AnchorMediaSequenceNumber') && !raw.includes('dashAvailabilityStartTime')) return;
    let r;
    try {
      r = JSON.parse(raw);
    } catch {
      return;
    }
    if (!r || typeof r !== 'object') return;
    for (const k of Object.keys(this._anchor)) {
      if (r[k] !== undefined && r[k] !== null && r[k] !== '') this._anchor[k] = r[k];
    }
    if (!overlays) return;
    for (const a of r.nonLinearAvails || []) {
      if (a && a.availId) this._nonLinear.set(a.availId, a);
    }
  }

  /** complete merges the overlay avail MediaTailor sent into a `nonlinear` detail. */
  complete(detail) {
    return { ...(this._nonLinear.get(detail.availId) || {}), ...detail };
  }

  /** anchor returns the anchors of the latest response that had them (null when none). */
  anchor() {
    return { ...this._anchor };
  }
}
