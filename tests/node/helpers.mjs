// Shared fixtures of the Node tests: the core from dist/ loaded once, a
// fake MediaTailor, a beacon recorder, a fake <video> and a headless
// player loop. Run after ./build.sh.
import fs from 'node:fs';
import { AvailKit } from '../../dist/availkit.js';

export const wasmBytes = fs.readFileSync(new URL('../../dist/availkit.wasm', import.meta.url));
export const vodJSON = fs.readFileSync(new URL('./testdata/vod.json', import.meta.url), 'utf8');
export const vod = JSON.parse(vodJSON);

export const INIT = 'http://mt.test/v1/session/acct/availkit/vod/index.m3u8';
export const TIMED = new Set(['impression', 'start', 'firstQuartile', 'midpoint', 'thirdQuartile', 'complete', 'breakStart', 'breakEnd']);

let kit;
export async function getKit() {
  if (!kit) kit = await AvailKit.load({ wasmBytes });
  return kit;
}

// fakeMediaTailor answers session init and tracking polls. tracking is a
// list of [status, body] served in turn (the last one repeats).
export function fakeMediaTailor(tracking = [[200, vodJSON]]) {
  const requests = [];
  let polls = 0;
  const fetch = async (url, init = {}) => {
    requests.push({ url, method: init.method || 'GET', body: init.body, headers: init.headers });
    let status = 404;
    let body = '{"message":"not found"}';
    if (url === INIT && init.method === 'POST') {
      status = 200;
      body = JSON.stringify({ manifestUrl: '/v1/master/acct/availkit/index.m3u8?aws.sessionId=s-1', trackingUrl: '/v1/tracking/acct/availkit/s-1' });
    } else if (url.startsWith('http://mt.test/v1/tracking/acct/availkit/s-1')) {
      [status, body] = tracking[Math.min(polls++, tracking.length - 1)];
    }
    return { status, text: async () => body, headers: new Map([['content-type', 'application/json']]) };
  };
  return { fetch, requests };
}

export function recorder() {
  const urls = [];
  return { urls, sendBeacon: async (u) => { urls.push(u); } };
}

export function collect(session, ...types) {
  const out = [];
  for (const t of types) session.addEventListener(t, (e) => out.push({ type: t, detail: e.detail }));
  return out;
}

// expectedTimed lists the fixture's timed beacons in playback order.
export function expectedTimed(fixture) {
  const out = [];
  for (const a of fixture.avails) {
    const evs = [...a.adBreakTrackingEvents];
    for (const ad of a.ads) evs.push(...ad.trackingEvents.map((e) => ({ ...e, adId: ad.adId })));
    for (const e of evs) {
      if (TIMED.has(e.eventType)) out.push({ availId: a.availId, adId: e.adId || '', eventType: e.eventType, at: e.startTimeInSeconds });
    }
  }
  // At equal times a break opens before its first ad and closes after its
  // last; otherwise fixture order (impression before start).
  const rank = (e) => (e.eventType === 'breakStart' ? 0 : e.eventType === 'breakEnd' ? 2 : 1);
  return out.map((e, i) => [e, i]).sort((x, y) => x[0].at - y[0].at || rank(x[0]) - rank(y[0]) || x[1] - y[1]).map(([e]) => e);
}

export async function newSession(extra = {}) {
  const mt = fakeMediaTailor(extra.tracking);
  const rec = recorder();
  const k = await getKit();
  const session = await k.createSession({
    sessionInitUrl: INIT, adsParams: { deviceType: 'web', w: 640 }, originParams: { auth_token: 'tok' },
    fetch: mt.fetch, sendBeacon: rec.sendBeacon, log: () => {}, ...extra.opts,
  });
  return { session, mt, rec, kit: k };
}

// play drives the headless session from t0 to t1 in steps of dt seconds of
// playhead and wall time, performing the seeks the core asks for.
export function play(session, t0, t1, dt = 0.05, state = {}) {
  let ph = t0;
  const seeks = [];
  while (ph <= t1 + 1e-9) {
    const seek = session.update(ph, state);
    if (seek) {
      seeks.push(seek);
      ph = seek.to;
      continue;
    }
    ph = Math.round((ph + dt) * 1000) / 1000;
  }
  return seeks;
}

// fakeVideo is the part of HTMLVideoElement the Session and the native
// adapter use, counting listeners.
export class FakeVideo extends EventTarget {
  constructor() {
    super();
    this.currentTime = 0;
    this.paused = true;
    this.muted = false;
    this.volume = 1;
    this.seeking = false;
    this.ended = false;
    this.playbackRate = 1;
    this.readyState = 4;
    this.duration = 60;
    this.clientWidth = 640;
    this.clientHeight = 360;
    this.seekable = { length: 1, start: () => 0, end: () => 60 };
    this.setBuffered([[0, 60]]);
    this.listeners = 0;
  }
  setBuffered(ranges) { this.buffered = { length: ranges.length, start: (i) => ranges[i][0], end: (i) => ranges[i][1] }; }
  addEventListener(t, f, o) { this.listeners++; super.addEventListener(t, f, o); }
  removeEventListener(t, f, o) { this.listeners--; super.removeEventListener(t, f, o); }
}

