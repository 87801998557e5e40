package emulator

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// debugRoutes registers /debug/stats and /debug/sessions[/<id>[/beacons|
// /faults]]. ServeHTTP lets a request reach them only past debugAllowed.
func (srv *Server) debugRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /debug/stats", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, srv.stats())
	})
	m.HandleFunc("GET /debug/sessions", srv.debugSessions)
	m.HandleFunc("GET /debug/sessions/{$}", srv.debugSessions)
	m.HandleFunc("GET /debug/sessions/{id}", srv.withSession(func(w http.ResponseWriter, r *http.Request, s *Session) {
		writeJSON(w, http.StatusOK, srv.info(s, srv.now()))
	}))
	m.HandleFunc("GET /debug/sessions/{id}/beacons", srv.withSession(func(w http.ResponseWriter, r *http.Request, s *Session) {
		since, _ := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
		writeJSON(w, http.StatusOK, s.beacons.snapshot(since))
	}))
	m.HandleFunc("DELETE /debug/sessions/{id}/beacons", srv.withSession(func(w http.ResponseWriter, r *http.Request, s *Session) {
		s.beacons.clear(&srv.beaconBudget)
		w.WriteHeader(http.StatusNoContent)
	}))
	m.HandleFunc("GET /debug/sessions/{id}/faults", srv.withSession(func(w http.ResponseWriter, r *http.Request, s *Session) {
		writeJSON(w, http.StatusOK, s.faults.get())
	}))
	m.HandleFunc("POST /debug/sessions/{id}/faults", srv.withSession(func(w http.ResponseWriter, r *http.Request, s *Session) {
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
	}))
	m.HandleFunc("/debug/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "NotFoundException", "Unknown debug route")
	})
}

// debugAllowed decides whether a /debug request may proceed, answering it
// when not. /debug lists every session, changes faults and clears
// beacons: it answers clients on this machine only (loopback, or the
// address the connection reached: a LAN listener used from its own host),
// or, with Options.DebugToken, clients presenting the token; never a page of another origin (the
// tester's own browser is a loopback client) and never a Host other than
// a loopback name or the public base, which is what a DNS-rebinding page
// would send.
func (srv *Server) debugAllowed(w http.ResponseWriter, r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" && !sameOrigin(o, r.Host, srv.publicBase) {
		writeError(w, http.StatusForbidden, "AccessDeniedException", "/debug does not answer other origins")
		return false
	}
	if tok := srv.opts.DebugToken; tok != "" {
		got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(tok)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="availkit debug"`)
			writeError(w, http.StatusUnauthorized, "UnauthorizedException", "/debug needs the --debug-token")
			return false
		}
		return true
	}
	local := localAddr(r)
	fromHere := isLoopback(hostOf(r.RemoteAddr)) || (local != "" && hostOf(r.RemoteAddr) == hostOf(local))
	ourHost := isLoopback(hostOf(r.Host)) || sameHost(r.Host, srv.publicBase) || (local != "" && r.Host == local)
	if !fromHere || !ourHost {
		writeError(w, http.StatusForbidden, "AccessDeniedException", "/debug answers loopback clients only (see --debug-token)")
		return false
	}
	return true
}

// localAddr is the address the request's connection reached ("" for
// in-process requests).
func localAddr(r *http.Request) string {
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		return a.String()
	}
	return ""
}

// hostOf strips the port of a host:port (or a bare host).
func hostOf(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.Trim(hostport, "[]")
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameOrigin reports whether an Origin header names this server: the Host
// it was reached through or the public base.
func sameOrigin(origin, host, publicBase string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	return strings.EqualFold(u.Host, host) || (publicBase != "" && strings.EqualFold(u.Scheme+"://"+u.Host, publicBase))
}

func sameHost(host, publicBase string) bool {
	u, err := url.Parse(publicBase)
	return publicBase != "" && err == nil && strings.EqualFold(u.Host, host)
}

// withSession resolves the {id} of a debug route, 404 when unknown: a GET
// on an unknown id creates nothing.
func (srv *Server) withSession(h func(http.ResponseWriter, *http.Request, *Session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		s := srv.sessions.get(id)
		if s == nil {
			writeError(w, http.StatusNotFound, "NotFoundException", "Session "+id+" not found")
			return
		}
		h(w, r, s)
	}
}

func (srv *Server) debugSessions(w http.ResponseWriter, r *http.Request) {
	now := srv.now()
	out := []sessionInfo{}
	for _, s := range srv.sessions.list() {
		out = append(out, srv.info(s, now))
	}
	writeJSON(w, http.StatusOK, out)
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
	return sessionInfo{ID: s.ID, Account: s.Account, Origin: s.Origin, Asset: s.AssetPath, Format: f, Live: s.Live,
		Created: s.created.UnixMilli(), LastSeen: s.lastSeen.Load() / 1e6, Expired: s.expired(now),
		ReportingMode: s.reportingMode, AdsParams: s.adsParams, OriginParams: s.originParams,
		ManifestURL: s.manifestURL(), TrackingURL: s.trackingURL(), Faults: s.faults.get(), Beacons: s.beacons.len(), Skips: skips}
}
