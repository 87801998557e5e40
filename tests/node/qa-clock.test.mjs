// The QA timeline's clock text reads like a player's controls: truncated
// (the <video> controls say 1:37 at 97.6 s), signed, h:mm:ss past an hour,
// with float noise at a tick not showing as the second before.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { clockText } from '../../web/qa/timeline.js';

test('clockText truncates as the player controls do', () => {
  const cases = [
    [0, 0, '0:00'], [97.6, 0, '1:37'], [97.999, 0, '1:37'], [0.1 * 3 * 200, 0, '1:00'], [60 - 1e-12, 0, '1:00'], [97.999999, 0, '1:37'],
    [3725.4, 0, '1:02:05'], [-12.9, 0, '−0:12'], [-0.4, 0, '0:00'], [97.6125, 3, '1:37.612'], [1.0005, 3, '0:01.000'],
  ];
  for (const [t, d, want] of cases) assert.equal(clockText(t, d), want, `${t} (${d} digits)`);
});
