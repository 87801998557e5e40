// Native <video> adapter: Safari's built-in HLS, or any src the host set.
//
// The element's currentTime is taken as session time. That holds for VOD and
// for the start of a live session; Safari exposes no media-sequence numbers,
// so a live stream whose first playlist was not the one served to this
// session cannot be re-anchored here (use hls.js for that).

import { screenClock, screenMethods } from './screen.js';

export const name = 'native';

// canAttach accepts no player at all: the session then drives the video alone.
export function canAttach(player) {
  return player === undefined || player === null || (typeof HTMLMediaElement !== 'undefined' && player instanceof HTMLMediaElement);
}

// attach reports the manifest as loaded once the element knows its duration.
// The caller must call detach() before the element is reused.
export function attach(_player, video, host) {
  const screen = screenClock(video);
  let live = false;
  let announced = false;

  function onMeta() {
    live = video.duration === Infinity;
    if (announced) return;
    announced = true;
    host.manifestLoaded({ live, targetDuration: 0, minimumUpdatePeriod: 0 });
  }
  function onError() {
    const e = video.error;
    host.error('player', `video: ${e ? `${e.code} ${e.message || ''}`.trim() : 'error'}`);
  }

  video.addEventListener('loadedmetadata', onMeta);
  video.addEventListener('error', onError);
  if (video.readyState >= 1) onMeta();
  const unwatch = announced || !host.manifestServed ? () => {} : watchPlaylists(video, () => {
    if (!announced) host.manifestServed();
  });

  return {
    detach() {
      unwatch();
      screen.stop();
      video.removeEventListener('loadedmetadata', onMeta);
      video.removeEventListener('error', onError);
    },
    toSession(mediaTime) {
      return mediaTime;
    },
    toMedia(sessionTime) {
      return sessionTime;
    },
    seekableStart() {
      const s = video.seekable;
      return live && s && s.length ? s.start(0) : 0;
    },
    ...screenMethods(screen),
    get live() {
      return live;
    },
  };
}

// watchPlaylists calls served once the element has fetched a media
// playlist: an HLS playlist other than its src, seen in Resource Timing
// (Chromium reports the element's own requests, initiatorType 'video';
// Safari does not, and loadedmetadata alone starts the polls there). The
// server has made its ad decisions by then, so the first tracking poll
// may leave: loadedmetadata came 30-65 ms later, after the element had
// buffered its first segment, and the pre-roll's first frame was on
// screen before its tracking reply. It returns the function that stops
// watching.
export function watchPlaylists(video, served) {
  const PO = globalThis.PerformanceObserver;
  if (typeof PO !== 'function' || !(PO.supportedEntryTypes || []).includes('resource')) return () => {};
  const obs = new PO((list) => {
    const src = video.currentSrc || video.src;
    for (const e of list.getEntries()) {
      if (e.initiatorType === 'video' && e.name !== src && /\.m3u8$/i.test(pathOf(e.name))) {
        obs.disconnect();
        served();
        return;
      }
    }
  });
  obs.observe({ type: 'resource' });
  return () => obs.disconnect();
}

function pathOf(url) {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

export default { name, canAttach, attach };
