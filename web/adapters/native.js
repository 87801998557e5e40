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

  return {
    detach() {
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

export default { name, canAttach, attach };
