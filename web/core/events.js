// events.js is the one list of the event types a Session dispatches. Every
// module that subscribes to or re-dispatches session events (the element,
// the overlay, the QA page) takes its names from here; web/availkit.d.ts
// (SessionEventMap) types their details, and tests/node/contract.test.mjs
// checks that the core emits exactly CORE_EVENTS with the fields declared
// there.

/** Events the Go core emits (its details are written by wasm/details_js.go). */
export const CORE_EVENTS = Object.freeze([
  'ready', 'trackingupdate', 'adbreakupcoming', 'adbreakstart', 'adstart', 'adprogress', 'adskippable',
  'adend', 'adbreakend', 'beacon', 'beaconerror', 'snapback', 'nonlinear', 'vpaidstart', 'vpaidend', 'error',
]);

/**
 * Events JavaScript adds on the Session: seekrequest (the Session, when no
 * player is attached), companion (the companion renderer), adcompanions
 * (a VPAID unit's own companions), vpaidprogress (the VPAID runner), adicons
 * (a VPAID or SIMID unit that draws its own icons, for the icon layer),
 * simidstate and simidprogress (the SIMID host), verification (the Open
 * Measurement driver: a verification executed or not).
 */
export const JS_EVENTS = Object.freeze(['seekrequest', 'companion', 'adcompanions', 'vpaidprogress', 'adicons', 'simidstate', 'simidprogress', 'verification']);

/** Every event type a Session dispatches. */
export const SESSION_EVENTS = Object.freeze([...CORE_EVENTS, ...JS_EVENTS]);

/**
 * The events a page with an attached player sees: all but seekrequest,
 * which exists only in headless mode. <availkit-player> re-dispatches these.
 */
export const PLAYER_EVENTS = Object.freeze(SESSION_EVENTS.filter((t) => t !== 'seekrequest'));
