// Package emulator is a local stand-in for AWS Elemental MediaTailor: it
// creates playback sessions, stitches HLS and DASH (VOD and a wall-clock
// live channel) from bundled media, serves the client-side tracking API,
// runs a VAST ad server and records every beacon it receives.
//
// It follows ../shared/reference/mediatailor-api.md; docs/emulator.md lists
// routes, flags, scenarios and fault knobs. The handlers live by job:
// api.go (sessions, manifests, tracking), adserver.go (VAST), beacon.go
// (collector), debug.go, static.go (demo files) and cors.go.
package emulator

import (
	"embed"
	"errors"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/availkit/availkit/media"
)

//go:embed creatives
var creativesFS embed.FS

// Options configure a Server.
type Options struct {
	// Config defaults to DefaultConfig().
	Config *Config
	// Catalog holds the bundled media and their file system; required.
	Catalog *media.Catalog
	// Root, when set, is the directory whose index.html, dist/, web/,
	// tests/ and the hls.js and dash.js bundles under node_modules/ are
	// served (nothing else under it).
	Root string
	// PublicBase is the scheme://host[:port] players reach the emulator
	// through (e.g. behind a proxy or on a LAN). Relative ad-server
	// templates resolve against it and absolute URLs the emulator hands
	// out start with it. Empty means the local address the request's
	// connection reached, never the request's Host or X-Forwarded-*
	// headers, which any client can forge.
	PublicBase string
	// DebugToken, when set, is required (Authorization: Bearer <token>) on
	// every /debug route, from any address; when empty, /debug answers
	// loopback clients only.
	DebugToken string
	// MaxBeaconsPerSession and MaxBeaconBytesPerSession cap the collector's
	// log of each session (defaults 20,000 hits and 8 MiB of queries);
	// MaxBeaconBytes caps it over all sessions (default 256 MiB).
	MaxBeaconsPerSession     int
	MaxBeaconBytesPerSession int
	MaxBeaconBytes           int64
	// Timeouts of the http.Server returned by HTTPServer.
	Timeouts Timeouts
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

// Timeouts bound how long a connection may take to send a request and
// receive its answer, so slow or idle clients cannot pile up connections.
// Zero fields take the defaults in parentheses.
type Timeouts struct {
	ReadHeader time.Duration // request line and headers (5 s)
	Read       time.Duration // whole request, body included (15 s)
	Write      time.Duration // from the end of the headers to the end of the answer (60 s)
	Idle       time.Duration // keep-alive between requests (60 s)
}

// Server is the emulator's HTTP handler. It is safe for concurrent use.
type Server struct {
	cfg        *Config
	cat        *catalog
	opts       Options
	publicBase string // Options.PublicBase without a trailing slash
	client     *http.Client
	sessions   store
	transcoded sync.Map
	chMu       sync.Mutex
	channels   map[string]*channel
	creatives  fs.FS
	trackLat   latencyHist
	// beaconBudget bounds the collector's memory over all sessions.
	beaconBudget beaconBudget
	mux          *http.ServeMux
}

// New returns a Server.
func New(o Options) (*Server, error) {
	cat, err := newCatalog(o.Catalog)
	if err != nil {
		return nil, err
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
	if o.MaxBeaconsPerSession <= 0 {
		o.MaxBeaconsPerSession = 20000
	}
	if o.MaxBeaconBytesPerSession <= 0 {
		o.MaxBeaconBytesPerSession = 8 << 20
	}
	if o.MaxBeaconBytes <= 0 {
		o.MaxBeaconBytes = 256 << 20
	}
	if o.Client == nil {
		// Many sessions reach a live break at the same moment: keep
		// connections to the ad server alive instead of redialing.
		o.Client = &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{
			MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: 90 * time.Second}}
	}
	base, err := parsePublicBase(o.PublicBase)
	if err != nil {
		return nil, err
	}
	sub, _ := fs.Sub(creativesFS, "creatives")
	srv := &Server{cfg: o.Config, cat: cat, opts: o, publicBase: base, client: o.Client,
		channels: map[string]*channel{}, creatives: sub}
	srv.sessions.m = map[string]*Session{}
	srv.beaconBudget.max = o.MaxBeaconBytes
	for _, p := range o.Config.PlaybackConfigurations {
		if cat.Content(p.Content) == nil {
			return nil, errors.New("emulator: configuration " + p.Name + ": unknown content " + p.Content)
		}
	}
	srv.mux = srv.routes()
	return srv, nil
}

// parsePublicBase checks a --public-base value: an http(s) origin, no path.
func parsePublicBase(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
		return "", errors.New("emulator: public base " + s + ": want http(s)://host[:port]")
	}
	return u.Scheme + "://" + u.Host, nil
}

// routes maps every route to its handler. Method-less patterns beside
// method ones answer other methods in MediaTailor's error shape.
func (srv *Server) routes() *http.ServeMux {
	m := http.NewServeMux()
	api := func(pattern string, methods string, h http.HandlerFunc) {
		for _, method := range strings.Split(methods, ",") {
			m.HandleFunc(method+" "+pattern, h)
		}
		m.HandleFunc(pattern, methodNotAllowed(methods))
	}
	const cfgPath = "/{acct}/{origin}"
	api("/v1/session"+cfgPath+"/{asset...}", "GET,POST", srv.handleSessionInit)
	api("/v1/master"+cfgPath+"/{asset...}", "GET", srv.handleManifest)
	api("/v1/dash"+cfgPath+"/{asset...}", "GET", srv.handleManifest)
	api("/v1/manifest"+cfgPath+"/{session}/{name}", "GET", srv.handleMediaPlaylist)
	api("/v1/segment"+cfgPath+"/{session}/{track}/{msn}", "GET", srv.handleSegment)
	api("/v1/tracking"+cfgPath+"/{session}", "GET", srv.handleTracking)
	m.HandleFunc("/v1/", notFound)

	m.HandleFunc("GET /vast/assets/{name...}", srv.serveVASTAsset)
	m.HandleFunc("GET /vast/{scenario...}", srv.handleVAST)
	m.HandleFunc("GET /landing", handleLanding)
	m.HandleFunc("GET /beacon/{session}/{event}", srv.handleBeacon)
	m.HandleFunc("POST /beacon/{session}/{event}", srv.handleBeacon)
	// Media and creatives never change while the emulator runs.
	m.Handle("GET /media/{path...}", fileHandler(srv.cat.FS, "public, max-age=3600", false))
	m.Handle("GET /creatives/{path...}", fileHandler(srv.creatives, "public, max-age=3600", false))

	srv.debugRoutes(m)
	srv.staticRoutes(m)
	m.HandleFunc("/", notFound)
	return m
}

// ServeHTTP answers CORS preflights, refuses dot segments, then routes.
func (srv *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	debug := isDebugPath(r.URL.Path)
	setCORS(sw, r, debug)
	switch {
	case r.Method == http.MethodOptions:
		sw.WriteHeader(http.StatusNoContent)
	case hasDotSegment(r.URL.Path):
		// "..", "." and dotfiles (.git, .env): no route has one, and the
		// mux would answer a redirect to the cleaned path.
		notFound(sw, r)
	case debug && !srv.debugAllowed(sw, r):
		// Refused; debugAllowed answered.
	default:
		srv.mux.ServeHTTP(sw, r)
	}
	if srv.opts.Debug {
		srv.logf("%s %s %d %dB %s", r.Method, r.URL.RequestURI(), sw.status, sw.n, time.Since(start).Round(time.Microsecond))
	}
}

// hasDotSegment reports whether a (decoded) path has a segment starting
// with a dot, as "..", "." or ".git" do, including ones a client sent
// percent-encoded ("..%2f").
func hasDotSegment(p string) bool {
	for seg := range strings.SplitSeq(p, "/") {
		if strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}

// HTTPServer returns an http.Server for the emulator with Options.Timeouts.
func (srv *Server) HTTPServer() *http.Server {
	t := srv.opts.Timeouts
	def := func(d, fallback time.Duration) time.Duration {
		if d > 0 {
			return d
		}
		return fallback
	}
	return &http.Server{Handler: srv,
		ReadHeaderTimeout: def(t.ReadHeader, 5*time.Second),
		ReadTimeout:       def(t.Read, 15*time.Second),
		WriteTimeout:      def(t.Write, 60*time.Second),
		IdleTimeout:       def(t.Idle, 60*time.Second),
		// A beacon query may be long; the default 1 MB is plenty and bounds it.
		MaxHeaderBytes: 1 << 20,
	}
}

// base is the origin absolute URLs and relative ad-server templates use:
// Options.PublicBase, else the local address the connection reached (what
// the server listens on, which no client can choose). In-process calls
// without a connection (tests, the load tool's day replay) fall back to
// the Host.
func (srv *Server) base(r *http.Request) string {
	if srv.publicBase != "" {
		return srv.publicBase
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if a := localAddr(r); a != "" {
		return scheme + "://" + a
	}
	return scheme + "://" + r.Host
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
