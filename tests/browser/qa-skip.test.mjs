// The QA page's on-screen column where the player skips media: hls.js
// buffers the emulator's fMP4 B-frame media (media=bf) with a hole at each
// discontinuity and seeks over it after a stall (docs/onscreen.md), so the
// first frames of the next ad or of the content are never presented. The
// beacons of those times are measured against the first frame shown after
// the jump and marked "↷", not left "—" (web/qa/framematch.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedRig } from './harness.mjs';

const rig = sharedRig();

const BOUNDARY = new Set(['breakStart', 'impression', 'start', 'complete', 'breakEnd']);

// boundaries reads an independent record of every presented frame (one
// entry per callback, in order) into its runs: the first frame read of
// each asset run, whether frames before it were skipped (an ad or the
// content after the pre-roll starts at frame 0), and whether the read is
// clean: read in the callback after the previous frame's, with no frame
// presented between (or the load's first frame), and that previous frame's
// pixels agreeing with its media time. Only a clean read tells what the
// viewer saw across the boundary.
function boundaries(reads) {
  const out = [];
  for (let i = 0; i < reads.length; i++) {
    const e = reads[i];
    const p = reads[i - 1];
    if (p && p.asset === e.asset && e.frame >= p.frame) continue;
    const pp = reads[i - 2];
    const agrees = !p || !pp || pp.asset !== p.asset || Math.abs((p.frame - pp.frame) / 30 - (p.mediaTime - pp.mediaTime)) < 1 / 60;
    const clean = p ? e.seq === p.seq + 1 && e.presented === p.presented + 1 && agrees : e.presented === 1;
    out.push({ name: `${e.asset}#${e.frame}`, at: e.at, skipped: e.frame > 0, clean, after: p ? `${p.asset}#${p.frame}` : '' });
  }
  return out;
}

test('hls.js on the fMP4 B-frame media: beacons whose frame was jumped over are measured against the frame after the jump', async () => {
  const context = await rig.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${rig.emu.base}/index.html?format=hls&kind=vod&player=hls&media=bf&rate=2`); // 2×: the holes are in the media, whatever the rate
    // Every frame the element presents, read by a reader of its own from
    // before the first one (the load's first frame is a boundary too).
    await page.waitForSelector('#start');
    await page.evaluate(async () => {
      const { record } = await import('/dist/qa/framecode.js');
      window.__reads = [];
      record(document.getElementById('video'), {
        onFrame: (e) => {
          if (e.code) window.__reads.push({ asset: e.asset, frame: e.frame, mediaTime: e.mediaTime, presented: e.presented, seq: e.seq, at: e.at });
        },
      });
    });
    await page.click('#start');
    await page.waitForFunction(() => window.__qa, null, { timeout: 30000 });
    // The pre-roll (ads at 0 and 6, content at 14), once its boundary rows
    // have their frame or have given up on it.
    const rows = await page.waitForFunction(() => {
      const r = window.__qa.beacons.rows.filter((x) => x.scheduledTime >= 0 && x.scheduledTime <= 14);
      return r.some((x) => x.eventType === 'breakEnd') && r.every((x) => x.onScreenText !== '…') && r;
    }, null, { timeout: 60000, polling: 100 }).then((h) => h.jsonValue());
    const reads = await page.evaluate(() => window.__reads);
    const times = [...new Set(rows.filter((r) => BOUNDARY.has(r.eventType)).map((r) => r.scheduledTime))].sort((a, b) => a - b);
    const runs = boundaries(reads).slice(0, times.length);
    assert.equal(runs.length, times.length, `runs ${JSON.stringify(runs)} for boundaries ${times}`);
    const describe = rows.map((r) => `${r.eventType}@${r.scheduledTime} ${r.onScreenText} ${r.onScreenFrame}`).join('; ');
    let judged = 0;
    for (const [k, t] of times.entries()) {
      const run = runs[k];
      const at = rows.filter((r) => r.scheduledTime === t && BOUNDARY.has(r.eventType));
      // A callback missed around the boundary: nobody knows what was shown.
      if (!run.clean) continue;
      for (const r of at) {
        const what = `${r.eventType}@${t} (${run.after} → ${run.name}): ${r.onScreenText} ${r.onScreenFrame}`;
        assert.equal(r.onScreenFrame, run.name, what);
        assert.ok(Math.abs(r.firedAt - run.at - r.onScreenMs) <= 1, `${what}: frame shown at ${run.at}, sent at ${r.firedAt}`);
        if (run.skipped) {
          assert.match(r.onScreenText, /^↷ ([+−][1-9]\d*|0) ms$/, what);
          assert.ok(r.onScreenJump > 0, what);
          judged++;
        } else {
          assert.match(r.onScreenText, /^([+−][1-9]\d*|0) ms$/, what);
        }
      }
    }
    // hls.js skips media at every boundary of this media; a loaded machine
    // may miss callbacks at some, not at all three.
    assert.ok(judged > 0, `no boundary with a skip read cleanly: ${JSON.stringify(runs)}; ${describe}`);
    const sum = await page.textContent('#beacon-sum');
    assert.match(sum, /\(\d+ against the frame after a skip: ↷\)/, sum);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
