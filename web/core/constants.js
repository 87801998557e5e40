// constants.js holds the numbers JavaScript and the Go core must agree on:
// the player flags and status bits of the per-frame exports, the seek
// origins, and the engine's two horizons. They are the values of
// internal/engine (Flag*, Status*, NearWindow, GapJump, Origin*);
// tests/node/constants.test.mjs reads that Go source and fails when they
// differ, and checkCore compares them with whatever the loaded core
// publishes, so a stale copy is caught before a session starts.

/** Player flags passed to ak_update (engine.Flags). */
export const FLAGS = Object.freeze({
  paused: 1,
  muted: 2,
  fullscreen: 4,
  seeking: 8,
  ended: 16,
  rendered: 32,
});

/** Status bits returned by ak_update (engine.Status). */
export const STATUS = Object.freeze({
  actions: 1,
  inAd: 2,
  near: 4,
  seek: 8,
});

/**
 * Seek origins of the core's seek method (engine.SeekOrigin by name):
 * api — the plugin is about to seek; native — the player already moved (a
 * user's seek); start — the initial or bookmark position, never snapped
 * back; gap — the player hopping a hole in its buffer.
 */
export const ORIGIN = Object.freeze({
  api: 'api',
  native: 'native',
  start: 'start',
  gap: 'gap',
});

/** NEAR is the horizon (s) inside which the frame clock drives the core (engine.NearWindow). */
export const NEAR = 0.5;

/** GAP_JUMP (s) is the longest hop a player makes over a hole in its buffer (engine.GapJump). */
export const GAP_JUMP = 1.0;

// checkCore throws when the core publishes a value that differs from this
// module: a core and an availkit.js from different builds would otherwise
// misread each other's bits. Groups the core does not publish are skipped.
export function checkCore(core) {
  const groups = { status: STATUS, flags: FLAGS };
  for (const [name, want] of Object.entries(groups)) {
    const got = core && core[name];
    if (!got) continue;
    for (const [k, v] of Object.entries(want)) {
      if (k in got && got[k] !== v) {
        throw new Error(`availkit: core ${name}.${k} is ${got[k]}, this availkit.js expects ${v}`);
      }
    }
  }
  for (const [name, want] of Object.entries({ nearWindow: NEAR, gapJump: GAP_JUMP })) {
    if (core && typeof core[name] === 'number' && core[name] !== want) {
      throw new Error(`availkit: core ${name} is ${core[name]}, this availkit.js expects ${want}`);
    }
  }
}

/**
 * The noSkip policies the core accepts (engine.ParsePolicy). A session
 * whose noSkip is not one of them takes no early init path, so that
 * createSession rejects with the core's config error instead of playing
 * ads nobody reports (tests/node/startup.test.mjs checks the list against
 * the core).
 */
export const NO_SKIP = Object.freeze(['last', 'first', 'all', 'off']);
