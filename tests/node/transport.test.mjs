// The beacon sender's mixed-content rule: an https page upgrades http
// beacons (fetch would block them; the browser upgrades an <img> the same
// way), and leaves everything else alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { secureURL } from '../../web/core/transport.js';

test('secureURL upgrades http beacons on https pages only', () => {
  const cases = [
    ['http://b.test/imp?x=1', 'https:', 'https://b.test/imp?x=1'],
    ['HTTP://b.test/imp', 'https:', 'https://b.test/imp'],
    ['https://b.test/imp', 'https:', 'https://b.test/imp'],
    ['http://b.test/imp', 'http:', 'http://b.test/imp'],
    ['http://b.test/imp', undefined, 'http://b.test/imp'],
    ['httpx://b.test/imp', 'https:', 'httpx://b.test/imp'],
  ];
  for (const [url, page, want] of cases) assert.equal(secureURL(url, page), want, `${url} on ${page}`);
});
