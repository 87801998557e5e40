// media.js is what the SIMID host tells a creative about the player: the
// Player:init data, the media state and the real video's events.

import { httpURL } from '../companions/safety.js';
import { SIMID_VERSION, MEDIA_EVENTS, str } from './protocol.js';
import { progress } from './duration.js';

// adTime is the playhead within ad a, from the Session's clock when it has
// one (stitched streams: media time is session time), else the element's.
export function adTime(host, a) {
  const s = host.session;
  const st = s && typeof s.currentTime === 'number' ? s.currentTime : NaN;
  const t = Number.isFinite(st) ? st : host.video.currentTime;
  return Math.max(0, t - a.start);
}

// playerSize is the video and creative area (the creative covers the
// player) and whether the player is fullscreen.
export function playerSize(container) {
  const r = container.getBoundingClientRect();
  const fs = document.fullscreenElement;
  const full = !!fs && (fs === container || fs.contains(container));
  const dims = { x: 0, y: 0, width: Math.round(r.width), height: Math.round(r.height) };
  return { videoDimensions: dims, creativeDimensions: { ...dims }, fullscreen: full };
}

// mediaState answers getMediaState.
export function mediaState(host, a) {
  const v = host.video;
  return {
    // A stitched stream has no ad URL of its own (as IMA DAI reports).
    currentSrc: null,
    currentTime: adTime(host, a),
    duration: a.duration,
    ended: v.ended,
    muted: v.muted,
    paused: v.paused,
    volume: v.volume,
    fullscreen: playerSize(host.container).fullscreen,
  };
}

// initArgs are SIMID:Player:init's {environmentData, creativeData}. What the
// page would rather not tell an ad (site URL, app and device ids, user
// agent) is left empty.
export function initArgs(host, a) {
  const v = host.video;
  const environmentData = {
    ...playerSize(host.container),
    fullscreenAllowed: typeof document.fullscreenEnabled === 'boolean' ? document.fullscreenEnabled : false,
    variableDurationAllowed: !a.live,
    skippableState: a.skipOffset >= 0 ? 'playerHandles' : 'notSkippable',
    skipoffset: a.skipOffset >= 0 ? a.skipOffset : undefined,
    version: SIMID_VERSION,
    siteUrl: '',
    appId: '',
    useragent: '',
    deviceId: '',
    muted: v.muted,
    volume: v.volume,
    navigationSupport: 'playerHandles',
    closeButtonSupport: 'creativeHandles',
  };
  const creativeData = {
    adParameters: str(a.simid.adParameters, 64 * 1024),
    clickThruUri: httpURL(a.clickThrough, null),
  };
  return { environmentData, creativeData };
}

// listenMedia forwards the real video's events to ad a's creative as
// SIMID:Media:*, until the ad's cleanups run; none while the player holds
// at the end of an extended ad.
export function listenMedia(host, a) {
  const v = host.video;
  for (const name of MEDIA_EVENTS) {
    const h = () => {
      if (host.ad !== a || a.holding) return;
      const args = {};
      if (name === 'timeupdate') args.currentTime = adTime(host, a);
      if (name === 'durationchange') args.duration = a.duration;
      if (name === 'volumechange') Object.assign(args, { volume: v.volume, muted: v.muted });
      if (name === 'error') Object.assign(args, { errorCode: String(v.error ? v.error.code : ''), message: str(v.error && v.error.message, 200) });
      host.post(a, `SIMID:Media:${name}`, args);
      if (name === 'timeupdate') progress(host, a);
    };
    v.addEventListener(name, h);
    a.cleanups.push(() => v.removeEventListener(name, h));
  }
  host.post(a, 'SIMID:Media:durationchange', { duration: a.duration });
}
