package emulator

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"time"
)

type segKind uint8

const (
	segContent segKind = iota
	segAd
	segSlate
)

// seg is one stitched media segment (video timing; the audio track has the
// same count and its own durations).
type seg struct {
	asset *asset
	idx   int
	dur   time.Duration
	kind  segKind
	disc  bool  // EXT-X-DISCONTINUITY before this segment
	dsn   int64 // discontinuity sequence number of this segment
	msn   int64
	// acc is session time for VOD; for live HLS the time since the first
	// emitted segment (session time = acc - liveState.zero).
	acc     time.Duration
	ch      time.Duration // live: channel time of the segment start
	availAt time.Duration // live: channel time when the segment is published
	av      *avail
	ad      *adSlot // nil for content
	period  string
	loop    int64
}

// plan is a VOD session's stitched timeline.
type plan struct {
	segs   []seg
	avails []*avail
	total  time.Duration
}

// vodPeriod is the origin's single VOD period id.
const vodPeriod = "1"

func (srv *Server) buildVOD(s *Session) *plan {
	content := srv.cat.Content(s.cfg.Content)
	n := len(content.Segments)
	prefix := make([]time.Duration, n+1)
	for i, d := range content.Segments {
		prefix[i+1] = prefix[i] + d
	}
	cues := map[int]bool{}
	for _, c := range s.cfg.VODCuePointsSecs {
		cd := seconds(c)
		if cd < 0 || cd > prefix[n] {
			continue
		}
		cues[sort.Search(n+1, func(j int) bool { return prefix[j] >= cd })] = true
	}
	p := &plan{}
	var t time.Duration
	var msn, dsn int64
	index := 0
	add := func(sg seg) {
		if sg.disc && len(p.segs) > 0 {
			dsn++
		} else {
			sg.disc = false
		}
		sg.msn, sg.dsn, sg.acc = msn, dsn, t
		msn++
		t += sg.dur
		p.segs = append(p.segs, sg)
	}
	contentPeriod := vodPeriod
	for j := 0; j <= n; j++ {
		if cues[j] {
			index++
			av := srv.decide(s, index, 0, 0)
			s.skips = append(s.skips, av.skips...)
			av.start, av.firstMsn, av.id = t, msn, strconv.FormatInt(msn, 10)
			off := formatISODuration(prefix[j])
			k := 0
			for _, ad := range av.ads {
				ad.start, ad.msn = t, msn
				for x, idx := range ad.segs {
					kind := segAd
					if ad.vpaid {
						kind = segSlate
					}
					// Each pass over an asset restarts its timestamps: a new
					// discontinuity and, for DASH, a new period.
					if x == 0 || idx == 0 {
						if x == 0 {
							ad.period = vodPeriod + "_" + off + "_" + strconv.Itoa(k)
						}
						k++
					}
					add(seg{asset: ad.asset, idx: idx, dur: ad.asset.Segments[idx], kind: kind,
						disc: x == 0 || idx == 0, av: av, ad: ad,
						period: vodPeriod + "_" + off + "_" + strconv.Itoa(k-1)})
				}
				ad.dur = t - ad.start
			}
			av.dur = t - av.start
			av.lastMsn = msn - 1
			if j > 0 {
				contentPeriod = vodPeriod + "_" + off
			}
			p.avails = append(p.avails, av)
		}
		if j < n {
			prev := len(p.segs) > 0 && p.segs[len(p.segs)-1].kind != segContent
			add(seg{asset: content, idx: j, dur: content.Segments[j], kind: segContent, disc: prev, period: contentPeriod})
		}
	}
	p.total = t
	return p
}

// channel is the live origin: the content looped from
// availabilityStartTime, with a break of length every `every`, phase past
// each multiple of every (both snapped to segment boundaries).
type channel struct {
	content              *asset
	prefix               []time.Duration
	loop                 time.Duration
	every, length, phase time.Duration
}

func newChannel(content *asset, cfg *PlaybackConfiguration) *channel {
	c := &channel{content: content, every: cfg.breakEvery(), length: cfg.breakDuration(), phase: cfg.breakPhase()}
	c.prefix = make([]time.Duration, len(content.Segments)+1)
	for i, d := range content.Segments {
		c.prefix[i+1] = c.prefix[i] + d
	}
	c.loop = c.prefix[len(content.Segments)]
	return c
}

// slotAt returns the loop pass, segment index and channel start time of the
// origin segment containing channel time t.
func (c *channel) slotAt(t time.Duration) (int64, int, time.Duration) {
	q := int64(t / c.loop)
	pos := t - time.Duration(q)*c.loop
	n := len(c.content.Segments)
	i := sort.Search(n, func(i int) bool { return c.prefix[i+1] > pos })
	if i == n {
		i = n - 1
	}
	return q, i, time.Duration(q)*c.loop + c.prefix[i]
}

func (c *channel) boundaryAtOrAfter(x time.Duration) time.Duration {
	q := x / c.loop
	pos := x - q*c.loop
	n := len(c.content.Segments)
	i := sort.Search(n+1, func(i int) bool { return c.prefix[i] >= pos })
	return q*c.loop + c.prefix[i]
}

// breakIndex is the number of the last break due at or before channel time
// t (breaks count from 1).
func (c *channel) breakIndex(t time.Duration) int64 {
	if t < c.phase {
		return 0
	}
	return int64((t - c.phase) / c.every)
}

func (c *channel) breakWindow(m int64) (time.Duration, time.Duration) {
	bs := c.boundaryAtOrAfter(c.phase + time.Duration(m)*c.every)
	return bs, c.boundaryAtOrAfter(bs + c.length)
}

// breakAt reports the break whose window contains channel time t.
func (c *channel) breakAt(t time.Duration) (int64, bool) {
	m := c.breakIndex(t)
	for _, mm := range []int64{m, m - 1} {
		if mm < 1 {
			continue
		}
		bs, be := c.breakWindow(mm)
		if t >= bs && t < be {
			return mm, true
		}
	}
	return m, false
}

// nextBreakStart is the start of the first break starting after t.
func (c *channel) nextBreakStart(t time.Duration) time.Duration {
	m := c.breakIndex(t) + 1
	for {
		if bs, _ := c.breakWindow(m - 1); m-1 >= 1 && bs > t {
			return bs
		}
		if bs, _ := c.breakWindow(m); bs > t {
			return bs
		}
		m++
	}
}

// liveState is a live session's stitching state.
type liveState struct {
	breaks    map[int64]*avail
	nextIndex int
	// joined is the channel time the session was created: a break that
	// started before it plays the underlying content, since its ad
	// decision would have happened before the session existed.
	joined time.Duration
	// timedOut are breaks whose decision missed the ADS timeout: they
	// play the underlying content, as on the real service.
	timedOut map[int64]bool
	// pending are ad decisions running ahead of their break, see prefetch.
	pending map[int64]*decision
	// HLS
	started    bool
	segs       []seg
	next       time.Duration // channel time of the next origin segment
	msn, dsn   int64
	acc        time.Duration
	lastAvail  time.Duration
	lastLoop   int64
	afterBreak bool
	zeroSet    bool
	zero       time.Duration
	anchorMsn  int64
}

// decision is an ad decision running in the background.
type decision struct {
	done chan struct{}
	av   *avail
}

// prefetchLead is how far ahead of a live break its ads are decided. All
// sessions of a channel reach a break together; deciding ahead (spread by
// Options.ADSJitter) keeps ad-server round trips out of manifest and
// tracking requests.
const prefetchLead = 50 * time.Second

// adsIn reports whether break m gets ads in this session.
func (st *liveState) adsIn(ch *channel, m int64) bool {
	bs, _ := ch.breakWindow(m)
	return bs >= st.joined && !st.timedOut[m]
}

// prefetch starts the decision of the next break within prefetchLead of
// now. The caller holds s.mu.
func (srv *Server) prefetch(s *Session, ch *channel, now time.Duration) {
	st := s.live
	m := ch.breakIndex(now + prefetchLead)
	if m < 1 {
		return
	}
	if _, ok := st.breaks[m]; ok {
		return
	}
	if _, ok := st.pending[m]; ok {
		return
	}
	bs, be := ch.breakWindow(m)
	if bs <= now {
		return // too late: liveBreak decides synchronously
	}
	st.nextIndex++
	d := &decision{done: make(chan struct{})}
	st.pending[m] = d
	index, jitter := st.nextIndex, time.Duration(0)
	if srv.opts.ADSJitter > 0 {
		jitter = time.Duration(rand.Int64N(int64(min(srv.opts.ADSJitter, max(bs-now-5*time.Second, 1)))))
	}
	go func() {
		time.Sleep(jitter)
		d.av = srv.decide(s, index, be-bs, be-bs)
		close(d.done)
	}()
}

// adsTimeout is MediaTailor's ad decision server timeout.
const adsTimeout = 3 * time.Second

// liveBreak returns break m of the session, deciding its ads on first use.
// Its pieces are the ads that fit, then slate passes up to the break end.
// A prefetched decision still running is awaited for at most
// Options.DecisionWait; then liveBreak returns nil (the caller publishes
// nothing past the break start yet) until the ADS timeout has passed at
// channel time now, after which the break is marked timed out and plays the
// content. The caller holds s.mu and checks adsIn first.
func (srv *Server) liveBreak(s *Session, ch *channel, m int64, now time.Duration) *avail {
	st := s.live
	if av, ok := st.breaks[m]; ok {
		return av
	}
	bs, be := ch.breakWindow(m)
	var av *avail
	if d, ok := st.pending[m]; ok {
		select {
		case <-d.done:
		case <-time.After(srv.opts.DecisionWait):
			if now < bs+adsTimeout {
				return nil
			}
			st.timedOut[m] = true
			delete(st.pending, m)
			s.skips = append(s.skips, Skip{AvailIndex: -1, Reason: "ADS_TIMEOUT"})
			return nil
		}
		av = d.av
		delete(st.pending, m)
	} else {
		st.nextIndex++
		av = srv.decide(s, st.nextIndex, be-bs, be-bs)
	}
	s.skips = append(s.skips, av.skips...)
	av.chStart, av.chEnd = bs, be
	av.basePeriod = strconv.FormatInt(bs.Milliseconds(), 10)
	slate := srv.cat.Slate()
	var fill time.Duration
	for _, ad := range av.ads {
		fill += ad.duration()
	}
	for fill < be-bs {
		f := &adSlot{filler: true}
		f.useAsset(slate)
		av.ads = append(av.ads, f)
		fill += f.duration()
	}
	t := bs
	for k, ad := range av.ads {
		ad.period = av.basePeriod + "_" + strconv.Itoa(k+1)
		ad.chStart = t
		ad.revealAt = t + ad.segDur(0)
		t += ad.duration()
	}
	av.id = av.basePeriod
	av.start, av.dur = bs, be-bs
	st.breaks[m] = av
	// Keep the decision cache bounded on long sessions.
	for k := range st.breaks {
		if k < m-4 {
			delete(st.breaks, k)
		}
	}
	for k := range st.pending {
		if k < m {
			delete(st.pending, k) // skipped over; its goroutine just finishes
		}
	}
	return av
}

// advanceHLS appends the session's live segments published up to now
// (channel time) and trims what is far behind the window.
func (srv *Server) advanceHLS(s *Session, ch *channel, now time.Duration) {
	st := s.live
	w := s.cfg.LiveWindowSegments
	srv.prefetch(s, ch, now)
	if !st.started {
		start := ch.boundaryAtOrAfter(now - time.Duration(w+2)*ch.content.Segments[0])
		st.next, st.started = start, true
		st.msn = int64(start / (2 * time.Second))
		st.lastLoop = -1
	}
	emit := func(sg seg) {
		if sg.disc && len(st.segs) > 0 {
			st.dsn++
		} else if len(st.segs) == 0 {
			sg.disc = false
		}
		sg.msn, sg.dsn, sg.acc = st.msn, st.dsn, st.acc
		if sg.availAt < st.lastAvail {
			sg.availAt = st.lastAvail
		}
		st.lastAvail = sg.availAt
		st.msn++
		st.acc += sg.dur
		st.segs = append(st.segs, sg)
	}
	for {
		if m, in := ch.breakAt(st.next); in && st.adsIn(ch, m) {
			av := srv.liveBreak(s, ch, m, now)
			if av == nil {
				if st.timedOut[m] {
					continue
				}
				break
			}
			if av.chStart+av.ads[0].segDur(0) > now {
				break
			}
			av.firstMsn = st.msn
			pos := av.chStart
			var hlsStart = st.acc
			for _, ad := range av.ads {
				ad.msn, ad.start = st.msn, st.acc
				kind := segAd
				if ad.vpaid || ad.filler {
					kind = segSlate
				}
				for x, idx := range ad.segs {
					d := ad.asset.Segments[idx]
					emit(seg{asset: ad.asset, idx: idx, dur: d, kind: kind, disc: x == 0 || idx == 0,
						ch: pos, availAt: pos + d, av: av, ad: ad})
					pos += d
				}
				ad.dur = st.acc - ad.start
			}
			av.lastMsn = st.msn - 1
			av.hlsStart, av.hlsDur = hlsStart, st.acc-hlsStart
			st.next, st.afterBreak = av.chEnd, true
			continue
		}
		q, i, start := ch.slotAt(st.next)
		d := ch.content.Segments[i]
		if start+d > now {
			break
		}
		disc := st.afterBreak || (st.lastLoop >= 0 && st.lastLoop != q)
		emit(seg{asset: ch.content, idx: i, dur: d, kind: segContent, disc: disc, ch: start, availAt: start + d, loop: q})
		st.lastLoop, st.afterBreak = q, false
		st.next = start + d
	}
	if keep := 3 * w; len(st.segs) > keep+w {
		st.segs = append(st.segs[:0], st.segs[len(st.segs)-keep:]...)
	}
}

// hlsWindow returns the live segments visible at now.
func (st *liveState) hlsWindow(now time.Duration, w int) []seg {
	end := len(st.segs)
	for end > 0 && st.segs[end-1].availAt > now {
		end--
	}
	start := end - w
	if start < 0 {
		start = 0
	}
	return st.segs[start:end]
}
