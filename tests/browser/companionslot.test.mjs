// companionslot.test.mjs: a companion slot keeps its declared size for the
// whole session, so the page below it never moves when a companion comes,
// goes, or the next ad has none (README: companion slots). The slot is the
// README's, unstyled: a slot="companion" child of <availkit-player> with
// data-width/data-height, or a Session API host's companionSlots element
// with width/height. The VOD session's pre-roll plays an ad with a 300×250
// companion for the slot, then an ad without companions. Before the fix the
// slot was 0 px high until the companion came, 250 px while it showed, and
// 0 px again when the next ad started: the paragraph below jumped 250 px
// each time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedRig, openPage, waitFor } from './harness.mjs';

const rig = sharedRig();

for (const how of ['element', 'api']) {
  test(`${how}: the page below the companion slot does not move as ads change`, async () => {
    const context = await rig.browser.newContext({ viewport: { width: 900, height: 900 } });
    try {
      const page = await openPage(context, rig.emu.base, 'companionslot.html');
      await page.evaluate((h) => window.slotpage.start({ how: h }), how);
      // Through the pre-roll: its first ad with a companion, the second
      // without, the break's end.
      const log = await waitFor(async () => {
        const l = await page.evaluate(() => window.slotpage.log());
        return l.some((e) => e.type === 'adbreakend') ? l : null;
      }, { timeout: 60000, what: 'the pre-roll to end' });
      const shown = log.find((e) => e.type === 'companion');
      assert.ok(shown && shown.children === 1, `the first ad's companion is drawn in the slot: ${JSON.stringify(shown)}`);
      const starts = log.filter((e) => e.type === 'adstart');
      assert.equal(starts.length, 2, 'two ads in the pre-roll');
      assert.ok(starts[0].companions > 0 && starts[1].companions === 0, 'the second ad has no companion');
      const after2 = starts[1];
      assert.equal(after2.children, 0, 'the companion left with its ad');
      // Every box, from the session's start to the break's end, against the
      // one with the companion on screen.
      const moved = log.filter((e) => Math.abs(e.below.top - shown.below.top) > 0.5 || Math.abs(e.slot.height - shown.slot.height) > 0.5)
        .map((e) => `${e.type} ${e.adId}: slot ${e.slot.height} px high, text below at ${e.below.top} (with the companion: ${shown.slot.height}, ${shown.below.top})`);
      assert.deepEqual(moved, [], 'layout shift around the companion slot');
      assert.equal(shown.slot.height, 250, 'the slot keeps its declared height');
      await page.evaluate(() => window.slotpage.stop());
      // Destroyed, the session hands the slot back as it found it.
      assert.deepEqual(await page.evaluate(() => window.slotpage.inline()), { minWidth: '', minHeight: '' });
      assert.deepEqual(page.errors, []);
    } finally {
      await context.close();
    }
  });
}
