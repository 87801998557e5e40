package emulator

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Server-side reporting (session reportingMode "server"): the emulator, not
// the player, fires an ad's impression, start, quartile and complete
// beacons when the player requests the ad segment that contains each event.
// Ad segment URLs then go through /v1/segment/<acct>/<origin>/<session>/
// <track>/<ref>, which fires what is due and redirects to the segment, like
// the real service's /v1/segment/... URLs that answer 301. <ref> is the
// media sequence number for HLS; for DASH, whose ad periods list segments
// by a $Number$ template, it is "d<number>-<period id>".

// serverEvents are the events the service fires itself; other VAST events
// (pause, mute, clicks...) need a player and are never fired server-side.
var serverEvents = []string{"impression", "start", "firstQuartile", "midpoint", "thirdQuartile", "complete"}

// adSegmentURL returns the URL a stitched HLS ad segment is listed under: u
// itself in client-side mode, the session's segment route in server mode.
func (srv *Server) adSegmentURL(s *Session, sg seg, track, u string) string {
	if s.reportingMode != "server" || s.DASH || sg.ad == nil || sg.ad.filler {
		return u
	}
	return s.withQuery(fmt.Sprintf("%s/v1/segment/%s/%s/%s/%s/%d", s.base, s.Account, s.Origin, s.ID, track, sg.msn))
}

// dashAdMedia returns the SegmentTemplate media of an ad period in server
// mode (the segment route, "" otherwise).
func (srv *Server) dashAdMedia(s *Session, p dashPeriod, track string) string {
	if s.reportingMode != "server" || !s.DASH || p.kind != segAd {
		return ""
	}
	return s.withQuery(fmt.Sprintf("%s/v1/segment/%s/%s/%s/%s/d$Number$-%s", s.base, s.Account, s.Origin, s.ID, track, url.PathEscape(p.id)))
}

// firedBeacon is one server-side beacon due on a segment request.
type firedBeacon struct {
	event, url       string
	trAvail, trAdID  string
	userAgent, ipFwd string
}

// serveSegment serves /v1/segment/<acct>/<origin>/<session>/<track>/<ref>:
// fires the server-side beacons the segment carries, then redirects to it.
func (srv *Server) serveSegment(w http.ResponseWriter, r *http.Request, s *Session, track, ref string) {
	if track != "video" && track != "audio" {
		writeError(w, http.StatusNotFound, "NotFoundException", "Unknown segment "+r.URL.Path)
		return
	}
	s.mu.Lock()
	sp, ok := s.adSegment(ref)
	if !ok {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "NotFoundException", "Segment "+ref+" is not in the session's manifest window")
		return
	}
	target := s.withQuery(s.cfg.AdSegmentURLPrefix + s.segPath(sp.ad.asset, track, sp.idx))
	var due []firedBeacon
	if track == "video" && !sp.ad.vpaid && !sp.ad.filler {
		// Once per ad and event: the real service fires again when the
		// player re-requests a segment that no CDN cached; tests want one.
		due = s.dueServerBeacons(sp)
	}
	s.mu.Unlock()
	now := srv.now()
	for _, b := range due {
		srv.fireServerBeacon(s, b, now)
	}
	http.Redirect(w, r, target, http.StatusMovedPermanently)
}

// adSeg is one stitched ad segment: the k-th of ad (in ad.segs), asset
// segment idx.
type adSeg struct {
	av  *avail
	ad  *adSlot
	k   int
	idx int
}

// adSegment resolves a segment route reference (see the top of this
// file). The caller holds s.mu.
func (s *Session) adSegment(ref string) (adSeg, bool) {
	if rest, ok := strings.CutPrefix(ref, "d"); ok && s.DASH {
		num, pid, found := strings.Cut(rest, "-")
		n, err := strconv.Atoi(num)
		if !found || err != nil {
			return adSeg{}, false
		}
		return s.dashAdSegment(pid, n-firstSegment)
	}
	msn, err := strconv.ParseInt(ref, 10, 64)
	if err != nil || s.DASH {
		return adSeg{}, false
	}
	sg, ok := s.segmentByMsn(msn)
	if !ok || sg.ad == nil {
		return adSeg{}, false
	}
	return adSeg{av: sg.av, ad: sg.ad, k: int(sg.msn - sg.ad.msn), idx: sg.idx}, true
}

// dashAdSegment finds the ad segment listed as asset segment idx of DASH
// period pid. VOD periods are the plan's; a live ad's n-th pass over its
// asset is period "<ad period>_<n>" (dashLivePeriods).
func (s *Session) dashAdSegment(pid string, idx int) (adSeg, bool) {
	if s.vod != nil {
		for _, sg := range s.vod.segs {
			if sg.ad != nil && sg.period == pid && sg.idx == idx {
				return adSeg{av: sg.av, ad: sg.ad, k: int(sg.msn - sg.ad.msn), idx: idx}, true
			}
		}
		return adSeg{}, false
	}
	if s.live == nil {
		return adSeg{}, false
	}
	for _, av := range s.live.breaks {
		if av == nil {
			continue
		}
		for _, ad := range av.ads {
			pass := 0
			if pid != ad.period {
				suffix, ok := strings.CutPrefix(pid, ad.period+"_")
				n, err := strconv.Atoi(suffix)
				if !ok || err != nil || n <= 0 {
					continue
				}
				pass = n
			}
			// The pass starts where the asset restarts (index 0).
			for k, p := 0, -1; k < len(ad.segs); k++ {
				if k == 0 || ad.segs[k] == 0 {
					p++
				}
				if p == pass && ad.segs[k] == idx {
					return adSeg{av: av, ad: ad, k: k, idx: idx}, true
				}
			}
		}
	}
	return adSeg{}, false
}

// segmentByMsn finds a stitched HLS segment by media sequence number. The
// caller holds s.mu.
func (s *Session) segmentByMsn(msn int64) (seg, bool) {
	var segs []seg
	switch {
	case s.vod != nil:
		segs = s.vod.segs
	case s.live != nil:
		segs = s.live.segs
	}
	if len(segs) == 0 || msn < segs[0].msn || msn > segs[len(segs)-1].msn {
		return seg{}, false
	}
	sg := segs[msn-segs[0].msn]
	return sg, sg.msn == msn
}

// dueServerBeacons lists the not yet fired server-side beacons whose event
// time falls in segment sp, using the same segment rule as the HLS
// tracking eventId. The caller holds s.mu.
func (s *Session) dueServerBeacons(sp adSeg) []firedBeacon {
	ad, av := sp.ad, sp.av
	d := ad.dur
	if d == 0 {
		d = ad.duration()
	}
	offsets := map[string]time.Duration{"impression": 0, "start": 0, "firstQuartile": d / 4, "midpoint": d / 2,
		"thirdQuartile": d * 3 / 4, "complete": d}
	trAvail, trAd := s.trackingIDs(av, ad)
	if s.serverFired == nil {
		s.serverFired = map[string]bool{}
	}
	inl := ad.res.Ad.InLine
	var out []firedBeacon
	for _, ev := range serverEvents {
		if ad.segmentAt(offsets[ev]) != sp.k {
			continue
		}
		key := trAvail + "/" + trAd + "/" + ev
		if s.serverFired[key] {
			continue
		}
		s.serverFired[key] = true
		var urls []string
		if ev == "impression" {
			urls = append(append(urls, ad.res.WrapperImpressions...), inl.Impressions...)
		} else {
			for _, t := range append(append(ad.res.WrapperTracking[:0:0], ad.res.WrapperTracking...), ad.linear.TrackingEvents...) {
				if t.Event == ev {
					urls = append(urls, t.URL)
				}
			}
		}
		for _, u := range urls {
			out = append(out, firedBeacon{event: ev, url: u, trAvail: trAvail, trAdID: trAd, userAgent: s.userAgent, ipFwd: s.clientIP})
		}
		// In server (hybrid) mode the service also keeps the VMAP break
		// events: breakStart with the break's first ad, breakEnd with its
		// last ad's complete.
		if brk := breakEvent(av, ad, ev); brk != "" {
			u := s.base + "/beacon/" + s.ID + "/" + brk + "?avail=" + strconv.Itoa(av.index) + "&cb=[CACHEBUSTING]"
			out = append(out, firedBeacon{event: brk, url: u, trAvail: trAvail, userAgent: s.userAgent, ipFwd: s.clientIP})
		}
	}
	return out
}

// breakEvent names the VMAP break event that goes with ad event ev of ad in
// av: breakStart with the first ad's impression, breakEnd with the last
// ad's complete; "" otherwise.
func breakEvent(av *avail, ad *adSlot, ev string) string {
	var first, last *adSlot
	for _, a := range av.ads {
		if a.filler {
			continue
		}
		if first == nil {
			first = a
		}
		last = a
	}
	switch {
	case ev == "impression" && ad == first:
		return "breakStart"
	case ev == "complete" && ad == last:
		return "breakEnd"
	}
	return ""
}

// fireServerBeacon sends one server-side beacon: a hit on the emulator's own
// collector is recorded directly (serverSide: true); any other URL is
// fetched in the background with the player's User-Agent and address, as
// the service does, with its 3 s beacon timeout.
func (srv *Server) fireServerBeacon(s *Session, b firedBeacon, now time.Time) {
	u := strings.NewReplacer("[CACHEBUSTING]", strconv.Itoa(10000000+rand.IntN(90000000)),
		"[TIMESTAMP]", url.QueryEscape(now.UTC().Format("2006-01-02T15:04:05.000Z"))).Replace(b.url)
	if rest, ok := strings.CutPrefix(u, s.base+"/beacon/"); ok {
		pu, err := url.Parse(u)
		id, event, found := strings.Cut(rest, "/")
		event, _, _ = strings.Cut(event, "?")
		if err == nil && found {
			q := pu.Query()
			srv.record(id, Beacon{Session: id, EventType: event, AdID: q.Get("ad"), AvailID: q.Get("avail"),
				TrackingAvailID: b.trAvail, TrackingAdID: b.trAdID, ReceivedAt: now.UnixMilli(), Method: http.MethodGet,
				RawQuery: pu.RawQuery, ServerSide: true})
			return
		}
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			srv.logf("session %s: server-side beacon %q: %v", s.ID, u, err)
			return
		}
		if b.userAgent != "" {
			req.Header.Set("User-Agent", b.userAgent)
		}
		if b.ipFwd != "" {
			req.Header.Set("X-Forwarded-For", b.ipFwd)
		}
		resp, err := srv.client.Do(req)
		if err != nil {
			srv.logf("session %s: server-side beacon %q: %v", s.ID, u, err)
			return
		}
		resp.Body.Close()
	}()
}
