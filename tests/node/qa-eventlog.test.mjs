// The QA page's event log reads session times as the rest of the page does.
// On DASH live the session clock counts seconds since
// MPD@availabilityStartTime: printed raw, a beacon line read
// "scheduledTime=29263094", a number no tester can place. With the
// timeline's reading (web/qa/timeline.js timeText) it says the time since
// playback started and its UTC wall time, as the beacon log's scheduled and
// playhead columns do; the row's title keeps the raw seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { clockText } from '../../web/qa/timeline.js';

// A minimal DOM: elements with text, dataset, title and children.
function el(tag) {
  const e = {
    tagName: tag, children: [], dataset: {}, title: '', textContent: '', scrollTop: 0, scrollHeight: 0,
    append(...c) { e.children.push(...c); },
    replaceChildren(...c) { e.children = c; },
    get childElementCount() { return e.children.length; },
    get firstElementChild() { return e.children[0]; },
  };
  return e;
}
globalThis.document = { createElement: el };
const { createEventLog } = await import('../../web/qa/events.js');

// As the timeline reads a live session whose first frame was at session
// time 29263075 (19:34:00 UTC on the wall clock).
const origin = 29263075;
const wall = Date.UTC(2026, 11, 5, 19, 34, 0) / 1000 - origin;
const liveText = (t) => [clockText(t - origin, 3), new Date((wall + t) * 1000).toISOString().slice(11, 23) + ' UTC'];

const line = (list, i = -1) => list.children.at(i).children[2].textContent;

test('DASH live: event times read as time since start and UTC, never as seconds since availabilityStartTime', () => {
  const list = el('ol');
  const log = createEventLog(list, null, { timeText: liveText });
  log.add('adbreakupcoming', { availId: '29263094000', start: 29263094, duration: 32, index: 0, count: 1, skipOffset: -1 });
  log.add('beacon', { eventType: 'impression', scheduledTime: 29263094, playhead: 29263094.004, adId: '29263094000_1', url: 'http://127.0.0.1:8080/beacon/s/impression' });
  log.add('beacon', { eventType: 'clickTracking', scheduledTime: -1, playhead: 29263099.5, adId: '29263094000_1', url: 'http://127.0.0.1:8080/beacon/s/click' });
  log.add('snapback', { from: 29263130.25, to: 29263094, resumeAt: -1, availId: '29263094000' });
  assert.equal(line(list, 0), 'availId=29263094000 start=0:19.000 (19:34:19.000 UTC) duration=32 index=0 count=1 skipOffset=-1');
  assert.equal(line(list, 1), 'eventType=impression scheduledTime=0:19.000 (19:34:19.000 UTC) playhead=0:19.004 (19:34:19.004 UTC) adId=29263094000_1 url=http://127.0.0.1:8080/beacon/s/impression');
  // An action beacon has no schedule: -1 stays as it is.
  assert.equal(line(list, 2), 'eventType=clickTracking scheduledTime=-1 playhead=0:24.500 (19:34:24.500 UTC) adId=29263094000_1 url=http://127.0.0.1:8080/beacon/s/click');
  assert.equal(line(list, 3), 'from=0:55.250 (19:34:55.250 UTC) to=0:19.000 (19:34:19.000 UTC) resumeAt=-1 availId=29263094000');
  for (const li of list.children) assert.doesNotMatch(li.children[2].textContent, /=29263\d{3}(\.\d+)?(\s|$)/, 'raw session seconds on a time field');
  // The raw detail stays in the row's title.
  assert.match(list.children[1].title, /"scheduledTime":29263094/);
});

test('VOD (and live before the first frame): event times stay session seconds', () => {
  const list = el('ol');
  const log = createEventLog(list, null, { timeText: () => null });
  log.add('beacon', { eventType: 'firstQuartile', scheduledTime: 1.5, playhead: 1.5004, adId: '0' });
  log.add('snapback', { from: 14.001, to: 24, resumeAt: 80, availId: '12' });
  assert.equal(line(list, 0), 'eventType=firstQuartile scheduledTime=1.500 playhead=1.500 adId=0');
  assert.equal(line(list, 1), 'from=14.001 to=24 resumeAt=80 availId=12');
  // Without a reader at all (the log on its own) too.
  const bare = el('ol');
  createEventLog(bare, null).add('beacon', { eventType: 'start', scheduledTime: 6, playhead: 6.033 });
  assert.equal(line(bare), 'eventType=start scheduledTime=6 playhead=6.033');
});
