// web/core/constants.js copies numbers of the Go engine (the core does not
// publish them yet). This test reads internal/engine and wasm/ source and
// fails when a copy drifts; the loaded core's published status bits are
// compared too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

import { FLAGS, STATUS, ORIGIN, NEAR, GAP_JUMP, checkCore } from '../../web/core/constants.js';
import { getKit } from './helpers.mjs';

const src = (p) => fs.readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
// The engine package is read whole: its constants move between files.
const engine = fs.readdirSync(new URL('../../internal/engine/', import.meta.url))
  .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')).sort()
  .map((f) => src(`internal/engine/${f}`)).join('\n');

// iotaBlock returns the names of the const block that starts with
// `first <Type> = <expr>` in Go source, in order, comments skipped.
function iotaBlock(go, first) {
  const start = go.search(new RegExp(`^\\s*${first}\\s+\\w+\\s*=`, 'm'));
  assert.ok(start >= 0, `${first} not found`);
  const body = go.slice(start, go.indexOf('\n)', start));
  return body.split('\n').map((l) => l.replace(/\/\/.*/, '').trim()).filter(Boolean).map((l) => l.split(/\s/)[0]);
}

// lowerFirst turns FlagPaused into paused, StatusInAd into inAd, OriginAPI
// into api (a leading initialism is lowered whole).
function lowerFirst(s, prefix) {
  const rest = s.slice(prefix.length);
  const lead = /^[A-Z]+(?![a-z])/.exec(rest);
  if (lead) return lead[0].toLowerCase() + rest.slice(lead[0].length);
  return rest[0].toLowerCase() + rest.slice(1);
}

function goFloat(go, name) {
  const m = new RegExp(`^const ${name} = ([0-9.]+)`, 'm').exec(go);
  assert.ok(m, `const ${name} not found`);
  return Number(m[1]);
}

test('the constants JavaScript uses are the engine\'s', async (t) => {
  await t.test('flags (1 << iota)', () => {
    const names = iotaBlock(engine, 'FlagPaused');
    assert.match(engine, /FlagPaused Flags = 1 << iota/);
    assert.deepEqual(FLAGS, Object.fromEntries(names.map((n, i) => [lowerFirst(n, 'Flag'), 1 << i])));
  });
  await t.test('status bits (1 << iota)', () => {
    const names = iotaBlock(engine, 'StatusActions');
    assert.match(engine, /StatusActions Status = 1 << iota/);
    assert.deepEqual(STATUS, Object.fromEntries(names.map((n, i) => [lowerFirst(n, 'Status'), 1 << i])));
  });
  await t.test('NEAR and GAP_JUMP', () => {
    assert.equal(NEAR, goFloat(engine, 'NearWindow'));
    assert.equal(GAP_JUMP, goFloat(engine, 'GapJump'));
  });
  await t.test('seek origins: every engine origin has a name the bridge maps to it', () => {
    const origins = iotaBlock(engine, 'OriginAPI');
    // The name → origin mapping lives in the bridge (wasm/) or, once
    // orchestration moves there, in internal/client.
    const bridge = ['wasm', 'internal/client'].filter((d) => fs.existsSync(new URL(`../../${d}/`, import.meta.url)))
      .flatMap((d) => fs.readdirSync(new URL(`../../${d}/`, import.meta.url)).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
        .map((f) => src(`${d}/${f}`))).join('\n');
    for (const o of origins) {
      const name = lowerFirst(o, 'Origin');
      assert.equal(ORIGIN[name], name, `ORIGIN.${name}`);
      // OriginAPI is the default of the bridge's switch; the others are cases.
      if (o !== 'OriginAPI') assert.match(bridge, new RegExp(`"${name}"[^"]{0,80}\\b${o}\\b`), `wasm/ maps "${name}" to ${o}`);
    }
    assert.deepEqual(Object.keys(ORIGIN).sort(), origins.map((o) => lowerFirst(o, 'Origin')).sort());
  });
});

test('checkCore: the loaded core agrees; a core with other bits is refused', async () => {
  const kit = await getKit();
  assert.doesNotThrow(() => checkCore(kit._core));
  assert.throws(() => checkCore({ status: { ...STATUS, near: 2 } }), /status\.near/);
  assert.throws(() => checkCore({ flags: { paused: 2 } }), /flags\.paused/);
  assert.throws(() => checkCore({ gapJump: 2 }), /gapJump/);
});
