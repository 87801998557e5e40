// example.ts is a page written against the published types: tsc checks it
// compiles (tests/types/tsconfig.json), so a .d.ts change that breaks a
// host's code fails the build. It is never run.

import { AvailKit, AvailKitError, PLAYER_EVENTS } from '../../web/availkit.js';
import type { Adapter, AdapterHandle, AdapterHost, SeekRequest, Session, SessionEventMap } from '../../web/availkit.js';
import { loadedKit, type AvailKitPlayerElement } from '../../web/element/availkit-player.js';
import { embedSnippet } from '../../web/element/snippet.js';

async function start(video: HTMLVideoElement, container: HTMLElement): Promise<Session | null> {
  const kit = await AvailKit.load({ wasmUrl: '/dist/availkit.wasm' });
  let session: Session;
  try {
    session = await kit.createSession({
      sessionInitUrl: 'https://mt.example/v1/session/acct/cfg/index.m3u8',
      adsParams: { deviceType: 'web', w: 640, consent: true },
      video,
      container,
      noSkip: 'last',
      startAt: 120,
      sendBeacon: async (url) => { await fetch(url, { mode: 'no-cors' }); },
    });
  } catch (e) {
    if (e instanceof AvailKitError) {
      const status: number = e.status;
      console.warn(e.kind, e.source, status, e.detail.message);
    }
    return null;
  }
  session.addEventListener('adstart', (e) => {
    const n: number = e.detail.index;
    const vpaid = e.detail.vpaid;
    console.log(n, e.detail.count, e.detail.companions.length, vpaid ? vpaid.mediaFileUri : 'linear');
  });
  session.addEventListener('beacon', (e) => console.log(e.detail.eventType, e.detail.firedAt - e.detail.scheduledTime));
  session.addEventListener('error', (e) => {
    const d = e.detail;
    if (d.kind === 'ad' && 'code' in d) console.log('VAST error', d.code, d.adId);
    else console.log(d.kind, d.source, d.status); // every error detail has a status (0 for an ad's)
  });
  session.addEventListener('seekrequest', (e) => {
    const r: SeekRequest = e.detail;
    if (r.reason === 'start' || r.reason === 'resume') console.log(r.to);
  });
  for (const t of PLAYER_EVENTS) session.addEventListener(t, () => {});
  const d = session.seek(30);
  if (d && !d.allow && d.reason === 'snap') console.log('break first at', d.to);
  const live: boolean = session.live;
  console.log(live, session.ui()?.skipIn, session.markers().map((m) => m.start));
  return session.attach();
}

// A custom adapter: the contract Session.attach picks from.
const myAdapter: Adapter = {
  name: 'custom',
  canAttach: (player) => typeof player === 'object' && player !== null && 'customPlayer' in player,
  attach(_player, video, host: AdapterHost): AdapterHandle {
    const a = host.anchor();
    const base = typeof a.hlsAnchorMediaSequenceNumber === 'number' ? 0 : 0;
    host.manifestLoaded({ live: false, duration: video.duration });
    return {
      detach() {},
      toSession: (t) => t - base,
      toMedia: (t) => t + base,
      seekableStart: () => 0,
      seek(t) { video.currentTime = t; },
      live: false,
    };
  },
};

// Headless: the host drives the session.
function tick(session: Session, playhead: number): void {
  const seek = session.update(playhead, { paused: false, muted: true, rate: 2 });
  if (seek) console.log(seek.to, seek.reason);
  if (session.nextEventIn(playhead) < 0.5) requestAnimationFrame(() => tick(session, playhead));
}

// The element.
const el = document.createElement('availkit-player') satisfies AvailKitPlayerElement;
el.addEventListener('adbreakstart', (e) => console.log(e.detail.availId));
el.addEventListener('error', (e) => console.log(e.detail.kind, e.detail.message));
el.addEventListener('vpaidprogress', (e) => console.log(e.detail.remaining));
const kitPromise = loadedKit();
if (kitPromise) kitPromise.then((k) => console.log(k.stats().sessions));
console.log(embedSnippet({ scriptUrl: 'https://cdn.example/availkit/element/availkit-player.js', sessionInitUrl: 'https://mt.example/x' }));

type Detail<K extends keyof SessionEventMap> = SessionEventMap[K]['detail'];
const upcoming: Detail<'adbreakupcoming'> | null = null;
export { start, myAdapter, tick, upcoming };
