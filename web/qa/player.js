// Players of the QA page: hls.js, dash.js or the <video> element itself,
// and why a native <video> cannot play a format in this browser.

// NATIVE_TYPES are the MIME types a <video> must claim for native playback.
const NATIVE_TYPES = { hls: 'application/vnd.apple.mpegurl', dash: 'application/dash+xml' };

// nativeGap explains why native <video> cannot play the format here, or
// returns '' when the browser claims it can. Asked before the session
// starts: a browser without native HLS would otherwise fail with a bare
// demuxer error after the session was already made.
export function nativeGap(video, format) {
  if (video.canPlayType(NATIVE_TYPES[format])) return '';
  const lib = format === 'hls' ? 'hls.js' : 'dash.js';
  return `This browser cannot play ${format.toUpperCase()} in a plain <video> (canPlayType("${NATIVE_TYPES[format]}") is empty). Pick ${lib} as the player.`;
}

// createPlayer loads url into video with the chosen player: {player, destroy()}.
export async function createPlayer(video, kind, url) {
  if (kind === 'hls') {
    const { default: Hls } = await import('/node_modules/hls.js/dist/hls.mjs');
    const hls = new Hls({ enableWorker: true, lowLatencyMode: false });
    hls.loadSource(url);
    hls.attachMedia(video);
    return { player: hls, destroy: () => hls.destroy() };
  }
  if (kind === 'dash') {
    const dashjs = await import('/node_modules/dashjs/dist/modern/esm/dash.all.min.js');
    const p = dashjs.MediaPlayer().create();
    p.updateSettings({ debug: { logLevel: 1 } });
    // autoplay=true: with false plus a native video.play(), dash.js 5.2 never
    // refreshes a dynamic MPD and live stops once the first MPD runs out.
    p.initialize(video, url, true);
    return { player: p, destroy: () => p.reset() };
  }
  video.src = url;
  return { player: undefined, destroy: () => { video.removeAttribute('src'); video.load(); } };
}
