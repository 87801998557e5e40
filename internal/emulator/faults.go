package emulator

import (
	"bytes"
	"math/rand/v2"
	"net/http"
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
	// TrackingResign makes every tracking reply list the whole window
	// (nextToken ignored) with every beacon URL re-signed (sig=<reply
	// number>), as a service does that rotates a signature or a server-side
	// cachebuster: the same event, listed again under a new URL.
	TrackingResign bool `json:"trackingResign"`
}

// faultPatch is a partial update of Faults.
type faultPatch struct {
	TrackingLatencyMs *int     `json:"trackingLatencyMs"`
	Tracking5xxRate   *float64 `json:"tracking5xxRate"`
	TrackingMalformed *bool    `json:"trackingMalformed"`
	BeaconDown        *bool    `json:"beaconDown"`
	BeaconDelayMs     *int     `json:"beaconDelayMs"`
	ExpireNow         *bool    `json:"expireNow"`
	TrackingResign    *bool    `json:"trackingResign"`
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
	if p.TrackingResign != nil {
		fs.f.TrackingResign = *p.TrackingResign
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
		case "trackingresign":
			p.TrackingResign = &b
		}
	}
	return p
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

// resign gives every beacon URL of a tracking reply the signature sig.
// Every URL the emulator writes ends in "&cb=[CACHEBUSTING]", which
// encoding/json writes with its "&" escaped.
func resign(body []byte, sig int64) []byte {
	const cb = `\u0026cb=[CACHEBUSTING]`
	return bytes.ReplaceAll(body, []byte(cb), []byte(`\u0026sig=`+strconv.FormatInt(sig, 10)+cb))
}
