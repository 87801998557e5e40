package emulator

import (
	"math"
	"sync"
	"time"
)

// latencyHist is a log-scale histogram of handler latencies (µs buckets,
// 10% wide), cheap enough to record every tracking request.
type latencyHist struct {
	mu     sync.Mutex
	counts [200]int64
	n      int64
	max    time.Duration
}

func bucketOf(d time.Duration) int {
	us := float64(d.Microseconds())
	if us < 1 {
		return 0
	}
	return min(int(math.Log(us)/math.Log(1.1))+1, 199)
}

func (h *latencyHist) add(d time.Duration) {
	b := bucketOf(d)
	h.mu.Lock()
	h.counts[b]++
	h.n++
	h.max = max(h.max, d)
	h.mu.Unlock()
}

// quantile returns the upper bound of the bucket holding quantile q.
func (h *latencyHist) quantile(q float64) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == 0 {
		return 0
	}
	target := int64(math.Ceil(q * float64(h.n)))
	var c int64
	for b, k := range h.counts {
		c += k
		if c >= target {
			return min(time.Duration(math.Pow(1.1, float64(b)))*time.Microsecond, h.max)
		}
	}
	return h.max
}

// Stats are the emulator's own measurements, served at /debug/stats.
type Stats struct {
	Sessions         int     `json:"sessions"`
	TrackingRequests int64   `json:"trackingRequests"`
	TrackingP50Ms    float64 `json:"trackingP50Ms"`
	TrackingP99Ms    float64 `json:"trackingP99Ms"`
	TrackingMaxMs    float64 `json:"trackingMaxMs"`
	// SkippedAds counts skip reasons over all sessions (ADS_TIMEOUT shows
	// live breaks whose decision came too late).
	SkippedAds map[string]int `json:"skippedAds"`
}

func (srv *Server) stats() Stats {
	skipped := map[string]int{}
	list := srv.sessions.list()
	n := len(list)
	for _, s := range list {
		s.mu.Lock()
		for _, k := range s.skips {
			skipped[k.Reason]++
		}
		s.mu.Unlock()
	}
	h := &srv.trackLat
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	h.mu.Lock()
	cnt, mx := h.n, h.max
	h.mu.Unlock()
	return Stats{Sessions: n, SkippedAds: skipped, TrackingRequests: cnt, TrackingP50Ms: ms(h.quantile(0.5)), TrackingP99Ms: ms(h.quantile(0.99)), TrackingMaxMs: ms(mx)}
}
