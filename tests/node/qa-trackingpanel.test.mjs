// The QA page's Tracking JSON panel: a paged poll with nothing new keeps
// the last poll that listed avails on screen, and says so; until one did,
// the latest answer is shown, and an error body is never called "the last
// with avails".
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { createTrackingPanel } from '../../web/qa/trackingpanel.js';

const AVAILS = JSON.stringify({ avails: [{ availId: 'a1', ads: [] }] });
const EMPTY = JSON.stringify({ avails: [] });
const ERROR = JSON.stringify({ message: 'Internal Server Error' });

function panel() {
  const pre = { textContent: '' };
  const sum = { textContent: '' };
  return { pre, sum, p: createTrackingPanel(pre, sum, () => {}) };
}

test('tracking panel: failed polls before any avails show the latest answer', () => {
  const { pre, sum, p } = panel();
  p.polled(500, ERROR);
  p.polled(500, ERROR);
  p.polled(200, EMPTY);
  assert.equal(sum.textContent, '3 polls · last 200');
  assert.deepEqual(JSON.parse(pre.textContent), { avails: [] });
  p.polled(200, AVAILS);
  p.polled(500, ERROR);
  assert.equal(sum.textContent, '5 polls · last 500 · showing #4, the last with avails');
  assert.equal(JSON.parse(pre.textContent).avails[0].availId, 'a1');
});

test('tracking panel: a malformed body is shown raw', () => {
  const { pre, sum, p } = panel();
  p.polled(200, AVAILS);
  p.polled(200, '{"avails":[');
  assert.equal(pre.textContent, '{"avails":[');
  assert.equal(sum.textContent, '2 polls · last 200 (not JSON)');
});
