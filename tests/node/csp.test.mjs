// The documented policy has style-src 'self' and no 'unsafe-inline': a
// served HTML file with an inline <style> or style attribute would be
// blocked (README, "Content-Security-Policy").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function htmlFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return htmlFiles(p);
    return e.name.endsWith('.html') ? [p] : [];
  });
}

test('no served HTML file has an inline style or script', () => {
  const files = [...htmlFiles(path.join(ROOT, 'web')), path.join(ROOT, 'index.html')];
  assert.ok(files.some((f) => f.endsWith(path.join('vpaid', 'frame.html'))));
  const bad = [];
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    if (/<style[\s>]/i.test(src)) bad.push(`${path.relative(ROOT, f)}: <style>`);
    if (/\sstyle\s*=/i.test(src)) bad.push(`${path.relative(ROOT, f)}: style attribute`);
    if (/<script(?![^>]*\ssrc=)[^>]*>/i.test(src)) bad.push(`${path.relative(ROOT, f)}: inline <script>`);
  }
  assert.deepEqual(bad, []);
});
