// update.mjs measures one JS→WASM playhead update under Node: the
// ak_update export (numbers in, status out) against a js.FuncOf method of
// the same session object, the door availkit.js keeps for rare calls.
// Usage: node bench/update.mjs  (after ./build.sh); prints FIGURE lines.
import fs from 'node:fs';
import { AvailKit } from '../dist/availkit.js';

const wasmBytes = fs.readFileSync(new URL('../dist/availkit.wasm', import.meta.url));
const tracking = fs.readFileSync(new URL('../tests/node/testdata/vod.json', import.meta.url), 'utf8');

const kit = await AvailKit.load({ wasmBytes });
const fetch = async () => ({ status: 200, text: async () => tracking, headers: new Map() });
const session = await kit.createSession({
  manifestUrl: 'http://cdn.test/m.m3u8', trackingUrl: 'http://mt.test/v1/tracking/a/o/s-1',
  fetch, sendBeacon: async () => {}, log: () => {},
});
session.manifestLoaded({ live: false, duration: 60 });
await new Promise((resolve) => session.addEventListener('trackingupdate', resolve, { once: true }));

const { ak_update: update } = kit._exports;
const h = session._handle;
const RENDERED = 32;
const t0 = Date.now();

// Steady state: playing content between the pre-roll (ends 6 s) and the
// mid-roll notice (25 s), at 1x, so no beacon is due.
function batchUpdate(n) {
  const start = process.hrtime.bigint();
  let st = 0;
  for (let i = 0; i < n; i++) {
    const ph = 8 + i * (10 / n);
    st |= update(h, ph, t0 + ph * 1000, RENDERED);
  }
  const ns = Number(process.hrtime.bigint() - start) / n;
  if (st & 1) throw new Error('a beacon was due in the steady-state range');
  return ns;
}

const obj = session._obj;
function batchFuncOf(n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) obj.contentTime(8 + i * (10 / n));
  return Number(process.hrtime.bigint() - start) / n;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
batchUpdate(100000); // warm up (tier-up of the JS loop and the wasm code)
const upd = Array.from({ length: 41 }, () => batchUpdate(20000));
batchFuncOf(500);
const fo = Array.from({ length: 21 }, () => batchFuncOf(500));
session.destroy();

console.log(`FIGURE js_update_call_node_median ${median(upd).toFixed(1)} ns`);
console.log(`FIGURE js_funcof_call_node_median ${median(fo).toFixed(0)} ns`);
process.exit(0);
