// companions-from-unit.js: a VPAID 2.0 unit may carry its own companions.
// After AdLoaded the player may ask getAdCompanions(), which returns the
// VAST CompanionAds XML (VPAID 2.0 §3.2.9; frame.js reads it with the
// AdLoaded event). The core parses it (Session.companionsFromVAST, pure Go,
// internal/vastext) into the tracking JSON's companion shape, and the
// Session gets an `adcompanions` event, which the companion renderer shows
// for the running ad when its tracking JSON had none — through the same
// path, sandboxing and creativeView rule as MediaTailor's companions.

// MAX_XML bounds the text handed to the core (frame.js cuts at the same).
const MAX_XML = 65536;

// companionsFromUnit parses xml (a unit's getAdCompanions) for ad a
// ({availId, adId}) and dispatches `adcompanions` on session when it holds
// any companion. It returns how many it found.
export function companionsFromUnit(session, a, xml) {
  if (typeof xml !== 'string' || !xml.includes('Companion')) return 0;
  if (!session || typeof session.companionsFromVAST !== 'function') return 0;
  let companions;
  try {
    companions = session.companionsFromVAST(xml.slice(0, MAX_XML));
  } catch {
    return 0; // a core that stopped: nothing to show
  }
  if (!Array.isArray(companions) || companions.length === 0) return 0;
  session.dispatchEvent(new CustomEvent('adcompanions', {
    detail: { availId: a.availId, adId: a.adId, companions, source: 'vpaid' },
  }));
  return companions.length;
}
