// connect.js starts a Session's side in the core: it resolves the host's
// nonce, runs the MediaTailor session init early when the core is still
// loading (startup.js), creates the core session with its hooks and mounts
// the optional parts (mount.js, imported while the core loads). Session
// runs it once, from createSession.

import { caughtUp, startFailed } from './catchup.js';
import { coreConfig } from './config.js';
import { AvailKitError } from './errors.js';
import { EarlyInit, initRequest, parseInitReply, requestTimeoutMs } from './startup.js';
import { fetchBody, sendBeacon } from './transport.js';

export async function connect(s) {
  const o = s._opts;
  let nonce = '';
  if (typeof o.nonce === 'function') {
    try {
      const n = await o.nonce();
      if (n !== undefined && n !== null) nonce = String(n);
    } catch (e) {
      throw new AvailKitError({ kind: 'config', source: 'host', message: `nonce: ${e && e.message || e}` });
    }
  }
  const config = coreConfig(o, nonce);
  // The parts are mounted once the core runs; their module, and the parts
  // every ad break of this session shows, are fetched while the core
  // compiles, so that they add no round trip then.
  const mount = s._kit._wanted.then(() => import('./mount.js')).then((m) => {
    m.preloadParts(o);
    return m;
  });
  mount.catch(() => { /* logged by coreInit */ });
  const fetchImpl = o.fetch || globalThis.fetch;
  const req = s._kit._core ? null : initRequest(config);
  if (req) {
    s._early = new EarlyInit(req, (url, init) => fetchBody(fetchImpl, url, init));
    const urls = parseInitReply(req.url, await s._early.reply.catch(() => null));
    if (urls && !s._kit._dead) {
      Object.assign(s, urls);
      // The session is initialised now, whenever the core comes: ready is
      // sent from here (held until createSession resolves) and the core's
      // own is dropped.
      s._readySent = true;
      s._emit('ready', { ...urls });
      s._starting = coreInit(s, config, fetchImpl, mount).then(() => caughtUp(s), (e) => startFailed(s, e));
      setTimeout(() => s._release(), 0);
      return;
    }
  }
  s._kit._need(); // this session waits for the core: it must not wait for a frame
  await coreInit(s, config, fetchImpl, mount);
  setTimeout(() => s._release(), 0);
}

// coreInit waits for the core, creates its session and runs its init
// (answered from the early request when there was one), then mounts the
// parts; if their module does not load, the session runs without them.
async function coreInit(s, config, fetchImpl, mount) {
  const o = s._opts;
  await s._kit.ready;
  if (s.destroyed) return;
  if (s._kit._dead) throw new AvailKitError({ kind: 'internal', source: 'core', message: s._kit._dead });
  s._exports = s._kit._exports;
  const timeoutMs = requestTimeoutMs(config);
  const send = o.sendBeacon || ((url) => sendBeacon(url, timeoutMs));
  const hooks = {
    // The core emits outside of flush (poll results, beacon failures)
    // from promise callbacks; dispatching on a microtask keeps listeners
    // from re-entering the core while it is on the stack. An init error
    // is kept for the rejection: no listener can see it.
    emit: (type, json) => {
      if (type === 'ready' && s._readySent) return;
      const detail = JSON.parse(json);
      if (type === 'error' && detail.source === 'init') s._initError = detail;
      queueMicrotask(() => s._emit(type, detail));
    },
    sendBeacon: (url) => s._guard.wrap(send(url)),
    fetch: (url, init) => s._guard.wrap((s._early && s._early.take(url, init, hooks.log))
      || fetchBody(fetchImpl, url, init)),
    log: (level, msg) => s._log(level, msg),
  };
  // The kit's version names the client in [CLIENTUA]; config was built
  // before the core (and so the version) may have been known.
  const v = s._kit.version;
  const obj = s._kit._core.newSession(config.clientUA || !v ? config : { ...config, clientUA: `availkit/${v}` }, hooks);
  if (obj instanceof Error) throw new AvailKitError({ kind: 'config', source: 'host', message: obj.message });
  s._obj = obj;
  s._handle = obj.handle;
  s._kit._sessions.add(s);
  let r;
  try {
    r = await obj.init();
  } catch (e) {
    throw new AvailKitError(s._initError || { kind: 'internal', source: 'init', message: String(e && e.message || e) });
  }
  if (s.destroyed) return;
  // A player may already play the early manifest URL: it stays.
  if (!s._starting) s.manifestUrl = r.manifestUrl;
  s.trackingUrl = r.trackingUrl;
  s.sessionId = r.sessionId || '';
  const log = (l, m) => s._log(l, m);
  const m = await mount.catch((e) => log('warn', `availkit: parts: ${e && e.message || e}`));
  if (m && !s.destroyed) {
    s._pauseWhileAway = m.pauseWhileAway;
    s._parts = await m.mountParts(s, o, log);
  }
}
