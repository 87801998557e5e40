// reserveSlots (web/core/slots.js): a session's companion slots keep their
// declared size until destroy; reserve: false and unsized slots are left
// alone, and the page's own inline values come back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reserveSlots } from '../../web/core/slots.js';

const el = (style = {}) => ({ style: { minWidth: '', minHeight: '', ...style } });

test('reserveSlots: declared sizes as minimums until released', () => {
  const a = el();
  const b = el({ minHeight: '10px' });
  const off = el();
  const unsized = el();
  const release = reserveSlots([
    { element: a, width: 300, height: 250 },
    { element: b, width: 728, height: 90 },
    { element: off, width: 300, height: 250, reserve: false },
    { element: unsized },
    null,
  ]);
  assert.deepEqual(a.style, { minWidth: 'min(300px, 100%)', minHeight: '250px' });
  assert.deepEqual(b.style, { minWidth: 'min(728px, 100%)', minHeight: '90px' });
  assert.deepEqual(off.style, { minWidth: '', minHeight: '' });
  assert.deepEqual(unsized.style, { minWidth: '', minHeight: '' });
  release();
  release(); // idempotent
  assert.deepEqual(a.style, { minWidth: '', minHeight: '' });
  assert.deepEqual(b.style, { minWidth: '', minHeight: '10px' });
});

test('reserveSlots: no slots, or not an array', () => {
  for (const v of [undefined, null, {}, []]) reserveSlots(v)();
});
