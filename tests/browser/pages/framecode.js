// Frame recorder: reads the code every bundled stream frame carries
// (scripts/framecode.sh: a row of 16 black/white 16-px cells at x=384,
// y=336 of the 640×360 picture; cell 0 white, cells 1-4 the asset number,
// cells 5-15 the frame number) from each presented frame, in a
// requestVideoFrameCallback, so a test knows when each frame was on screen.

const X = 384;
const Y = 336;
const CELL = 16;
const CELLS = 16;

// Asset numbers written by the media scripts.
export const ASSETS = { 1: 'main', 2: 'ad-a', 3: 'ad-b', 4: 'ad-c', 5: 'ad-d', 6: 'slate' };

// readCode decodes the cell row of an RGBA pixel row (CELLS*CELL wide, read
// at the cells' vertical middle): {asset, frame}, or null when the marker
// cell is not white (no code in this picture).
export function readCode(rgba) {
  const bits = [];
  for (let i = 0; i < CELLS; i++) {
    let sum = 0;
    // Average the middle 8 px of the cell: edges bleed in the encoder.
    for (let x = i * CELL + 4; x < i * CELL + 12; x++) {
      const p = x * 4;
      sum += 0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2];
    }
    bits.push(sum / 8 > 128 ? 1 : 0);
  }
  if (bits[0] !== 1) return null;
  let asset = 0;
  for (let i = 1; i <= 4; i++) asset = asset * 2 + bits[i];
  let frame = 0;
  for (let i = 5; i < CELLS; i++) frame = frame * 2 + bits[i];
  return { asset, frame };
}

// record starts reading every presented frame of video. The returned
// object's frames() lists {asset, frame, mediaTime, at} per presented frame
// whose code changed, where at is the expected display time on the Date.now
// clock (the one the emulator's collector stamps beacons with); stop() ends
// recording.
export function record(video) {
  const canvas = document.createElement('canvas');
  canvas.width = CELLS * CELL;
  canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const out = [];
  let id = 0;
  let stopped = false;
  let last = '';
  function onFrame(now, meta) {
    if (stopped) return;
    id = video.requestVideoFrameCallback(onFrame);
    const vw = video.videoWidth;
    const vh = video.videoHeight;
    if (!vw || !vh) return;
    // Scale the cell row's middle line of the intrinsic picture to the canvas.
    const sx = vw / 640;
    const sy = vh / 360;
    ctx.drawImage(video, X * sx, (Y + CELL / 2) * sy, CELLS * CELL * sx, sy, 0, 0, CELLS * CELL, 1);
    const code = readCode(ctx.getImageData(0, 0, CELLS * CELL, 1).data);
    if (!code) return;
    const key = `${code.asset}:${code.frame}`;
    if (key === last) return;
    last = key;
    // expectedDisplayTime is on the performance clock; Date.now() − now
    // converts it to the wall clock without timeOrigin drift.
    const wall = Date.now() - performance.now();
    out.push({ asset: ASSETS[code.asset] || String(code.asset), frame: code.frame, mediaTime: meta.mediaTime,
      at: wall + (meta.expectedDisplayTime || now), cb: wall + now, presented: meta.presentedFrames });
  }
  id = video.requestVideoFrameCallback(onFrame);
  return {
    frames: () => out.slice(),
    stop() {
      stopped = true;
      video.cancelVideoFrameCallback(id);
    },
  };
}
