// Type definitions of the rich-ad parts of web/availkit.js: companions,
// VPAID, SIMID, Open Measurement verifications and industry icons, as the
// core reports them in adstart and as the parts dispatch them. availkit.d.ts
// re-exports all of it; the tests that hold availkit.d.ts to the code read
// this file with it (tests/node/dts.mjs).

import type { BreakPosition, Seconds } from './availkit.js';

export interface CompanionAd {
  attributes: {
    id: string; width: string; height: string; assetWidth: string; assetHeight: string;
    expandedWidth: string; expandedHeight: string; apiFramework: string; adSlotId: string;
    pxratio: string; renderingMode: string; required?: 'all' | 'any' | 'none';
  };
  staticResource: string;
  iFrameResource: string;
  htmlResource: string;
  adParameters: string;
  altText: string;
  sequence: string;
  companionClickThrough: string;
  companionClickTracking: string;
  trackingEvents: { eventType: string; beaconUrls: string[] }[];
}

export interface VPAIDInfo {
  mediaFileUri: string;
  adParameters: string;
  width: number;
  height: number;
  duration: Seconds;
  mediaType: string;
}

/**
 * A SIMID 1.1 interactive creative: the ad's InteractiveCreativeFile as
 * MediaTailor passes it in extensions[] (apiFramework SIMID, http(s) URL).
 */
export interface SIMIDInfo {
  /** The creative's HTML document. */
  url: string;
  /** The MIME type attribute ('text/html'; '' when absent). */
  type: string;
  /** The creative may extend the ad (requestChangeAdDuration); only honoured on VOD. */
  variableDuration: boolean;
  /** The Linear's AdParameters, handed to the creative in Player:init creativeData. */
  adParameters: string;
}

/** Options of the SIMID host (web/simid/host.js); milliseconds unless named otherwise. */
export interface SIMIDOptions {
  /** From loading the creative to its createSession (5000). */
  sessionTimeoutMs?: number;
  /** For the creative's answer to Player:init and Player:startCreative (3000). */
  replyTimeoutMs?: number;
  /** For its answer to Player:adStopped / adSkipped before it is unloaded anyway (1000). */
  stopTimeoutMs?: number;
  /** Messages a second before the creative is cut off with SIMID 1205 (60). */
  maxMessagesPerSecond?: number;
  maxMessageBytes?: number;
  /** Malformed or out-of-protocol messages tolerated before SIMID 1211 (10). */
  maxViolations?: number;
  /** reportTracking URLs fired per ad (50). */
  maxTrackingUrls?: number;
  /** Cap of requestChangeAdDuration, seconds (180). */
  maxAdSeconds?: number;
  /** true: keep a blank sandboxed frame ready at every break; 'auto' (default): after a first SIMID ad. */
  prewarm?: boolean | 'auto';
}

/** The SIMID host's state for one ad (dispatched on the Session). */
export interface SIMIDStateDetail {
  phase: 'loading' | 'init' | 'starting' | 'playing' | 'stopping' | 'done';
  availId: string;
  adId: string;
  /** performance.now() of the change. */
  t: number;
  /** phase 'done': how it ended. code is 902 (VAST) when the creative failed, simidCode its SIMID 11xx/12xx code. */
  result?: { ok: boolean; reason: string; code?: number; simidCode?: number; availId: string; adId: string; forged: number };
}

export interface AdVerification {
  vendor: string;
  javaScriptResource: { apiFramework: string; browserOptional: boolean; uri: string }[];
  verificationParameters: string;
  /** MediaTailor's {event, uri} shape, one entry per URL (e.g. verificationNotExecuted). */
  trackingEvents: { event: string; uri: string }[];
}

export interface AdIconFallbackImage {
  width: number;
  height: number;
  altText: string;
  staticResource: string;
  creativeType: string;
}

export interface AdIcon {
  program: string;
  /** CSS pixels, 0 when not given. */
  width: number;
  height: number;
  /** 'left' | 'right' | pixels from the left edge as digits. */
  xPosition: string;
  /** 'top' | 'bottom' | pixels from the top edge as digits. */
  yPosition: string;
  /** Ad seconds before the icon shows. */
  offset: Seconds;
  /** Seconds it stays; 0: until the ad ends. */
  duration: Seconds;
  apiFramework: string;
  pxratio: string;
  staticResource: string;
  creativeType: string;
  iFrameResource: string;
  htmlResource: string;
  clickThrough: string;
  clickTracking: string[];
  viewTracking: string[];
  /** Panel shown on click when there is no click-through (Google "Why this ad"). */
  fallbackImages: AdIconFallbackImage[];
}

/** Events availkit sends an OM ad session, in the OM SDK's names. */
export type OMIDEventType =
  | 'loaded' | 'impression' | 'start' | 'firstQuartile' | 'midpoint' | 'thirdQuartile' | 'complete'
  | 'pause' | 'resume' | 'volumeChange' | 'playerStateChange' | 'skipped' | 'adUserInteraction'
  | 'geometryChange' | 'error';

export interface OMIDSessionContext {
  availId: string;
  adId: string;
  adTitle: string;
  adSystem: string;
  creativeId: string;
  duration: Seconds;
  /** -1 when not skippable. */
  skipOffset: Seconds;
  position: BreakPosition;
  /** How verification scripts may run; 'limited' (sandboxed, cross-origin) unless the service says otherwise. */
  accessMode: 'limited' | 'domain' | 'full';
  /** Verifications with an http(s) OMID JavaScript resource (others are reported not executed). */
  verifications: AdVerification[];
  video: HTMLVideoElement | null;
  slot: HTMLElement | null;
  partner: { name: string; version: string };
  /** Report a verification the service could not run: verificationNotExecuted fires once with [REASON] (1 rejected, 3 load error). */
  notExecuted(vendor: string, reason: 1 | 2 | 3): void;
}

export interface OMIDAdSession {
  event(type: OMIDEventType, data?: Record<string, unknown>): void;
  finish(): void;
}

export interface OMIDService {
  accessMode?: 'limited' | 'domain' | 'full';
  /** Starts the OM ad session of one ad; a throw or rejection counts as a load error for its verifications. */
  createAdSession(ctx: OMIDSessionContext): OMIDAdSession | Promise<OMIDAdSession>;
}

/** What became of one Open Measurement verification of an ad (web/omid/driver.js). */
export interface VerificationDetail {
  availId: string;
  adId: string;
  vendor: string;
  /** 'executed': the host's OM service started the ad session that runs it; 'notExecuted': its verificationNotExecuted was reported. */
  status: 'executed' | 'notExecuted';
  /** The [REASON] sent with notExecuted (1 rejected, 2 not supported, 3 load error); 0 when executed. */
  reason: 0 | 1 | 2 | 3;
}
