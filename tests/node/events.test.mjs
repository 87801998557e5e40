// Event names are declared once, in web/core/events.js: availkit.d.ts types
// exactly those, <availkit-player> re-dispatches them, and no module of
// web/ subscribes to, dispatches or lists a name that is not one of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CORE_EVENTS, JS_EVENTS, SESSION_EVENTS, PLAYER_EVENTS } from '../../web/core/events.js';
import { dtsBlock, dtsMembers } from './dts.mjs';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));

function jsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return jsFiles(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}
const files = jsFiles(WEB).map((p) => ({ name: path.relative(WEB, p), src: fs.readFileSync(p, 'utf8') }));

test('the lists: core and JS events make up the session events; a player page sees all but seekrequest', () => {
  assert.equal(new Set(SESSION_EVENTS).size, SESSION_EVENTS.length, 'no name twice');
  assert.deepEqual(SESSION_EVENTS, [...CORE_EVENTS, ...JS_EVENTS]);
  assert.deepEqual([...PLAYER_EVENTS].sort(), SESSION_EVENTS.filter((t) => t !== 'seekrequest').sort());
});

test('availkit.d.ts SessionEventMap declares exactly SESSION_EVENTS', () => {
  const declared = [...dtsMembers(dtsBlock('SessionEventMap'))];
  assert.deepEqual(declared.sort(), [...SESSION_EVENTS].sort());
});

test('<availkit-player> re-dispatches PLAYER_EVENTS', async () => {
  globalThis.HTMLElement ??= class {};
  globalThis.customElements ??= { get: () => undefined, define: () => {} };
  const m = await import('../../web/element/availkit-player.js');
  assert.deepEqual([...m.EVENTS], [...PLAYER_EVENTS]);
});

test('web/ holds no other list of event names', () => {
  // An array literal naming two break events is a hand-copied list.
  const copies = files.filter((f) => f.name !== path.join('core', 'events.js') &&
    /\[[^\]]*'adbreakstart'[^\]]*'adbreakend'[^\]]*\]/s.test(f.src)).map((f) => f.name);
  assert.deepEqual(copies, []);
});

test('every event name web/ subscribes to or dispatches on a session is a session event', () => {
  const used = [];
  for (const f of files) {
    for (const m of f.src.matchAll(/session\.(?:add|remove)EventListener\(\s*'(\w+)'/g)) used.push([f.name, m[1]]);
    for (const m of f.src.matchAll(/session\.dispatchEvent\(new CustomEvent\('(\w+)'/g)) used.push([f.name, m[1]]);
    for (const m of f.src.matchAll(/this\._emit\('(\w+)'/g)) used.push([f.name, m[1]]);
  }
  assert.ok(used.length >= 10, `found ${used.length} uses`);
  assert.deepEqual(used.filter(([, t]) => !SESSION_EVENTS.includes(t)), []);
  // The overlay subscribes by handler name (ui/overlay.js `handlers`).
  const overlay = files.find((f) => f.name === path.join('ui', 'overlay.js')).src;
  const body = overlay.slice(overlay.indexOf('const handlers = {'), overlay.indexOf('\n  };', overlay.indexOf('const handlers = {')));
  const handlers = [...body.matchAll(/^ {4}(\w+)\(/gm)].map((m) => m[1]);
  assert.ok(handlers.length >= 10, `parsed ${handlers.length} overlay handlers`);
  assert.deepEqual(handlers.filter((h) => !SESSION_EVENTS.includes(h)), [], 'overlay handlers that are no event');
  // The QA event log's per-type key order (qa/events.js FIRST).
  const qa = files.find((f) => f.name === path.join('qa', 'events.js')).src;
  const first = qa.slice(qa.indexOf('const FIRST = {'), qa.indexOf('};', qa.indexOf('const FIRST = {')));
  const types = [...first.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]);
  assert.ok(types.length >= 5);
  assert.deepEqual(types.filter((t) => !SESSION_EVENTS.includes(t)), [], 'QA log types that are no event');
});
