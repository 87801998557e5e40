// The QA page's beacon log against the collector: a beacon the plugin gave
// up on (its host answered after the timeout) that still reached the
// collector is one failed beacon at the collector, not a duplicate; two
// records of one request are.
import { test } from 'node:test';
import assert from 'node:assert/strict';

// A minimal DOM: rows and cells with text, dataset and children.
function el(tag) {
  const e = {
    tagName: tag, children: [], dataset: {}, title: '', textContent: '', className: '',
    classList: { add() {} },
    append(...c) { e.children.push(...c); },
    replaceChildren(...c) { e.children = c; },
    scrollIntoView() {},
    get cells() { return e.children; },
  };
  return e;
}
globalThis.document = { createElement: el };
const { createBeaconLog } = await import('../../web/qa/beacons.js');

const url = (type, cb) => `http://127.0.0.1:8080/collector/s1/${type}?cb=${cb}`;
const beacon = (type, cb, at) => ({ eventType: type, url: url(type, cb), scheduledTime: at, playhead: at, adId: 'ad1' });
const record = (type, cb, receivedAt) => ({ eventType: type, rawQuery: `cb=${cb}`, receivedAt });

test('beacon log: cases against the collector', async (t) => {
  const cases = [
    {
      name: 'a timed-out beacon that reached the collector is failed, not duplicated',
      run(log) {
        log.fired('beacon', beacon('impression', 1, 0), 1000);
        log.fired('beacon', beacon('firstQuartile', 2, 2), 3000);
        log.fired('beaconerror', { eventType: 'firstQuartile', url: url('firstQuartile', 2), message: 'no answer in 10 s' });
        log.received([record('impression', 1, 1004), record('firstQuartile', 2, 8019)]);
      },
      statuses: ['received', 'error'],
      summary: /^2 fired · 2 at collector · 0 early · 0 dup · 1 failed/,
    },
    {
      name: 'a second record of one request is a duplicate',
      run(log) {
        log.fired('beacon', beacon('impression', 1, 0), 1000);
        log.received([record('impression', 1, 1004), record('impression', 1, 1010)]);
      },
      statuses: ['received'],
      summary: /^1 fired · 1 at collector · 0 early · 1 dup · 0 failed/,
    },
    {
      name: 'a failed beacon the collector never saw',
      run(log) {
        log.fired('beacon', beacon('impression', 1, 0), 1000);
        log.fired('beaconerror', { eventType: 'impression', url: url('impression', 1), message: 'collector down' });
        log.received([]);
      },
      statuses: ['error'],
      summary: /^1 fired · 0 at collector · 0 early · 0 dup · 1 failed/,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const tbody = el('tbody');
      const summary = el('p');
      const log = createBeaconLog(tbody, summary);
      log.setCollector(true);
      c.run(log);
      assert.deepEqual(log.rows.map((r) => r.status), c.statuses);
      assert.match(summary.textContent, c.summary);
    });
  }
});

// "late ms" is wall time: a beacon that left 0.4 s of media after its
// schedule at 4× left 100 ms late, and the cell must not say 400 (a tester
// read 233 at 4× as a late beacon while the on-screen column said +15).
test('beacon log: lateness in wall time at the rate the beacon left at', () => {
  const tbody = el('tbody');
  let rate = 4;
  const log = createBeaconLog(tbody, el('p'), { rate: () => rate });
  log.fired('beacon', { ...beacon('firstQuartile', 1, 10), playhead: 10.4 }, 1000);
  rate = 1;
  log.fired('beacon', { ...beacon('midpoint', 2, 20), playhead: 20.03 }, 2000);
  log.refresh(); // repainted after the rate changed: each row keeps its own
  const late = (i) => tbody.children[i].cells[5];
  assert.equal(late(0).textContent, '100.0');
  assert.equal(late(0).dataset.tone, 'warn');
  assert.equal(late(1).textContent, '30.0');
  assert.equal(late(1).dataset.tone, 'ok');
});
