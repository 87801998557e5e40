package client

import (
	"strconv"
	"unsafe"

	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/session"
	"github.com/availkit/availkit/internal/timeline"
	"github.com/availkit/availkit/internal/tracking"
)

// timeoutGrace is how long past Request.Timeout the Session waits for a
// transport before giving up on its own.
const timeoutGrace = clock.Second

// pollState is the tracking poll loop: session.Poller decides when, a
// one-shot Deps.After timer wakes the Session, Deps.Fetch fetches.
type pollState struct {
	p      *session.Poller
	cancel func() // pending poll timer, nil when none
	// pauseDirty is set by Update when the paused flag changed; Flush
	// applies it, since Update must not start timers.
	pauseDirty bool
	// manifest is a ManifestLoaded that came before Init completed.
	manifest    ManifestInfo
	hasManifest bool
	// window is the live seekable start last reported (SetWindow).
	window    float64
	hasWindow bool
	// dec decodes reply step by step, nil when no reply is pending; step
	// cancels the timer of its next step. merged avails of it are merged,
	// with stats.
	dec    *tracking.Decoder
	reply  Reply
	step   func()
	merged int // avails of the reply merged
	ad     int // ads merged of the avail after them
	stats  timeline.MergeStats
}

// A tracking reply over replyStep bytes is decoded and merged in steps,
// each from a timer of its own (Deps.After(0)): under wasm a 2 MB reply
// takes a few hundred milliseconds to decode and merge on a slow device,
// which in one piece would hold the page's main thread (issue 15). A step
// decodes up to replyStep bytes, in parts of decodePart, or merges about
// mergeStep events; a decode step also ends once it has run stepTime, a bound
// for the first steps: wasm runs on baseline code until V8 has
// optimized it, and there the same bytes took 40 ms instead of 8. A
// smaller reply is handled at once, as it always was.
const (
	replyStep  = 128 << 10
	decodePart = 16 << 10
	mergeStep  = 2000
	stepTime   = 8 * clock.Millisecond
)

// ManifestInfo describes a loaded media manifest.
type ManifestInfo struct {
	Live bool
	// TargetDuration (HLS) or MinimumUpdatePeriod (DASH) sets the live
	// poll interval.
	TargetDuration, MinimumUpdatePeriod clock.Duration
	// Duration is the session duration in seconds (VOD), 0 when unknown.
	Duration float64
	// SeekableStart, when HasSeekableStart, is the start of the live
	// window in session seconds: avails that end before it are pruned.
	SeekableStart    float64
	HasSeekableStart bool
}

func (s *Session) startPoller(trackingURL string) {
	s.poll.p = session.NewPoller(trackingURL, session.PollConfig{
		Interval: s.cfg.PollInterval,
		Rand:     s.jitter,
		Mode:     s.cfg.TokenMode,
	})
	if s.poll.hasManifest {
		s.poll.hasManifest = false
		s.ManifestLoaded(s.poll.manifest)
	}
}

// jitter is a uniform float64 in [0, 1) from Deps.Rand.
func (s *Session) jitter() float64 { return float64(s.deps.Rand()>>11) / (1 << 53) }

// ManifestLoaded reports a (re)loaded media manifest. The first one starts
// polling; a live one switches the engine to live (no snap-back by
// default, no pre-roll) without losing anything merged so far.
func (s *Session) ManifestLoaded(m ManifestInfo) {
	if s.destroyed {
		return
	}
	if m.Live && !s.eng.Live() {
		s.eng.SetLive(true)
	}
	if m.Duration > 0 {
		s.eng.SetDuration(m.Duration)
	}
	if m.HasSeekableStart {
		s.SetWindow(m.SeekableStart)
	}
	if s.poll.p == nil {
		s.poll.manifest, s.poll.hasManifest = m, true
		return
	}
	s.poll.p.ManifestLoaded(s.deps.Now(), m.Live, m.TargetDuration, m.MinimumUpdatePeriod)
	s.schedulePoll()
}

// PollNow asks for a tracking poll as soon as possible (after the one in
// flight, if any).
func (s *Session) PollNow() {
	if s.destroyed || s.poll.p == nil {
		return
	}
	s.poll.p.Request(s.deps.Now())
	s.schedulePoll()
}

// applyPause forwards a play/pause change seen by Update to the poller.
func (s *Session) applyPause() {
	if !s.poll.pauseDirty {
		return
	}
	s.poll.pauseDirty = false
	if s.poll.p != nil {
		s.poll.p.SetPaused(s.deps.Now(), s.flags&engine.FlagPaused != 0)
		s.schedulePoll()
	}
}

func (s *Session) stopPollTimer() {
	if s.poll.cancel != nil {
		s.poll.cancel()
		s.poll.cancel = nil
	}
}

// schedulePoll re-arms the poll timer from the poller's plan.
func (s *Session) schedulePoll() {
	s.stopPollTimer()
	if s.destroyed || s.poll.p == nil {
		return
	}
	wait, ok := s.poll.p.NextPoll(s.deps.Now())
	if !ok {
		return
	}
	s.poll.cancel = s.deps.After(wait, s.pollDue)
}

func (s *Session) pollDue() {
	s.poll.cancel = nil
	if s.destroyed {
		return
	}
	if !s.poll.p.Begin(s.deps.Now()) {
		s.schedulePoll()
		return
	}
	req := Request{Method: "GET", URL: s.poll.p.URL(), Timeout: s.cfg.RequestTimeout, MaxBytes: s.cfg.MaxReplyBytes}
	s.fetch(req, s.pollDone)
}

func (s *Session) pollDone(r Reply, err *session.Error) {
	decoding := false
	// Deferred so that a panic while handling the reply (reported by the
	// bridge) still ends the poll: the poller would otherwise stay in
	// flight and never poll again.
	defer func() {
		if !decoding {
			s.endPoll(false)
		}
	}()
	if err == nil && (r.Status < 200 || r.Status > 299) {
		// Only an error body is converted: a large reply is copied once,
		// for the decoder.
		err = session.TrackingError(r.Status, []byte(r.Body))
		if err != nil && err.Kind == session.KindExpired {
			s.poll.p.Stop()
		}
	}
	if err == nil && len(r.Body) > s.cfg.MaxReplyBytes {
		err = &session.Error{Kind: session.KindBadReply, Status: r.Status,
			Message: "tracking reply of " + strconv.Itoa(len(r.Body)) + " bytes is over the cap of " + strconv.Itoa(s.cfg.MaxReplyBytes)}
	}
	if err != nil {
		s.emit(EventError, errorOf("tracking", err))
		return
	}
	// The decoder only reads its input and keeps none of it: it can read
	// the body in place rather than from a copy of a few megabytes.
	s.poll.reply, s.poll.dec = r, tracking.NewDecoder(unsafe.Slice(unsafe.StringData(r.Body), len(r.Body)))
	decoding = true
	if len(r.Body) > replyStep {
		// The host has just copied the body into the core, in this task:
		// a big reply's first step goes to a task of its own too.
		s.poll.step = s.deps.After(0, s.replyStep)
		return
	}
	s.replyStep()
}

// replyStep does the next part of the pending reply and schedules the
// part after: decoding up to replyStep bytes, or once all of it is decoded and
// within the caps, merging mergeStep events of it. The last part ends the
// poll with trackingupdate. Between parts the engine sees the avails merged
// so far, as if the reply had come in parts; a reply refused (bad JSON, an
// ad over the cap) is refused before anything of it is merged.
func (s *Session) replyStep() {
	s.poll.step = nil
	dec := s.poll.dec
	if s.destroyed || dec == nil {
		return
	}
	ok, more := false, false
	defer func() {
		if !more { // also on a panic: the poll ends
			dec.Close() // a panic may leave it parked
			s.poll.reply, s.poll.dec = Reply{}, nil
			s.endPoll(ok)
		}
	}()
	r := s.poll.reply
	resp := dec.Response()
	if resp == nil {
		t0 := s.deps.Now()
		var done bool
		var err error
		for read := 0; read < replyStep && !done && err == nil; read += decodePart {
			if read > 0 && s.deps.Now().Sub(t0) >= stepTime {
				break
			}
			done, err = dec.Step(decodePart)
		}
		var serr *session.Error
		if err != nil {
			serr = &session.Error{Kind: session.KindBadJSON, Status: r.Status, Message: err.Error()}
		} else if done {
			resp = dec.Response()
			serr = s.checkCounts(resp, r.Status)
		}
		if serr != nil {
			s.emit(EventError, errorOf("tracking", serr))
			return
		}
		s.poll.merged, s.poll.ad, s.poll.stats = 0, 0, timeline.MergeStats{}
		if !done || len(r.Body) > replyStep {
			more = true
			s.poll.step = s.deps.After(0, s.replyStep)
			return
		}
	}
	part := s.nextPart(resp)
	if s.poll.merged == len(resp.Avails) {
		part.NonLinearAvails = resp.NonLinearAvails
	}
	st := s.eng.Merge(&part)
	sum := &s.poll.stats
	sum.NewAvails, sum.NewAds, sum.NewEvents = sum.NewAvails+st.NewAvails, sum.NewAds+st.NewAds, sum.NewEvents+st.NewEvents
	if s.poll.merged < len(resp.Avails) {
		more = true
		s.poll.step = s.deps.After(0, s.replyStep)
		return
	}
	s.poll.p.SetNextToken(resp.NextToken)
	pruned := s.prune()
	d := trackingUpdateDetail{
		Avails: len(s.eng.Timeline().Avails()), NewAvails: sum.NewAvails, NewAds: sum.NewAds, NewEvents: sum.NewEvents,
		Pruned: pruned, NextToken: resp.NextToken, Bytes: len(r.Body),
		HLSAnchor: resp.HLSAnchorMediaSequence, HasHLSAnchor: resp.HasHLSAnchor, DashAST: resp.DashAvailabilityStartTime,
	}
	if s.cfg.RawTracking {
		d.Raw, d.HasRaw = r.Body, true
	}
	s.emit(EventTrackingUpdate, d)
	ok = true
}

// endPoll reports the poll's outcome to the poller and plans the next.
func (s *Session) endPoll(ok bool) {
	s.poll.p.OnResult(s.deps.Now(), ok)
	s.schedulePoll()
}

// checkCounts refuses a reply with more tracking events in one ad, break or
// overlay than Config.MaxEventsPerAd: a hostile or broken ad server must
// not make every frame scan an unbounded schedule.
func (s *Session) checkCounts(r *tracking.Response, status int) *session.Error {
	limit := s.cfg.MaxEventsPerAd
	over := func(what, id string, n int) *session.Error {
		return &session.Error{Kind: session.KindBadReply, Status: status,
			Message: what + " \"" + id + "\" has " + strconv.Itoa(n) + " tracking events, over the cap of " + strconv.Itoa(limit)}
	}
	for i := range r.Avails {
		a := &r.Avails[i]
		if n := len(a.AdBreakTrackingEvents); n > limit {
			return over("avail", a.AvailID, n)
		}
		for j := range a.Ads {
			ad := &a.Ads[j]
			n := len(ad.TrackingEvents)
			for k := range ad.CompanionAds {
				n += len(ad.CompanionAds[k].TrackingEvents)
			}
			if n > limit {
				return over("ad", ad.AdID, n)
			}
		}
	}
	for i := range r.NonLinearAvails {
		a := &r.NonLinearAvails[i]
		n := 0
		for j := range a.NonLinearAdsList {
			n += len(a.NonLinearAdsList[j].TrackingEvents)
		}
		if n > limit {
			return over("overlay", a.AvailID, n)
		}
	}
	return nil
}

// SetWindow reports the live window's seekable start (session seconds).
// On a live session the avails (and overlays) that ended before it are
// pruned now and after every merge, and their beacon dedupe keys are
// forgotten, so a day of live holds only the window. It returns how many
// avails it pruned now. On VOD it only records the value.
func (s *Session) SetWindow(seekableStart float64) int {
	if s.destroyed || seekableStart != seekableStart {
		return 0
	}
	s.poll.window, s.poll.hasWindow = seekableStart, true
	return s.prune()
}

// prune drops what left the live window and forgets its dedupe keys.
func (s *Session) prune() int {
	if !s.poll.hasWindow || !s.eng.Live() {
		return 0
	}
	var n int
	n, s.ids = s.eng.PruneIDs(s.poll.window, s.ids[:0])
	for _, id := range s.ids {
		s.disp.Forget(id)
	}
	clear(s.ids)
	return n
}

// nextPart returns the part of resp the next merge step merges and moves
// s.poll.merged and s.poll.ad past it: whole avails while they come to
// about mergeStep events, or the next ads of an avail that alone has more.
// Its ads are merged a few at a time, at their positions (AdsFrom); its
// break events go with the first ads.
func (s *Session) nextPart(resp *tracking.Response) tracking.Response {
	i := s.poll.merged
	if i == len(resp.Avails) {
		return tracking.Response{}
	}
	if a := &resp.Avails[i]; s.poll.ad > 0 || availEvents(a) > mergeStep {
		from, to, n := s.poll.ad, s.poll.ad, 0
		if from == 0 {
			n = len(a.AdBreakTrackingEvents)
		}
		for to < len(a.Ads) && (to == from || n < mergeStep) {
			n += len(a.Ads[to].TrackingEvents)
			to++
		}
		sub := *a
		sub.Ads, sub.AdsFrom = a.Ads[from:to], from
		if from > 0 {
			sub.AdBreakTrackingEvents = nil
		}
		if s.poll.ad = to; to == len(a.Ads) {
			s.poll.merged, s.poll.ad = i+1, 0
		}
		return tracking.Response{Avails: []tracking.Avail{sub}}
	}
	j, n := i, 0
	for j < len(resp.Avails) && (j == i || n+availEvents(&resp.Avails[j]) <= mergeStep) {
		n += availEvents(&resp.Avails[j])
		j++
	}
	s.poll.merged = j
	return tracking.Response{Avails: resp.Avails[i:j]}
}

// availEvents counts the tracking events of a.
func availEvents(a *tracking.Avail) int {
	n := len(a.AdBreakTrackingEvents)
	for k := range a.Ads {
		n += len(a.Ads[k].TrackingEvents)
	}
	return n
}
