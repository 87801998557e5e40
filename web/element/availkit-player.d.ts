// Types for web/element/availkit-player.js (package export "availkit/element").

import type { AvailKit, Session, SessionEventMap } from '../availkit.js';

/** Where the element finds the player libraries; a URL or the library itself. */
export declare const libraries: {
  hls: string | (new (config?: Record<string, unknown>) => unknown);
  /** hls.js transmuxer worker, used with the default `hls` URL. */
  hlsWorker: string;
  dash: string | { MediaPlayer: () => { create(): unknown } };
};

/** Session events the element re-dispatches on itself (bubbling, composed). */
export declare const EVENTS: readonly (keyof AvailKitPlayerEventMap)[];

export type Engine = 'auto' | 'hls' | 'dash' | 'native';

export declare function engineFor(attr: Engine | string, manifestUrl: string, video: HTMLVideoElement): 'hls' | 'dash' | 'native';

/** The AvailKit every element on the page shares; null before the first element starts. */
export declare function loadedKit(): Promise<AvailKit> | null;

export interface VPAIDProgressDetail {
  availId: string;
  adId: string;
  remaining: number | null;
  duration: number | null;
  skippable: boolean;
}

/** Element errors add kind 'embed' (bad attribute JSON, missing slot, library load failure). */
export interface AvailKitPlayerEventMap extends Omit<SessionEventMap, 'seekrequest' | 'error'> {
  vpaidprogress: CustomEvent<VPAIDProgressDetail>;
  error: CustomEvent<SessionEventMap['error']['detail'] | { kind: 'embed'; source: 'element'; message: string }>;
}

export declare class AvailKitPlayerElement extends HTMLElement {
  static readonly observedAttributes: string[];
  /** The running session; null until created and after disconnect. */
  readonly session: Session | null;
  /** The hls.js instance or dash.js MediaPlayer; null for native playback. */
  readonly player: unknown;
  /** The <video> inside the shadow root. */
  readonly video: HTMLVideoElement;
  /**
   * The detail of the latest `error` event (the element's own or its
   * session's); null until one and after a (re)start. Set as the error
   * happens; the element's own errors are dispatched once the page's
   * deferred and module scripts have run.
   */
  readonly lastError: AvailKitPlayerEventMap['error']['detail'] | null;

  addEventListener<K extends keyof AvailKitPlayerEventMap>(type: K, listener: (this: AvailKitPlayerElement, ev: AvailKitPlayerEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: AvailKitPlayerElement, ev: HTMLElementEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof AvailKitPlayerEventMap>(type: K, listener: (this: AvailKitPlayerElement, ev: AvailKitPlayerEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'availkit-player': AvailKitPlayerElement;
  }
}
