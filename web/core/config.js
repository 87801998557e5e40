// config.js maps SessionOptions onto the plain object the core's
// newSession reads; DOM objects and functions stay on the JavaScript side.

// coreConfig keeps the data fields the core reads. nonce is the value the
// host's nonce() resolved to ('' for none); version is availkit's, for
// [CLIENTUA].
export function coreConfig(o, nonce, version = '') {
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
  return Object.assign(c, macroConfig(o, version));
}

// macroConfig gives the session-wide macro values: what the host set, else
// what the page knows (its URL, domain and user agent, the Global Privacy
// Control signal as limitAdTracking), and what availkit supports
// ([PLAYERCAPABILITIES]: its Skip button, the video's mute, fullscreen when
// the page allows it).
function macroConfig(o, version) {
  const loc = globalThis.location;
  const nav = globalThis.navigator;
  const doc = globalThis.document;
  const text = (v, dflt) => (typeof v === 'string' ? v : dflt || '');
  const c = {
    pageUrl: text(o.pageUrl, loc && loc.href),
    domain: text(o.domain, loc && loc.hostname),
    deviceUA: text(o.deviceUA, nav && nav.userAgent),
    clientUA: text(o.clientUA, version ? `availkit/${version}` : ''),
    gdprConsent: text(o.gdprConsent),
    gppString: text(o.gppString),
  };
  const caps = ['skip', 'mute'];
  if (doc && doc.fullscreenEnabled) caps.push('fullscreen');
  c.playerCapabilities = Array.isArray(o.playerCapabilities) ? o.playerCapabilities.map(String) : caps;
  for (const k of ['gppSectionIds', 'regulations', 'withholdMacros']) {
    if (Array.isArray(o[k])) c[k] = o[k].map(String);
  }
  if (typeof o.limitAdTracking === 'boolean') c.limitAdTracking = o.limitAdTracking;
  else if (nav && nav.globalPrivacyControl === true) c.limitAdTracking = true;
  if (o.macroValues && typeof o.macroValues === 'object') c.macroValues = o.macroValues;
  return c;
}

// startAt returns the start position option in session seconds, 0 when
// absent or not a positive finite number.
export function startAt(o) {
  const t = Number(o.startAt);
  return Number.isFinite(t) && t > 0 ? t : 0;
}

// START_TOL (s): a player already this close to the start position is not
// moved there.
export const START_TOL = 0.05;
