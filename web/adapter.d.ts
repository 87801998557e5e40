// Type definitions of the player-adapter contract of web/availkit.js: what
// an adapter (web/adapters/: hls.js, dash.js, a plain <video>) implements and
// what the Session gives it. availkit.d.ts re-exports it.

import type { Seconds, TrackingAnchor } from './availkit.js';

/** What the Session gives an adapter's attach(). */
export interface AdapterHost {
  /** The player loaded its first media manifest: starts tracking polls. */
  manifestLoaded(info: { live: boolean; targetDuration?: Seconds; minimumUpdatePeriod?: Seconds; duration?: Seconds }): void;
  /**
   * The player fetched its first media playlist and has not parsed it yet:
   * the first tracking poll may leave (native <video>, from Resource Timing).
   * manifestLoaded follows as usual.
   */
  manifestServed?(): void;
  /** The media ⇄ session time mapping changed: the Session re-reads the playhead. */
  clockChanged(): void;
  /** A fatal player failure, dispatched as `error` with source 'player'. */
  error(kind: string, message: string): void;
  log(level: string, message: string): void;
  /** Live anchors from the tracking responses, for re-basing the session clock. */
  anchor(): TrackingAnchor;
}

export interface AdapterHandle {
  detach(): void;
  toSession(mediaTime: number): Seconds;
  toMedia(sessionTime: Seconds): number;
  seekableStart(): Seconds;
  /** Seeks the player to a media time (else the Session sets video.currentTime). */
  seek?(mediaTime: number): void;
  /**
   * The media time of the picture on screen (requestVideoFrameCallback; web/adapters/screen.js). The core runs
   * on it, so beacons leave when their frame is shown; without it the Session uses video.currentTime.
   */
  screenTime?(): number;
  /**
   * How long (ms) the value screenTime() returned last stays pinned short of a frame not shown yet (NaN: it is
   * not); the Session wakes the core then instead of polling.
   */
  screenWait?(): number;
  /**
   * Whether a frame has been presented since the load or the last seek (paused or not): at `playing` the Session
   * counts the ad as on screen only then, else from the next presented frame.
   */
  screenPresented?(): boolean;
  /** Whether the player reported a live stream. */
  readonly live?: boolean;
}

export interface Adapter {
  name: string;
  canAttach(player: unknown): boolean;
  attach(player: unknown, video: HTMLVideoElement, host: AdapterHost): AdapterHandle;
}
