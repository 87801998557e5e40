// A failed beacon in the QA page's error list, as a tester reads it: the
// host it went to, its event type, the requests made and what became of it
// (the core retries once; one that timed out is not retried; a refused URL
// is never sent).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { beaconFailure } from '../../web/qa/errors.js';

test('a failed beacon in the error list: host, event type, attempts, outcome', () => {
  const url = 'https://ads.example.com:8443/track/imp?cb=1';
  const d = { eventType: 'impression', url, availId: '1', adId: 'a1', eventId: 'e1' };
  const lost = beaconFailure({ ...d, attempts: 2, message: 'Failed to fetch' });
  assert.deepEqual([lost.kind, lost.source, lost.host, lost.attempts, lost.outcome, lost.message],
    ['beacon', 'impression', 'ads.example.com:8443', 2, 'lost: failed 2 times (retried once)', 'Failed to fetch']);
  // Timed out: aborted and not retried, since the host may have counted it.
  const late = beaconFailure({ ...d, attempts: 1, message: 'no answer from ads.example.com:8443 in 10 s' });
  assert.deepEqual([late.attempts, late.outcome], [1, 'given up after 1 attempt, not retried: it may have reached the host']);
  const refusedURL = beaconFailure({ ...d, url: 'javascript:alert(1)', attempts: 0, message: 'beacon: URL not allowed' });
  assert.deepEqual([refusedURL.host, refusedURL.attempts, refusedURL.outcome], ['', 0, 'not sent: its URL was refused']);
});

// The status pill cuts a long status to its width: before any error, its
// title holds the whole text (a link's setting the page could not honour).
test('status pill: the whole status in its title before any error', async () => {
  const { createStatus } = await import('../../web/qa/errors.js');
  const el = () => ({ textContent: '', title: '', dataset: {}, hidden: true, setAttribute() {}, removeAttribute() {}, addEventListener() {}, append() {}, querySelector: () => el() });
  globalThis.document ??= { addEventListener() {} };
  const pill = el();
  const st = createStatus(pill, el(), () => 0);
  const long = 'running · media=ts is HLS only: DASH plays the default media (bf has B-frames on DASH)';
  st.set(long, 'warn');
  assert.equal(pill.textContent, long);
  assert.equal(pill.title, long);
});
