// Type definitions for web/availkit.js and the events of the availkit core.
//
// Mirrors internal/client (event details, written by the core as JSON) and
// wasm/methods_js.go (the session object). Held to them by tests:
// tests/node/contract.test.mjs checks every event of a full scenario
// against SessionEventMap field by field, tests/node/events.test.mjs the
// event names (web/core/events.js), tests/package/docs.test.mjs the README
// tables, and `tsc --noEmit -p tests/types` type-checks this file. The
// rich-ad types (companions, VPAID, SIMID, OMID, icons) are in richads.d.ts,
// the player-adapter contract in adapter.d.ts; both are re-exported here.

import type { AdIcon, AdVerification, CompanionAd, OMIDService, SIMIDInfo, SIMIDOptions, SIMIDStateDetail, VPAIDInfo, VerificationDetail } from './richads.js';
export type * from './richads.js';
import type { Adapter } from './adapter.js';
export type * from './adapter.js';

/** Times are session seconds unless named otherwise (see docs/contracts.md). */
export type Seconds = number;

export type NoSkipPolicy = 'last' | 'first' | 'all' | 'off';
export type TrackingMode = 'full' | 'pagination';
export type BreakPosition = 'preroll' | 'midroll' | 'postroll';
export type EngineState = 'content' | 'upcoming' | 'break' | 'ad' | 'snapback' | 'jumping';

export interface CompanionSlot {
  element: HTMLElement;
  /** Declared size, CSS px: companions are chosen by it, and the slot keeps it (min-width/min-height) from createSession to destroy. */
  width?: number;
  height?: number;
  adSlotId?: string;
  /** `false`: leave the slot's size to the page (it then collapses when empty unless the page sizes it). Default `true`. */
  reserve?: boolean;
}

export interface SessionOptions {
  /** `<prefix>/v1/session/<account>/<origin>/<asset>`; POSTed unless manifestUrl and trackingUrl are given. */
  sessionInitUrl?: string;
  /** → `[player_params.*]` in the ad-server template. Numbers and booleans are sent as text. */
  adsParams?: Record<string, string | number | boolean>;
  /** Top-level keys of the init body (MediaTailor's reserved keys are dropped). */
  originParams?: Record<string, string | number | boolean>;
  sessionInitHeaders?: Record<string, string>;
  /** A session made server-side: both URLs given, no POST from the browser. */
  manifestUrl?: string;
  trackingUrl?: string;
  /** 'pagination' (default) sends nextToken; 'full' always asks for the whole window. */
  trackingMode?: TrackingMode;
  /** Live poll interval override in seconds (clamped to [2, 10]). */
  pollInterval?: Seconds;
  /** Seconds before an unwatched break that `adbreakupcoming` fires (default 5, 0: off). */
  upcomingLead?: Seconds;
  /** Minimum ad playhead advance between `adprogress` events (default 0.25, 0: off). */
  progressInterval?: Seconds;
  /** Per-request timeout in seconds (default 10): session init, tracking polls and beacons (a beacon without an answer is aborted and reported, not retried). */
  requestTimeout?: Seconds;
  /**
   * On a kit whose core is still loading (AvailKit.start), hold playback of
   * the attached player at most this many ms until the core runs, so that a
   * pre-roll does not play ahead of its beacons. Default 0: play at once;
   * the beacons the playhead crossed fire the moment the core arrives.
   */
  startupHold?: number;
  noSkip?: NoSkipPolicy;
  /** Jump over breaks already watched (default true). */
  jumpWatched?: boolean;
  /** Snap back on live streams too (default false). */
  liveSnapBack?: boolean;
  /**
   * 'server': MediaTailor fires impression, start, quartiles, complete, breakStart and breakEnd itself, so
   * the plugin does not (their `beacon` events still fire, with firedBy 'server'); player operations,
   * companion, overlay and VPAID beacons stay the player's.
   */
  reportingMode?: 'client' | 'server';
  manifestParams?: Record<string, string | number | boolean>;
  availSuppression?: { mode: 'OFF' | 'BEHIND_LIVE_EDGE' | 'AFTER_LIVE_EDGE'; value?: string; fillPolicy?: string };
  overlayAvails?: 'on' | 'off' | boolean;
  /** Called once before init; its value is added to adsParams under nonceParam (PAL and similar SDKs). */
  nonce?: () => string | Promise<string>;
  nonceParam?: string;
  /** Put each polled tracking body on `trackingupdate` as `raw` (QA tools; default false). */
  rawTracking?: boolean;
  /** A tracking reply larger than this many bytes is refused as 'badreply' (default 4 MiB). */
  maxTrackingBytes?: number;
  /** A reply with more tracking events in one ad, break or overlay is refused as 'badreply' (default 1000). */
  maxEventsPerAd?: number;
  /**
   * Start position (a bookmark or resume point) in session seconds. The player is moved there before
   * playback (headless: the first update() returns it as a 'start' seek); breaks before it neither snap
   * back nor fire. A position the player itself sets before its first play (currentTime, hls.js
   * startPosition, a dash.js start time) is treated the same way.
   */
  startAt?: Seconds;
  /**
   * Pause the ad while a click-through's landing tab hides the page, and play it again when the page is
   * visible (default true; attached players only).
   */
  pauseOnClickThrough?: boolean;

  /**
   * Macro values (README "Which macro comes from where"). Unset: the page's own value where it has one,
   * else -1 (unknown); listed in withholdMacros: -2 (withheld by policy, VAST 4.1 §6).
   */
  /** [PAGEURL]; default location.href. */
  pageUrl?: string;
  /** [DOMAIN]; default location.hostname. */
  domain?: string;
  /** [DEVICEUA]; default navigator.userAgent. */
  deviceUA?: string;
  /** [CLIENTUA]; default 'availkit/<version>'. */
  clientUA?: string;
  /** [GDPRCONSENT]: the TCF consent string of the page's CMP. */
  gdprConsent?: string;
  /** [GPPSTRING] and [GPPSECTIONID]. */
  gppString?: string;
  gppSectionIds?: Array<number | string>;
  /** [LIMITADTRACKING]; default true under Global Privacy Control, else unknown. true also withholds IFA, IFATYPE, DEVICEIP, LATLONG. */
  limitAdTracking?: boolean;
  /** [REGULATIONS], e.g. ['gdpr']; 'coppa' withholds the device identifiers. */
  regulations?: string[];
  /** [PLAYERCAPABILITIES]; default skip, mute and fullscreen when the page allows it. */
  playerCapabilities?: Array<'skip' | 'mute' | 'autoplay' | 'mautoplay' | 'fullscreen' | 'icon'>;
  /** Values of any other IAB macro, by name without brackets: { CONTENTID: '…', IFA: '…' }. Other names are ignored. */
  macroValues?: Record<string, string | number>;
  /** IAB macros sent as -2 whatever their value, e.g. ['PAGEURL']. */
  withholdMacros?: string[];

  video?: HTMLVideoElement;
  /** Element over the video for the ad overlay, VPAID and non-linear ads. */
  container?: HTMLElement;
  companionSlots?: CompanionSlot[];
  /** false: no built-in overlay (drive your own UI from the events and ui()). */
  ui?: boolean;
  uiOptions?: { strings?: Record<string, string>; theme?: Record<string, string>; seekBar?: boolean };
  vpaid?: boolean;
  vpaidOptions?: Record<string, unknown>;
  /** false: draw no industry icons (AdChoices, "Why this ad") over ads. */
  icons?: boolean;
  /**
   * The host's Open Measurement service (it licenses the OM SDK): availkit starts one OM ad session per ad
   * with verifications and feeds it the ad's events. Absent: each verification's verificationNotExecuted
   * fires once per ad with [REASON] 2. false: availkit does nothing with verifications.
   */
  omid?: OMIDService | false;
  /** false: never load the SIMID host (web/simid/, fetched at the first ad with a SIMID creative). */
  simid?: boolean;
  simidOptions?: SIMIDOptions;
  nonLinear?: boolean;
  nonLinearOptions?: { defaultSeconds?: number };
  /** Replaces the adapter list (web/adapters/index.js). */
  adapters?: Adapter[];

  /** Transport overrides (tests, custom stacks). */
  fetch?: typeof fetch;
  /** Sends one beacon; resolve when sent, reject on a network error (one retry follows). */
  sendBeacon?: (url: string) => Promise<void>;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export interface LoadOptions {
  /** Default: availkit.wasm beside availkit.js. */
  wasmUrl?: string | URL;
  /** Default: wasm_exec.js beside availkit.js. */
  wasmExecUrl?: string | URL;
  wasmBytes?: BufferSource;
  /** A compiled core, e.g. kept by the host in IndexedDB: nothing is fetched or compiled. */
  wasmModule?: WebAssembly.Module;
  /**
   * When AvailKit.start fetches, compiles and starts the core. 'first-frame' (the default): after the first
   * frame of an attached video, or at once when a session cannot start without it (a reply only the core may
   * judge, a headless update), or after 5 s; the core then does not compete with the player before the first
   * frame, and a pre-roll's crossed beacons fire when it arrives. 'eager': at once, in parallel with the player.
   * AvailKit.load is always eager.
   */
  coreStart?: 'eager' | 'first-frame';
}

/** Counts of one beacon event type. scheduled and skippedBySeek count timed beacons in the timeline (live: the window). */
export interface EventTypeStats {
  scheduled: number;
  /** Sent and answered. */
  fired: number;
  /** Failed after one retry, or refused. */
  failed: number;
  /** Left to MediaTailor (reportingMode 'server'). */
  server: number;
  /** Behind the playhead and never fired: a seek passed over them. */
  skippedBySeek: number;
}

export interface AdStatsEntry {
  availId: string;
  adId: string;
  played: boolean;
  skipped: boolean;
  errored: boolean;
  /** Seconds of the ad played. */
  watched: Seconds;
}

export interface AdStats {
  events: Record<string, EventTypeStats>;
  /** The last 200 ads. */
  ads: AdStatsEntry[];
  totals: { ads: number; played: number; skipped: number; errored: number; watched: Seconds };
  /** Beacon requests: count, and the send-to-outcome time of the last 256 (absent before the first). */
  latency: { count: number; meanMs?: number; p50Ms?: number; p95Ms?: number; maxMs?: number };
}

export interface ErrorDetail {
  /** 'network' | 'timeout' | 'http' | 'badjson' | 'badreply' | 'expired' (requests), 'config', 'internal', 'ad', 'player' (the player library's fatal error), 'embed' (<availkit-player> only). */
  kind: string;
  /** What failed: 'init' | 'tracking' | 'host' | 'core' | 'ad' | 'player'. */
  source: string;
  /** HTTP status, 0 when none. */
  status: number;
  message: string;
  /** MediaTailor's own message from an error reply's body, when it sent one. */
  serverMessage?: string;
}

/** An ad failed (Session.adError, a VPAID AdError): its and its break's error beacons fired with [ERRORCODE] = code. */
export interface AdErrorDetail extends AdEventDetail {
  kind: 'ad';
  source: 'ad';
  /** Always 0: no request failed (every error detail has a status). */
  status: number;
  /** The VAST error code (e.g. 405, 901). */
  code: number;
  message: string;
}

export interface TrackingUpdateDetail {
  avails: number;
  newAvails: number;
  newAds: number;
  newEvents: number;
  /** Avails that left the live window with this update (their dedupe state is dropped). */
  pruned: number;
  nextToken: string;
  bytes: number;
  /** The response's hlsAnchorMediaSequenceNumber, when it had one. */
  hlsAnchorMediaSequenceNumber?: number;
  /** The response's dashAvailabilityStartTime, when it had one. */
  dashAvailabilityStartTime?: string;
  /** The response body as polled, only with rawTracking: true. */
  raw?: string;
}

export interface ReadyDetail {
  manifestUrl: string;
  trackingUrl: string;
  sessionId: string;
}

export interface BeaconDetail {
  eventType: string;
  /** Expanded URL as requested. */
  url: string;
  /** Event time in session seconds; -1 for action and host-fired beacons. */
  scheduledTime: Seconds;
  /** Playhead when the core dispatched it. */
  playhead: Seconds;
  availId: string;
  adId: string;
  eventId: string;
  /** 'player' sent it; 'server': reportingMode 'server', MediaTailor sends it and the plugin did not. */
  firedBy: 'player' | 'server';
  /** performance.timeOrigin + performance.now() when the event was dispatched (ms). */
  firedAt: number;
}

export interface BeaconErrorDetail {
  eventType: string;
  url: string;
  availId: string;
  adId: string;
  eventId: string;
  message: string;
  /** 0 (URL refused), 1 or 2 (one retry). */
  attempts: number;
}

/** Detail of every ad-break event; fields not meaningful for an event are 0 or ''. */
export interface AdEventDetail {
  availId: string;
  adId: string;
  /** 1-based index of the ad in its break; 0 on break events (adbreakstart, adbreakend). */
  index: number;
  count: number;
  /** Ad duration (ad events) or break duration (break events). */
  duration: Seconds;
  /** Skip offset from the ad start; -1 when not skippable. */
  skipOffset: Seconds;
  playhead: Seconds;
  adPlayhead: Seconds;
  /** Remaining break time. */
  remaining: Seconds;
  position: BreakPosition;
}

export interface AdStartDetail extends AdEventDetail {
  clickThrough: string;
  adTitle: string;
  adSystem: string;
  creativeId: string;
  companions: CompanionAd[];
  /** The ad's Open Measurement verifications (tracking JSON adVerifications). */
  adVerifications: AdVerification[];
  /** Industry icons of the ad, from its extensions (VAST <Icons>, IconClickFallbackImages). */
  icons: AdIcon[];
  /** The ad's SIMID creative, null when it has none. */
  simid: SIMIDInfo | null;
  vpaid: VPAIDInfo | null;
}

export interface SnapbackDetail extends AdEventDetail {
  from: Seconds;
  to: Seconds;
  /** Where playback resumes after the break; -1 when it just continues. */
  resumeAt: Seconds;
}

export interface SeekDecision {
  allow: boolean;
  to: Seconds;
  resumeAt: Seconds;
  /** '' allowed; 'refused': stay at `to` (the current position); 'snap': play the break at `to` first. */
  reason: '' | 'refused' | 'snap';
}

export interface SeekRequest {
  to: Seconds;
  resumeAt: Seconds;
  /**
   * 'snap' (an unwatched break first), 'resume' (after the snapped break), 'skip' (to the ad end),
   * 'jump' (over a watched break), 'vpaid' (past a VPAID slot), 'start' (the startAt option, headless).
   */
  reason: 'snap' | 'resume' | 'skip' | 'jump' | 'vpaid' | 'start';
}

export interface UIState {
  state: EngineState;
  inAd: boolean;
  availId: string;
  adId: string;
  adIndex: number;
  adCount: number;
  adDuration: Seconds;
  adPlayhead: Seconds;
  adRemaining: Seconds;
  breakRemaining: Seconds;
  skippable: boolean;
  /** Seconds until Skip is allowed: -1 not skippable, 0 now. */
  skipIn: Seconds;
  clickThrough: boolean;
}

export interface Marker {
  availId: string;
  start: Seconds;
  duration: Seconds;
  watched: boolean;
}

export interface SessionEventMap {
  ready: CustomEvent<ReadyDetail>;
  trackingupdate: CustomEvent<TrackingUpdateDetail>;
  adbreakupcoming: CustomEvent<AdEventDetail & { start: Seconds }>;
  /** With the break's first ad's first frame on screen (its `adstart`, its breakStart beacon). */
  adbreakstart: CustomEvent<AdEventDetail>;
  /** The ad's first frame is on screen while playing: with its impression and start beacons (a VPAID ad: at once). */
  adstart: CustomEvent<AdStartDetail>;
  adprogress: CustomEvent<AdEventDetail>;
  adskippable: CustomEvent<AdEventDetail>;
  adend: CustomEvent<AdEventDetail & { skipped: boolean }>;
  adbreakend: CustomEvent<AdEventDetail>;
  beacon: CustomEvent<BeaconDetail>;
  beaconerror: CustomEvent<BeaconErrorDetail>;
  snapback: CustomEvent<SnapbackDetail>;
  /** Headless mode: a seek the host must perform. */
  seekrequest: CustomEvent<SeekRequest>;
  companion: CustomEvent<unknown>;
  /** Companions a VPAID unit supplied (getAdCompanions) for an ad whose tracking JSON had none (web/vpaid): the companion renderer shows them. */
  adcompanions: CustomEvent<{ availId: string; adId: string; companions: CompanionAd[]; source: 'vpaid' }>;
  /** An overlay avail is due: the nonLinearAvails[] entry as sent, plus start and duration. */
  nonlinear: CustomEvent<Record<string, unknown> & { availId: string; start: Seconds; duration: Seconds }>;
  vpaidstart: CustomEvent<AdStartDetail>;
  vpaidend: CustomEvent<AdEventDetail>;
  /** A VPAID or SIMID unit draws its own icons (adIcons): the icon layer draws none for that ad. */
  adicons: CustomEvent<{ availId: string; adId: string; adIcons: boolean }>;
  /** The running VPAID unit's own countdown (dispatched by the VPAID runner). */
  vpaidprogress: CustomEvent<{ availId: string; adId: string; remaining: Seconds | null; duration: Seconds | null; skippable: boolean }>;
  /** The SIMID creative of the current ad changed phase (web/simid). */
  simidstate: CustomEvent<SIMIDStateDetail>;
  /** An ad's OM verification was executed by the host's service, or reported not executed (web/omid). */
  verification: CustomEvent<VerificationDetail>;
  /** A variableDuration SIMID ad granted more time than its media (VOD): the countdown of the granted duration; holding while the player waits at the media end. */
  simidprogress: CustomEvent<{ availId: string; adId: string; duration: Seconds; remaining: Seconds; holding: boolean }>;
  /** A failure (ErrorDetail), or an ad's failure with its VAST error code (AdErrorDetail, kind 'ad'). */
  error: CustomEvent<ErrorDetail | AdErrorDetail>;
}

/** Live anchors of the latest tracking response that carried them (null when none did). */
export interface TrackingAnchor {
  /** The HLS media sequence number at session time 0. */
  hlsAnchorMediaSequenceNumber: number | string | null;
  /** MPD@availabilityStartTime the DASH session clock counts from. */
  dashAvailabilityStartTime: string | number | null;
}

export interface HeadlessState {
  paused?: boolean;
  muted?: boolean;
  fullscreen?: boolean;
  seeking?: boolean;
  ended?: boolean;
  /** Default true: the host shows frames. */
  rendered?: boolean;
  /** Playback rate (default 1); set it when playing faster than 1× so coarse updates still count as playback. */
  rate?: number;
}

export declare class Session extends EventTarget {
  readonly video: HTMLVideoElement | null;
  readonly container: HTMLElement | null;
  readonly manifestUrl: string;
  readonly trackingUrl: string;
  readonly sessionId: string;
  readonly destroyed: boolean;
  /** Playhead in session time. */
  readonly currentTime: Seconds;
  /** Session duration (NaN until known, Infinity for live). */
  readonly duration: Seconds;
  /** Whether the player (or the headless host's manifestLoaded) reported a live stream. */
  readonly live: boolean;

  attach(player?: unknown, opts?: { adapters?: Adapter[] }): this;
  detach(): void;
  /** Headless hosts report the first media manifest themselves. */
  manifestLoaded(info?: { live?: boolean; targetDuration?: Seconds; minimumUpdatePeriod?: Seconds; duration?: Seconds }): void;
  /** Headless: feed the playhead; returns the seek to perform, or null. */
  update(playhead: Seconds, state?: HeadlessState): SeekRequest | null;
  /** Headless: where to seek instead of `to`. */
  requestSeek(to: Seconds): Seconds;
  nextEventIn(playhead?: Seconds): Seconds;
  /** Seek through the no-skip policy. */
  seek(t: Seconds): SeekDecision | null;
  skip(): boolean;
  /**
   * Fires clickTracking and opens the landing page (http/https, noopener). Given the click's MouseEvent,
   * its position over the video is sent as [CLICKPOS]. With {open: false} clickTracking fires and the URL
   * is returned but not opened (a SIMID creative opens its own). Returns the URL or ''.
   */
  clickThrough(click?: MouseEvent | { open?: boolean }): string;
  ui(): UIState | null;
  markers(): Marker[];
  /** Ad statistics: what each beacon type, each ad and the beacon sender did. null once destroyed. */
  stats(): AdStats | null;
  contentTime(t?: Seconds): Seconds;
  streamTime(c: Seconds): Seconds;
  pollNow(): void;
  /** Extra tracking (companions, VPAID, overlays), deduped by key + URL; returns requests started. */
  fireTracking(t: { availId: string; adId: string; eventType: string; urls: string[]; key?: string; reason?: number }): number;
  /** A VPAID unit's getAdCompanions XML (VAST CompanionAds) read into the adstart companions shape; [] when none. */
  companionsFromVAST(xml: string): CompanionAd[];
  /** VPAID creative event (AdImpression, AdVideoStart, …, AdVolumeChange with {volume} or {muted}). */
  vpaidEvent(name: string, data?: Record<string, unknown>): boolean;
  /** Ad failure with a VAST error code: error beacons once, with [ERRORCODE]. */
  adError(code: number): boolean;
  vpaidStopped(result?: Record<string, unknown>): boolean;
  destroy(): void;

  addEventListener<K extends keyof SessionEventMap>(type: K, listener: (ev: SessionEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof SessionEventMap>(type: K, listener: (ev: SessionEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/** What a failed createSession rejects with: the `error` detail of the failure on an Error. */
export declare class AvailKitError extends Error {
  readonly name: 'AvailKitError';
  /** As ErrorDetail.kind: 'http', 'network', 'badjson', 'badreply', 'config', 'internal', … */
  readonly kind: string;
  /** 'init' for the session initialisation, 'host' for a refused option. */
  readonly source: string;
  /** HTTP status, 0 when none. */
  readonly status: number;
  /** The error detail as the core reported it (message: MediaTailor's message when it sent one). */
  readonly detail: ErrorDetail;
}

/** Every event type a Session dispatches (web/core/events.js). */
export declare const SESSION_EVENTS: ReadonlyArray<keyof SessionEventMap>;
/** The event types a page with an attached player sees: all but seekrequest. */
export declare const PLAYER_EVENTS: ReadonlyArray<Exclude<keyof SessionEventMap, 'seekrequest'>>;

export declare class AvailKit {
  /**
   * Starts loading the core and returns at once; `ready` settles when it
   * runs. createSession on a kit that is not ready sends the session init
   * at once and resolves from its reply (docs/startup.md).
   */
  static start(opts?: LoadOptions): AvailKit;
  /** AvailKit.start(opts).ready: resolves once the core runs. */
  static load(opts?: LoadOptions): Promise<AvailKit>;
  /** Resolves with this kit once the core runs; rejects if it cannot load. */
  readonly ready: Promise<AvailKit>;
  /** '' until ready. */
  readonly version: string;
  /** fetch + compile + instantiate + start, ms. */
  readonly loadMs: number;
  /** Rejects with an AvailKitError. */
  createSession(opts: SessionOptions): Promise<Session>;
  /** What the core holds: live sessions, js.Funcs and pending timers. */
  stats(): { sessions: number; funcs: number; timers: number };
}

export default AvailKit;
