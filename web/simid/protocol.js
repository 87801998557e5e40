// protocol.js holds the SIMID 1.1 vocabulary the host speaks: message
// types, error and stop codes, and the checks every incoming message passes
// before the host looks at it.

export const SIMID_VERSION = '1.1';

// VAST_SIMID_ERROR is the VAST error code of any interactive creative
// failure (VAST 4.2 "InteractiveCreativeFile" error).
export const VAST_SIMID_ERROR = 902;

// SIMID error codes: 1100–1199 are the creative's, 1200–1299 the player's.
export const CREATIVE_ERROR = {
  UNSPECIFIED: 1100,
  CANNOT_LOAD_RESOURCE: 1101,
  PLAYBACK_AREA_UNUSABLE: 1102,
  INCORRECT_VERSION: 1103,
  TECHNICAL_ERROR: 1104,
  EXPAND_NOT_POSSIBLE: 1105,
  PAUSE_NOT_HONORED: 1106,
  PLAYMODE_NOT_ADEQUATE: 1107,
  CREATIVE_INTERNAL_ERROR: 1108,
  DEVICE_NOT_SUPPORTED: 1109,
  MESSAGES_NOT_FOLLOWING_SPEC: 1110,
  PLAYER_RESPONSE_TIMEOUT: 1111,
};

export const PLAYER_ERROR = {
  UNSPECIFIED: 1200,
  WRONG_VERSION: 1201,
  UNSUPPORTED_TIME: 1202,
  UNSUPPORTED_FUNCTIONALITY_REQUEST: 1203,
  UNSUPPORTED_ACTIONS: 1204,
  POSTMESSAGE_CHANNEL_OVERLOADED: 1205,
  VIDEO_COULD_NOT_LOAD: 1206,
  VIDEO_TIME_OUT: 1207,
  RESPONSE_TIMEOUT: 1208,
  MEDIA_NOT_SUPPORTED: 1209,
  SPEC_NOT_FOLLOWED_ON_INIT: 1210,
  SPEC_NOT_FOLLOWED_ON_MESSAGES: 1211,
};

// STOP_CODE is Player:adStopped's args.code.
export const STOP_CODE = {
  UNSPECIFIED: 0,
  USER_INITIATED: 1,
  MEDIA_PLAYBACK_COMPLETE: 2,
  PLAYER_INITATED: 3,
  CREATIVE_INITIATED: 4,
  NON_LINEAR_DURATION_COMPLETE: 5,
};

// MEDIA_EVENTS are the <video> events forwarded as SIMID:Media:<name>.
export const MEDIA_EVENTS = ['durationchange', 'ended', 'error', 'pause', 'play', 'playing', 'seeked',
  'seeking', 'stalled', 'timeupdate', 'volumechange'];

export const T = {
  createSession: 'createSession',
  resolve: 'resolve',
  reject: 'reject',
  init: 'SIMID:Player:init',
  startCreative: 'SIMID:Player:startCreative',
  adSkipped: 'SIMID:Player:adSkipped',
  adStopped: 'SIMID:Player:adStopped',
  fatalError: 'SIMID:Player:fatalError',
  resize: 'SIMID:Player:resize',
  log: 'SIMID:Player:log',
};

// CREATIVE_PREFIX starts every creative → player request.
export const CREATIVE_PREFIX = 'SIMID:Creative:';

const SESSION_ID = /^[\w.:-]{1,128}$/;

/**
 * parse reads one postMessage payload into a SIMID message, or returns a
 * string saying why it is not one. Creatives send JSON text (the IAB
 * reference library does) or plain objects; both are accepted, within
 * maxBytes, and only these fields are kept.
 */
export function parse(data, maxBytes) {
  let m = data;
  if (typeof data === 'string') {
    if (data.length > maxBytes) return 'message too large';
    try {
      m = JSON.parse(data);
    } catch {
      return 'not JSON';
    }
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) return 'not an object';
  const { sessionId, messageId, type, args } = m;
  if (typeof type !== 'string' || type.length > 64) return 'no type';
  if (!Number.isSafeInteger(messageId) || messageId < 0) return 'bad messageId';
  if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId)) return 'bad sessionId';
  return {
    sessionId, messageId, type,
    args: args && typeof args === 'object' && !Array.isArray(args) ? args : {},
  };
}

// num is v when it is a finite number, else d.
export const num = (v, d = null) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
// str is v (at most max characters) when it is a string, else ''.
export const str = (v, max = 2048) => (typeof v === 'string' ? v.slice(0, max) : '');
