// Types for web/element/snippet.js (package export "availkit/element/snippet").

export interface EmbedConfig {
  /** Absolute URL of element/availkit-player.js as the embedding page will load it. */
  scriptUrl: string;
  sessionInitUrl: string;
  adsParams?: Record<string, string | number | boolean>;
  originParams?: Record<string, string | number | boolean>;
  /** 'auto' (default, omitted from the snippet) | 'hls' | 'dash' | 'native'. */
  engine?: 'auto' | 'hls' | 'dash' | 'native';
  /** 'last' (default, omitted) | 'first' | 'all' | 'off'. */
  noSkip?: 'last' | 'first' | 'all' | 'off';
  controls?: boolean;
  autoplay?: boolean;
  muted?: boolean;
  poster?: string;
  hlsSrc?: string;
  dashSrc?: string;
  wasmUrl?: string;
  companionSlots?: { width?: number; height?: number; adSlotId?: string }[];
  /** Default true: <link rel="preload"> for the core and <link rel="modulepreload"> for availkit.js and the player library. */
  preload?: boolean;
}

/** The copy-paste HTML: preload hints, one module script and one <availkit-player>. Throws without scriptUrl or sessionInitUrl. */
export declare function embedSnippet(config: EmbedConfig): string;
