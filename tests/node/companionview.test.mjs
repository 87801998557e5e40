// Companion views at the ad server, from the real core (dist/) with the real
// companion renderer over a minimal DOM, the beacon recorder standing for
// the collector: a creativeView never precedes its ad's impression, and a
// VPAID unit's own companions (getAdCompanions) render and count once. Run
// after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { CompanionRenderer } from '../../dist/companions/renderer.js';
import { companionsFromUnit } from '../../dist/vpaid/companions-from-unit.js';
import { newSession, play, vod } from './helpers.mjs';

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
    // The pre-roll is entered but the viewer has not pressed play: the ad
    // has not rendered, so it has not started (adstart comes with its
    // first frame): no companion, nothing counted.
    const starts = [];
    session.addEventListener('adstart', (e) => starts.push(e.detail.adId));
    play(session, 0, 0.2, 0.05, { paused: true });
    await tick();
    assert.deepEqual(starts, [], 'no adstart before the first frame');
    assert.equal(slot.children.length, 0, 'no companion before the ad renders');
    assert.deepEqual(rec.urls.filter((u) => u.includes('/companion')), [], 'no creativeView before the impression');

    play(session, 0.2, 1);
    await tick();
    assert.deepEqual(starts, ['pre-1'], 'adstart once playing');
    assert.ok(slot.children[0], 'the companion is drawn at adstart');
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

// vpaidJSON is the VOD fixture plus a VPAID break at 50-56 whose tracking
// JSON lists no companions.
function vpaidJSON() {
  const r = structuredClone(vod);
  const ev = (type, at) => ({
    beaconUrls: [`http://beacon.test/vp/vp-1/${type}`], eventId: `vp-1-${type}`, eventType: type, startTimeInSeconds: at,
  });
  r.avails.push({
    availId: 'vp', startTimeInSeconds: 50, durationInSeconds: 6, adBreakTrackingEvents: [],
    ads: [{
      adId: 'vp-1', startTimeInSeconds: 50, durationInSeconds: 6, companionAds: [],
      trackingEvents: [ev('impression', 50), ev('complete', 56)],
      mediaFiles: { mediaFilesList: [{ mediaFileUri: 'http://ads.test/unit.js', mediaType: 'application/javascript', apiFramework: 'VPAID' }] },
    }],
  });
  return JSON.stringify(r);
}

// What a unit returns from getAdCompanions: VAST CompanionAds XML.
const UNIT_XML = '<CompanionAds><Companion id="u1" width="300" height="250" adSlotID="side">'
  + '<StaticResource creativeType="image/png"><![CDATA[https://cdn.test/unit.png]]></StaticResource>'
  + '<TrackingEvents><Tracking event="creativeView"><![CDATA[http://beacon.test/vp/vp-1/unit-companion?v=[CACHEBUSTING]]]></Tracking></TrackingEvents>'
  + '</Companion></CompanionAds>';

test('a VPAID unit\'s own companions render when the tracking JSON has none; creativeView once, after the impression', { timeout: 20000 }, async (t) => {
  const saved = globalThis.document;
  globalThis.document = { createElement: (tag) => new FakeElement(tag) };
  t.after(() => { globalThis.document = saved; });
  const { session, rec } = await newSession({ tracking: [[200, vpaidJSON()]] });
  const slot = new FakeElement('div');
  const r = new CompanionRenderer(session, [{ element: slot, width: 300, height: 250, adSlotId: 'side' }]);
  const shown = [];
  session.addEventListener('companion', (e) => shown.push(e.detail));
  try {
    session.manifestLoaded({ live: false, duration: 60 });
    await once(session, 'trackingupdate');
    play(session, 49, 50.2);
    assert.equal(slot.children.length, 0, 'the tracking JSON has no companion for the VPAID ad');

    // After AdLoaded the runner hands over the unit's XML; another ad's
    // companions are not this ad's.
    assert.equal(companionsFromUnit(session, { availId: 'vp', adId: 'other' }, UNIT_XML), 1);
    assert.equal(slot.children.length, 0, 'companions of another ad are not drawn');
    assert.equal(companionsFromUnit(session, { availId: 'vp', adId: 'vp-1' }, UNIT_XML), 1);
    assert.equal(companionsFromUnit(session, { availId: 'vp', adId: 'vp-1' }, UNIT_XML), 1);
    await tick();
    assert.equal(slot.children.length, 1, 'drawn once');
    assert.equal(slot.children[0].children[0].src, 'https://cdn.test/unit.png');
    assert.deepEqual(shown.map((d) => [d.adId, d.placements.length]), [['vp-1', 1]]);
    assert.deepEqual(rec.urls.filter((u) => u.includes('unit-companion')), [], 'not counted before the unit\'s impression');

    session.vpaidEvent('AdImpression', {});
    await tick();
    const views = rec.urls.filter((u) => u.includes('/vp/vp-1/unit-companion?v='));
    assert.equal(views.length, 1, `creativeView once: ${rec.urls.join(' ')}`);
    assert.doesNotMatch(views[0], /\[CACHEBUSTING\]/, 'macros expanded');
    const at = (part) => rec.urls.findIndex((u) => u.includes(part));
    assert.ok(at('/vp/vp-1/impression') < at('/vp/vp-1/unit-companion'), 'after the impression');
  } finally {
    r.destroy();
    session.destroy();
  }
});

test('companionsFromUnit ignores what holds no companion and a session without a core', () => {
  const fake = new EventTarget();
  let dispatched = 0;
  fake.addEventListener('adcompanions', () => dispatched++);
  for (const xml of [undefined, null, 42, '', '<VAST/>']) {
    assert.equal(companionsFromUnit(fake, { availId: 'a', adId: 'b' }, xml), 0, String(xml));
  }
  fake.companionsFromVAST = () => { throw new Error('core stopped'); };
  assert.equal(companionsFromUnit(fake, { availId: 'a', adId: 'b' }, UNIT_XML), 0);
  fake.companionsFromVAST = () => [];
  assert.equal(companionsFromUnit(fake, { availId: 'a', adId: 'b' }, UNIT_XML), 0);
  assert.equal(dispatched, 0);
});
