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
// beacons when the player requests the ad segment that contains each event
// (HLS only). Ad segment URLs then go through
// /v1/segment/<acct>/<origin>/<session>/<track>/<msn>, which fires what is
// due and redirects to the segment, like the real service's
// /v1/segment/... URLs that answer 301.

// serverEvents are the events the service fires itself; other VAST events
// (pause, mute, clicks...) need a player and are never fired server-side.
var serverEvents = []string{"impression", "start", "firstQuartile", "midpoint", "thirdQuartile", "complete"}

// adSegmentURL returns the URL a stitched ad segment is listed under: u
// itself in client-side mode, the session's segment route in server mode.
func (srv *Server) adSegmentURL(s *Session, sg seg, track, u string) string {
	if s.reportingMode != "server" || s.DASH || sg.ad == nil || sg.ad.filler {
		return u
	}
	return s.withQuery(fmt.Sprintf("%s/v1/segment/%s/%s/%s/%s/%d", s.base, s.Account, s.Origin, s.ID, track, sg.msn))
}

// firedBeacon is one server-side beacon due on a segment request.
type firedBeacon struct {
	event, url       string
	trAvail, trAdID  string
	userAgent, ipFwd string
}

// serveSegment serves /v1/segment/<acct>/<origin>/<session>/<track>/<msn>:
// fires the server-side beacons the segment carries, then redirects to it.
func (srv *Server) serveSegment(w http.ResponseWriter, r *http.Request, s *Session, track, msnStr string) {
	msn, err := strconv.ParseInt(msnStr, 10, 64)
	if err != nil || (track != "video" && track != "audio") {
		writeError(w, http.StatusNotFound, "NotFoundException", "Unknown segment "+r.URL.Path)
		return
	}
	s.mu.Lock()
	sg, ok := s.segmentByMsn(msn)
	if !ok || sg.ad == nil {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "NotFoundException", "Segment "+msnStr+" is not in the session's manifest window")
		return
	}
	prefix := s.cfg.AdSegmentURLPrefix
	target := s.withQuery(prefix + s.segPath(sg.asset, track, sg.idx))
	var due []firedBeacon
	if track == "video" && !sg.ad.vpaid {
		// Once per ad and event: the real service fires again when the
		// player re-requests a segment that no CDN cached; tests want one.
		due = s.dueServerBeacons(sg)
	}
	s.mu.Unlock()
	now := srv.now()
	for _, b := range due {
		srv.fireServerBeacon(s, b, now)
	}
	http.Redirect(w, r, target, http.StatusMovedPermanently)
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
// time falls in sg, using the same segment rule as the tracking eventId.
// The caller holds s.mu.
func (s *Session) dueServerBeacons(sg seg) []firedBeacon {
	ad, av := sg.ad, sg.av
	d := ad.dur
	if d == 0 {
		d = ad.duration()
	}
	offsets := map[string]time.Duration{"impression": 0, "start": 0, "firstQuartile": d / 4, "midpoint": d / 2,
		"thirdQuartile": d * 3 / 4, "complete": d}
	tl := timeline{dash: false}
	mine := strconv.FormatInt(sg.msn, 10)
	trAvail, trAd := s.trackingIDs(av, ad)
	if s.serverFired == nil {
		s.serverFired = map[string]bool{}
	}
	inl := ad.res.Ad.InLine
	var out []firedBeacon
	for _, ev := range serverEvents {
		if tl.eventID(ad, offsets[ev]) != mine {
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
