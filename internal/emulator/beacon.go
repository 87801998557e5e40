package emulator

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults are a session's injected failures, set through adsParams
// (fault_<name>, e.g. fault_tracking_latency_ms=800) or
// POST /debug/sessions/<id>/faults.
type Faults struct {
	TrackingLatencyMs int     `json:"trackingLatencyMs"`
	Tracking5xxRate   float64 `json:"tracking5xxRate"`
	TrackingMalformed bool    `json:"trackingMalformed"`
	BeaconDown        bool    `json:"beaconDown"`
	BeaconDelayMs     int     `json:"beaconDelayMs"`
	ExpireNow         bool    `json:"expireNow"`
}

// faultPatch is a partial update of Faults.
type faultPatch struct {
	TrackingLatencyMs *int     `json:"trackingLatencyMs"`
	Tracking5xxRate   *float64 `json:"tracking5xxRate"`
	TrackingMalformed *bool    `json:"trackingMalformed"`
	BeaconDown        *bool    `json:"beaconDown"`
	BeaconDelayMs     *int     `json:"beaconDelayMs"`
	ExpireNow         *bool    `json:"expireNow"`
}

type faultState struct {
	mu sync.Mutex
	f  Faults
}

func (fs *faultState) get() Faults {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.f
}

func (fs *faultState) apply(p faultPatch) Faults {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if p.TrackingLatencyMs != nil {
		fs.f.TrackingLatencyMs = max(*p.TrackingLatencyMs, 0)
	}
	if p.Tracking5xxRate != nil {
		fs.f.Tracking5xxRate = min(max(*p.Tracking5xxRate, 0), 1)
	}
	if p.TrackingMalformed != nil {
		fs.f.TrackingMalformed = *p.TrackingMalformed
	}
	if p.BeaconDown != nil {
		fs.f.BeaconDown = *p.BeaconDown
	}
	if p.BeaconDelayMs != nil {
		fs.f.BeaconDelayMs = max(*p.BeaconDelayMs, 0)
	}
	if p.ExpireNow != nil {
		fs.f.ExpireNow = *p.ExpireNow
	}
	return fs.f
}

// faultsFromAdsParams reads fault_* keys; names are matched ignoring case
// and underscores, so fault_tracking_latency_ms and fault_trackingLatencyMs
// both work.
func faultsFromAdsParams(ads map[string]string) faultPatch {
	var p faultPatch
	for k, v := range ads {
		name, ok := strings.CutPrefix(k, "fault_")
		if !ok {
			continue
		}
		name = strings.ReplaceAll(strings.ToLower(name), "_", "")
		b := v == "1" || strings.EqualFold(v, "true") || strings.EqualFold(v, "on")
		switch name {
		case "trackinglatencyms", "trackinglatency":
			if n, err := strconv.Atoi(v); err == nil {
				p.TrackingLatencyMs = &n
			}
		case "tracking5xxrate", "tracking5xx":
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				p.Tracking5xxRate = &f
			}
		case "trackingmalformed":
			p.TrackingMalformed = &b
		case "beacondown":
			p.BeaconDown = &b
		case "beacondelayms", "beaconslow", "beacondelay":
			if n, err := strconv.Atoi(v); err == nil {
				p.BeaconDelayMs = &n
			}
		case "expirenow":
			p.ExpireNow = &b
		}
	}
	return p
}

// Beacon is one recorded hit on the collector.
//
// AdID and AvailID are the VAST side (Ad@id, [avail.index]);
// TrackingAdID and TrackingAvailID are the ids of the tracking JSON the
// player was given (HLS media sequence numbers, DASH period ids), so a QA
// page can match a hit with its scheduled tracking event by
// (trackingAvailId, trackingAdId, eventType). They are "" when the hit
// cannot be tied to a stitched ad (foreign URLs, break beacons have no ad).
type Beacon struct {
	Session         string            `json:"session"`
	EventType       string            `json:"eventType"`
	AdID            string            `json:"adId"`
	AvailID         string            `json:"availId"`
	TrackingAdID    string            `json:"trackingAdId"`
	TrackingAvailID string            `json:"trackingAvailId"`
	ReceivedAt      int64             `json:"receivedAt"`
	Method          string            `json:"method"`
	Query           map[string]string `json:"query"`
	RawQuery        string            `json:"rawQuery"`
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

const maxBeaconsPerSession = 20000

type beaconLog struct {
	mu   sync.Mutex
	hits []Beacon
}

func (l *beaconLog) add(b Beacon) {
	l.mu.Lock()
	if len(l.hits) < maxBeaconsPerSession {
		l.hits = append(l.hits, b)
	}
	l.mu.Unlock()
}

func (l *beaconLog) snapshot(since int64) []Beacon {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []Beacon{}
	for _, b := range l.hits {
		if b.ReceivedAt >= since {
			out = append(out, b)
		}
	}
	return out
}

func (srv *Server) beaconLogFor(id string) *beaconLog {
	srv.beaconMu.Lock()
	defer srv.beaconMu.Unlock()
	l := srv.beacons[id]
	if l == nil {
		l = &beaconLog{}
		srv.beacons[id] = l
	}
	return l
}

// 1×1 transparent GIF, what tracking pixels answer.
var pixel = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// handleBeacon records /beacon/<session>/<eventType>?ad=&avail=.
func (srv *Server) handleBeacon(w http.ResponseWriter, r *http.Request, sessID, event string) {
	if s := srv.sessions.get(sessID); s != nil {
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
		if f.BeaconDelayMs > 0 {
			select {
			case <-time.After(time.Duration(f.BeaconDelayMs) * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
	}
	q := r.URL.Query()
	flat := make(map[string]string, len(q))
	for k, v := range q {
		flat[k] = v[0]
	}
	b := Beacon{Session: sessID, EventType: event, AdID: q.Get("ad"), AvailID: q.Get("avail"),
		TrackingAvailID: q.Get(paramTrackingAvail), TrackingAdID: q.Get(paramTrackingAd),
		ReceivedAt: srv.now().UnixMilli(), Method: r.Method, Query: flat, RawQuery: r.URL.RawQuery}
	if s := srv.sessions.get(sessID); s != nil && b.TrackingAvailID == "" {
		// A hit on the VAST URL itself (not the tracking JSON's copy).
		s.mu.Lock()
		b.TrackingAvailID, b.TrackingAdID = s.lookupTracking(b.AvailID, b.AdID)
		s.mu.Unlock()
	}
	srv.beaconLogFor(sessID).add(b)
	w.Header().Set("Content-Type", "image/gif")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(pixel)
}

// trackingFault applies the tracking faults; it reports whether the
// response was already written.
func (srv *Server) trackingFault(w http.ResponseWriter, r *http.Request, f Faults) bool {
	if f.TrackingLatencyMs > 0 {
		select {
		case <-time.After(time.Duration(f.TrackingLatencyMs) * time.Millisecond):
		case <-r.Context().Done():
			return true
		}
	}
	if f.Tracking5xxRate > 0 && rand.Float64() < f.Tracking5xxRate {
		writeError(w, http.StatusInternalServerError, "InternalServiceError", "Internal service error (injected fault)")
		return true
	}
	if f.TrackingMalformed {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"avails":[{"ads":[{"adId":"1","duration":"PT`))
		return true
	}
	return false
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
