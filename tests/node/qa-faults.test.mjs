// The QA page's fault form: what the tester sets before the session exists
// (or while it attaches) is applied to it, not overwritten by the faults
// the emulator holds; untouched fields show what it holds; Apply is off
// until the form shows the session's faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { createFaultForm } from '../../web/qa/faults.js';

const NAMES = ['trackingLatencyMs', 'tracking5xxRate', 'beaconDelayMs', 'trackingMalformed', 'beaconDown', 'expireNow'];

function rig(held) {
  const listeners = {};
  const elements = Object.fromEntries(NAMES.map((n) => [n, { name: n, value: '0', checked: false }]));
  const form = { elements, addEventListener: (type, fn) => (listeners[type] ||= []).push(fn) };
  const apply = { disabled: true };
  const posts = [];
  const applied = [];
  let answer;
  const gotHeld = new Promise((r) => { answer = r; });
  const fetch = async (url, init = {}) => {
    if (init.method === 'POST') {
      posts.push(JSON.parse(init.body));
      return { ok: true, status: 200 };
    }
    await gotHeld; // the test decides when the GET answers
    return { ok: true, status: 200, json: async () => held };
  };
  const ff = createFaultForm(form, apply, { fetch, onApplied: (b, s) => applied.push([b, s]) });
  const edit = (name, v) => {
    if (typeof v === 'boolean') elements[name].checked = v;
    else elements[name].value = String(v);
    for (const fn of listeners.change || []) fn({ target: elements[name] });
  };
  const submit = () => { for (const fn of listeners.submit || []) fn({ preventDefault() {} }); };
  const session = { live: true, pollNow() {} };
  return { ff, elements, apply, posts, applied, edit, submit, session, answer };
}

test('fault form: cases', async (t) => {
  await t.test('set before Start: kept and applied when the session attaches', async () => {
    const r = rig({ beaconDelayMs: 0, beaconDown: false, trackingLatencyMs: 250 });
    r.edit('beaconDown', true);
    const attached = r.ff.attach('http://emu', 's1', r.session);
    assert.equal(r.apply.disabled, true, 'Apply waits for the held faults');
    r.answer();
    await attached;
    assert.equal(r.elements.beaconDown.checked, true, 'the edit survives the attach');
    assert.equal(r.elements.trackingLatencyMs.value, '250', 'untouched fields show what the emulator holds');
    assert.equal(r.apply.disabled, false);
    assert.equal(r.posts.length, 1);
    assert.equal(r.posts[0].beaconDown, true);
    assert.equal(r.posts[0].trackingLatencyMs, 250);
  });
  await t.test('nothing edited: the form shows the held faults and sends nothing', async () => {
    const r = rig({ beaconDelayMs: 1200, beaconDown: true });
    r.answer();
    await r.ff.attach('http://emu', 's1', r.session);
    assert.equal(r.elements.beaconDelayMs.value, '1200');
    assert.equal(r.elements.beaconDown.checked, true);
    assert.equal(r.posts.length, 0);
  });
  await t.test('applied edits are not applied again to the next session', async () => {
    const r = rig({ beaconDown: false });
    r.answer();
    await r.ff.attach('http://emu', 's1', r.session);
    r.edit('beaconDown', true);
    r.submit();
    await new Promise((res) => setImmediate(res));
    assert.equal(r.posts.length, 1);
    await r.ff.attach('http://emu', 's2', r.session);
    assert.equal(r.posts.length, 1, 'nothing pending for s2');
    assert.equal(r.elements.beaconDown.checked, false, 's2 holds no fault');
  });
});
