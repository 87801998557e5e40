package engine

// SetLive tells the engine whether the stream is live. A player learns it
// from the first media manifest, which may arrive after the engine was
// built (and, for a session adopted from a server-side init, after the
// first tracking poll), so it can change at any time without losing the
// timeline or fired state. Live disables snap-back unless
// Config.LiveSnapBack is set and never reports a pre-roll position, since a
// live window has no start of program.
func (e *Engine) SetLive(live bool) { e.cfg.Live = live }

// Live reports whether the engine treats the stream as live.
func (e *Engine) Live() bool { return e.cfg.Live }
