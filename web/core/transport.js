// transport.js performs the requests the core asks for: session init and
// tracking polls (fetchBody) and beacons (sendBeacon). The core owns the
// policy (what to send, retries, error kinds); this module only moves bytes.

/**
 * fetchBody performs one request for the core with fetchImpl (the host's
 * `fetch` option or the global) and resolves to {status, headers, bytes}:
 * the body as a Uint8Array, which the core reads as it is (decoding a
 * tracking reply of a few megabytes to text held the main thread for
 * 60-100 ms), or {status, headers, text} from a response without
 * arrayBuffer(). init is the core's {method, headers, body, timeoutMs};
 * past timeoutMs the request is aborted and rejects with a "timeout"
 * message the core classifies.
 */
export async function fetchBody(fetchImpl, url, init = {}) {
  const ctl = typeof AbortController === 'function' ? new AbortController() : null;
  const timeout = init.timeoutMs > 0 && ctl ? setTimeout(() => ctl.abort(), init.timeoutMs) : 0;
  try {
    const res = await fetchImpl(url, {
      method: init.method || 'GET',
      headers: init.headers || {},
      body: init.body || undefined,
      signal: ctl ? ctl.signal : undefined,
      cache: 'no-store',
    });
    const body = typeof res.arrayBuffer === 'function'
      ? { bytes: new Uint8Array(await res.arrayBuffer()) } : { text: await res.text() };
    const headers = {};
    if (res.headers && typeof res.headers.forEach === 'function') res.headers.forEach((v, k) => { headers[k] = v; });
    return { status: res.status, headers, ...body };
  } catch (e) {
    if (e && e.name === 'AbortError') throw new Error(`timeout after ${init.timeoutMs} ms`);
    throw e;
  } finally {
    if (timeout) clearTimeout(timeout);
  }
}

/**
 * secureURL upgrades an http: beacon URL to https: on an https: page, as
 * the browser upgrades an <img> (mixed passive content): fetch would block
 * it outright. Other URLs are returned as they are.
 */
export function secureURL(url, pageProtocol = globalThis.location?.protocol) {
  if (pageProtocol !== 'https:' || typeof url !== 'string' || !/^http:/i.test(url)) return url;
  return 'https:' + url.slice(5);
}

/**
 * sendBeacon requests one beacon URL and resolves once it was sent; it
 * rejects on a network error (the core retries once, after a delay), and
 * after timeoutMs without an answer with an Error whose noRetry is true:
 * a host that never answers holds one of the browser's six connections
 * per host, and the beacons queued behind them never leave. Aborted, the
 * request frees its connection; it is not retried, since it may have
 * reached the host, which would then count it twice.
 */
export function sendBeacon(url, timeoutMs = 0) {
  url = secureURL(url);
  if (typeof fetch === 'function') {
    // no-cors: ad servers rarely send CORS headers and the answer is not
    // read. keepalive only while the page is hidden (it is before pagehide):
    // such a request outlives the page, but Chromium routes it through the
    // browser process, which made beacons sent while the player starts up
    // arrive 20-60 ms later.
    const keepalive = typeof document !== 'undefined' && document.visibilityState === 'hidden';
    const ctl = timeoutMs > 0 && typeof AbortController === 'function' ? new AbortController() : null;
    const timer = ctl ? setTimeout(() => ctl.abort(), timeoutMs) : 0;
    const init = { mode: 'no-cors', keepalive, credentials: 'include', cache: 'no-store', priority: 'high' };
    if (ctl) init.signal = ctl.signal;
    return fetch(url, init).then(() => {
      clearTimeout(timer);
    }, (e) => {
      clearTimeout(timer);
      if (!ctl || !ctl.signal.aborted) throw e;
      const err = new Error(`no answer from ${hostOf(url)} in ${timeoutMs / 1000} s`);
      err.noRetry = true;
      throw err;
    });
  }
  return new Promise((resolve) => {
    const img = new Image();
    // A beacon answering 204 or a non-image fails to decode though it was
    // received, so both outcomes count as sent.
    img.onload = img.onerror = () => resolve();
    img.src = url;
  });
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return 'the beacon host';
  }
}

/**
 * Guard holds the promises the core awaits. Once closed, none of them
 * settles: the core's callbacks are released by then, and settling would
 * call into freed js.Funcs.
 */
export class Guard {
  constructor() {
    this._pending = new Set();
    this._closed = false;
  }

  // wrap returns a promise that settles like p while the guard is open.
  wrap(p) {
    const g = new Promise((resolve, reject) => {
      Promise.resolve(p).then(
        (v) => { this._pending.delete(g); if (!this._closed) resolve(v); },
        (e) => { this._pending.delete(g); if (!this._closed) reject(e); },
      );
    });
    this._pending.add(g);
    return g;
  }

  close() {
    this._closed = true;
    this._pending.clear();
  }
}
