// A companion's creativeView never reaches the ad server before its ad's
// impression: the real core (dist/) with the real companion renderer over a
// minimal DOM, the beacon recorder standing for the collector. Run after
// ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { CompanionRenderer } from '../../dist/companions/renderer.js';
import { newSession, play } from './helpers.mjs';

// FakeElement is the part of an element the renderer touches. An <img>
// "decodes" on the next task once its src is set.
class FakeElement extends EventTarget {
  constructor(tag) {
    super();
    this.tag = tag;
    this.dataset = {};
    this.style = {};
    this.children = [];
    this.parent = null;
  }
  setAttribute(k, v) { this[k] = v; }
  append(...els) {
    for (const el of els) {
      el.parent = this;
      this.children.push(el);
    }
  }
  remove() {
    if (this.parent) this.parent.children = this.parent.children.filter((c) => c !== this);
    this.parent = null;
  }
  set src(u) {
    this._src = u;
    if (this.tag === 'img') {
      setTimeout(() => {
        this.naturalWidth = 300;
        this.dispatchEvent(new Event('load'));
      }, 0);
    }
  }
  get src() { return this._src; }
}

const tick = () => new Promise((r) => setTimeout(r, 5));

test('companion creativeView waits for the ad\'s impression (paused before the first frame)', { timeout: 20000 }, async (t) => {
  const saved = globalThis.document;
  globalThis.document = { createElement: (tag) => new FakeElement(tag) };
  t.after(() => { globalThis.document = saved; });
  const { session, rec } = await newSession();
  const slot = new FakeElement('div');
  const r = new CompanionRenderer(session, [{ element: slot, width: 300, height: 250, adSlotId: 'side' }]);
  try {
    session.manifestLoaded({ live: false, duration: 60 });
    await once(session, 'trackingupdate');
    // The pre-roll is entered but the viewer has not pressed play: the
    // companion is drawn and its image has loaded, yet nothing is counted.
    play(session, 0, 0.2, 0.05, { paused: true });
    await tick();
    const box = slot.children[0];
    assert.ok(box, 'the companion is drawn at adstart');
    assert.equal(box.dataset.akViewed, 'held');
    assert.deepEqual(rec.urls.filter((u) => u.includes('/companion')), [], 'no creativeView before the impression');

    play(session, 0.2, 1);
    await tick();
    const at = (part) => rec.urls.findIndex((u) => u.includes(part));
    const views = rec.urls.filter((u) => u.includes('/pre-1/companion'));
    assert.equal(views.length, 1, 'creativeView once');
    assert.ok(at('/pre-1/impression') >= 0, 'impression sent');
    assert.ok(at('/pre-1/impression') < at('/pre-1/companion'), `impression before the companion view: ${rec.urls.join(' ')}`);
  } finally {
    r.destroy();
    session.destroy();
  }
});
