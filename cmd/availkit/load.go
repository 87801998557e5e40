package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/availkit/availkit/internal/emulator"
)

func init() { commands["load"] = load }

// load drives an emulator with many concurrent live sessions, each polling
// its media playlist and its tracking URL like a player, and prints
// "FIGURE <name> <value> <unit>" lines.
func load(args []string) error {
	fl := flag.NewFlagSet("load", flag.ContinueOnError)
	target := fl.String("target", "http://127.0.0.1:18081", "emulator base URL")
	pid := fl.Int("server-pid", 0, "emulator process id, to report its memory per session")
	n := fl.Int("sessions", 2000, "concurrent live sessions")
	dur := fl.Duration("duration", 60*time.Second, "steady-state polling time")
	every := fl.Duration("interval", 2*time.Second, "poll interval per session")
	asset := fl.String("asset", "live/index.m3u8", "asset path of each session")
	day := fl.Bool("day", true, "also simulate a 24 h live session in-process (fake clock) and report its largest tracking response")
	mediaDir := fl.String("media", "", "media directory for the 24 h simulation (default: the embedded media)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	cfg := emulator.DefaultConfig()
	base := strings.TrimRight(*target, "/") + "/v1/session/" + cfg.AccountID + "/" + cfg.PlaybackConfigurations[0].Name + "/"
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConns: *n + 100, MaxIdleConnsPerHost: *n + 100, IdleConnTimeout: time.Minute}}

	rss0 := rssKiB(*pid)
	type sess struct{ playlist, tracking string }
	sessions := make([]sess, *n)
	var initErrs atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	work := make(chan int)
	for w := 0; w < 32; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				s, err := initSession(client, base+*asset, *target)
				if err != nil {
					initErrs.Add(1)
					continue
				}
				sessions[i] = s
			}
		}()
	}
	for i := range sessions {
		work <- i
	}
	close(work)
	wg.Wait()
	initTime := time.Since(start)
	fmt.Printf("FIGURE emulator_session_init_throughput %.0f sessions/s\n", float64(*n)/initTime.Seconds())
	fmt.Printf("FIGURE emulator_session_init_errors %d count\n", initErrs.Load())

	var mu sync.Mutex
	var lat []time.Duration
	var errs, reqs atomic.Int64
	var firstErr atomic.Value
	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()
	for i, s := range sessions {
		if s.playlist == "" {
			continue
		}
		wg.Add(1)
		go func(i int, s sess) {
			defer wg.Done()
			// Spread the sessions over the interval like independent players.
			offset := time.Duration(int64(*every) * int64(i) / int64(*n))
			select {
			case <-time.After(offset):
			case <-ctx.Done():
				return
			}
			tick := time.NewTicker(*every)
			defer tick.Stop()
			var mine []time.Duration
			for {
				for _, u := range []string{s.playlist, s.tracking} {
					t0 := time.Now()
					err := get(client, u)
					d := time.Since(t0)
					reqs.Add(1)
					if err != nil {
						if ctx.Err() != nil {
							break
						}
						errs.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
					} else if u == s.tracking {
						mine = append(mine, d)
					}
				}
				select {
				case <-tick.C:
				case <-ctx.Done():
					mu.Lock()
					lat = append(lat, mine...)
					mu.Unlock()
					return
				}
			}
		}(i, s)
	}
	// Sample the server's memory halfway, when every session is warm.
	var rssMid int64
	go func() {
		select {
		case <-time.After(*dur / 2):
			rssMid = rssKiB(*pid)
		case <-ctx.Done():
		}
	}()
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	fmt.Printf("FIGURE emulator_live_sessions %d sessions\n", *n-int(initErrs.Load()))
	fmt.Printf("FIGURE emulator_requests %d count\n", reqs.Load())
	fmt.Printf("FIGURE emulator_tracking_p50 %.1f ms\n", pct(0.50))
	fmt.Printf("FIGURE emulator_tracking_p99 %.1f ms\n", pct(0.99))
	fmt.Printf("FIGURE emulator_tracking_max %.1f ms\n", pct(1))
	fmt.Printf("FIGURE emulator_load_errors %d count\n", errs.Load())
	if e := firstErr.Load(); e != nil {
		fmt.Fprintln(os.Stderr, "first error:", e)
	}
	var st emulator.Stats
	if resp, err := client.Get(strings.TrimRight(*target, "/") + "/debug/stats"); err == nil {
		_ = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		// Server-side handler time, without the client's and the
		// kernel's queueing on a busy machine.
		fmt.Printf("FIGURE emulator_tracking_server_p99 %.2f ms\n", st.TrackingP99Ms)
		fmt.Printf("FIGURE emulator_ads_timeouts %d count\n", st.SkippedAds["ADS_TIMEOUT"])
	}
	if *pid > 0 && rssMid > 0 {
		fmt.Printf("FIGURE emulator_rss_per_session %.1f KiB\n", float64(rssMid-rss0)/float64(*n))
		fmt.Printf("FIGURE emulator_rss_total %.1f MiB\n", float64(rssMid)/1024)
	}
	if *day {
		size, err := daySimulation(*mediaDir)
		if err != nil {
			return fmt.Errorf("24 h simulation: %w", err)
		}
		fmt.Printf("FIGURE emulator_tracking_bytes_24h_live_max %d bytes\n", size)
	}
	return nil
}

func initSession(c *http.Client, url, target string) (s struct{ playlist, tracking string }, err error) {
	resp, err := c.Post(url, "application/json", bytes.NewReader([]byte(`{"adsParams":{"scenario":"default"}}`)))
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	var r struct{ ManifestURL, TrackingURL string }
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || resp.StatusCode != 200 {
		return s, fmt.Errorf("init: HTTP %d %v", resp.StatusCode, err)
	}
	id := r.ManifestURL[strings.Index(r.ManifestURL, "aws.sessionId=")+len("aws.sessionId="):]
	parts := strings.Split(strings.TrimPrefix(r.TrackingURL, "/v1/tracking/"), "/")
	target = strings.TrimRight(target, "/")
	s.playlist = fmt.Sprintf("%s/v1/manifest/%s/%s/%s/0.m3u8", target, parts[0], parts[1], id)
	s.tracking = target + r.TrackingURL
	return s, nil
}

func get(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != 200 {
		err = errors.New(url + ": HTTP " + strconv.Itoa(resp.StatusCode))
	}
	return err
}

// rssKiB is the resident set of a process, 0 when unknown.
func rssKiB(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			v, _ := strconv.ParseInt(f[1], 10, 64)
			return v
		}
	}
	return 0
}

// daySimulation plays one live HLS session through 24 h of a fake clock,
// polling every 2 s in-process, and returns the largest tracking response.
func daySimulation(mediaDir string) (int, error) {
	cat, err := openMedia(mediaDir)
	if err != nil {
		return 0, err
	}
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, err := emulator.New(emulator.Options{Catalog: cat, Now: clock, Logf: func(string, ...any) {}})
	if err != nil {
		return 0, err
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	s, err := initSession(ts.Client(), ts.URL+"/v1/session/"+emulator.DefaultAccount+"/availkit/live/index.m3u8", ts.URL)
	if err != nil {
		return 0, err
	}
	call := func(u string) (int, error) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
		if rec.Code != 200 {
			return 0, fmt.Errorf("%s: HTTP %d", u, rec.Code)
		}
		return rec.Body.Len(), nil
	}
	largest := 0
	for step := 0; step < 24*3600/2; step++ {
		mu.Lock()
		now = now.Add(2 * time.Second)
		mu.Unlock()
		if _, err := call(s.playlist); err != nil {
			return 0, err
		}
		n, err := call(s.tracking)
		if err != nil {
			return 0, err
		}
		largest = max(largest, n)
	}
	return largest, nil
}
