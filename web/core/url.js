// url.js is the one http(s) URL check of the JavaScript layer (the Go core
// has its own, internal/httpurl). Landing pages, companion and overlay
// resources and VPAID click-throughs all pass through httpURL.

// httpURL returns the absolute http(s) URL for raw resolved against base, or
// "" when raw is empty, unparsable or any other scheme (javascript:, data:,
// blob:, file:, …). A falsy base accepts absolute URLs only.
export function httpURL(raw, base = globalThis.location?.href) {
  if (typeof raw !== 'string') return '';
  const s = raw.trim();
  if (!s) return '';
  let u;
  try {
    u = base ? new URL(s, base) : new URL(s);
  } catch {
    return '';
  }
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : '';
}
