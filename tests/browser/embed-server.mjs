// A page server for the embedding tests and bench/embed.sh: it serves a page
// project (in-memory pages plus directories mounted at URL prefixes) under a
// strict Content-Security-Policy header and reverse-proxies the MediaTailor
// routes to the emulator, which is started with --public-base naming this
// server, so that every URL it hands out (manifests, segments, beacons) is
// on this origin. That is
// how a production page sees MediaTailor behind its own CDN domain, and it
// lets the policy stay `'self'` everywhere.

import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

// CSP is the policy of README "Content-Security-Policy": nothing inline, no
// eval, wasm compilation allowed, media from MSE blobs, frames for VPAID and
// companions.
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml', '.ts': 'text/plain',
};

const PROXIED = ['/v1/', '/media/', '/beacon/', '/vast/', '/creatives/', '/debug/', '/landing'];

// startPageServer listens on 127.0.0.1:port and resolves with {base, stop()}.
// pages maps URL paths to {body, type}; mounts maps URL prefixes ("/dist/")
// to directories; emulator is the emulator's base URL; csp is the header
// value (null: none).
export async function startPageServer({ port, pages = {}, mounts = {}, emulator, csp = CSP }) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const p = decodeURIComponent(url.pathname);
    if (emulator && PROXIED.some((x) => p.startsWith(x))) return proxy(req, res, emulator);
    const headers = { 'cache-control': 'no-store' };
    if (csp) headers['content-security-policy'] = csp;
    // Browsers ask for it on their own; a 404 would read as a page error.
    if (p === '/favicon.ico' && !pages[p]) {
      res.writeHead(204, headers);
      return res.end();
    }
    const page = pages[p];
    if (page) {
      res.writeHead(200, { ...headers, 'content-type': page.type || TYPES[path.extname(p)] || 'text/html' });
      return res.end(page.body);
    }
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!p.startsWith(prefix)) continue;
      const file = path.join(dir, path.normalize(p.slice(prefix.length)));
      if (!file.startsWith(path.resolve(dir))) break;
      try {
        if (!(await stat(file)).isFile()) break;
        const body = await readFile(file);
        res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
        return res.end(body);
      } catch {
        break;
      }
    }
    res.writeHead(404, headers);
    res.end('not found');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    base: `http://127.0.0.1:${port}`,
    stop: () => new Promise((r) => {
      server.closeAllConnections?.();
      server.close(() => r());
    }),
  };
}

function proxy(req, res, emulator) {
  const target = new URL(req.url, emulator);
  const up = http.request(target, { method: req.method, headers: req.headers }, (r) => {
    res.writeHead(r.statusCode, r.headers);
    r.pipe(res);
  });
  up.on('error', (e) => {
    if (!res.headersSent) res.writeHead(502);
    res.end(String(e.message));
  });
  req.pipe(up);
}
