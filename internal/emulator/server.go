// Package emulator is a local stand-in for AWS Elemental MediaTailor: it
// creates playback sessions, stitches HLS and DASH (VOD and a wall-clock
// live channel) from bundled media, serves the client-side tracking API,
// runs a VAST ad server and records every beacon it receives.
//
// It follows ../shared/reference/mediatailor-api.md; docs/emulator.md lists
// routes, scenarios and fault knobs.
package emulator

import (
	"bufio"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/availkit/availkit/internal/emulator/vast"
)

//go:embed creatives
var creativesFS embed.FS

// Options configure a Server.
type Options struct {
	// Config defaults to DefaultConfig().
	Config *Config
	// Catalog holds the bundled media; required.
	Catalog *Catalog
	// Root, when set, is the directory whose index.html, dist/ and the
	// hls.js and dash.js bundles under node_modules/ are served.
	Root string
	// Now defaults to time.Now; tests pass a fake clock.
	Now func() time.Time
	// Logf receives one line per request when Debug is set, and errors.
	Logf  func(format string, args ...any)
	Debug bool
	// Client fetches ad tags; defaults to a client with MediaTailor's 3 s
	// ADS timeout.
	Client *http.Client
	// ADSJitter spreads the ad requests of live sessions that reach the
	// same break over this much time (0: decide as soon as the break is
	// within 50 s). Keep it under 45 s.
	ADSJitter time.Duration
	// DecisionWait bounds how long a live request waits, holding its
	// session, for a prefetched ad decision (default 20 ms).
	DecisionWait time.Duration
}

// Server is the emulator's HTTP handler. It is safe for concurrent use.
type Server struct {
	cfg        *Config
	cat        *Catalog
	opts       Options
	client     *http.Client
	sessions   store
	transcoded sync.Map
	beaconMu   sync.Mutex
	beacons    map[string]*beaconLog
	chMu       sync.Mutex
	channels   map[string]*channel
	creatives  fs.FS
	trackLat   latencyHist
}

// New returns a Server.
func New(o Options) (*Server, error) {
	if o.Catalog == nil {
		return nil, fmt.Errorf("emulator: no media catalog")
	}
	if o.Config == nil {
		o.Config = DefaultConfig()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.DecisionWait <= 0 {
		o.DecisionWait = 20 * time.Millisecond
	}
	if o.Logf == nil {
		o.Logf = log.Printf
	}
	if o.Client == nil {
		// Many sessions reach a live break at the same moment: keep
		// connections to the ad server alive instead of redialing.
		o.Client = &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{
			MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: 90 * time.Second}}
	}
	sub, _ := fs.Sub(creativesFS, "creatives")
	srv := &Server{cfg: o.Config, cat: o.Catalog, opts: o, client: o.Client,
		beacons: map[string]*beaconLog{}, channels: map[string]*channel{}, creatives: sub}
	srv.sessions.m = map[string]*Session{}
	for _, p := range o.Config.PlaybackConfigurations {
		if o.Catalog.Content(p.Content) == nil {
			return nil, fmt.Errorf("emulator: configuration %q: unknown content %q", p.Name, p.Content)
		}
	}
	return srv, nil
}

func (srv *Server) now() time.Time { return srv.opts.Now() }

func (srv *Server) logf(format string, args ...any) { srv.opts.Logf(format, args...) }

func (srv *Server) channel(p *PlaybackConfiguration) *channel {
	srv.chMu.Lock()
	defer srv.chMu.Unlock()
	c := srv.channels[p.Name]
	if c == nil {
		c = newChannel(srv.cat.Content(p.Content), p)
		srv.channels[p.Name] = c
	}
	return c
}

const errorTypeURI = ":http://internal.amazon.com/coral/com.amazon.elemental.midas.mms.coral/"

// writeError answers in MediaTailor's error shape.
func writeError(w http.ResponseWriter, status int, errType, msg string) {
	h := w.Header()
	h.Set("x-amzn-RequestId", newUUID())
	h.Set("x-amzn-ErrorType", errType+errorTypeURI)
	writeJSON(w, status, map[string]string{"message": msg})
}

func setCORS(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "x-amzn-RequestId, x-amzn-ErrorType, Location, Content-Length, Content-Type, Date")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, DELETE, OPTIONS")
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			h.Set("Access-Control-Allow-Headers", req)
		} else {
			h.Set("Access-Control-Allow-Headers", "Content-Type")
		}
		h.Set("Access-Control-Max-Age", "86400")
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
	n      int
}

func (w *statusWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
	w.ResponseWriter.WriteHeader(s)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = 200
	}
	n, err := w.ResponseWriter.Write(b)
	w.n += n
	return n, err
}

// Hijack lets the beacon host-down fault drop connections.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, fmt.Errorf("no hijacker")
	}
	w.status = -1
	return hj.Hijack()
}

// ServeHTTP routes every request.
func (srv *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	setCORS(sw, r)
	srv.route(sw, r)
	if srv.opts.Debug {
		srv.logf("%s %s %d %dB %s", r.Method, r.URL.RequestURI(), sw.status, sw.n, time.Since(start).Round(time.Microsecond))
	}
}

func (srv *Server) route(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	p := r.URL.Path
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	switch {
	case strings.HasPrefix(p, "/v1/"):
		srv.routeAPI(w, r, parts[1:])
	case strings.HasPrefix(p, "/vast/"):
		srv.handleVAST(w, r, strings.TrimPrefix(p, "/vast/"))
	case strings.HasPrefix(p, "/beacon/") && len(parts) == 3:
		srv.handleBeacon(w, r, parts[1], parts[2])
	case strings.HasPrefix(p, "/debug/"):
		srv.handleDebug(w, r, parts[1:])
	case strings.HasPrefix(p, "/media/"):
		srv.serveFS(w, r, srv.cat.FS, strings.TrimPrefix(p, "/media/"))
	case strings.HasPrefix(p, "/creatives/"):
		srv.serveFS(w, r, srv.creatives, strings.TrimPrefix(p, "/creatives/"))
	case p == "/landing":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><title>availkit landing page</title><h1>Advertiser landing page</h1><p>%s</p>", xmlEscape(r.URL.RawQuery))
	default:
		srv.serveStatic(w, r)
	}
}

func (srv *Server) serveFS(w http.ResponseWriter, r *http.Request, fsys fs.FS, name string) {
	name = path.Clean(name)
	if fsys == nil || name == "." || strings.HasPrefix(name, "..") {
		writeError(w, http.StatusNotFound, "NotFoundException", "Not found")
		return
	}
	f, err := fsys.Open(name)
	if err != nil {
		writeError(w, http.StatusNotFound, "NotFoundException", "Not found: "+name)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		writeError(w, http.StatusNotFound, "NotFoundException", "Not found: "+name)
		return
	}
	setContentType(w, name)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	if rs, ok := f.(io.ReadSeeker); ok {
		http.ServeContent(w, r, name, st.ModTime(), rs)
		return
	}
	_, _ = io.Copy(w, f)
}

func setContentType(w http.ResponseWriter, name string) {
	types := map[string]string{".m4s": "video/iso.segment", ".mp4": "video/mp4", ".wasm": "application/wasm",
		".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8", ".mp3": "audio/mpeg",
		".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".json": "application/json",
		".svg": "image/svg+xml", ".png": "image/png", ".map": "application/json", ".ts": "text/plain"}
	if t, ok := types[path.Ext(name)]; ok {
		w.Header().Set("Content-Type", t)
	}
}

// serveStatic serves the demo from Options.Root: /, /dist/, /web/ and the
// players' dist/ directories only.
func (srv *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if srv.opts.Root == "" {
		writeError(w, http.StatusNotFound, "NotFoundException", "Not found")
		return
	}
	if p == "/" {
		p = "/index.html"
	}
	allowed := p == "/index.html" || strings.HasPrefix(p, "/dist/") || strings.HasPrefix(p, "/web/") ||
		strings.HasPrefix(p, "/tests/") ||
		strings.HasPrefix(p, "/node_modules/hls.js/dist/") || strings.HasPrefix(p, "/node_modules/dashjs/dist/")
	if !allowed {
		writeError(w, http.StatusNotFound, "NotFoundException", "Not found")
		return
	}
	srv.serveFS(w, r, os.DirFS(srv.opts.Root), strings.TrimPrefix(path.Clean(p), "/"))
}

// requestBase is the origin a client reached us through.
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		scheme = p
	}
	return scheme + "://" + r.Host
}

func clientIP(r *http.Request) string {
	if x := r.Header.Get("X-Forwarded-For"); x != "" {
		return strings.TrimSpace(strings.Split(x, ",")[0])
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (srv *Server) routeAPI(w http.ResponseWriter, r *http.Request, parts []string) {
	if len(parts) < 4 {
		writeError(w, http.StatusNotFound, "NotFoundException", "Unknown route "+r.URL.Path)
		return
	}
	kind, acct, origin, rest := parts[0], parts[1], parts[2], parts[3:]
	if acct != srv.cfg.AccountID {
		writeError(w, http.StatusNotFound, "NotFoundException", "Unknown account "+acct)
		return
	}
	cfg := srv.cfg.lookup(origin)
	if cfg == nil {
		writeError(w, http.StatusNotFound, "NotFoundException", fmt.Sprintf("Playback configuration %s not found", origin))
		return
	}
	switch kind {
	case "session":
		if r.Method != http.MethodPost && r.Method != http.MethodGet {
			writeError(w, http.StatusMethodNotAllowed, "BadRequestException", "Use POST")
			return
		}
		srv.handleSessionInit(w, r, cfg, acct, rest)
	case "master", "dash":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeError(w, http.StatusMethodNotAllowed, "BadRequestException", "Use GET")
			return
		}
		srv.handleManifest(w, r, cfg, acct, kind, rest)
	case "manifest":
		if len(rest) != 2 {
			writeError(w, http.StatusNotFound, "NotFoundException", "Unknown route "+r.URL.Path)
			return
		}
		s, ok := srv.liveSession(w, r, rest[0], origin)
		if !ok {
			return
		}
		srv.handleMediaPlaylist(w, r, s, rest[1])
	case "segment":
		if len(rest) != 3 {
			writeError(w, http.StatusNotFound, "NotFoundException", "Unknown route "+r.URL.Path)
			return
		}
		s, ok := srv.liveSession(w, r, rest[0], origin)
		if !ok {
			return
		}
		srv.handleSegment(w, r, s, rest[1], rest[2])
	case "tracking":
		if len(rest) != 1 {
			writeError(w, http.StatusNotFound, "NotFoundException", "Unknown route "+r.URL.Path)
			return
		}
		s, ok := srv.liveSession(w, r, rest[0], origin)
		if !ok {
			return
		}
		srv.handleTracking(w, r, s)
	default:
		writeError(w, http.StatusNotFound, "NotFoundException", "Unknown route "+r.URL.Path)
	}
}

// liveSession looks a session up, answering 404 (unknown) or 400 (expired).
func (srv *Server) liveSession(w http.ResponseWriter, r *http.Request, id, origin string) (*Session, bool) {
	now := srv.now()
	srv.sessions.sweep(now)
	s := srv.sessions.get(id)
	if s == nil || s.Origin != origin {
		writeError(w, http.StatusNotFound, "NotFoundException", "Session "+id+" not found")
		return nil, false
	}
	if s.faults.get().ExpireNow {
		s.expiredByFault.Store(true)
	}
	if s.expired(now) {
		writeError(w, http.StatusBadRequest, "BadRequestException", "Session "+id+" has expired")
		return nil, false
	}
	s.touch(now)
	return s, true
}

func assetFormat(rest []string) (assetPath string, dash, live bool, err error) {
	assetPath = strings.Join(rest, "/")
	switch {
	case strings.HasSuffix(assetPath, ".m3u8"):
	case strings.HasSuffix(assetPath, ".mpd"):
		dash = true
	default:
		return "", false, false, fmt.Errorf("Unsupported asset %q: the path must end in .m3u8 or .mpd", assetPath)
	}
	for _, p := range rest {
		if p == "" || p == ".." {
			return "", false, false, fmt.Errorf("Invalid asset path %q", assetPath)
		}
	}
	live = strings.HasPrefix(assetPath, "live/") || strings.Contains(assetPath, "/live/")
	return assetPath, dash, live, nil
}

// newSession creates and stores a session from an init body and query.
func (srv *Server) newSession(r *http.Request, cfg *PlaybackConfiguration, acct string, rest []string, body *initBody, q url.Values) (*Session, error) {
	assetPath, dash, live, err := assetFormat(rest)
	if err != nil {
		return nil, err
	}
	now := srv.now()
	s := &Session{ID: newUUID(), Num: srv.sessions.num.Add(1), Account: acct, Origin: cfg.Name, AssetPath: assetPath,
		DASH: dash, Live: live, cfg: cfg, base: requestBase(r), userAgent: r.UserAgent(), clientIP: clientIP(r),
		referer: r.Referer(), created: now}
	s.adsParams = stringMap(body.AdsParams, true)
	for k, v := range stringMap(body.PlayerParams, true) {
		if _, ok := s.adsParams[k]; !ok {
			s.adsParams[k] = v
		}
	}
	mp := stringMap(body.ManifestParams, false)
	s.originParams = body.Other
	s.reportingMode = strings.ToLower(body.ReportingMode)
	s.overlayAvails = strings.EqualFold(body.OverlayAvails, "on")
	s.overlayOff = strings.EqualFold(body.OverlayAvails, "off")
	var sup availSuppression
	if body.AvailSuppression != nil {
		sup = *body.AvailSuppression
	}
	for k, vs := range q {
		v := vs[0]
		switch {
		case strings.HasPrefix(k, "ads."):
			s.adsParams[strings.ToLower(strings.TrimPrefix(k, "ads."))] = v
		case strings.HasPrefix(k, "manifest."):
			mp[strings.TrimPrefix(k, "manifest.")] = v
		case k == "aws.reportingMode":
			s.reportingMode = strings.ToLower(v)
		case k == "aws.overlayAvails":
			s.overlayAvails = strings.EqualFold(v, "on")
			s.overlayOff = strings.EqualFold(v, "off")
		case k == "aws.availSuppressionMode":
			sup.Mode = v
		case k == "aws.availSuppressionValue":
			sup.Value = v
		case k == "aws.availSuppressionFillPolicy":
			sup.FillPolicy = v
		case strings.HasPrefix(k, "aws."):
		default:
			s.originParams[k] = v
		}
	}
	if s.reportingMode == "" {
		s.reportingMode = "client"
	}
	if s.suppressBehind, err = sup.behind(); err != nil {
		return nil, err
	}
	if _, ok := s.adsParams["scenario"]; !ok {
		s.adsParams["scenario"] = cfg.DefaultScenario
	}
	s.manifestQuery = encodeOrdered(mp)
	s.idle = 10 * s.manifestDuration(srv.cat)
	s.faults.apply(faultsFromAdsParams(s.adsParams))
	s.touch(now)
	if live {
		joined := now.Sub(astEpoch)
		if s.suppressBehind >= 0 {
			// BEHIND_LIVE_EDGE: breaks within the value behind the live
			// edge at session start are filled, older ones suppressed.
			joined -= s.suppressBehind
		}
		s.live = &liveState{breaks: map[int64]*avail{}, pending: map[int64]*decision{}, timedOut: map[int64]bool{}, joined: joined}
	}
	srv.sessions.put(s)
	return s, nil
}

func (srv *Server) handleSessionInit(w http.ResponseWriter, r *http.Request, cfg *PlaybackConfiguration, acct string, rest []string) {
	body := &initBody{Other: map[string]string{}}
	if r.Method == http.MethodPost {
		raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			writeError(w, http.StatusBadRequest, "BadRequestException", "Could not read the request body")
			return
		}
		if body, err = parseInitBody(raw); err != nil {
			writeError(w, http.StatusBadRequest, "BadRequestException", err.Error())
			return
		}
	}
	q := r.URL.Query()
	if r.Method == http.MethodGet {
		// GET form: ads.k=v, manifestParams.k=v
		for k, v := range q {
			if mk, ok := strings.CutPrefix(k, "manifestParams."); ok {
				q.Del(k)
				q.Set("manifest."+mk, v[0])
			}
		}
	}
	s, err := srv.newSession(r, cfg, acct, rest, body, q)
	if err != nil {
		writeError(w, http.StatusBadRequest, "BadRequestException", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"manifestUrl": s.manifestURL(), "trackingUrl": s.trackingURL()})
}

func (srv *Server) handleManifest(w http.ResponseWriter, r *http.Request, cfg *PlaybackConfiguration, acct, kind string, rest []string) {
	q := r.URL.Query()
	id := q.Get("aws.sessionId")
	if id == "" {
		// Implicit session: create, then redirect to the session's URL.
		s, err := srv.newSession(r, cfg, acct, rest, &initBody{Other: map[string]string{}}, q)
		if err != nil {
			writeError(w, http.StatusBadRequest, "BadRequestException", err.Error())
			return
		}
		if (kind == "dash") != s.DASH {
			writeError(w, http.StatusBadRequest, "BadRequestException", "Manifest type does not match the asset extension")
			return
		}
		http.Redirect(w, r, s.manifestURL(), http.StatusFound)
		return
	}
	s, ok := srv.liveSession(w, r, id, cfg.Name)
	if !ok {
		return
	}
	if (kind == "dash") != s.DASH || s.AssetPath != strings.Join(rest, "/") {
		writeError(w, http.StatusBadRequest, "BadRequestException", "The manifest URL does not belong to session "+id)
		return
	}
	if !s.DASH {
		w.Header().Set("Content-Type", "application/vnd.apple.mpegurl")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = io.WriteString(w, srv.hlsMaster(s))
		return
	}
	now := srv.now()
	s.mu.Lock()
	var body string
	loc := requestBase(r) + s.manifestURL()
	if s.Live {
		ch := srv.channel(s.cfg)
		t := now.Sub(astEpoch)
		periods := srv.dashLivePeriods(s, ch, t, srv.dashDepth(s))
		s.manifestServed = true
		body = srv.mpd(s, periods, true, t, 0, loc)
	} else {
		if s.vod == nil {
			s.vod = srv.buildVOD(s)
		}
		s.manifestServed = true
		body = srv.mpd(s, vodPeriods(s.vod), false, 0, s.vod.total, loc)
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/dash+xml")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = io.WriteString(w, body)
}

func (srv *Server) handleMediaPlaylist(w http.ResponseWriter, r *http.Request, s *Session, name string) {
	track := map[string]string{"0.m3u8": "video", "1.m3u8": "audio"}[name]
	if track == "" || s.DASH {
		writeError(w, http.StatusNotFound, "NotFoundException", "Unknown playlist "+name)
		return
	}
	now := srv.now()
	s.mu.Lock()
	var body string
	if s.Live {
		ch := srv.channel(s.cfg)
		t := now.Sub(astEpoch)
		srv.advanceHLS(s, ch, t)
		win := s.live.hlsWindow(t, s.cfg.LiveWindowSegments)
		if len(win) > 0 && !s.live.zeroSet {
			s.live.zeroSet, s.live.zero, s.live.anchorMsn = true, win[0].acc, win[0].msn
		}
		body = srv.hlsMedia(s, win, track, true)
	} else {
		if s.vod == nil {
			s.vod = srv.buildVOD(s)
		}
		body = srv.hlsMedia(s, s.vod.segs, track, false)
	}
	s.manifestServed = true
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/vnd.apple.mpegurl")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = io.WriteString(w, body)
}

func (srv *Server) handleTracking(w http.ResponseWriter, r *http.Request, s *Session) {
	if srv.trackingFault(w, r, s.faults.get()) {
		return
	}
	start := time.Now()
	defer func() { srv.trackLat.add(time.Since(start)) }()
	tok := r.URL.Query().Get("nextToken")
	body, err := srv.tracking(s, srv.now(), tok)
	if err != nil {
		writeError(w, http.StatusBadRequest, "BadRequestException", err.Error())
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

// trackItem is one avail selected for a tracking response.
type trackItem struct {
	av         *avail
	start, dur time.Duration
	revealed   int // ads revealed so far (live), -1 = all
}

// tracking returns the tracking response body at now. Live sessions poll
// every few seconds while the report changes only when an ad is revealed or
// an avail leaves the window, so the rendered body is cached per session
// under a key naming exactly what it contains.
func (srv *Server) tracking(s *Session, now time.Time, token string) ([]byte, error) {
	var after time.Duration = -1
	if token != "" {
		pos, err := decodeToken(token)
		if err != nil {
			return nil, fmt.Errorf("Invalid nextToken")
		}
		after = pos
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []trackItem
	var anchor *int64
	var ast *string
	tl := timeline{dash: s.DASH}
	t := now.Sub(astEpoch)
	revealed := func(av *avail) int {
		n := 0
		for _, a := range av.ads {
			if a.revealAt <= t {
				n++
			}
		}
		return n
	}
	switch {
	case !s.manifestServed:
		// Ad decisions happen on manifest requests: nothing to report yet.
	case !s.Live:
		if !s.DASH {
			var zero int64
			anchor = &zero
		}
		for _, av := range s.vod.avails {
			items = append(items, trackItem{av: av, start: av.start, dur: av.dur, revealed: -1})
		}
	case s.DASH:
		a := astEpoch.Format(time.RFC3339)
		ast = &a
		ch := srv.channel(s.cfg)
		// Decide the breaks in the window even if no MPD was fetched since
		// they appeared.
		srv.dashLivePeriods(s, ch, t, srv.dashDepth(s))
		tl.pdt = pdtString
		for _, m := range sortedKeys(s.live.breaks) {
			av := s.live.breaks[m]
			if av.chStart+av.ads[0].segDur(0) > t || av.chEnd <= t-srv.dashDepth(s) {
				continue
			}
			items = append(items, trackItem{av: av, start: av.chStart, dur: av.chEnd - av.chStart, revealed: revealed(av)})
		}
	default:
		st := s.live
		srv.advanceHLS(s, srv.channel(s.cfg), t)
		if !st.zeroSet {
			break
		}
		a := st.anchorMsn
		anchor = &a
		tl.offset = st.zero
		win := st.hlsWindow(t, s.cfg.LiveWindowSegments)
		if len(win) == 0 {
			break
		}
		for _, m := range sortedKeys(st.breaks) {
			av := st.breaks[m]
			if av.hlsDur == 0 || av.lastMsn < win[0].msn || av.chStart+av.ads[0].segDur(0) > t {
				continue
			}
			items = append(items, trackItem{av: av, start: av.hlsStart - st.zero, dur: av.hlsDur, revealed: revealed(av)})
		}
	}
	var key strings.Builder
	fmt.Fprintf(&key, "%s|%v|", token, s.manifestServed)
	for _, it := range items {
		fmt.Fprintf(&key, "%p:%d:%d:%d;", it.av, it.start, it.dur, it.revealed)
	}
	if s.trackKey == key.String() && s.trackBody != nil {
		return s.trackBody, nil
	}
	resp := &trackingResponse{Avails: []jsonAvail{}, NonLinearAvails: []jsonAvail{},
		HLSAnchorMediaSequenceNumber: anchor, DashAvailabilityStartTime: ast}
	var all []jsonAvail
	for _, it := range items {
		var reveal func(*adSlot) bool
		if it.revealed >= 0 {
			reveal = func(a *adSlot) bool { return a.revealAt <= t }
		}
		j := tl.availJSON(s, it.av, it.start, it.dur, reveal)
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
	// Paging: keep only events after the token's position.
	var maxPos time.Duration = -1
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
		if s.overlayOff && nl {
			// overlayAvails "off": overlays are not reported at all.
			if len(a.Ads) == 0 {
				continue
			}
			a.NonLinearAdsList = []jsonNonLinearAds{}
			nl = false
		}
		if len(a.Ads) == 0 && nl {
			a.Duration, a.DurationInSeconds, a.AdMarkerDuration = "PT0S", 0, nil
			resp.NonLinearAvails = append(resp.NonLinearAvails, a)
		} else {
			resp.Avails = append(resp.Avails, a)
		}
	}
	// A live break still filling must not move the token onto its next ad:
	// that ad starts where the last revealed one ends (its complete), and its
	// impression, start and action events, all at its start, would not be
	// "after" such a token and never be listed. Stop just short of it; the
	// one event re-listed at that instant is the same event (same id).
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
	switch {
	case maxPos >= 0:
		tok := encodeToken(maxPos, now)
		resp.NextToken = &tok
	case token != "":
		resp.NextToken = &token
	}
	body, err := json.Marshal(resp)
	if err != nil {
		return nil, err
	}
	s.trackKey, s.trackBody = key.String(), body
	return body, nil
}

func pdtString(ch time.Duration) *string {
	s := astEpoch.Add(ch).Format("2006-01-02T15:04:05.000Z")
	return &s
}

func sortedKeys(m map[int64]*avail) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// handleVAST serves the built-in ad server: /vast/<scenario>?session=&avail=.
func (srv *Server) handleVAST(w http.ResponseWriter, r *http.Request, rest string) {
	if asset, ok := strings.CutPrefix(rest, "assets/"); ok {
		srv.serveVASTAsset(w, asset)
		return
	}
	q := r.URL.Query()
	scenario := strings.Trim(rest, "/")
	if scenario == "" {
		scenario = "default"
	}
	avail, _ := strconv.Atoi(q.Get("avail"))
	var media []vast.Media
	for _, a := range srv.cat.Ads() {
		media = append(media, vast.Media{ID: a.ID, Title: a.Title, Duration: a.Duration(),
			Width: a.Video.Width, Height: a.Video.Height, Bitrate: (a.Video.Bandwidth + 999) / 1000})
	}
	version := ""
	if q.Get("version") != "" {
		version = q.Get("version")
	}
	doc, err := vast.Generate(vast.Request{Scenario: scenario, Base: requestBase(r), Session: q.Get("session"),
		AvailIndex: avail, Creatives: media, Query: q, Version: version})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write(doc)
}

func (srv *Server) serveVASTAsset(w http.ResponseWriter, name string) {
	switch {
	case strings.HasSuffix(name, ".svg"):
		wh, _, _ := strings.Cut(strings.TrimSuffix(name, ".svg"), "/")
		ws, hs, _ := strings.Cut(wh, "x")
		wd, _ := strconv.Atoi(ws)
		ht, _ := strconv.Atoi(hs)
		if wd <= 0 || ht <= 0 || wd > 4000 || ht > 4000 {
			writeError(w, http.StatusNotFound, "NotFoundException", "Not found")
			return
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		label := "availkit " + ws + "x" + hs
		// Sans-serif glyphs average about 0.6 em: size the label to fit.
		size := max(10, min(ht/5, wd*10/(6*len(label)+6)))
		fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d"><rect width="100%%" height="100%%" fill="#1f6feb"/><text x="50%%" y="50%%" fill="#fff" font-family="sans-serif" font-size="%d" text-anchor="middle" dominant-baseline="middle">%s</text></svg>`,
			wd, ht, size, label)
	case strings.HasPrefix(name, "iframe-") && strings.HasSuffix(name, ".html"):
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><body style="margin:0;background:#0a3;color:#fff;font:16px sans-serif;display:flex;align-items:center;justify-content:center;height:100vh">availkit iframe companion %s</body>`, xmlEscape(name))
	case name == "hostile.js":
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = io.WriteString(w, "document.body.innerHTML='hostile companion script ran';\n")
	default:
		writeError(w, http.StatusNotFound, "NotFoundException", "Not found")
	}
}

type sessionInfo struct {
	ID            string            `json:"id"`
	Account       string            `json:"account"`
	Origin        string            `json:"origin"`
	Asset         string            `json:"asset"`
	Format        string            `json:"format"`
	Live          bool              `json:"live"`
	Created       int64             `json:"created"`
	LastSeen      int64             `json:"lastSeen"`
	Expired       bool              `json:"expired"`
	ReportingMode string            `json:"reportingMode"`
	AdsParams     map[string]string `json:"adsParams"`
	OriginParams  map[string]string `json:"originParams"`
	ManifestURL   string            `json:"manifestUrl"`
	TrackingURL   string            `json:"trackingUrl"`
	Faults        Faults            `json:"faults"`
	Beacons       int               `json:"beacons"`
	Skips         []Skip            `json:"skippedAds"`
}

func (srv *Server) info(s *Session, now time.Time) sessionInfo {
	f := "hls"
	if s.DASH {
		f = "dash"
	}
	s.mu.Lock()
	skips := append([]Skip{}, s.skips...)
	s.mu.Unlock()
	l := srv.beaconLogFor(s.ID)
	l.mu.Lock()
	n := len(l.hits)
	l.mu.Unlock()
	return sessionInfo{ID: s.ID, Account: s.Account, Origin: s.Origin, Asset: s.AssetPath, Format: f, Live: s.Live,
		Created: s.created.UnixMilli(), LastSeen: s.lastSeen.Load() / 1e6, Expired: s.expired(now),
		ReportingMode: s.reportingMode, AdsParams: s.adsParams, OriginParams: s.originParams,
		ManifestURL: s.manifestURL(), TrackingURL: s.trackingURL(), Faults: s.faults.get(), Beacons: n, Skips: skips}
}

// handleDebug serves /debug/sessions[/<id>[/beacons|/faults]].
func (srv *Server) handleDebug(w http.ResponseWriter, r *http.Request, parts []string) {
	now := srv.now()
	if len(parts) == 1 && parts[0] == "stats" {
		writeJSON(w, http.StatusOK, srv.stats())
		return
	}
	if len(parts) == 0 || parts[0] != "sessions" {
		writeError(w, http.StatusNotFound, "NotFoundException", "Unknown debug route")
		return
	}
	if len(parts) == 1 || (len(parts) == 2 && parts[1] == "") {
		out := []sessionInfo{}
		for _, s := range srv.sessions.list() {
			out = append(out, srv.info(s, now))
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	id := parts[1]
	s := srv.sessions.get(id)
	sub := ""
	if len(parts) > 2 {
		sub = parts[2]
	}
	switch {
	case sub == "beacons" && r.Method == http.MethodDelete:
		l := srv.beaconLogFor(id)
		l.mu.Lock()
		l.hits = nil
		l.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case sub == "beacons":
		// Beacons are kept for unknown ids too: a foreign VAST may carry any.
		since, _ := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
		writeJSON(w, http.StatusOK, srv.beaconLogFor(id).snapshot(since))
	case s == nil:
		writeError(w, http.StatusNotFound, "NotFoundException", "Session "+id+" not found")
	case sub == "faults" && r.Method == http.MethodPost:
		var p faultPatch
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&p); err != nil {
			writeError(w, http.StatusBadRequest, "BadRequestException", "Invalid JSON: "+err.Error())
			return
		}
		f := s.faults.apply(p)
		if f.ExpireNow {
			s.expiredByFault.Store(true)
		}
		writeJSON(w, http.StatusOK, f)
	case sub == "faults":
		writeJSON(w, http.StatusOK, s.faults.get())
	case sub == "":
		writeJSON(w, http.StatusOK, srv.info(s, now))
	default:
		writeError(w, http.StatusNotFound, "NotFoundException", "Unknown debug route")
	}
}

// LoadCatalogDir loads the catalog from a media directory on disk.
func LoadCatalogDir(dir string) (*Catalog, error) {
	return LoadCatalog(os.DirFS(filepath.Clean(dir)))
}
