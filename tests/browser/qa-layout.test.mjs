// The QA page's player box and avail timeline as a new user reads them:
// one seek bar (the overlay's, no native controls) with the page's own
// play and mute buttons; axis labels inside the timeline; a pre-roll's
// first-frame mark never at a negative session time; a link's note read
// whole; the Inspect panel's empty tables saying so on a whole line.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, launchBrowser, waitFor } from './harness.mjs';

let emu;
let browser;

before(async () => {
  emu = await startEmulator();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await emu?.stop();
});

async function openQA(query, width = 1440) {
  const context = await browser.newContext({ viewport: { width, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${emu.base}/index.html?${query}`);
  return { page, errors, close: () => context.close() };
}

test('QA player: one seek bar (the overlay\'s), play/pause and mute buttons', async () => {
  const { page, errors, close } = await openQA('format=hls&kind=vod&player=hls&autostart=1');
  try {
    await page.waitForSelector('#adui .ak-bar', { state: 'visible', timeout: 20000 });
    const bars = await page.evaluate(() => {
      const v = document.getElementById('video');
      return { nativeControls: v.controls, sliders: document.querySelectorAll('.p-player [role=slider]').length };
    });
    assert.deepEqual(bars, { nativeControls: false, sliders: 1 });
    // The overlay takes the whole stage: no strip left for native controls.
    const [stage, ui] = await page.$$eval('#stage, #adui', (els) => els.map((e) => e.getBoundingClientRect().bottom));
    assert.equal(ui, stage);

    // The labels follow the media element's play, pause and volumechange
    // events, which come a task after the state changes: wait for the
    // state and its label together.
    const shows = (paused, label) => page.waitForFunction(([p, l]) => document.getElementById('video').paused === p &&
      document.getElementById('tr-play').textContent === l, [paused, label], { timeout: 5000 });
    await page.waitForFunction(() => !document.getElementById('video').paused, null, { timeout: 20000 });
    await shows(false, 'Pause');
    await page.click('#tr-play');
    await shows(true, 'Play');
    await page.click('#tr-play');
    await shows(false, 'Pause');

    assert.equal(await page.textContent('#tr-mute'), 'Unmute');
    await page.click('#tr-mute');
    await page.waitForFunction(() => !document.getElementById('video').muted &&
      document.getElementById('tr-mute').textContent === 'Mute', null, { timeout: 5000 });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('QA timeline: axis labels stay inside the axis, 0:00 included', async () => {
  for (const width of [1440, 390]) {
    const { page, errors, close } = await openQA('format=hls&kind=vod&player=hls&autostart=1', width);
    try {
      // The axis spans the VOD duration once the player knows it.
      await page.waitForFunction(() => /\/ \d+:\d\d/.test(document.getElementById('tl-clock').textContent), null, { timeout: 20000 });
      const { axis, labels } = await page.evaluate(() => {
        const a = document.getElementById('tl-axis').getBoundingClientRect();
        return { axis: [a.left, a.right],
          labels: [...document.querySelectorAll('#tl-axis span')].map((s) => { const r = s.getBoundingClientRect(); return [s.textContent, r.left, r.right]; }) };
      });
      assert.equal(labels[0][0], '0:00');
      for (const [text, left, right] of labels) {
        assert.ok(left >= axis[0] - 0.5 && right <= axis[1] + 0.5, `${width} px: label ${text} [${left}, ${right}] outside the axis [${axis}]`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
});

test('QA timeline: a pre-roll first frame read just below 0 marks session 0', async () => {
  const { page, errors, close } = await openQA('');
  try {
    // The timeline module on its own, fed what onscreen.js reports for an
    // MPEG-TS pre-roll under hls.js: the clock read −0.012 s at its first frame.
    const title = await page.evaluate(async () => {
      const { createTimeline } = await import('/dist/qa/timeline.js');
      const box = document.createElement('div');
      box.innerHTML = '<div class="tl-track"><div class="tl-avails"></div><div class="tl-head-line"></div></div><div class="tl-axis"></div><span></span>';
      document.body.append(box);
      const q = (s) => box.querySelector(s);
      const tl = createTimeline({ track: q('.tl-track'), avails: q('.tl-avails'), playhead: q('.tl-head-line'), axis: q('.tl-axis'), clock: q('span') });
      tl.setTracking({ avails: [{ availId: '0', startTimeInSeconds: 0, durationInSeconds: 14, ads: [{ adId: '0', startTimeInSeconds: 0, durationInSeconds: 6, trackingEvents: [] }] }] });
      tl.setFirstFrames([{ adId: '0', start: 0, session: -0.012, asset: 'ad-b', frame: 0 }]);
      tl.setPlayhead(0.5, 97);
      return q('.tl-ff').title;
    });
    assert.match(title, /on screen at session 0\.000 s, 0 ms after its tracking start 0\.000 s/);
    assert.doesNotMatch(title, /[-−]\d/, 'no negative number');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('QA header: opening Endpoint adds one row of fields under the controls; neither it nor the status moves a control', async () => {
  for (const width of [1280, 1024]) {
    const { page, errors, close } = await openQA('', width);
    try {
      // Where each control of the header sits, and the header's height.
      const layout = () => page.evaluate(() => {
        const box = (el) => {
          const r = el.getBoundingClientRect();
          return { left: Math.round(r.left), top: Math.round(r.top), right: Math.round(r.right), bottom: Math.round(r.bottom) };
        };
        const head = document.querySelector('.qa-head');
        const controls = [...document.querySelectorAll('.qa-title, #setup > :not(#endpoint-box)')];
        // A caption that wraps has client rects on more than one line.
        const lines = (el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        };
        const fields = [...document.querySelectorAll('#endpoint-box label')].map((l) => ({
          caption: l.firstElementChild.textContent, lines: lines(l.firstElementChild), input: box(l.querySelector('input')) }));
        return { head: box(head), controls: controls.map((c) => [c.id || c.className, box(c)]), fields,
          overflow: document.documentElement.scrollWidth > innerWidth };
      });
      const closed = await layout();
      await page.click('#endpoint-toggle');
      assert.equal(await page.getAttribute('#endpoint-toggle', 'aria-expanded'), 'true');
      const open = await layout();
      assert.deepEqual(open.controls, closed.controls, `${width} px: a control moved when Endpoint opened`);
      const lowest = Math.max(...open.controls.map(([, b]) => b.bottom));
      const rowTop = open.fields[0].input.top;
      for (const f of open.fields) {
        assert.equal(f.lines, 1, `${width} px: "${f.caption}" wraps`);
        assert.ok(f.input.top > lowest, `${width} px: ${f.caption} sits among the controls`);
        assert.equal(f.input.top, rowTop, `${width} px: ${f.caption} is not in the fields' row`);
        assert.ok(f.input.right - f.input.left >= 220, `${width} px: ${f.caption} is ${f.input.right - f.input.left} px wide`);
        assert.ok(f.input.bottom <= open.head.bottom, `${width} px: ${f.caption} hangs out of the header`);
      }
      assert.ok(open.head.bottom - closed.head.bottom <= 70, `${width} px: the header grew ${open.head.bottom - closed.head.bottom} px for one row`);
      assert.equal(open.overflow, false, `${width} px: the page scrolls sideways`);

      // A refused endpoint (no manifest URL): the reason under the fields, a
      // longer status; the controls stay where they were.
      await page.fill('input[name="trackingUrl"]', 'https://d111.cloudfront.net/mt/track/s1');
      await page.click('#start');
      await page.waitForFunction(() => document.getElementById('endpoint-err').textContent, null, { timeout: 5000 });
      assert.match(await page.textContent('#status'), /^1 error · bad endpoint/);
      const refused = await layout();
      assert.deepEqual(refused.controls, closed.controls, `${width} px: a control moved when the status changed`);
      assert.equal(refused.overflow, false, `${width} px: the page scrolls sideways`);
      // A longer one: native <video> cannot play DASH here.
      await page.fill('input[name="trackingUrl"]', '');
      await page.check('input[name="format"][value="dash"]');
      await page.selectOption('select[name="player"]', 'native');
      await page.click('#start');
      await page.waitForFunction(() => /native DASH unsupported/.test(document.getElementById('status').textContent), null, { timeout: 5000 });
      assert.deepEqual((await layout()).controls, closed.controls, `${width} px: a control moved when the status changed`);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
});

test('QA header: a link\'s setting the page cannot honour (DASH with media=ts) is said in full, before and during the run', async () => {
  for (const width of [1440, 1280, 1024, 390]) {
    const { page, errors, close } = await openQA('format=dash&media=ts', width);
    try {
      // Every line of the note on screen, nothing of it cut or under a control.
      const read = () => page.evaluate(() => {
        const head = document.querySelector('.qa-head');
        const visible = [...head.querySelectorAll('*')].filter((el) => el.checkVisibility() && /media=ts is HLS only/.test(el.textContent) &&
          ![...el.children].some((c) => /media=ts is HLS only/.test(c.textContent)));
        const el = visible[0];
        if (!el) return { text: '' };
        const r = el.getBoundingClientRect();
        const hit = (o) => { const b = o.getBoundingClientRect(); return b.width && b.height && b.left < r.right && r.left < b.right && b.top < r.bottom && r.top < b.bottom; };
        const others = [...document.querySelectorAll('.qa-title, #setup > :not(#endpoint-box), #status')].filter((o) => !o.contains(el) && !el.contains(o));
        return {
          text: el.textContent, cut: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
          inside: r.left >= 0 && r.right <= innerWidth && r.top >= 0, covers: others.filter(hit).map((o) => o.id || o.className),
          pillCut: (() => { const p = document.getElementById('status'); return p.scrollWidth > p.clientWidth + 1; })(),
        };
      });
      for (const when of ['before Start', 'while it plays']) {
        if (when !== 'before Start') {
          await page.click('#start');
          await page.waitForFunction(() => /DASH vod · dash/.test(document.getElementById('status').textContent), null, { timeout: 20000 });
        }
        const n = await read();
        assert.match(n.text, /media=ts is HLS only: DASH plays the default media \(bf has B-frames on DASH\)/, `${width} px ${when}: note "${n.text}"`);
        assert.equal(n.cut, false, `${width} px ${when}: the note is cut`);
        assert.equal(n.inside, true, `${width} px ${when}: the note runs off the page`);
        assert.deepEqual(n.covers, [], `${width} px ${when}: the note overlaps the header's controls`);
        assert.equal(n.pillCut, false, `${width} px ${when}: the status pill is cut`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
});

test('QA Inspect: before anything is inspected, each table says so on a whole line under its one-line header', async () => {
  const { page, errors, close } = await openQA('');
  try {
    const boxes = await page.$$eval('.p-inspect .insp-scroll', (els) => els.map((box) => {
      const head = box.querySelector('thead').getBoundingClientRect();
      const after = getComputedStyle(box.querySelector('tbody'), '::after').content;
      const thLines = [...box.querySelectorAll('th')].map((th) => Math.round(th.getBoundingClientRect().height));
      return { after, room: box.clientHeight - head.height, cut: box.scrollHeight > box.clientHeight, thLines };
    }));
    assert.equal(boxes.length, 2);
    for (const b of boxes) {
      assert.equal(b.after, '"nothing inspected yet"');
      // The line sits 30 px below the box's top (.grid tbody:empty::after).
      assert.ok(b.room >= 20 && !b.cut, `empty line cut: ${JSON.stringify(b)}`);
      assert.equal(new Set(b.thLines).size, 1, `a header wraps: ${b.thLines}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('QA header: a select with short names shows its choice whole ("MPEG-TS (B-frames)", "native <video>"); only Scenario is capped', async () => {
  for (const width of [1280, 1440]) {
    const { page, errors, close } = await openQA('', width);
    try {
      const cut = await page.evaluate(() => {
        const out = [];
        for (const s of document.querySelectorAll('.qa-setup select')) {
          if (s.name === 'scenario') continue; // long creative names: capped on purpose, the open list shows them whole
          // The width the select takes uncapped: its longest option's.
          const c = s.cloneNode(true);
          c.style.maxWidth = 'none';
          s.after(c);
          const natural = c.getBoundingClientRect().width;
          c.remove();
          const w = s.getBoundingClientRect().width;
          if (w < natural - 0.5) out.push(`${s.name}: ${w} px of ${natural}`);
        }
        return out;
      });
      assert.deepEqual(cut, [], `${width} px: selects cut their option text`);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > innerWidth), false, `${width} px: the page scrolls sideways`);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
});
