// The QA page's Ad statistics panel (web/qa/stats.js): its totals line
// reads as English at one ad ("1 ad · 1 played", not "1 ads").
import { test } from 'node:test';
import assert from 'node:assert/strict';

// A minimal DOM: elements with text, attributes, table parts and children.
function el(tag) {
  const e = {
    tagName: tag, children: [], tBodies: [], id: '', className: '', textContent: '', style: {}, parentElement: null,
    setAttribute() {},
    append(...c) { e.children.push(...c); },
    replaceChildren(...c) { e.children = c; },
    createTHead() { const h = el('thead'); e.children.push(h); return h; },
    createTBody() { const b = el('tbody'); e.tBodies.push(b); e.children.push(b); return b; },
  };
  return e;
}
globalThis.document = { createElement: el };
const { createStatsPanel } = await import('../../web/qa/stats.js');

const stats = (ads, played) => ({
  totals: { ads, played, skipped: 0, errored: 0, watched: 6 * played },
  latency: { count: 0 },
  events: {},
  ads: [],
});

test('Ad statistics: the totals line says "1 ad", and "ads" for 0 or more than one', () => {
  const panel = createStatsPanel(null);
  const totals = panel.element.children.find((c) => c.id === 'stats-totals');
  for (const [ads, played, want] of [[1, 1, '1 ad · 1 played'], [0, 0, '0 ads · 0 played'], [2, 1, '2 ads · 1 played']]) {
    panel.show({ stats: () => stats(ads, played) });
    panel.stop();
    assert.match(totals.textContent, new RegExp(`^${want} · 0 skipped · 0 errored · \\d+\\.\\d s watched$`), totals.textContent);
  }
});
