// startup.js lets a session start while the core is still downloading:
// the MediaTailor session-init POST goes out at once, the player gets the
// manifest URL from its reply, and when the core arrives its own init
// request for that URL is answered from the same reply (one session on the
// server, and the core still turns a failed reply into a typed error).
//
// The body is built here exactly as internal/session.BuildInitBody builds
// it (tests/node/startup.test.mjs holds the two together). Options whose
// conversion the core could judge differently (non-integer numbers,
// objects where strings belong) take no early path: the session then
// initialises through the core as before.

import { NO_SKIP } from './constants.js';

// RESERVED mirrors session.Reserved: top-level keys an origin parameter
// may not take.
const RESERVED = new Set(['adsParams', 'playerParams', 'manifestParams', 'reportingMode', 'availSuppression',
  'overlayAvails', 'adSignaling', 'logMode', 'streamId', 'startTime', 'preroll', 'insertionMode']);

// DEFAULT_TIMEOUT_S mirrors client.DefaultRequestTimeout.
const DEFAULT_TIMEOUT_S = 10;

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// param returns v as the core's Params reader writes it, undefined for a
// value it drops, or null when only the core may judge it.
function param(v) {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
  return null;
}

// params returns m's entries with sorted keys and string values, or null.
function params(m) {
  if (m === undefined || m === null) return {};
  if (!isObject(m)) return null;
  const out = {};
  for (const k of Object.keys(m).sort()) {
    const v = param(m[k]);
    if (v === null) return null;
    if (v !== undefined) out[k] = v;
  }
  return out;
}

const str = (v) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : null);

/**
 * initRequest returns the session-init request the core would send for
 * config (coreConfig's output): {url, method, headers, body, timeoutMs},
 * or null when config has no session-init URL or holds a value only the
 * core may judge.
 */
export function initRequest(config) {
  const url = config.sessionInitUrl;
  if (!url || (config.manifestUrl && config.trackingUrl)) return null;
  if (!NO_SKIP.includes(config.noSkip)) return null; // the core refuses it: createSession must reject
  let u;
  try { u = new URL(url); } catch { return null; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const ads = params(config.adsParams);
  const manifest = params(config.manifestParams);
  const origin = params(config.originParams);
  const headers = params(config.sessionInitHeaders);
  const reporting = str(config.reportingMode);
  const overlay = str(config.overlayAvails);
  const nonce = str(config.nonce);
  if (!ads || !manifest || !origin || !headers || reporting === null || overlay === null || nonce === null) return null;
  const body = {};
  if (nonce) {
    const key = str(config.nonceParam) || 'nonce';
    if (!(key in ads)) ads[key] = nonce;
  }
  if (Object.keys(ads).length) body.adsParams = ads;
  if (Object.keys(manifest).length) body.manifestParams = manifest;
  if (reporting) body.reportingMode = reporting;
  const s = config.availSuppression;
  if (s !== undefined && s !== null) {
    if (!isObject(s)) return null;
    const [mode, value, fill] = [str(s.mode), str(s.value), str(s.fillPolicy)];
    if (mode === null || value === null || fill === null) return null;
    if (mode) {
      body.availSuppression = { mode };
      if (value) body.availSuppression.value = value;
      if (fill) body.availSuppression.fillPolicy = fill;
    }
  }
  if (overlay) body.overlayAvails = overlay;
  for (const k of Object.keys(origin)) if (!RESERVED.has(k)) body[k] = origin[k];
  return {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    timeoutMs: requestTimeoutMs(config),
  };
}

/**
 * requestTimeoutMs is the session's per-request timeout (the requestTimeout
 * option, s) in ms: the session init's and each beacon's.
 */
export function requestTimeoutMs(config) {
  const t = typeof config.requestTimeout === 'number' && config.requestTimeout > 0 ? config.requestTimeout : DEFAULT_TIMEOUT_S;
  return Math.round(t * 1000);
}

// sameJSON compares two JSON texts by value (key order aside).
function sameJSON(a, b) {
  const norm = (v) => (Array.isArray(v) ? v.map(norm)
    : isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, norm(v[k])])) : v);
  try {
    return JSON.stringify(norm(JSON.parse(a))) === JSON.stringify(norm(JSON.parse(b)));
  } catch {
    return false;
  }
}

// replyText is a fetchBody reply's body as text.
function replyText(r) {
  return r.bytes ? new TextDecoder().decode(r.bytes) : r.text;
}

/**
 * parseInitReply returns {manifestUrl, trackingUrl, sessionId} from a
 * plainly successful init reply ({status, bytes} or {status, text}) to url, or null for
 * anything else: the core then classifies it (kind, status, source,
 * serverMessage).
 */
export function parseInitReply(url, reply) {
  if (!reply || reply.status < 200 || reply.status > 299) return null;
  let j;
  try { j = JSON.parse(replyText(reply)); } catch { return null; }
  if (!isObject(j) || typeof j.manifestUrl !== 'string' || typeof j.trackingUrl !== 'string') return null;
  if (!j.manifestUrl || !j.trackingUrl) return null;
  try {
    const m = new URL(j.manifestUrl, url);
    const t = new URL(j.trackingUrl, url);
    if (!/^https?:$/.test(m.protocol) || !/^https?:$/.test(t.protocol)) return null;
    const tracking = t.href;
    const id = tracking.slice(tracking.lastIndexOf('/') + 1).split(/[?#]/)[0];
    return { manifestUrl: m.href, trackingUrl: tracking, sessionId: id };
  } catch {
    return null;
  }
}

// POLL_AHEAD_MAX_AGE_MS bounds the age of a tracking reply fetched before
// the core (EarlyInit.pollAhead) that the core's first poll may still take:
// the core normally starts within a second of the first frame.
export const POLL_AHEAD_MAX_AGE_MS = 3000;

/**
 * EarlyInit is one session-init request sent before the core was ready.
 * reply settles like fetchBody's promise; take hands it to the core's
 * matching request, once.
 */
export class EarlyInit {
  constructor(req, send, now = () => Date.now()) {
    this.request = req;
    this._send = send;
    this._now = now;
    this.reply = send(req.url, req);
    this.reply.then(() => {
      if (typeof performance !== 'undefined' && performance.mark) performance.mark('availkit:init-reply');
    }, () => { /* the core reports it when it takes the reply */ });
    this.taken = false;
    this._poll = null; // {url, at, reply}: the first tracking poll, sent ahead of the core
  }

  /**
   * pollAhead sends the first tracking poll while the core is still away,
   * once the player has loaded its manifest (when the core would poll
   * first): the core's own first poll then takes the reply instead of a
   * round trip after it starts. Only the first call sends anything.
   */
  pollAhead(url) {
    if (this._poll || !url) return;
    const reply = this._send(url, { method: 'GET', timeoutMs: this.request.timeoutMs });
    reply.catch(() => { /* the core reports it when it takes the reply */ });
    this._poll = { url, at: this._now(), reply };
  }

  /**
   * take returns the early reply's promise when (url, init) is the request
   * the core makes for it, or null. A body that differs (a drift between
   * this file and the core) is logged through log: the session the player
   * already plays is the early one, so the core still gets its reply. The
   * core's first GET of the polled-ahead URL takes that poll's reply if it
   * was sent less than POLL_AHEAD_MAX_AGE_MS ago; an older one (a live
   * window moves) is dropped and the core polls itself.
   */
  take(url, init, log) {
    const method = init.method || 'GET';
    if (method === 'GET' && this._poll && this._poll.url === url) {
      const p = this._poll;
      this._poll = { url: '', at: 0, reply: null }; // once
      return this._now() - p.at <= POLL_AHEAD_MAX_AGE_MS ? p.reply : null;
    }
    if (this.taken || url !== this.request.url || method !== 'POST') return null;
    this.taken = true;
    if (!sameJSON(init.body || '{}', this.request.body) && log) {
      log('warn', `availkit: the early session init body differs from the core's: ${this.request.body} vs ${init.body}`);
    }
    return this.reply;
  }
}

/**
 * holdPlayback keeps video paused while a session's core is starting, at
 * most ms milliseconds, so that a pre-roll does not play ahead of its
 * beacons; the returned function releases it (and resumes playback that
 * was asked for meanwhile). The first frame may be painted while held.
 */
export function holdPlayback(video, ms) {
  let wanted = false;
  let done = false;
  const onPlay = () => {
    if (done) return;
    wanted = true;
    video.pause();
  };
  const release = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    video.removeEventListener('play', onPlay);
    if (wanted) video.play().catch(() => { /* the host's play() reports refusals */ });
  };
  const timer = setTimeout(release, ms);
  video.addEventListener('play', onPlay);
  if (!video.paused) onPlay();
  return release;
}

/**
 * afterFirstFrame calls fn once, after video has presented its first frame
 * (or started playing, for a stream without pictures); the returned
 * function cancels it. A kit with coreStart 'first-frame' compiles its
 * core then, so that the compile does not compete with the player for the
 * CPU before the viewer sees anything.
 */
export function afterFirstFrame(video, fn) {
  let done = false;
  let rvfc = 0;
  const fire = () => {
    if (done) return;
    cancel();
    fn();
  };
  const cancel = () => {
    done = true;
    video.removeEventListener('playing', fire);
    video.removeEventListener('loadeddata', fire);
    if (rvfc && video.cancelVideoFrameCallback) video.cancelVideoFrameCallback(rvfc);
  };
  if (video.readyState >= 2) {
    fire(); // a frame is there already
    return cancel;
  }
  video.addEventListener('playing', fire);
  if (typeof video.requestVideoFrameCallback === 'function') rvfc = video.requestVideoFrameCallback(fire);
  else video.addEventListener('loadeddata', fire);
  return cancel;
}
