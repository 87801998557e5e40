// tracking.js keeps the live anchors of the latest tracking responses
// (hlsAnchorMediaSequenceNumber, dashAvailabilityStartTime), which the
// adapters re-base their clocks on. The core reads the responses and puts
// the anchors on the trackingupdate event; the body itself crosses only
// when rawTracking asks for it.

const ANCHORS = ['hlsAnchorMediaSequenceNumber', 'dashAvailabilityStartTime'];

export class TrackingView {
  constructor() {
    this._anchor = { hlsAnchorMediaSequenceNumber: null, dashAvailabilityStartTime: null };
  }

  /** learn reads a trackingupdate detail; a response without anchors keeps the last ones. */
  learn(detail) {
    if (!detail || typeof detail !== 'object') return;
    for (const k of ANCHORS) {
      const v = detail[k];
      if (v !== undefined && v !== null && v !== '') this._anchor[k] = v;
    }
  }

  /** anchor returns the anchors of the latest response that had them (null when none). */
  anchor() {
    return { ...this._anchor };
  }
}
