package client

import (
	"math"

	"github.com/availkit/availkit/internal/beacon"
	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/jsonw"
)

// Flush performs what the engine queued: beacons are dispatched now;
// events and the last seek go back as one JSON text,
//
//	{"events":[{"type":…,"detail":{…}},…],"seek":{…}|null}
//
// or "" when there is nothing, so the host pays one crossing and one parse
// per batch. A panic while performing one action is reported as an
// "internal" error in the batch and the remaining actions still run: a
// beacon already sent is never lost from the events.
func (s *Session) Flush() string {
	if s.destroyed {
		return ""
	}
	s.applyPause()
	s.acts = s.eng.Drain(s.acts[:0])
	s.flushing = true
	defer func() {
		s.flushing = false
		s.click = clickPos{} // a click's position is for its own beacons
		clear(s.acts)        // drop references to tracking models
	}()
	s.batch = append(s.batch[:0], `{"events":[`...)
	s.nBatch = 0
	for _, p := range s.panics {
		s.appendEvent(EventError, ErrorDetail{Kind: KindInternal, Source: "core", Message: p})
	}
	clear(s.panics)
	s.panics = s.panics[:0]
	// Two passes. The first sends every due beacon, with the state the
	// events change (pod position, counts) advanced in the actions' order,
	// so macros expand as they would in one pass; the beacons' own events
	// are written aside. The second writes the batch in the actions'
	// order. The engine gives a break's first ad as adbreakstart, adstart,
	// breakStart, impression…: writing those events first (the whole ad,
	// as JSON) held the pre-roll's first request 2-3 ms, and an adstart
	// in a pod sits between the last ad's complete and the next impression
	// (bench/firstframe.mjs' trace).
	s.early = s.early[:0]
	s.spans = s.spans[:0]
	var seek *engine.Action
	for i := range s.acts {
		a := &s.acts[i]
		sp := earlySpan{from: len(s.early)}
		switch a.Kind {
		case engine.ActionSeek:
			seek = a
		case engine.ActionBeacon:
			s.toEarly = true
			n := s.nBatch
			s.perform(a, (*Session).fireAction)
			s.toEarly = false
			sp.events = s.nBatch - n
			s.nBatch = n
		case engine.ActionEvent:
			s.perform(a, (*Session).advance)
		}
		sp.to = len(s.early)
		s.spans = append(s.spans, sp)
	}
	for i := range s.acts {
		switch a := &s.acts[i]; a.Kind {
		case engine.ActionSeek:
		case engine.ActionBeacon:
			s.appendEarly(s.spans[i])
		case engine.ActionEvent:
			s.perform(a, (*Session).appendAction)
		}
	}
	if s.nBatch == 0 && seek == nil {
		return ""
	}
	s.batch = append(s.batch, `],"seek":`...)
	if seek != nil {
		s.batch = jsonw.AppendJSON(s.batch, SeekResult{Allow: true, To: seek.To, ResumeAt: seek.ResumeAt, Reason: seek.Name})
	} else {
		s.batch = append(s.batch, "null"...)
	}
	s.batch = append(s.batch, '}')
	return string(s.batch)
}

// perform runs one step of Flush for an action, turning a panic into an
// internal error event of the batch.
func (s *Session) perform(a *engine.Action, step func(*Session, *engine.Action)) {
	defer func() {
		if r := recover(); r != nil {
			s.appendEvent(EventError, ErrorDetail{Kind: KindInternal, Source: "core", Message: "flush " + a.Name + ": " + PanicText(r)})
		}
	}()
	step(s, a)
}

// appendAction writes an event action into the batch.
func (s *Session) appendAction(a *engine.Action) { s.appendEvent(a.Name, actionEvent{a}) }

func (s *Session) appendEvent(typ string, detail jsonw.Marshaler) {
	s.nBatch++
	if s.toEarly {
		// Each with a leading comma; appendEarly drops the first one when
		// it opens the batch.
		s.early = appendEventJSON(append(s.early, ','), typ, detail)
		return
	}
	if s.nBatch > 1 {
		s.batch = append(s.batch, ',')
	}
	s.batch = appendEventJSON(s.batch, typ, detail)
}

func appendEventJSON(b []byte, typ string, detail jsonw.Marshaler) []byte {
	b = append(b, `{"type":`...)
	b = jsonw.AppendString(b, typ)
	b = append(b, `,"detail":`...)
	b = jsonw.AppendJSON(b, detail)
	return append(b, '}')
}

// earlySpan is the part of Session.early one beacon action wrote while
// Flush sent the beacons: events JSON texts, each after a comma.
type earlySpan struct{ from, to, events int }

// appendEarly moves one beacon action's events into the batch.
func (s *Session) appendEarly(sp earlySpan) {
	if sp.events == 0 {
		return
	}
	part := s.early[sp.from:sp.to]
	if s.nBatch == 0 {
		part = part[1:]
	}
	s.batch = append(s.batch, part...)
	s.nBatch += sp.events
}

// advance applies what an event action changes in the session, before
// the beacons that follow it are expanded.
func (s *Session) advance(a *engine.Action) {
	switch a.Name {
	case "adbreakstart":
		s.pod.start(a.AvailID)
	case "adstart":
		s.pod.count(a.AvailID, a.AdID)
	}
	s.stats.adEvent(a)
}

// duration converts seconds to a macro duration, -1 when unknown.
func duration(s float64) clock.Duration {
	if s < 0 || math.IsNaN(s) || s > math.MaxInt64/float64(clock.Second) {
		return -1
	}
	return clock.Duration(s * float64(clock.Second))
}

func (s *Session) fireAction(a *engine.Action) {
	s.dispatch(a.BeaconKey(), a, a.Scheduled)
}

// dispatch expands and fires one beacon unless its key was fired before.
// The "beacon" event goes out before the request starts, so a sender that
// fails synchronously still reports beaconerror after it.
func (s *Session) dispatch(k beacon.Key, a *engine.Action, scheduled float64) bool {
	if s.disp.Fired(k) {
		return false
	}
	s.exp = beacon.AppendExpand(s.exp[:0], k.URL, s.macroContext(a))
	u := string(s.exp)
	if beacon.Allowed(u) {
		by := beacon.FiredByPlayer
		if s.disp.ServerReporting() && beacon.RuleOf(k.EventType).Server && !k.PlayerOnly {
			by = beacon.FiredByServer
		}
		s.emit(EventBeacon, beaconDetail{
			EventType: k.EventType, URL: u, ScheduledTime: scheduled, Playhead: a.Playhead,
			AvailID: k.AvailID, AdID: k.AdID, EventID: k.EventID, FiredBy: by,
		})
	}
	return s.disp.Fire(k, u)
}

// TrackingRequest is a host-supplied beacon: companion, overlay, VPAID or
// verification tracking. Key identifies it for dedupe within its ad.
type TrackingRequest struct {
	AvailID, AdID, EventType, Key string
	URLs                          []string
	// Reason is the [REASON] macro value of verificationNotExecuted (VAST
	// 4.1+: 1 resource rejected, 2 verification not supported, 3 error
	// during resource load); 0 leaves [REASON] as -1.
	Reason int
}

// FireTracking fires a host-supplied beacon through the same dedupe,
// macros and retry as the engine's. It returns how many requests started.
func (s *Session) FireTracking(t TrackingRequest) int {
	if s.destroyed {
		return 0
	}
	n := 0
	a := engine.Action{AvailID: t.AvailID, AdID: t.AdID, EventType: t.EventType, EventID: t.Key, Playhead: s.ph, Scheduled: -1}
	// macroContext reads the reason while these URLs are dispatched.
	s.reason = t.Reason
	defer func() { s.reason = 0 }()
	for i, raw := range t.URLs {
		a.URL = raw
		// Host-supplied lists (companion, VPAID, overlay, verification)
		// are the player's to send in server reporting mode too.
		k := beacon.Key{AvailID: t.AvailID, AdID: t.AdID, EventID: t.Key, EventType: t.EventType, URL: raw, Index: i, PlayerOnly: true}
		if s.dispatch(k, &a, -1) {
			n++
		}
	}
	return n
}

// send is the beacon.Dispatcher sender, timing each request for Stats;
// outcomes after Destroy are dropped by beaconResult.
func (s *Session) send(u string, done func(error)) {
	t0 := s.deps.Now()
	s.deps.Send(u, func(err error) {
		s.stats.latency(s.deps.Now().Sub(t0))
		done(err)
	})
}

// BeaconsPending returns the number of beacons whose outcome is unknown.
func (s *Session) BeaconsPending() int { return s.disp.Pending() }

func (s *Session) beaconResult(r beacon.Result) {
	if s.destroyed {
		return
	}
	s.stats.result(r)
	if r.Err == nil {
		return
	}
	s.emit(EventBeaconError, beaconErrorDetail{
		EventType: r.Key.EventType, URL: r.URL, AvailID: r.Key.AvailID, AdID: r.Key.AdID,
		EventID: r.Key.EventID, Message: r.Err.Error(), Attempts: r.Attempts,
	})
}
