// Package-level list of player adapters, most specific first: Session.attach
// takes the first whose canAttach accepts the player.

import hls from './hls.js';
import dash from './dash.js';
import native from './native.js';

export const adapters = [hls, dash, native];

// pickAdapter returns the adapter for player (undefined → native <video>), or
// null when none fits; the caller then falls back to headless mode.
export function pickAdapter(player, list = adapters) {
  for (const a of list) if (a.canAttach(player)) return a;
  return null;
}

export { hls, dash, native };
