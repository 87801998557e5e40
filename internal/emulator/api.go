package emulator

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// config resolves the {acct}/{origin} of an API route, answering 404 when
// either is unknown.
func (srv *Server) config(w http.ResponseWriter, r *http.Request) (*PlaybackConfiguration, bool) {
	acct, origin := r.PathValue("acct"), r.PathValue("origin")
	if acct != srv.cfg.AccountID {
		writeError(w, http.StatusNotFound, "NotFoundException", "Unknown account "+acct)
		return nil, false
	}
	cfg := srv.cfg.lookup(origin)
	if cfg == nil {
		writeError(w, http.StatusNotFound, "NotFoundException", fmt.Sprintf("Playback configuration %s not found", origin))
		return nil, false
	}
	return cfg, true
}

// routeSession resolves the configuration and the {session} of an API
// route.
func (srv *Server) routeSession(w http.ResponseWriter, r *http.Request) (*Session, bool) {
	cfg, ok := srv.config(w, r)
	if !ok {
		return nil, false
	}
	return srv.liveSession(w, r.PathValue("session"), cfg.Name)
}

// liveSession looks a session up, answering 404 (unknown) or 400 (expired).
func (srv *Server) liveSession(w http.ResponseWriter, id, origin string) (*Session, bool) {
	now := srv.now()
	srv.sweep(now)
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

func assetFormat(assetPath string) (dash, live bool, err error) {
	switch {
	case strings.HasSuffix(assetPath, ".m3u8"):
	case strings.HasSuffix(assetPath, ".mpd"):
		dash = true
	default:
		return false, false, fmt.Errorf("Unsupported asset %q: the path must end in .m3u8 or .mpd", assetPath)
	}
	for p := range strings.SplitSeq(assetPath, "/") {
		if p == "" || p == ".." {
			return false, false, fmt.Errorf("Invalid asset path %q", assetPath)
		}
	}
	live = strings.HasPrefix(assetPath, "live/") || strings.Contains(assetPath, "/live/")
	return dash, live, nil
}

// handleSessionInit serves POST (JSON body) and GET (query) session
// initialization.
func (srv *Server) handleSessionInit(w http.ResponseWriter, r *http.Request) {
	cfg, ok := srv.config(w, r)
	if !ok {
		return
	}
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
	s, err := srv.newSession(r, cfg, body, q)
	if err != nil {
		writeError(w, http.StatusBadRequest, "BadRequestException", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"manifestUrl": s.manifestURL(), "trackingUrl": s.trackingURL()})
}

// handleManifest serves /v1/master/… and /v1/dash/…: an implicit session
// (302 to its URL) without aws.sessionId, else the multivariant playlist or
// the MPD.
func (srv *Server) handleManifest(w http.ResponseWriter, r *http.Request) {
	cfg, ok := srv.config(w, r)
	if !ok {
		return
	}
	dash := strings.HasPrefix(r.URL.Path, "/v1/dash/")
	q := r.URL.Query()
	id := q.Get("aws.sessionId")
	if id == "" {
		// Implicit session: create, then redirect to the session's URL.
		s, err := srv.newSession(r, cfg, &initBody{Other: map[string]string{}}, q)
		if err != nil {
			writeError(w, http.StatusBadRequest, "BadRequestException", err.Error())
			return
		}
		if dash != s.DASH {
			writeError(w, http.StatusBadRequest, "BadRequestException", "Manifest type does not match the asset extension")
			return
		}
		http.Redirect(w, r, s.manifestURL(), http.StatusFound)
		return
	}
	s, ok := srv.liveSession(w, id, cfg.Name)
	if !ok {
		return
	}
	if dash != s.DASH || s.AssetPath != r.PathValue("asset") {
		writeError(w, http.StatusBadRequest, "BadRequestException", "The manifest URL does not belong to session "+id)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	if !s.DASH {
		w.Header().Set("Content-Type", "application/vnd.apple.mpegurl")
		_, _ = io.WriteString(w, srv.hlsMaster(s))
		return
	}
	now := srv.now()
	s.mu.Lock()
	var body string
	loc := s.base + s.manifestURL()
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
	_, _ = io.WriteString(w, body)
}

// handleMediaPlaylist serves /v1/manifest/…/<session>/0.m3u8 (video) and
// 1.m3u8 (audio).
func (srv *Server) handleMediaPlaylist(w http.ResponseWriter, r *http.Request) {
	s, ok := srv.routeSession(w, r)
	if !ok {
		return
	}
	name := r.PathValue("name")
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

// handleSegment serves the server-side reporting segment URLs.
func (srv *Server) handleSegment(w http.ResponseWriter, r *http.Request) {
	if s, ok := srv.routeSession(w, r); ok {
		srv.serveSegment(w, r, s, r.PathValue("track"), r.PathValue("msn"))
	}
}

// handleTracking serves /v1/tracking/…/<session>[?nextToken=].
func (srv *Server) handleTracking(w http.ResponseWriter, r *http.Request) {
	s, ok := srv.routeSession(w, r)
	if !ok || srv.trackingFault(w, r, s.faults.get()) {
		return
	}
	start := time.Now()
	defer func() { srv.trackLat.add(time.Since(start)) }()
	f := s.faults.get()
	token := r.URL.Query().Get("nextToken")
	if f.TrackingResign {
		token = "" // every reply re-lists the whole window
	}
	body, err := srv.tracking(s, srv.now(), token)
	if err != nil {
		writeError(w, http.StatusBadRequest, "BadRequestException", err.Error())
		return
	}
	if f.TrackingResign {
		body = resign(body, s.replies.Add(1))
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
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

// newSession creates and stores a session from an init body and query.
func (srv *Server) newSession(r *http.Request, cfg *PlaybackConfiguration, body *initBody, q url.Values) (*Session, error) {
	assetPath := r.PathValue("asset")
	dash, live, err := assetFormat(assetPath)
	if err != nil {
		return nil, err
	}
	now := srv.now()
	srv.sweep(now)
	s := &Session{ID: newUUID(), Num: srv.sessions.num.Add(1), Account: srv.cfg.AccountID, Origin: cfg.Name, AssetPath: assetPath,
		DASH: dash, Live: live, cfg: cfg, base: srv.base(r), userAgent: r.UserAgent(), clientIP: clientIP(r),
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
	if err := checkMedia(s.adsParams["media"], dash); err != nil {
		return nil, err
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
