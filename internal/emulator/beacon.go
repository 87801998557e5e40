package emulator

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Beacon is one recorded hit on the collector.
//
// AdID and AvailID are the VAST side (Ad@id, [avail.index]);
// TrackingAdID and TrackingAvailID are the ids of the tracking JSON the
// player was given (HLS media sequence numbers, DASH period ids), so a QA
// page can match a hit with its scheduled tracking event by
// (trackingAvailId, trackingAdId, eventType). They are "" when the hit
// cannot be tied to a stitched ad (foreign URLs, break beacons have no ad).
type Beacon struct {
	Session         string `json:"session"`
	EventType       string `json:"eventType"`
	AdID            string `json:"adId"`
	AvailID         string `json:"availId"`
	TrackingAdID    string `json:"trackingAdId"`
	TrackingAvailID string `json:"trackingAvailId"`
	ReceivedAt      int64  `json:"receivedAt"`
	Method          string `json:"method"`
	// Query is the first value of each parameter of RawQuery.
	Query    map[string]string `json:"query"`
	RawQuery string            `json:"rawQuery"`
	// ServerSide marks beacons the emulator fired itself for a session in
	// reportingMode "server" (on ad segment requests).
	ServerSide bool `json:"serverSide"`
}

// Query parameters the tracking JSON adds to the collector's own beacon
// URLs, naming the tracking ids the URL was listed under.
const (
	paramTrackingAvail = "trackingAvailId"
	paramTrackingAd    = "trackingAdId"
)

// tagBeacons adds the tracking ids to every collector URL of the session in
// j (ads' events, companions' events, break and overlay events). Foreign
// beacon URLs are left alone: they belong to someone else's ad server.
func (s *Session) tagBeacons(j *jsonAvail) {
	prefix := s.base + "/beacon/" + s.ID + "/"
	tag := func(urls []string, adID string) {
		for i, u := range urls {
			if !strings.HasPrefix(u, prefix) {
				continue
			}
			sep := "?"
			if strings.Contains(u, "?") {
				sep = "&"
			}
			u += sep + paramTrackingAvail + "=" + url.QueryEscape(j.AvailID)
			if adID != "" {
				u += "&" + paramTrackingAd + "=" + url.QueryEscape(adID)
			}
			urls[i] = u
		}
	}
	for i := range j.AdBreakTrackingEvents {
		tag(j.AdBreakTrackingEvents[i].BeaconURLs, "")
	}
	for _, ad := range j.Ads {
		for _, e := range ad.TrackingEvents {
			if e.EventType != "clickThrough" {
				tag(e.BeaconURLs, ad.AdID)
			}
		}
		for _, c := range ad.CompanionAds {
			for _, e := range c.TrackingEvents {
				tag(e.BeaconURLs, ad.AdID)
			}
		}
	}
	for _, nl := range j.NonLinearAdsList {
		for _, e := range nl.TrackingEvents {
			tag(e.BeaconURLs, "")
		}
	}
}

// trackingIDs returns the ids the tracking JSON reports for av and ad (nil
// for the avail alone).
func (s *Session) trackingIDs(av *avail, ad *adSlot) (availID, adID string) {
	availID = av.id
	if s.Live && !s.DASH {
		availID = strconv.FormatInt(av.firstMsn, 10)
	}
	if ad != nil {
		adID = ad.period
		if !s.DASH {
			adID = strconv.FormatInt(ad.msn, 10)
		}
	}
	return availID, adID
}

// lookupTracking finds the tracking ids of the ad with VAST Ad@id vastAd in
// the avail with [avail.index] index, for hits whose URL carries no
// tracking ids. The caller holds s.mu.
func (s *Session) lookupTracking(index, vastAd string) (availID, adID string) {
	n, err := strconv.Atoi(index)
	if err != nil {
		return "", ""
	}
	var avs []*avail
	switch {
	case s.vod != nil:
		avs = s.vod.avails
	case s.live != nil:
		for _, av := range s.live.breaks {
			avs = append(avs, av)
		}
	}
	for _, av := range avs {
		if av.index != n || (s.Live && !s.DASH && av.hlsDur == 0) {
			continue // live HLS: not stitched yet, no media sequence
		}
		if vastAd == "" {
			return s.trackingIDs(av, nil)
		}
		for _, ad := range av.ads {
			if !ad.filler && ad.res.Ad.ID == vastAd {
				return s.trackingIDs(av, ad)
			}
		}
		a, _ := s.trackingIDs(av, nil)
		return a, ""
	}
	return "", ""
}

// beaconLog is a session's collector log. It lives in the Session, so it
// goes when the session is swept, and it is capped by count and by bytes,
// per session and over all sessions (budget): a client may create
// sessions and send any number of beacons with any query.
type beaconLog struct {
	mu    sync.Mutex
	hits  []Beacon
	bytes int64
}

// beaconBudget is the collector's memory across sessions.
type beaconBudget struct {
	used atomic.Int64
	max  int64
}

func (b *beaconBudget) take(n int64) bool {
	if b.used.Add(n) > b.max {
		b.used.Add(-n)
		return false
	}
	return true
}

func (b *beaconBudget) give(n int64) { b.used.Add(-n) }

// beaconCost approximates the memory a recorded hit holds: its strings
// plus a fixed overhead for the struct and slice slot.
func beaconCost(b *Beacon) int64 {
	return int64(256 + len(b.Session) + len(b.EventType) + len(b.AdID) + len(b.AvailID) + len(b.TrackingAdID) +
		len(b.TrackingAvailID) + len(b.Method) + len(b.RawQuery))
}

// add records b unless the log or the budget is full; it reports whether
// it did.
func (l *beaconLog) add(b Beacon, maxHits int, maxBytes int64, budget *beaconBudget) bool {
	cost := beaconCost(&b)
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.hits) >= maxHits || l.bytes+cost > maxBytes || !budget.take(cost) {
		return false
	}
	l.hits = append(l.hits, b)
	l.bytes += cost
	return true
}

// snapshot returns the hits received at or after since (ms), with Query
// decoded from RawQuery: the log keeps the query once.
func (l *beaconLog) snapshot(since int64) []Beacon {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []Beacon{}
	for _, b := range l.hits {
		if b.ReceivedAt >= since {
			b.Query = firstValues(b.RawQuery)
			out = append(out, b)
		}
	}
	return out
}

// clear empties the log and returns its bytes to the budget.
func (l *beaconLog) clear(budget *beaconBudget) {
	l.mu.Lock()
	budget.give(l.bytes)
	l.hits, l.bytes = nil, 0
	l.mu.Unlock()
}

func (l *beaconLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.hits)
}

// firstValues decodes a query into its first value per parameter.
func firstValues(raw string) map[string]string {
	q, _ := url.ParseQuery(raw)
	flat := make(map[string]string, len(q))
	for k, v := range q {
		flat[k] = v[0]
	}
	return flat
}

// record adds a hit to the log of session id; hits for ids that are not
// (or no longer) sessions are dropped.
func (srv *Server) record(id string, b Beacon) {
	if s := srv.sessions.get(id); s != nil {
		s.beacons.add(b, srv.opts.MaxBeaconsPerSession, int64(srv.opts.MaxBeaconBytesPerSession), &srv.beaconBudget)
	}
}

// sweep drops idle sessions, returning their beacons' bytes to the budget.
func (srv *Server) sweep(now time.Time) {
	srv.sessions.sweep(now, func(s *Session) { s.beacons.clear(&srv.beaconBudget) })
}

// 1×1 transparent GIF, what tracking pixels answer.
var pixel = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// handleBeacon records /beacon/<session>/<eventType>?ad=&avail=. Every hit
// is answered with the pixel; only hits for known sessions are recorded.
func (srv *Server) handleBeacon(w http.ResponseWriter, r *http.Request) {
	sessID, event := r.PathValue("session"), r.PathValue("event")
	srv.sweep(srv.now())
	s := srv.sessions.get(sessID)
	if s != nil {
		f := s.faults.get()
		if f.BeaconDown {
			// A host that is down: the connection drops without a reply.
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
			http.Error(w, "beacon host down", http.StatusServiceUnavailable)
			return
		}
		q := r.URL.Query()
		b := Beacon{Session: sessID, EventType: event, AdID: q.Get("ad"), AvailID: q.Get("avail"),
			TrackingAvailID: q.Get(paramTrackingAvail), TrackingAdID: q.Get(paramTrackingAd),
			ReceivedAt: srv.now().UnixMilli(), Method: r.Method, RawQuery: r.URL.RawQuery}
		if b.TrackingAvailID == "" {
			// A hit on the VAST URL itself (not the tracking JSON's copy).
			s.mu.Lock()
			b.TrackingAvailID, b.TrackingAdID = s.lookupTracking(b.AvailID, b.AdID)
			s.mu.Unlock()
		}
		s.beacons.add(b, srv.opts.MaxBeaconsPerSession, int64(srv.opts.MaxBeaconBytesPerSession), &srv.beaconBudget)
		if f.BeaconDelayMs > 0 {
			// A slow host counts the hit on arrival and answers late (or,
			// with a delay longer than the client waits, never).
			select {
			case <-time.After(time.Duration(f.BeaconDelayMs) * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
	}
	w.Header().Set("Content-Type", "image/gif")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(pixel)
}
