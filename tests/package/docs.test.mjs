// The README API reference cannot drift from the code: its tables must list
// exactly the names web/availkit.d.ts declares (SessionOptions, LoadOptions,
// the Session class, SessionEventMap), the error kinds the .d.ts documents
// plus those the JS layer emits, and exactly the attributes and events of
// <availkit-player> as its module defines them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../browser/harness.mjs';

const DTS = readFileSync(path.join(ROOT, 'web/availkit.d.ts'), 'utf8');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function stripComments(s) {
  return s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

// block returns the text between the braces that follow header in src.
function block(src, header) {
  const i = src.search(header);
  assert.ok(i >= 0, `${header} not found in web/availkit.d.ts`);
  const open = src.indexOf('{', i);
  let depth = 0;
  for (let j = open; j < src.length; j++) {
    if (src[j] === '{') depth++;
    else if (src[j] === '}' && --depth === 0) return src.slice(open + 1, j);
  }
  throw new Error(`unbalanced ${header}`);
}

// members lists the top-level member names of a TypeScript interface or
// class body: properties, methods, getters; overloads count once.
function members(body) {
  const names = new Set();
  let depth = 0;
  let stmt = '';
  let prev = '';
  for (const ch of stripComments(body) + '\n') {
    // The '>' of an arrow type (=>) closes nothing.
    if ('{(<['.includes(ch)) depth++;
    else if ('})]'.includes(ch) || (ch === '>' && prev !== '=')) depth--;
    prev = ch;
    if (depth === 0 && (ch === ';' || ch === '\n')) {
      const m = /^\s*(?:static\s+)?(?:readonly\s+)?(?:get\s+)?([A-Za-z_$][\w$]*)\??\s*[:(<]/.exec(stmt);
      if (m) names.add(m[1]);
      stmt = '';
      continue;
    }
    stmt += ch;
  }
  return names;
}

// section returns README text from heading to the next heading of the same
// or a higher level.
function section(heading) {
  const level = heading.match(/^#+/)[0].length;
  const i = README.indexOf(`${heading}\n`);
  assert.ok(i >= 0, `README lacks "${heading}"`);
  const rest = README.slice(i + heading.length + 1);
  const next = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return next < 0 ? rest : rest.slice(0, next);
}

// firstColumn returns the backquoted names in the first cell of each row of
// the first table in text ("`a`, `b`" gives both).
function firstColumn(text) {
  const rows = text.split('\n').filter((l) => l.startsWith('|')).slice(2);
  assert.ok(rows.length > 0, 'a table');
  const names = [];
  for (const r of rows) {
    const cell = r.split('|')[1];
    for (const m of cell.matchAll(/`([^`(]+)(?:\([^`]*\))?`/g)) names.push(m[1].trim());
  }
  return names;
}

function sameSet(got, want, what) {
  const g = [...new Set(got)].sort();
  const w = [...new Set(want)].sort();
  assert.deepEqual(g, w, `${what}: README vs code`);
  assert.equal(got.length, new Set(got).size, `${what}: README lists a name twice`);
}

test('README tables list exactly what availkit.d.ts declares', async (t) => {
  const cases = [
    { what: 'Session options', heading: '### Session options', header: /export interface SessionOptions\b/ },
    { what: 'AvailKit.load options', heading: '### AvailKit.load options', header: /export interface LoadOptions\b/ },
    { what: 'Session events', heading: '### Events', header: /export interface SessionEventMap\b/ },
    {
      what: 'Session members', heading: '### Session members', header: /export declare class Session\b/,
      drop: ['addEventListener', 'removeEventListener'],
    },
  ];
  for (const c of cases) {
    await t.test(c.what, () => {
      const declared = [...members(block(DTS, c.header))].filter((n) => !(c.drop || []).includes(n));
      assert.ok(declared.length >= 4, `parsed ${c.what} from the .d.ts: ${declared}`);
      sameSet(firstColumn(section(c.heading)), declared, c.what);
    });
  }
});

function jsFiles(dir) {
  const out = [];
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) {
      if (f !== 'qa' && f !== 'inspect') out.push(...jsFiles(p));
    } else if (f.endsWith('.js')) out.push(p);
  }
  return out;
}

test('README error kinds: those availkit.d.ts documents plus those web/ emits', () => {
  const body = block(DTS, /export interface ErrorDetail\b/);
  const doc = /\/\*\*([^*]|\*(?!\/))*\*\/\s*kind\s*:/.exec(body);
  assert.ok(doc, 'ErrorDetail.kind has a doc comment');
  const kinds = new Set([...doc[0].matchAll(/'(\w+)'/g)].map((m) => m[1]));
  // Kinds raised in JS: `kind: 'x'` in an error detail, host.error('x', …) in adapters.
  for (const f of jsFiles(path.join(ROOT, 'web'))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\berror['"]?,\s*\{\s*kind:\s*'(\w+)'/g)) kinds.add(m[1]);
    for (const m of src.matchAll(/\.error\(\s*'(\w+)'/g)) kinds.add(m[1]);
  }
  assert.ok(kinds.has('network') && kinds.has('embed'), `kinds found: ${[...kinds]}`);
  sameSet(firstColumn(section('### Error kinds')), [...kinds], 'error kinds');
});

test('README element reference matches <availkit-player>', async () => {
  // The module only needs these to define itself; no DOM is exercised.
  globalThis.HTMLElement ??= class {};
  globalThis.customElements ??= { get: () => undefined, define: () => {} };
  const m = await import(path.join(ROOT, 'web/element/availkit-player.js'));
  const text = section('## Embedding in a CMS');
  sameSet(firstColumn(text), m.AvailKitPlayerElement.observedAttributes, 'element attributes');
  const listed = text.split('\n').find((l) => l.startsWith('`ready`'));
  assert.ok(listed, 'the element event list');
  sameSet([...listed.matchAll(/`(\w+)`/g)].map((x) => x[1]), m.EVENTS, 'element events');
  // Every Session event reaches the element, except the headless-only one.
  const sessionEvents = [...members(block(DTS, /export interface SessionEventMap\b/))];
  const missing = sessionEvents.filter((e) => e !== 'seekrequest' && !m.EVENTS.includes(e));
  assert.deepEqual(missing, [], 'Session events the element does not re-dispatch');
});
