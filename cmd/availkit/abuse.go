package main

import (
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/availkit/availkit/internal/emulator"
)

func init() { commands["abuse"] = abuse }

// abuse replays what a hostile page or client could do to an emulator
// (issue 15) and prints "FIGURE <name> <value> <unit>" lines:
//
//   - beacons: many beacons with huge queries to session ids that do not
//     exist, and the server's resident memory before and after;
//   - slow: connections that send a request body one byte at a time, held
//     for a while (re-opened as the server closes them), and how long the
//     server took to close each.
//
// Run it against loopback only; bench/emulator-abuse.sh runs both phases
// beside `availkit load`.
func abuse(args []string) error {
	fl := flag.NewFlagSet("abuse", flag.ContinueOnError)
	target := fl.String("target", "http://127.0.0.1:18091", "emulator base URL (loopback)")
	pid := fl.Int("server-pid", 0, "emulator process id, to report its memory")
	phase := fl.String("phase", "beacons", "beacons | slow")
	beacons := fl.Int("beacons", 10000, "beacons to send (phase beacons)")
	queryBytes := fl.Int("query-bytes", 400_000, "query length of each beacon")
	conns := fl.Int("conns", 4, "connections sending beacons")
	slow := fl.Int("slow", 500, "slow-body connections held open at once (phase slow)")
	slowFor := fl.Duration("for", 30*time.Second, "how long to keep slow connections coming")
	byteEvery := fl.Duration("byte-every", 5*time.Second, "interval between body bytes of a slow connection")
	if err := fl.Parse(args); err != nil {
		return err
	}
	u, err := url.Parse(*target)
	if err != nil || u.Host == "" {
		return fmt.Errorf("bad --target %q", *target)
	}
	if h, _, _ := net.SplitHostPort(u.Host); h != "127.0.0.1" && h != "localhost" && h != "::1" {
		return fmt.Errorf("--target must be a loopback address, not %s", u.Host)
	}
	switch *phase {
	case "beacons":
		return beaconFlood(*target, *pid, *beacons, *queryBytes, *conns)
	case "slow":
		return slowBodies(u.Host, *slow, *slowFor, *byteEvery)
	}
	return fmt.Errorf("unknown --phase %q", *phase)
}

// beaconFlood sends n beacons with a query of size bytes, each to a fresh
// random (unknown) session id, over conns keep-alive connections.
func beaconFlood(target string, pid, n, size, conns int) error {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}}
	query := "q=" + strings.Repeat("x", max(size-2, 0))
	rss0 := rssKiB(pid)
	start := time.Now()
	var errs atomic.Int64
	var wg sync.WaitGroup
	work := make(chan int)
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				var id [16]byte
				_, _ = rand.Read(id[:])
				if err := get(client, fmt.Sprintf("%s/beacon/%x/impression?%s", strings.TrimRight(target, "/"), id, query)); err != nil {
					errs.Add(1)
				}
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	took := time.Since(start)
	rss1 := rssKiB(pid)
	time.Sleep(2 * time.Second)
	rss2 := rssKiB(pid)
	fmt.Printf("FIGURE emulator_abuse_beacons %d count\n", n)
	fmt.Printf("FIGURE emulator_abuse_beacon_query %d bytes\n", size)
	fmt.Printf("FIGURE emulator_abuse_beacon_rate %.0f beacons/s\n", float64(n)/took.Seconds())
	fmt.Printf("FIGURE emulator_abuse_beacon_errors %d count\n", errs.Load())
	if pid > 0 {
		fmt.Printf("FIGURE emulator_abuse_rss_before %.1f MiB\n", float64(rss0)/1024)
		fmt.Printf("FIGURE emulator_abuse_rss_growth %.1f MiB\n", float64(rss1-rss0)/1024)
		fmt.Printf("FIGURE emulator_abuse_rss_growth_after_2s %.1f MiB\n", float64(rss2-rss0)/1024)
	}
	return nil
}

// slowBodies keeps k connections sending a session-init body one byte per
// every, re-opening each when the server closes it, for d; it reports how
// long each connection lived.
func slowBodies(host string, k int, d time.Duration, every time.Duration) error {
	cfg := emulator.DefaultConfig()
	head := "POST /v1/session/" + cfg.AccountID + "/" + cfg.PlaybackConfigurations[0].Name + "/vod/index.m3u8 HTTP/1.1\r\n" +
		"Host: " + host + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
	var mu sync.Mutex
	var lives []time.Duration
	var dialErrs, open atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				life, err := slowConn(host, head, every, deadline.Add(2*time.Minute), &open)
				if err != nil {
					dialErrs.Add(1)
					time.Sleep(100 * time.Millisecond)
					continue
				}
				mu.Lock()
				lives = append(lives, life)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(lives)
	fmt.Printf("FIGURE emulator_abuse_slow_connections %d count\n", len(lives))
	fmt.Printf("FIGURE emulator_abuse_slow_dial_errors %d count\n", dialErrs.Load())
	if len(lives) > 0 {
		fmt.Printf("FIGURE emulator_abuse_slow_life_p50 %.1f s\n", lives[len(lives)/2].Seconds())
		fmt.Printf("FIGURE emulator_abuse_slow_life_max %.1f s\n", lives[len(lives)-1].Seconds())
	}
	return nil
}

// slowConn opens one connection, sends head and then a byte every interval
// until the server closes it (or giveUp), and returns how long it lived.
func slowConn(host, head string, every time.Duration, giveUp time.Time, open *atomic.Int64) (time.Duration, error) {
	c, err := net.DialTimeout("tcp", host, 5*time.Second)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	open.Add(1)
	defer open.Add(-1)
	start := time.Now()
	closed := make(chan struct{})
	go func() {
		// The server answers (400, the body never came) and closes, or
		// just closes: either way the read ends.
		_ = c.SetReadDeadline(giveUp)
		_, _ = io.Copy(io.Discard, c)
		close(closed)
	}()
	if _, err := io.WriteString(c, head); err != nil {
		<-closed
		return time.Since(start), nil
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-closed:
			return time.Since(start), nil
		case <-t.C:
			if _, err := c.Write([]byte(" ")); err != nil {
				<-closed
				return time.Since(start), nil
			}
		}
	}
}
