// dts.mjs reads the shapes web/availkit.d.ts (and the files it re-exports)
// declares, for the tests that hold the code to them: member names of an
// interface or class, and a checker that says whether a value has a declared type, field by field.
// It understands the subset the file uses: interfaces (with extends),
// type aliases, intersections, unions, string literals, arrays, inline
// object types, Record<…> and the primitive names.
import fs from 'node:fs';

// availkit.d.ts re-exports the rich-ad types and the adapter contract from
// files of their own: the shapes are read from all three.
export const DTS = ['availkit.d.ts', 'richads.d.ts', 'adapter.d.ts']
  .map((f) => fs.readFileSync(new URL(`../../web/${f}`, import.meta.url), 'utf8')).join('\n');

const stripComments = (s) => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
const SRC = stripComments(DTS);

// closing returns the index of the bracket that closes the one at open.
function closing(s, open) {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if ('{(<['.includes(s[i])) depth++;
    else if ('})]'.includes(s[i]) || (s[i] === '>' && s[i - 1] !== '=')) {
      if (--depth === 0) return i;
    }
  }
  throw new Error(`unbalanced at ${open}`);
}

/** dtsBlock returns the body of `export interface name` or `export declare class name`. */
export function dtsBlock(name) {
  const m = new RegExp(`export (?:interface|declare class) ${name}\\b[^{]*\\{`).exec(SRC);
  if (!m) throw new Error(`${name} not declared in availkit.d.ts`);
  const open = m.index + m[0].length - 1;
  return SRC.slice(open + 1, closing(SRC, open));
}

// splitTop splits s at sep where no bracket is open.
function splitTop(s, seps) {
  const out = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if ('{(<['.includes(ch)) depth++;
    else if ('})]'.includes(ch) || (ch === '>' && s[i - 1] !== '=')) depth--;
    if (depth === 0 && seps.includes(ch)) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}

/** dtsFields returns the properties of an object-type body: name → {type, optional}; methods are left out. */
export function dtsFields(body) {
  const fields = new Map();
  for (const stmt of splitTop(body, ';\n')) {
    const m = /^(?:readonly\s+)?([A-Za-z_$][\w$]*)(\?)?\s*:\s*([\s\S]+)$/.exec(stmt);
    if (m) fields.set(m[1], { type: m[3].trim(), optional: !!m[2] });
  }
  return fields;
}

/** dtsMembers returns the member names (properties and methods) of a body. */
export function dtsMembers(body) {
  const names = new Set();
  for (const stmt of splitTop(body, ';\n')) {
    const m = /^(?:static\s+)?(?:readonly\s+)?(?:get\s+)?([A-Za-z_$][\w$]*)\??\s*[:(<]/.exec(stmt);
    if (m) names.add(m[1]);
  }
  return names;
}

// objectType resolves a type expression to {fields, open} when it is an
// object type (interface, inline, intersection), else null.
export function objectType(type) {
  type = type.trim();
  const parts = splitTop(type, '&');
  if (parts.length > 1) {
    const fields = new Map();
    let open = false;
    for (const p of parts) {
      const o = objectType(p);
      if (!o) return null;
      for (const [k, v] of o.fields) fields.set(k, v);
      open ||= o.open;
    }
    return { fields, open };
  }
  if (type.startsWith('{')) return { fields: dtsFields(type.slice(1, closing(type, 0))), open: false };
  if (/^Record</.test(type)) return { fields: new Map(), open: true };
  if (!/^\w+$/.test(type)) return null;
  const alias = new RegExp(`export type ${type} = ([^;]+);`).exec(SRC);
  if (alias) return objectType(alias[1]);
  const m = new RegExp(`export interface ${type}(?:\\s+extends\\s+([\\w\\s,]+))?\\s*\\{`).exec(SRC);
  if (!m) return null;
  const fields = new Map();
  let open = false;
  for (const base of (m[1] || '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const o = objectType(base);
    for (const [k, v] of o.fields) fields.set(k, v);
    open ||= o.open;
  }
  for (const [k, v] of dtsFields(dtsBlock(type))) fields.set(k, v);
  return { fields, open };
}

/**
 * check returns the mismatches between value and the declared type, as
 * "path: message" strings (none: it conforms). Object types are checked
 * both ways: every declared required field present, no field undeclared
 * unless the type is open (Record<…>).
 */
export function check(value, type, path = '') {
  type = type.trim();
  const alts = splitTop(type, '|');
  if (alts.length > 1) {
    const results = alts.map((a) => check(value, a, path));
    return results.some((r) => r.length === 0) ? [] : [`${path}: ${JSON.stringify(value)} is not ${type}`];
  }
  if (type.startsWith('(') && type.endsWith(')') && closing(type, 0) === type.length - 1) return check(value, type.slice(1, -1), path);
  const bad = (what) => [`${path}: ${JSON.stringify(value)?.slice(0, 80)} is not ${what}`];
  switch (type) {
    case 'unknown': case 'any': return [];
    case 'string': return typeof value === 'string' ? [] : bad(type);
    case 'number': case 'Seconds': return typeof value === 'number' ? [] : bad(type);
    case 'boolean': return typeof value === 'boolean' ? [] : bad(type);
    case 'null': return value === null ? [] : bad(type);
    default:
  }
  if (/^'[^']*'$/.test(type)) return value === type.slice(1, -1) ? [] : bad(type);
  if (type.endsWith('[]')) {
    if (!Array.isArray(value)) return bad(type);
    return value.flatMap((v, i) => check(v, type.slice(0, -2), `${path}[${i}]`));
  }
  const alias = /^\w+$/.test(type) && new RegExp(`export type ${type} = ([^;]+);`).exec(SRC);
  if (alias && !objectType(type)) return check(value, alias[1], path);
  const o = objectType(type);
  if (!o) return [`${path}: cannot read type ${type}`];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return bad(type);
  const out = [];
  for (const [k, f] of o.fields) {
    if (!(k in value)) {
      if (!f.optional) out.push(`${path}.${k}: missing (declared ${f.type})`);
      continue;
    }
    out.push(...check(value[k], f.type, `${path}.${k}`));
  }
  if (!o.open) for (const k of Object.keys(value)) if (!o.fields.has(k)) out.push(`${path}.${k}: not declared`);
  return out;
}

/** eventTypes returns SessionEventMap: event name → detail type text. */
export function eventTypes() {
  const out = new Map();
  for (const [k, f] of dtsFields(dtsBlock('SessionEventMap'))) {
    const m = /^CustomEvent<([\s\S]+)>$/.exec(f.type);
    if (!m) throw new Error(`SessionEventMap.${k}: ${f.type} is not CustomEvent<…>`);
    out.set(k, m[1].trim());
  }
  return out;
}
