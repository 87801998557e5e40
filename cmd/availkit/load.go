package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
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
	workers := fl.Int("workers", 64, "request workers (and connections) shared by all sessions")
	procs := fl.Int("procs", 1, "GOMAXPROCS of the load generator (0: leave as is); the server runs in its own process")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *procs > 0 {
		// The generator and the server share a small machine: keep the
		// client to its share so that server time is what gets measured.
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(*procs))
	}
	cfg := emulator.DefaultConfig()
	base := strings.TrimRight(*target, "/") + "/v1/session/" + cfg.AccountID + "/" + cfg.PlaybackConfigurations[0].Name + "/"
	// One connection per worker, reused: thousands of idle keep-alive
	// connections cost both processes more than the requests themselves.
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConns: *workers, MaxIdleConnsPerHost: *workers, MaxConnsPerHost: *workers,
		IdleConnTimeout: time.Minute, DisableCompression: true}}

	fmt.Printf("FIGURE emulator_loadavg_before %.2f load\n", loadAvg())
	rss0 := rssKiB(*pid)
	type sess struct{ playlist, tracking string }
	sessions := make([]sess, *n)
	var initErrs atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	work := make(chan int)
	for w := 0; w < min(32, *workers); w++ {
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

	// A scheduler walks the sessions in a fixed order, session i due at
	// i/n of the interval and every interval after that (a uniform
	// stagger, like independent players), and hands each due poll to a
	// small pool of workers. Lag is how late a poll started: if the
	// workers cannot keep up it shows there instead of vanishing.
	type job struct {
		i   int
		due time.Time
	}
	jobs := make(chan job, *workers)
	pollStart := time.Now()
	deadline := pollStart.Add(*dur)
	go func() {
		defer close(jobs)
		for k := int64(0); ; k++ {
			for i := range sessions {
				if sessions[i].playlist == "" {
					continue
				}
				due := pollStart.Add(time.Duration(k)*(*every) + time.Duration(int64(*every)*int64(i)/int64(*n)))
				if !due.Before(deadline) {
					return
				}
				if d := time.Until(due); d > time.Millisecond {
					time.Sleep(d)
				}
				jobs <- job{i, due}
			}
		}
	}()
	type result struct{ lat, lag []time.Duration }
	results := make([]result, *workers)
	var errs, reqs atomic.Int64
	var firstErr atomic.Value
	for w := range results {
		wg.Add(1)
		go func(res *result) {
			defer wg.Done()
			for j := range jobs {
				res.lag = append(res.lag, time.Since(j.due))
				s := sessions[j.i]
				for _, u := range []string{s.playlist, s.tracking} {
					t0 := time.Now()
					err := get(client, u)
					d := time.Since(t0)
					reqs.Add(1)
					if err != nil {
						errs.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
					} else if u == s.tracking {
						res.lat = append(res.lat, d)
					}
				}
			}
		}(&results[w])
	}
	// Sample the server's memory and the machine's load halfway, when
	// every session is warm.
	var midMu sync.Mutex
	var rssMid int64
	var loadMid float64
	mid := time.AfterFunc(*dur/2, func() {
		r, l := rssKiB(*pid), loadAvg()
		midMu.Lock()
		rssMid, loadMid = r, l
		midMu.Unlock()
	})
	wg.Wait()
	mid.Stop()
	midMu.Lock()
	defer midMu.Unlock()
	var lat, lag []time.Duration
	for _, r := range results {
		lat = append(lat, r.lat...)
		lag = append(lag, r.lag...)
	}
	sort.Slice(lag, func(i, j int) bool { return lag[i] < lag[j] })
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
	if len(lag) > 0 {
		q := func(p float64) float64 {
			return float64(lag[min(len(lag)-1, int(p*float64(len(lag))))].Microseconds()) / 1000
		}
		fmt.Printf("FIGURE emulator_poll_lag_p50 %.1f ms\n", q(0.50))
		fmt.Printf("FIGURE emulator_poll_lag_p99 %.1f ms\n", q(0.99))
	}
	fmt.Printf("FIGURE emulator_loadavg_during %.2f load\n", loadMid)
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

// loadAvg is the machine's 1-minute load average, 0 when unknown. The
// client-side figures mean little without it on a shared machine.
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
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
