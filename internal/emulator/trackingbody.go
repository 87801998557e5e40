package emulator

import (
	"encoding/json"
	"errors"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A tracking report is made in four steps, each a function of its inputs:
// select the avails in the window (selectVOD, selectLiveHLS,
// selectLiveDASH), build their JSON (buildAvails), page it after the
// token (page, nextPosition), and cache the body under a key naming what
// it contains (reportKey, trackCache). Server.tracking only gathers the
// session's state and chains them.

// trackItem is one avail selected for a tracking response.
type trackItem struct {
	av         *avail
	start, dur time.Duration
	revealed   int // ads revealed so far (live), -1 = all
}

// window is what a tracking report at one instant is made of.
type window struct {
	items  []trackItem
	anchor *int64  // hlsAnchorMediaSequenceNumber
	ast    *string // dashAvailabilityStartTime
	tl     timeline
}

// selectVOD lists every avail of a VOD plan; HLS reports anchor on media
// sequence 0.
func selectVOD(p *plan, dash bool) window {
	w := window{tl: timeline{dash: dash}}
	if !dash {
		w.anchor = new(int64)
	}
	for _, av := range p.avails {
		w.items = append(w.items, trackItem{av: av, start: av.start, dur: av.dur, revealed: -1})
	}
	return w
}

// selectLiveHLS lists the breaks of a live HLS session that have a
// published first segment and a segment still in the window starting at
// media sequence firstMsn, at channel time t. Times are session-relative
// (zero = the channel time of the first segment the session was served).
func selectLiveHLS(breaks map[int64]*avail, firstMsn, anchorMsn int64, zero, t time.Duration) window {
	w := window{anchor: &anchorMsn, tl: timeline{offset: zero}}
	for _, m := range slices.Sorted(maps.Keys(breaks)) {
		av := breaks[m]
		if av.hlsDur == 0 || av.lastMsn < firstMsn || av.chStart+av.ads[0].segDur(0) > t {
			continue
		}
		w.items = append(w.items, trackItem{av: av, start: av.hlsStart - zero, dur: av.hlsDur, revealed: revealed(av, t)})
	}
	return w
}

// selectLiveDASH lists the breaks of a live DASH session whose first
// segment is published at t and that end inside the time-shift buffer.
// Times count from availabilityStartTime.
func selectLiveDASH(breaks map[int64]*avail, t, depth time.Duration) window {
	ast := astEpoch.Format(time.RFC3339)
	w := window{ast: &ast, tl: timeline{dash: true, pdt: pdtString}}
	for _, m := range slices.Sorted(maps.Keys(breaks)) {
		av := breaks[m]
		if av.chStart+av.ads[0].segDur(0) > t || av.chEnd <= t-depth {
			continue
		}
		w.items = append(w.items, trackItem{av: av, start: av.chStart, dur: av.chEnd - av.chStart, revealed: revealed(av, t)})
	}
	return w
}

// revealed counts the ads of a live break whose first segment is published
// at t.
func revealed(av *avail, t time.Duration) int {
	n := 0
	for _, a := range av.ads {
		if a.revealAt <= t {
			n++
		}
	}
	return n
}

// reportKey names exactly what a report contains: the token, whether a
// manifest was served, and per avail its identity (index and channel
// start, values that never change for a session's avail), times and
// revealed ads.
func reportKey(token string, served bool, items []trackItem) string {
	var b strings.Builder
	b.WriteString(token)
	b.WriteString("|")
	b.WriteString(strconv.FormatBool(served))
	for _, it := range items {
		for _, n := range []int64{int64(it.av.index), int64(it.av.chStart), int64(it.start), int64(it.dur), int64(it.revealed)} {
			b.WriteByte(':')
			b.WriteString(strconv.FormatInt(n, 10))
		}
		b.WriteByte(';')
	}
	return b.String()
}

// trackCache holds the last tracking body of a session. Live players poll
// every few seconds while the report changes only when an ad is revealed or
// an avail leaves the window.
type trackCache struct {
	key  string
	body []byte
}

func (c *trackCache) get(key string) ([]byte, bool) {
	return c.body, c.body != nil && c.key == key
}

func (c *trackCache) put(key string, body []byte) { c.key, c.body = key, body }

// buildAvails renders the selected avails as the tracking JSON lists them,
// with the session's collector URLs tagged; t is the channel time that
// decides which ads of a live break are revealed.
func buildAvails(s *Session, w window, t time.Duration) []jsonAvail {
	var all []jsonAvail
	for _, it := range w.items {
		var reveal func(*adSlot) bool
		if it.revealed >= 0 {
			reveal = func(a *adSlot) bool { return a.revealAt <= t }
		}
		j := w.tl.availJSON(s, it.av, it.start, it.dur, reveal)
		if s.Live && !s.DASH {
			j.AvailID = strconv.FormatInt(it.av.firstMsn, 10)
			j.AvailProgramDateTime = pdtString(it.av.chStart)
			for i := range j.Ads {
				for _, ad := range it.av.ads {
					if strconv.FormatInt(ad.msn, 10) == j.Ads[i].AdID {
						j.Ads[i].AdProgramDateTime = pdtString(ad.chStart)
					}
				}
			}
		}
		s.tagBeacons(&j)
		all = append(all, j)
	}
	return all
}

// page keeps the events after position after (-1: all), sorts avails from
// overlay-only avails and drops overlays when the session turned them off.
// maxPos is the latest event position seen, -1 when none.
func page(all []jsonAvail, after time.Duration, overlayOff bool) (avails, nonLinear []jsonAvail, maxPos time.Duration) {
	avails, nonLinear, maxPos = []jsonAvail{}, []jsonAvail{}, -1
	for _, a := range all {
		var kept []jsonAd
		for _, ad := range a.Ads {
			var evs []jsonEvent
			for _, e := range ad.TrackingEvents {
				st, _ := parseISODuration(e.StartTime)
				maxPos = max(maxPos, st)
				if st > after {
					evs = append(evs, e)
				}
			}
			if len(evs) > 0 {
				ad.TrackingEvents = evs
				kept = append(kept, ad)
			}
		}
		nl := len(a.NonLinearAdsList) > 0
		if after >= 0 && len(kept) == 0 && !(nl && a.StartTimeInSeconds > after.Seconds()) {
			continue
		}
		if kept != nil || after >= 0 {
			if kept == nil {
				kept = []jsonAd{}
			}
			a.Ads = kept
		}
		if overlayOff && nl {
			// overlayAvails "off": overlays are not reported at all.
			if len(a.Ads) == 0 {
				continue
			}
			a.NonLinearAdsList = []jsonNonLinearAds{}
			nl = false
		}
		if len(a.Ads) == 0 && nl {
			a.Duration, a.DurationInSeconds, a.AdMarkerDuration = "PT0S", 0, nil
			nonLinear = append(nonLinear, a)
		} else {
			avails = append(avails, a)
		}
	}
	return avails, nonLinear, maxPos
}

// nextPosition is the position the next token names. A live break still
// filling must not move the token onto its next ad: that ad starts where
// the last revealed one ends (its complete), and its impression, start and
// action events, all at its start, would not be "after" such a token and
// never be listed. Stop just short of it; the one event re-listed at that
// instant is the same event (same id). all is buildAvails' output for
// items.
func nextPosition(maxPos time.Duration, items []trackItem, all []jsonAvail) time.Duration {
	for i, it := range items {
		if it.revealed < 0 || it.revealed >= len(it.av.ads) || len(all[i].Ads) == 0 {
			continue
		}
		last := all[i].Ads[len(all[i].Ads)-1]
		st, err1 := parseISODuration(last.StartTime)
		d, err2 := parseISODuration(last.Duration)
		if err1 == nil && err2 == nil && st+d-time.Millisecond < maxPos {
			maxPos = st + d - time.Millisecond
		}
	}
	return maxPos
}

// tracking returns the tracking response body at now, from the cache when
// nothing it contains changed.
func (srv *Server) tracking(s *Session, now time.Time, token string) ([]byte, error) {
	var after time.Duration = -1
	if token != "" {
		pos, err := decodeToken(token)
		if err != nil {
			return nil, errors.New("Invalid nextToken")
		}
		after = pos
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := now.Sub(astEpoch)
	w := srv.window(s, t)
	key := reportKey(token, s.manifestServed, w.items)
	if body, ok := s.trackCache.get(key); ok {
		return body, nil
	}
	all := buildAvails(s, w, t)
	resp := &trackingResponse{HLSAnchorMediaSequenceNumber: w.anchor, DashAvailabilityStartTime: w.ast}
	var maxPos time.Duration
	resp.Avails, resp.NonLinearAvails, maxPos = page(all, after, s.overlayOff)
	switch maxPos = nextPosition(maxPos, w.items, all); {
	case maxPos >= 0:
		tok := encodeToken(maxPos, now)
		resp.NextToken = &tok
	case token != "":
		// Nothing new: the token comes back as it was written.
		echo := url.QueryEscape(token)
		resp.NextToken = &echo
	}
	body, err := json.Marshal(resp)
	if err != nil {
		return nil, err
	}
	s.trackCache.put(key, body)
	return body, nil
}

// window gathers what the session reports at channel time t; for live
// sessions it first advances the stitching, which decides the breaks that
// entered the window since the last manifest request. The caller holds
// s.mu.
func (srv *Server) window(s *Session, t time.Duration) window {
	switch {
	case !s.manifestServed:
		// Ad decisions happen on manifest requests: nothing to report yet.
		return window{tl: timeline{dash: s.DASH}}
	case !s.Live:
		return selectVOD(s.vod, s.DASH)
	case s.DASH:
		srv.dashLivePeriods(s, srv.channel(s.cfg), t, srv.dashDepth(s))
		return selectLiveDASH(s.live.breaks, t, srv.dashDepth(s))
	}
	st := s.live
	srv.advanceHLS(s, srv.channel(s.cfg), t)
	if !st.zeroSet {
		return window{}
	}
	anchor := st.anchorMsn
	w := window{anchor: &anchor, tl: timeline{offset: st.zero}}
	if win := st.hlsWindow(t, s.cfg.LiveWindowSegments); len(win) > 0 {
		w = selectLiveHLS(st.breaks, win[0].msn, st.anchorMsn, st.zero, t)
	}
	return w
}

func pdtString(ch time.Duration) *string {
	s := astEpoch.Add(ch).Format("2006-01-02T15:04:05.000Z")
	return &s
}
