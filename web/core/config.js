// config.js maps SessionOptions onto the plain object the core's
// newSession reads; DOM objects and functions stay on the JavaScript side.

// coreConfig keeps the data fields the core reads. nonce is the value the
// host's nonce() resolved to ('' for none).
export function coreConfig(o, nonce) {
  const c = {
    sessionInitUrl: o.sessionInitUrl || '',
    adsParams: o.adsParams || {},
    originParams: o.originParams || {},
    sessionInitHeaders: o.sessionInitHeaders || {},
    manifestUrl: o.manifestUrl || '',
    trackingUrl: o.trackingUrl || '',
    trackingMode: o.trackingMode || 'pagination',
    noSkip: o.noSkip || 'last',
  };
  for (const k of ['pollInterval', 'upcomingLead', 'progressInterval', 'requestTimeout']) {
    if (typeof o[k] === 'number') c[k] = o[k];
  }
  for (const k of ['maxTrackingBytes', 'maxEventsPerAd']) {
    if (Number.isInteger(o[k]) && o[k] > 0) c[k] = o[k];
  }
  for (const k of ['jumpWatched', 'liveSnapBack', 'rawTracking']) if (typeof o[k] === 'boolean') c[k] = o[k];
  for (const k of ['reportingMode', 'manifestParams', 'availSuppression']) {
    if (o[k] !== undefined && o[k] !== null) c[k] = o[k];
  }
  if (typeof o.overlayAvails === 'boolean') c.overlayAvails = o.overlayAvails ? 'on' : 'off';
  else if (typeof o.overlayAvails === 'string') c.overlayAvails = o.overlayAvails;
  if (nonce) {
    c.nonce = nonce;
    c.nonceParam = o.nonceParam || 'nonce';
  }
  return c;
}

// startAt returns the start position option in session seconds, 0 when
// absent or not a positive finite number.
export function startAt(o) {
  const t = Number(o.startAt);
  return Number.isFinite(t) && t > 0 ? t : 0;
}
