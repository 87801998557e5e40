// The event contract: a full scenario through the real core (dist/
// availkit.wasm) emits every event the core has, and each one dispatched
// on the Session is compared with web/availkit.d.ts field by field: the
// type is in SessionEventMap, every declared required field is present
// with its declared type, and no field is undeclared (unless the type is
// open, Record<…>).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';

import { CORE_EVENTS } from '../../web/core/events.js';
import { check, eventTypes } from './dts.mjs';
import { vod, getKit, fakeMediaTailor, INIT, play } from './helpers.mjs';

// scenarioJSON is the VOD fixture (pre-roll 0-6, mid-roll 30-46 with a
// skippable ad and a companion) plus a VPAID break at 50-56 and an overlay
// avail at 20.
function scenarioJSON() {
  const r = structuredClone(vod);
  // The pre-roll carries a SIMID creative, as AWS's player-controls page shows.
  r.avails[0].ads[0].extensions = [{
    type: 'InteractiveCreativeFile',
    content: '<InteractiveCreativeFile type="text/html" apiFramework="SIMID" variableDuration="true">\nhttp://ads.test/simid.html</InteractiveCreativeFile>',
  }];
  const ev = (id, type, at) => ({
    beaconUrls: [`http://beacon.test/vp/${id}/${type}`], eventId: `${id}-${type}`, eventType: type,
    startTime: `PT${at}S`, startTimeInSeconds: at, duration: 'PT0S', durationInSeconds: 0,
  });
  r.avails.push({
    availId: 'vp', startTime: 'PT50S', startTimeInSeconds: 50, duration: 'PT6S', durationInSeconds: 6,
    adMarkerDuration: 'PT6S', adBreakTrackingEvents: [ev('vp', 'breakStart', 50)], nonLinearAdsList: [],
    ads: [{
      adId: 'vp-1', adTitle: 'VPAID unit', adSystem: 'availkit-test', creativeId: 'c-vp-1', adParameters: '{"k":1}',
      startTime: 'PT50S', startTimeInSeconds: 50, duration: 'PT6S', durationInSeconds: 6,
      trackingEvents: [ev('vp-1', 'impression', 50), ev('vp-1', 'start', 50), ev('vp-1', 'complete', 56)],
      mediaFiles: {
        mediaFilesList: [{
          mediaFileUri: 'http://ads.test/unit.js', mediaType: 'application/javascript', apiFramework: 'VPAID',
          delivery: 'progressive', width: 640, height: 360,
        }],
        mezzanine: '',
      },
      companionAds: [],
      // OM verification and an icon with a fallback image: every field of
      // AdVerification and AdIcon is then checked too.
      adVerifications: [{
        vendor: 'v.test-omid', executableResource: [], verificationParameters: '{}',
        javaScriptResource: [{ apiFramework: 'omid', browserOptional: 'true', uri: 'http://v.test/v.js' }],
        trackingEvents: [{ event: 'verificationNotExecuted', uri: 'http://v.test/nx?r=[REASON]' }],
      }],
      extensions: [{
        type: 'Icons',
        content: '<Icons><Icon program="AdChoices" width="20" height="20" xPosition="right" yPosition="top">'
          + '<StaticResource creativeType="image/png">http://ads.test/i.png</StaticResource><IconClicks>'
          + '<IconClickTracking>http://b.test/ic</IconClickTracking><IconClickFallbackImages><IconClickFallbackImage width="400" height="150">'
          + '<AltText>why</AltText><StaticResource creativeType="image/png">http://ads.test/f.png</StaticResource>'
          + '</IconClickFallbackImage></IconClickFallbackImages></IconClicks><IconViewTracking>http://b.test/iv</IconViewTracking></Icon></Icons>',
      }],
    }],
  });
  r.nonLinearAvails = [{
    availId: 'ov', startTime: 'PT20S', startTimeInSeconds: 20, duration: 'PT5S', durationInSeconds: 5,
    adBreakTrackingEvents: [], ads: [],
    nonLinearAdsList: [{
      nonLinearAdList: [{
        adId: 'nl-1', adTitle: 'Overlay', staticResource: 'http://ads.test/overlay.png',
        staticResourceCreativeType: 'image/png', width: '480', height: '70', clickThrough: 'http://advertiser.test/',
      }],
      trackingEvents: [],
    }],
  }];
  return JSON.stringify(r);
}

test('every event the core emits in a full scenario matches availkit.d.ts, field by field', { timeout: 30000 }, async () => {
  const json = scenarioJSON();
  const mt = fakeMediaTailor([[503, '{"message":"busy"}'], [200, json]]);
  const k = await getKit();
  const session = await k.createSession({
    sessionInitUrl: INIT, fetch: mt.fetch, log: () => {},
    // mid-2's beacons fail: beaconerror after the retry.
    sendBeacon: async (u) => { if (u.includes('/mid-2/')) throw new TypeError('network down'); },
  });
  const seen = []; // [type, detail] of every event the Session dispatched
  const dispatch = session.dispatchEvent.bind(session);
  session.dispatchEvent = (e) => { seen.push([e.type, e.detail]); return dispatch(e); };
  try {
    session.manifestLoaded({ live: false, duration: 60 });
    await once(session, 'error'); // tracking 503
    session.pollNow();
    await once(session, 'trackingupdate');
    play(session, 0, 25); // pre-roll, overlay at 20, upcoming mid-roll
    assert.equal(session.requestSeek(49), 30, 'a seek over the mid-roll snaps back');
    play(session, 30, 32.5); // mid-1 becomes skippable at 32
    session.adError(405);
    assert.equal(session.skip(), true);
    play(session, 36, 47); // mid-2 (its beacons fail), then the resume seek to 49
    session.fireTracking({ availId: 'vp', adId: 'vp-1', eventType: 'creativeView', urls: ['javascript:alert(1)'], key: 'x' });
    play(session, 49, 51); // the VPAID break starts
    session.vpaidEvent('AdImpression', {});
    session.vpaidStopped({ ok: true, availId: 'vp', adId: 'vp-1' });
    play(session, 56, 60);
    for (let i = 0; i < 50 && !seen.some(([t]) => t === 'beaconerror'); i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 0));

    const declared = eventTypes();
    const types = new Set(seen.map(([t]) => t));
    assert.deepEqual(CORE_EVENTS.filter((t) => !types.has(t)), [], 'core events the scenario did not produce');
    assert.ok(types.has('seekrequest'));
    assert.ok(seen.some(([t, d]) => t === 'adstart' && d.simid && d.simid.url === 'http://ads.test/simid.html'), 'a SIMID adstart');
    assert.deepEqual([...types].filter((t) => !declared.has(t)), [], 'events not in SessionEventMap');
    const problems = [];
    for (const [t, d] of seen) problems.push(...check(d, declared.get(t), t));
    assert.deepEqual([...new Set(problems)], []);
  } finally {
    session.destroy();
  }
});

test('the checker reads the .d.ts strictly: a missing, extra or mistyped field is reported', () => {
  const types = eventTypes();
  const beacon = { eventType: 'start', url: 'http://b.test/', scheduledTime: 1, playhead: 1, availId: 'a', adId: 'b', eventId: 'c', firedBy: 'player', firedAt: 1 };
  assert.deepEqual(check(beacon, types.get('beacon'), 'beacon'), []);
  const { firedAt, ...noFiredAt } = beacon;
  assert.deepEqual(check(noFiredAt, types.get('beacon'), 'beacon'), ['beacon.firedAt: missing (declared number)']);
  assert.deepEqual(check({ ...beacon, extra: 1 }, types.get('beacon'), 'beacon'), ['beacon.extra: not declared']);
  assert.equal(check({ ...beacon, playhead: '1' }, types.get('beacon'), 'beacon').length, 1);
  assert.equal(check({ ...beacon, firedBy: 'both' }, types.get('beacon'), 'beacon').length, 1, 'firedBy is a union of literals');
  assert.equal(check({ to: 1, resumeAt: -1, reason: 'warp' }, types.get('seekrequest'), 's').length, 1, 'reason is a union of literals');
  assert.deepEqual(check({ availId: 'o', start: 1, duration: 2, nonLinearAdsList: [] }, types.get('nonlinear'), 'n'), [], 'an open type takes extra fields');
});
