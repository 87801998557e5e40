// The QA demo page (index.html) as a tester uses it, against the emulator:
// the beacon log's collector and on-screen columns (on the MPEG-TS media
// with B-frames), the event log's snapback line, the timeline after a break
// and on a DASH live clock, the live beacon times, the countdown over a
// VPAID unit, a clear refusal when native <video> cannot play the
// chosen format, and the media selector's variants per format.

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

async function openQA(query) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${emu.base}/index.html?${query}`);
  return { page, errors, close: () => context.close() };
}

const eventLines = (page, type) => page.$$eval(`#events li[data-type="${type}"]`, (els) => els.map((li) => li.textContent));

// onScreenProblems checks the on-screen column of the pre-roll's rows
// against an independent reader of the same presented frames (seen: frame
// 'asset#n' → {at: display time, mt: media time}; a busy page may draw a
// later frame than the callback reports, so only reads whose frame number
// agrees with their media time count): each value names the first presented frame at
// the beacon's point of the ad (the ad's first frame for impression, start
// and breakStart, frame k·duration/4 for quartiles and progress, a frame of
// what follows for complete and breakEnd; a loaded machine drops frames, so
// it may be later, but no frame the reader saw may lie between), and is the
// request's send time minus that frame's display time.
function onScreenProblems(rows, reads) {
  const problems = [];
  const parse = (f) => /^(.+)#(\d+)$/.exec(f).slice(1).map((x, i) => (i ? Number(x) : x));
  // Per asset, frame/30 − media time is constant for reads of the right frame.
  const offsets = new Map();
  for (const [k, v] of Object.entries(reads)) {
    const [a, n] = parse(k);
    if (!offsets.has(a)) offsets.set(a, []);
    offsets.get(a).push(n / 30 - v.mt);
  }
  const median = new Map([...offsets].map(([a, xs]) => [a, xs.sort((x, y) => x - y)[xs.length >> 1]]));
  const seen = Object.fromEntries(Object.entries(reads).filter(([k, v]) => {
    const [a, n] = parse(k);
    return Math.abs(n / 30 - v.mt - median.get(a)) < 1 / 60;
  }).map(([k, v]) => [k, v.at]));
  const first = new Map(); // adId → its first frame
  for (const r of rows) if (r.eventType === 'impression' && r.onScreenFrame) first.set(r.adId, r.onScreenFrame);
  const starts = new Map(rows.filter((r) => r.eventType === 'impression').map((r) => [r.adId, r.scheduledTime]));
  // between: frames of asset the reader saw in [lo, hi).
  const between = (asset, lo, hi) => Object.keys(seen).filter((k) => {
    const [a, n] = parse(k);
    return a === asset && n >= lo && n < hi;
  });
  for (const r of rows) {
    if (!r.onScreenFrame) continue;
    const [asset, n] = parse(r.onScreenFrame);
    const what = `${r.eventType}@${r.scheduledTime} ${r.onScreenText} (${r.onScreenFrame})`;
    let due = NaN;
    if (r.eventType === 'breakStart' || r.eventType === 'impression' || r.eventType === 'start') due = 0;
    else if (r.eventType !== 'complete' && r.eventType !== 'breakEnd' && starts.has(r.adId)) due = Math.round((r.scheduledTime - starts.get(r.adId)) * 30);
    if (Number.isFinite(due)) {
      if (!asset.startsWith('ad-') || n < due) problems.push(`${what}: want ad frame ${due} or the first presented after it`);
      else if (between(asset, due, n).length) problems.push(`${what}: ${between(asset, due, n)} was presented first`);
    } else if (r.eventType === 'complete' || r.eventType === 'breakEnd') {
      const [a0] = first.get(r.adId) ? parse(first.get(r.adId)) : [''];
      if (asset === a0 && n > 4) problems.push(`${what}: still a frame of the ad`);
    }
    const at = seen[r.onScreenFrame];
    if (at !== undefined && Math.abs(r.firedAt - at - r.onScreenMs) > 1) problems.push(`${what}: frame shown at ${at}, beacon sent at ${r.firedAt}`);
    // ↷: the player skipped the beacon's own frame (hls.js starts the TS
    // pre-roll at its frame 3), and the value is against the frame after.
    if (!/^(↷ )?([+−][1-9]\d*|0) ms$/.test(r.onScreenText)) problems.push(`${what}: cell text`);
  }
  return problems;
}

test('HLS VOD on the TS media: collector and on-screen columns, first-frame marks, snapback line, watched break', async () => {
  // At 1×: faster, the player submits frames the screen never shows and the
  // frame reader cannot tell which were seen, so it leaves most rows "—".
  const { page, errors, close } = await openQA('format=hls&kind=vod&player=hls&media=ts&rate=1&autostart=1');
  try {
    assert.equal(await page.$eval('select[name="media"]', (s) => s.value), 'ts');
    // An independent reader of the presented frames: frame → display time.
    await page.evaluate(async () => {
      const { record } = await import('/dist/qa/framecode.js');
      window.__seen = {};
      record(document.getElementById('video'), { onFrame: (e) => { if (e.code) window.__seen[`${e.asset}#${e.frame}`] ??= { at: e.at, mt: e.mediaTime }; } });
    });
    // The pre-roll's end is its breakEnd beacon, and the log shows one
    // break end for it: hls.js on MPEG-TS steps its clock back below 0 at
    // startup (−0.067 s after 0.04 s), which once ended the break there
    // and started it again.
    await page.waitForFunction(() => window.__qa && window.__qa.beacons.rows.some((r) => r.eventType === 'breakEnd' && r.scheduledTime === 14),
      null, { timeout: 45000 });
    const ends = await waitFor(async () => {
      const n = await page.$$eval('#events li[data-type="adbreakend"]', (els) => els.length);
      return n >= 1 ? n : null;
    }, { timeout: 5000, what: 'the pre-roll adbreakend in the log' });
    assert.equal(ends, 1, 'one adbreakend for the pre-roll (no false break end at startup)');

    // Every pre-roll beacon reaches the collector, and the time it took can
    // only be positive: it is counted from when the request left the page.
    // The mid-roll (24 s) may have begun: its newest rows can still be on their way.
    const rows = await waitFor(async () => {
      const r = await page.evaluate(() => window.__qa.beacons.rows);
      const pre = r.filter((x) => x.scheduledTime <= 14);
      return pre.length >= 8 && pre.every((x) => x.status === 'received') ? r : null;
    }, { timeout: 10000, what: 'pre-roll beacons at the collector' });
    // Rows fired after the snapshot (the mid-roll's) are not judged.
    const cells = await page.$$eval('#beacons tbody tr', (trs) => trs.map((tr) => tr.cells[7].textContent));
    for (const [i, c] of cells.entries()) {
      if (rows[i]?.status !== 'received') continue;
      assert.match(c, /^\d+$/, `row ${i + 1} (${rows[i].eventType}) collector ms = ${c}`);
    }

    // On screen: the pre-roll's beacons against the frames they describe,
    // once none awaits its frame any more. On a loaded machine the page
    // misses frame callbacks (a frame shown unseen may be the one a beacon
    // describes) and draws later frames than presented: those rows say "—"
    // rather than a wrong number, so the bar is some rows, every value right.
    const pre = await waitFor(async () => {
      const r = (await page.evaluate(() => window.__qa.beacons.rows)).filter((x) => x.scheduledTime >= 0 && x.scheduledTime <= 14);
      return r.every((x) => x.onScreenText !== '…') ? r : null;
    }, { timeout: 10000, what: 'every pre-roll beacon measured or given up' });
    const seen = await page.evaluate(() => window.__seen);
    const measured = pre.filter((r) => r.onScreenFrame);
    assert.ok(measured.length >= 3 && measured.some((r) => /Quartile|midpoint|progress/.test(r.eventType)),
      `on-screen values for ${measured.length} of ${pre.length} pre-roll beacons: ${pre.map((r) => `${r.eventType} ${r.onScreenText}`)}`);
    assert.ok(pre.every((r) => r.onScreenFrame || r.onScreenText === '—'), 'a row has a value or "—"');
    // The summary's early count covers the measured rows only, and says how
    // many it left out.
    const [sumText, dashes] = await page.evaluate(() => [document.getElementById('beacon-sum').textContent,
      window.__qa.beacons.rows.filter((r) => r.onScreenText === '—').length]);
    if (dashes) assert.ok(sumText.includes(`(${dashes} not measured: —)`), sumText);
    else assert.ok(!sumText.includes('not measured'), sumText);
    assert.deepEqual(onScreenProblems(pre, seen), []);
    // A beacon that left more than 20 ms before its frame is marked; one
    // sent just ahead (the plugin's 8 ms lead) is not.
    const tones = await page.$$eval('#beacons tbody tr', (trs) => trs.map((tr) => [tr.cells[6].textContent, tr.cells[6].dataset.tone]));
    for (const [text, tone] of tones) {
      const ms = /^(↷ )?[−+]?\d+ ms$/.test(text) ? Number(text.replace('↷ ', '').replace('−', '-').replace(' ms', '')) : NaN;
      if (ms < -20) assert.equal(tone, 'bad', text);
      else if (ms <= 50) assert.equal(tone, 'ok', text);
    }
    // The timeline marks where each measured ad's first frame appeared.
    const marks = await page.$$eval('.tl-ff', (els) => els.map((e) => [e.dataset.adId, e.title]));
    for (const r of measured.filter((x) => x.eventType === 'impression')) {
      assert.ok(marks.some(([id, title]) => id === r.adId && title.includes(r.onScreenFrame)), `no first-frame mark for ad ${r.adId}: ${JSON.stringify(marks)}`);
    }

    // The watched pre-roll steps back on the timeline.
    await waitFor(() => page.$$eval('.tl-ad[data-watched]', (els) => els.length >= 2), { timeout: 5000, what: 'watched ads' });

    // Seeking past the unwatched mid-roll snaps back; the log says from where, to where, and where play resumes.
    const target = await page.evaluate(() => {
      const s = window.__qa.session;
      const to = s.duration - 10;
      s.seek(to);
      return to;
    });
    await page.waitForFunction(() => document.querySelector('#events li[data-type="snapback"]'), null, { timeout: 10000 });
    const [line] = await eventLines(page, 'snapback');
    const num = (k) => Number(new RegExp(`${k}=([\\d.]+)`).exec(line)?.[1]);
    assert.ok(Number.isFinite(num('from')), line);
    assert.equal(num('to'), 24, line);
    assert.ok(Math.abs(num('resumeAt') - target) < 0.01, `${line} vs target ${target}`);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('DASH live: timeline axis, clock and beacon log read as time since start and UTC', async () => {
  const { page, errors, close } = await openQA('format=dash&kind=live&player=dash&autostart=1');
  try {
    await page.waitForFunction(() => /since start/.test(document.getElementById('tl-clock').textContent), null, { timeout: 20000 });
    const labels = await page.$$eval('#tl-axis span', (els) => els.map((e) => e.textContent));
    assert.ok(labels.length >= 3, `labels: ${labels}`);
    for (const l of labels) assert.match(l, /^−?\d{1,2}:\d{2}$/, `axis label ${l}`);
    // The session clock counts seconds since MPD@availabilityStartTime; the
    // page shows the wall-clock time it stands for.
    const clock = await page.textContent('#tl-clock');
    const wall = /(\d\d):(\d\d):(\d\d) UTC/.exec(clock);
    assert.ok(wall, clock);
    const now = new Date();
    const skew = Math.abs((+wall[1] * 3600 + +wall[2] * 60 + +wall[3]) -
      (now.getUTCHours() * 3600 + now.getUTCMinutes() * 60 + now.getUTCSeconds()));
    assert.ok(Math.min(skew, 86400 - skew) < 60, `${clock} is not near ${now.toISOString()}`);

    // The beacon log reads live times the same way: time since start and
    // UTC, not seconds since availabilityStartTime. The channel's first
    // break may be a minute away, so the log is handed a beacon detail as
    // the core writes it, due now on this session's clock.
    const raw = await page.evaluate(() => {
      const t = window.__qa.session.currentTime;
      window.__qa.beacons.fired('beacon', { eventType: 'impression', url: `${location.origin}/beacon/x/impression`, scheduledTime: t - 0.02,
        playhead: t, availId: '1', adId: '1_1', eventId: '1', firedBy: 'player', firedAt: performance.timeOrigin + performance.now() }, Date.now());
      return t;
    });
    assert.ok(raw > 1e6, `a DASH live session clock counts from availabilityStartTime: ${raw}`);
    const [sched, head] = await page.$eval('#beacons tbody tr:last-child', (tr) => [3, 4].map((i) => [tr.cells[i].firstChild.textContent, tr.cells[i].querySelector('small')?.textContent]));
    for (const [main, utc] of [sched, head]) {
      assert.match(main, /^\d+:\d{2}\.\d{3}$/, `since start: ${main}`);
      const m = /^(\d\d):(\d\d):(\d\d)\.\d{3} UTC$/.exec(utc || '');
      assert.ok(m, `UTC: ${utc}`);
      const d = Math.abs((+m[1] * 3600 + +m[2] * 60 + +m[3]) - (now.getUTCHours() * 3600 + now.getUTCMinutes() * 60 + now.getUTCSeconds()));
      assert.ok(Math.min(d, 86400 - d) < 120, `${utc} is not near ${now.toISOString()}`);
    }
    assert.equal(await page.textContent('#th-scheduled'), 'scheduled');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('VPAID ad: the countdown shows over the unit and runs on its clock', async () => {
  const { page, errors, close } = await openQA('format=hls&kind=vod&player=hls&scenario=vpaid&autostart=1');
  try {
    await page.waitForFunction(() => document.querySelector('.ak-vpaid-frame') && document.querySelector('#events li[data-type="vpaidstart"]'),
      null, { timeout: 20000 });
    // The content video is paused under the unit, so a countdown read from
    // the playhead would stand still.
    const read = () => page.evaluate(() => {
      const b = document.querySelector('.ak-badge');
      const r = b.getBoundingClientRect();
      // The overlay lets pointer events through to the unit; hit-test the
      // badge as if it took them, to learn what is painted on top there.
      b.style.pointerEvents = 'auto';
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      b.style.pointerEvents = '';
      return { text: b.textContent, onTop: !!hit && b.contains(hit), seconds: Number(/(\d+):(\d\d)$/.exec(b.textContent)?.slice(1).reduce((m, s) => m * 60 + +s, 0)) };
    });
    await waitFor(async () => (await read()).seconds > 0, { timeout: 5000, what: 'a VPAID countdown' });
    const a = await read();
    await page.waitForTimeout(2200);
    const b = await read();
    assert.ok(a.onTop && b.onTop, `badge hidden under the VPAID frame: ${JSON.stringify([a, b])}`);
    assert.ok(b.seconds <= a.seconds - 1, `countdown stood still: ${a.text} → ${b.text}`);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a link naming only the format plays it with its player, and the address bar carries the run', async () => {
  // ?format=dash alone kept the player on hls.js, which was handed the MPD;
  // choices made in the form never showed in the address bar.
  const { page, errors, close } = await openQA('format=dash&autostart=1');
  try {
    await page.waitForFunction(() => /DASH vod · dash/.test(document.getElementById('status').textContent), null, { timeout: 20000 });
    assert.equal(await page.$eval('select[name="player"]', (s) => s.value), 'dash');
    let q = new URLSearchParams(await page.evaluate(() => location.search));
    assert.equal(q.get('format'), 'dash');
    assert.equal(q.get('player'), 'dash');
    assert.equal(q.get('kind'), null, 'defaults stay out of the link');
    await page.selectOption('select[name="noSkip"]', 'all');
    await page.click('#start');
    await page.waitForFunction(() => location.search.includes('noSkip=all'), null, { timeout: 10000 });
    q = new URLSearchParams(await page.evaluate(() => location.search));
    assert.deepEqual([q.get('format'), q.get('player'), q.get('noSkip')], ['dash', 'dash', 'all']);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('native <video> on DASH: refused up front, with the way out', async () => {
  const { page, close } = await openQA('format=dash&kind=vod&player=native&autostart=1');
  const inits = [];
  page.on('request', (r) => {
    if (r.url().includes('/v1/session/')) inits.push(r.url());
  });
  try {
    await page.waitForFunction(() => document.getElementById('status').textContent !== 'idle', null, { timeout: 10000 });
    await page.waitForTimeout(300);
    assert.match(await page.textContent('#status'), /native DASH unsupported/);
    const [line] = await eventLines(page, 'error');
    assert.match(line, /Pick dash\.js/);
    assert.deepEqual(inits, [], 'no session is created for a player that cannot play');
  } finally {
    await close();
  }
});

test('timeline keeps every ad of a live break filled over paged polls', async () => {
  const { page, close } = await openQA('');
  try {
    const drawn = await page.evaluate(async () => {
      const { createTimeline } = await import('/dist/qa/timeline.js');
      const mk = () => document.createElement('div');
      const els = { track: mk(), avails: mk(), playhead: mk(), axis: mk(), clock: mk() };
      const tl = createTimeline(els);
      tl.setLive(true);
      const ev = (eventType, t) => ({ eventType, startTimeInSeconds: t, beaconUrls: [] });
      const ad = (adId, t, d, types) => ({ adId, startTimeInSeconds: t, durationInSeconds: d, trackingEvents: types.map(([k, o]) => ev(k, t + o)) });
      // First poll: the break with its first ad; the next, paged, lists only the second ad.
      tl.setTracking({ avails: [{ availId: '100', startTimeInSeconds: 30, durationInSeconds: 32,
        ads: [ad('100', 30, 6, [['impression', 0], ['pause', 0], ['clickTracking', 0], ['complete', 6]])] }] });
      tl.setTracking({ avails: [{ availId: '100', startTimeInSeconds: 30, durationInSeconds: 32,
        ads: [ad('103', 36, 8, [['firstQuartile', 2], ['complete', 8]])] }] });
      tl.setPlayhead(31, NaN, true);
      return { ads: els.avails.querySelectorAll('.tl-ad').length, ticks: els.avails.querySelectorAll('.tl-ev').length };
    });
    // pause and clickTracking are fired by actions, not the playhead: no tick.
    assert.deepEqual(drawn, { ads: 2, ticks: 4 });
  } finally {
    await close();
  }
});

test('collector down: each failed beacon marks its own row, once', async () => {
  const ads = encodeURIComponent(JSON.stringify({ fault_beaconDown: true }));
  const { page, errors, close } = await openQA(`format=hls&kind=vod&player=hls&rate=4&autostart=1&adsParams=${ads}`);
  try {
    // The pre-roll's beacons fail after their retry (1-2 s later).
    const rows = await waitFor(async () => {
      const r = await page.evaluate(() => (window.__qa ? window.__qa.beacons.rows : []));
      return r.length >= 4 && r.filter((x) => x.status === 'error').length >= 4 ? r : null;
    }, { timeout: 30000, what: 'failed pre-roll beacons' });
    // Read together: beacons keep firing while the test looks.
    const [beaconEvents, errorEvents, now] = await page.evaluate(() => [document.querySelectorAll('#events li[data-type="beacon"]').length,
      document.querySelectorAll('#events li[data-type="beaconerror"]').length, window.__qa.beacons.rows]);
    assert.ok(errorEvents >= 4, `beaconerror events: ${errorEvents}`);
    // The fault form shows the fault the adsParams set, so Apply keeps it.
    assert.equal(await page.$eval('#faults input[name="beaconDown"]', (el) => el.checked), true, 'the form shows collector down');
    assert.ok(now.length <= beaconEvents, `one row per beacon (${now.length} rows, ${beaconEvents} beacon events): a failure is not a second row`);
    assert.ok(rows.every((x) => x.eventType && x.status), JSON.stringify(rows));
    // Read together: beacons keep arriving while the test looks.
    const [summary, n] = await page.evaluate(() => [document.getElementById('beacon-sum').textContent, window.__qa.beacons.rows.length]);
    const [, fired, , failed] = /^(\d+) fired · (\d+) at collector · \d+ early · \d+ dup · (\d+) failed/.exec(summary) || [];
    assert.ok(Number(fired) === n && Number(failed) <= Number(fired), `${summary} (${n} rows)`);
    // The pill counts the lost beacons, and their ticks on the timeline are
    // marked failed, not fired.
    const [pill, tone, failedTicks] = await page.evaluate(() => [document.getElementById('status').textContent,
      document.getElementById('status').dataset.tone, document.querySelectorAll('.tl-ev[data-failed]').length]);
    assert.match(pill, /^\d+ errors · \w+ beacon failed/, pill);
    assert.equal(tone, 'bad');
    assert.ok(failedTicks >= 1, 'failed beacons marked on the timeline');
    // The error list says where each lost beacon went, how often it was
    // tried (the core retries once) and what became of it.
    await page.click('#status');
    const lost = await page.$$eval('#errlist li', (lis) => lis.map((li) => [...li.children].map((c) => c.textContent))
      .filter(([, what]) => what.startsWith('beacon (')));
    assert.ok(lost.length >= 4, JSON.stringify(lost));
    const host = new URL(emu.base).host;
    for (const [, what, codes, text] of lost) {
      assert.match(what, /^beacon \([a-zA-Z]+\)$/, 'with its event type');
      assert.match(codes, new RegExp(`^host ${host.replace(/\./g, '\\.')} · 2 attempts · (ad|break) \\S+$`), codes);
      assert.match(text, /^lost: failed 2 times \(retried once\) — \S/, text);
    }
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('tracking polls failing, then answering again: the recovery is listed and the pill returns to normal', async () => {
  const ads = encodeURIComponent(JSON.stringify({ fault_tracking5xxRate: 1 }));
  const { page, errors, close } = await openQA(`format=hls&kind=vod&player=hls&autostart=1&adsParams=${ads}`);
  const pill = () => page.$eval('#status', (b) => [b.textContent, b.dataset.tone]);
  try {
    // The first poll and its retry (backed off 0.5-1 s) get 500s.
    await page.waitForFunction(() => window.__qa && window.__qa.status.errors.filter((e) => e.source === 'tracking').length >= 2, null, { timeout: 20000 });
    const [failing, failingTone] = await pill();
    assert.match(failing, /^\d+ errors · http \(tracking\) ▾$/, failing);
    assert.equal(failingTone, 'bad');

    // The tester lifts the fault; applying it polls at once (VOD).
    await page.fill('#faults input[name="tracking5xxRate"]', '0');
    await page.click('#faults-apply');
    await page.waitForSelector('#events li[data-type="recovered"]', { timeout: 10000 });
    const n = await page.evaluate(() => window.__qa.status.errors.length);
    assert.match(await page.textContent('#events li[data-type="recovered"]'), new RegExp(`recoveredsource=tracking errors=${n} downFor=\\d+\\.\\d{3}$`));
    const [back, tone] = await pill();
    assert.equal(back, `tracking recovered · ${n} errors ▾`);
    assert.equal(tone, 'ok', 'the pill is back to the run\'s own tone');
    assert.match(await page.textContent('#tracking-sum'), /· last 200$/);
    // The list keeps the failures, marked resolved, and ends on the recovery.
    await page.click('#status');
    const listed = await page.$$eval('#errlist li', (lis) => lis.map((li) => [li.querySelector('b').textContent, li.dataset.resolved || '', li.querySelector('p').textContent]));
    assert.equal(listed.length, n + 1);
    assert.ok(listed.slice(0, n).every(([what, resolved]) => what === 'http (tracking)' && resolved === 'true'), JSON.stringify(listed));
    assert.deepEqual(listed[n].slice(0, 2), ['tracking recovered', '']);
    assert.match(listed[n][2], new RegExp(`^tracking works again after ${n} errors in \\d+\\.\\d s$`));
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('reportingMode server: MediaTailor\'s share is marked "server", the player\'s own beacons are matched at the collector', async () => {
  const { page, errors, close } = await openQA('format=hls&kind=vod&player=hls&rate=4&reportingMode=server&autostart=1');
  try {
    assert.equal(await page.$eval('select[name="reportingMode"]', (s) => s.value), 'server');
    const rows = await waitFor(async () => {
      const r = await page.evaluate(() => (window.__qa ? window.__qa.beacons.rows : []));
      return r.some((x) => x.eventType === 'complete') ? r : null;
    }, { timeout: 60000, what: 'the first ad complete' });
    const by = (t) => rows.filter((x) => x.eventType === t).map((x) => x.status);
    for (const t of ['breakStart', 'impression', 'start', 'firstQuartile', 'complete']) {
      assert.ok(by(t).length >= 1 && by(t).every((s) => s === 'server'), `${t}: ${by(t)}`);
    }
    assert.match(await page.$eval('#beacon-sum', (e) => e.textContent), /· \d+ by the server$/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('SIMID state, verification status and icon hits per ad; the status pill counts errors and lists them all', async () => {
  const { page, errors, close } = await openQA('format=hls&kind=vod&player=hls&rate=4&scenario=simid-rejects&autostart=1');
  const rich = () => page.evaluate(() => (window.__qa ? window.__qa.rich.state : []));
  const until = (what, pick) => waitFor(async () => pick(await rich()), { timeout: 20000, what });
  // next starts another run from the form, as a tester would.
  const next = async (scenario, omid) => {
    const id = await page.evaluate(() => window.__qa.id);
    await page.selectOption('select[name="scenario"]', scenario);
    await page.selectOption('select[name="omid"]', omid);
    await page.click('#start');
    await page.waitForFunction((old) => window.__qa && window.__qa.id !== old, id, { timeout: 20000 });
  };
  try {
    // A SIMID creative that rejects its session: failed, with its codes.
    const [simid] = await until('the SIMID ad failing', (s) => s.find((a) => a.simid && a.simid.state === 'failed') && s);
    assert.match(simid.simid.error, /^VAST 902 · SIMID 1\d{3} · \S/, JSON.stringify(simid));
    assert.match(await page.textContent('#rich tbody td.rich-simid'), /^failedVAST 902/);

    // Its error, then two malformed tracking responses: three errors, all listed.
    await page.waitForFunction(() => /^1 error · ad \(ad\)/.test(document.getElementById('status').textContent), null, { timeout: 5000 });
    // Applying tracking faults on VOD (which polls once) polls at once.
    await page.check('input[name="trackingMalformed"]');
    await page.click('#faults-apply');
    await page.waitForFunction(() => document.querySelector('#events li[data-type="faults"]'), null, { timeout: 5000 });
    const badjson = () => page.evaluate(() => window.__qa.status.errors.filter((e) => e.kind === 'badjson').length);
    await waitFor(async () => (await badjson()) === 1, { timeout: 10000, what: 'a badjson error from the poll that applying faults makes' });
    await page.evaluate(() => window.__qa.session.pollNow());
    await waitFor(async () => (await badjson()) === 2, { timeout: 10000, what: 'a second badjson error' });
    const n = await page.evaluate(() => window.__qa.status.errors.length);
    assert.match(await page.textContent('#status'), new RegExp(`^${n} errors · badjson \\(tracking\\)`));
    assert.equal(await page.isVisible('#errlist'), false);
    await page.click('#status');
    const listed = await page.$$eval('#errlist li', (lis) => lis.map((li) => li.querySelector('b').textContent));
    assert.equal(listed.length, n, `${listed}`);
    assert.deepEqual([listed[0], listed[listed.length - 1]], ['ad (ad)', 'badjson (tracking)']);
    await page.keyboard.press('Escape');
    assert.equal(await page.isVisible('#errlist'), false);

    // Verifications without an OM service: not executed, REASON 2, one beacon each.
    await next('omid-broken', '');
    const [nx] = await until('verifications not executed', (s) => s.find((a) => a.verifications.length === 2 && a.verifications.every((v) => v.beacons)) && s);
    assert.deepEqual(nx.verifications.map((v) => [v.status, v.reason, v.beacons]), [['notExecuted', 2, 1], ['notExecuted', 2, 1]]);
    assert.match(await page.textContent('#rich tbody td.rich-om'), /not executed · REASON 2.*verificationNotExecuted ×1/);

    // With the QA recorder as the OM service: executed, and it receives the ad's events.
    await next('omid', 'recorder');
    const [ex] = await until('a verification executed', (s) => s.find((a) => a.verifications[0]?.status === 'executed' && a.verifications[0].omEvents >= 3) && s);
    assert.equal(ex.verifications[0].beacons, 0, 'executed: no verificationNotExecuted');

    // Icons: each view counted once, a click counted.
    await next('icons', '');
    await until('both icons viewed', (s) => s.find((a) => a.icons.length === 2 && a.icons.every((i) => i.views === 1)));
    await page.click('.ak-icon[aria-label="GoogleWhyThisAd"]');
    const [ic] = await until('an icon click', (s) => s.find((a) => a.icons.some((i) => i.clicks)) && s);
    assert.deepEqual(ic.icons.map((i) => [i.program, i.views, i.clicks]), [['AdChoices', 1, 0], ['GoogleWhyThisAd', 1, 1]]);
    assert.match(await page.textContent('#rich tbody td.rich-icons'), /GoogleWhyThisAdviews 1 · clicks 1/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('media selector: bf (fMP4 with B-frames) plays on HLS and DASH, ts on HLS only', async () => {
  const cases = [
    { query: 'format=hls&media=bf', want: 'bf', tsOff: false },
    { query: 'format=dash&media=bf', want: 'bf', tsOff: true },
    { query: 'format=dash&media=ts', want: '', tsOff: true, note: /media=ts is HLS only/ },
    { query: 'format=hls&media=ts', want: 'ts', tsOff: false },
  ];
  for (const c of cases) {
    const { page, errors, close } = await openQA(c.query);
    try {
      await page.waitForFunction(() => document.querySelector('select[name="media"]'));
      const got = await page.$eval('select[name="media"]', (s) => ({ value: s.value, disabled: s.disabled,
        tsOff: [...s.options].find((o) => o.value === 'ts').disabled }));
      assert.deepEqual(got, { value: c.want, disabled: false, tsOff: c.tsOff }, c.query);
      // The link's variant that the format lacks is named, not dropped
      // silently: on the header's note line (qa-layout checks it reads whole).
      const note = await page.$eval('#qa-note', (el) => (el.checkVisibility() ? el.textContent : ''));
      if (c.note) assert.match(note, c.note, c.query);
      else assert.equal(note, '', c.query);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
  // A DASH session started with bf plays the variant's segments.
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  try {
    const page = await context.newPage();
    const errors = [];
    const seen = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => seen.push(new URL(r.url()).pathname));
    await page.goto(`${emu.base}/index.html?format=dash&kind=vod&player=dash&media=bf&autostart=1`);
    await waitFor(() => seen.some((p) => /^\/media\/bf\/.*\/video\/seg-\d{5}\.m4s$/.test(p)), { what: 'a bf video segment' });
    assert.deepEqual(seen.filter((p) => /^\/media\/(content|ads|slate)\//.test(p)), [], 'default CMAF segments requested');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
