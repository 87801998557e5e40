// Frame codes: every bundled stream frame carries its asset and frame
// number (scripts/framecode.sh: a row of 16 black/white 16-px cells at
// x=384, y=336 of the 640×360 picture; cell 0 white, cells 1-4 the asset
// number, cells 5-15 the frame number). This module reads the code of each
// presented frame in a requestVideoFrameCallback, so the QA page, the
// browser tests and the bench know when each frame was on screen. It is
// the one decoder: tests/browser/pages/onscreen.html imports it from dist/,
// tests/browser/onscreen-judge.mjs takes FPS and ASSETS from it.

const X = 384;
const Y = 336;
const CELL = 16;
const CELLS = 16;

/** FPS is the frame rate of the bundled media. */
export const FPS = 30;

/** ASSETS names the asset numbers written by the media scripts. */
export const ASSETS = Object.freeze({ 1: 'main', 2: 'ad-a', 3: 'ad-b', 4: 'ad-c', 5: 'ad-d', 6: 'slate' });

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

// record starts reading the presented frames of video. Each read is one
// drawImage of a 256×1 strip into a 256×1 canvas, the code's middle line.
//
// The read runs in a task after the frame callbacks, on a VideoFrame
// snapshot of the picture taken in the callback (WebCodecs; without it,
// in the callback itself). A canvas read of a video picture took 7-37 ms
// of main thread, and done in the callback it ran before the player's
// own frame callbacks: the instrument delayed the beacons it measures.
//
// Options: want(meta) is asked first for every presented frame and a frame
// is read only when it returns true (the QA page reads near ad boundaries
// only); onFrame(entry) receives every frame read, entry.code null when the
// picture carries no code. Without onFrame, frames() lists the read frames
// whose code changed.
//
// An entry is {asset, frame, code, mediaTime, at, cb, presented, seq,
// tainted}: at is the expected display time on the Date.now clock (the one
// the emulator's collector stamps beacons with), cb the callback time on
// it, seq the callback's number, so a caller can tell two reads of
// consecutive callbacks from reads with unread frames between them;
// tainted says the picture could not be read (cross-origin media).
export function record(video, { want, onFrame } = {}) {
  const canvas = document.createElement('canvas');
  canvas.width = CELLS * CELL;
  canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const snap = typeof VideoFrame === 'function';
  const out = [];
  let id = 0;
  let seq = 0;
  let stopped = false;
  let last = '';
  // read decodes the code of source (the element or a VideoFrame of it).
  function read(source, vw, vh) {
    // Scale the cell row's middle line of the intrinsic picture to the canvas.
    const sx = vw / 640;
    const sy = vh / 360;
    try {
      ctx.drawImage(source, X * sx, (Y + CELL / 2) * sy, CELLS * CELL * sx, sy, 0, 0, CELLS * CELL, 1);
      return { code: readCode(ctx.getImageData(0, 0, CELLS * CELL, 1).data), tainted: false };
    } catch {
      // A cross-origin picture taints the canvas: its pixels cannot be read.
      return { code: null, tainted: true };
    }
  }
  function deliver(base, { code, tainted }) {
    const entry = { asset: code ? ASSETS[code.asset] || String(code.asset) : '', frame: code ? code.frame : -1, code, ...base, tainted };
    if (onFrame) {
      onFrame(entry);
      return;
    }
    if (!code) return;
    const key = `${code.asset}:${code.frame}`;
    if (key === last) return;
    last = key;
    out.push(entry);
  }
  function cb(now, meta) {
    if (stopped) return;
    id = video.requestVideoFrameCallback(cb);
    seq++;
    const vw = video.videoWidth;
    const vh = video.videoHeight;
    if (!vw || !vh || (want && !want(meta))) return;
    // expectedDisplayTime is on the performance clock; Date.now() − now
    // converts it to the wall clock without timeOrigin drift.
    const wall = Date.now() - performance.now();
    const base = {
      mediaTime: meta.mediaTime, at: wall + (meta.expectedDisplayTime || now), cb: wall + now,
      presented: meta.presentedFrames, seq,
    };
    let frame = null;
    if (snap) {
      try {
        frame = new VideoFrame(video);
      } catch {
        // A cross-origin picture cannot be wrapped either: read it here.
      }
    }
    if (!frame) {
      deliver(base, read(video, vw, vh));
      return;
    }
    setTimeout(() => {
      const r = read(frame, frame.displayWidth, frame.displayHeight);
      frame.close();
      if (!stopped) deliver(base, r);
    }, 0);
  }
  id = video.requestVideoFrameCallback(cb);
  return {
    frames: () => out.slice(),
    stop() {
      stopped = true;
      video.cancelVideoFrameCallback(id);
    },
  };
}
