package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/availkit/availkit/internal/emulator/vast"
)

// avail is one ad break of a session, filled or not.
type avail struct {
	index int // [avail.index], 1-based
	id    string
	// start and dur are session time (HLS, DASH VOD) or channel time since
	// availabilityStartTime (DASH live).
	start     time.Duration
	dur       time.Duration
	marker    time.Duration
	ads       []*adSlot
	nonLinear []vast.Resolved
	// placed stitched segments
	firstMsn, lastMsn int64
	// live: channel window [chStart, chEnd) the break replaces
	chStart, chEnd time.Duration
	basePeriod     string
	// live HLS: session-time span (acc) of the stitched break
	hlsStart, hlsDur time.Duration
	skips            []Skip
}

// adSlot is one stitched ad (or the slate standing in for a VPAID ad).
type adSlot struct {
	res        vast.Resolved
	linear     *vast.Linear
	creativeID string
	creativeSq string
	companions []companion
	extensions []vast.Extension
	asset      *asset
	vpaid      bool
	segs       []int // segment indexes into asset, in play order
	start      time.Duration
	dur        time.Duration
	msn        int64
	period     string
	revealAt   time.Duration // live: channel time when its first segment is published
	chStart    time.Duration // live: channel time of its first segment
	filler     bool          // slate filling the rest of a live break: not an ad
}

func (a *adSlot) segDur(k int) time.Duration { return a.asset.Segments[a.segs[k]] }

var templateVar = regexp.MustCompile(`\[([a-zA-Z_]+)\.([a-zA-Z0-9_.\-]+)\]`)

// expandTemplate substitutes the ADS template variables; unknown variables
// become empty like MediaTailor does.
func expandTemplate(tmpl string, s *Session, availIndex int, availDur time.Duration) string {
	if availDur <= 0 {
		availDur = 300 * time.Second
	}
	return templateVar.ReplaceAllStringFunc(tmpl, func(m string) string {
		sub := templateVar.FindStringSubmatch(m)
		ns, key := sub[1], sub[2]
		var v string
		switch ns {
		case "player_params":
			v = s.adsParams[strings.ToLower(key)]
		case "session":
			switch key {
			case "id":
				v = strconv.FormatInt(s.Num, 10)
			case "uuid":
				v = s.ID
			case "user_agent":
				v = s.userAgent
			case "client_ip":
				v = s.clientIP
			case "referer":
				v = s.referer
			case "avail_duration_ms":
				v = strconv.FormatInt(availDur.Milliseconds(), 10)
			case "avail_duration_secs":
				v = strconv.FormatInt(int64((availDur+time.Second/2)/time.Second), 10)
			}
		case "avail":
			switch key {
			case "index":
				v = strconv.Itoa(availIndex)
			case "random":
				v = strconv.FormatInt(rand.Int64N(1e10), 10)
			}
		case "scte":
			switch key {
			case "event_id":
				v = strconv.Itoa(1000 + availIndex)
			case "avail_num":
				v = strconv.Itoa(availIndex)
			case "avails_expected", "segment_num", "segments_expected", "sub_segment_num", "sub_segments_expected":
				v = "0"
			case "segmentation_type_id":
				v = "52"
			case "unique_program_id":
				v = "1"
			}
		}
		return url.QueryEscape(v)
	})
}

// decide runs the ad decision for one avail: ADS request over HTTP, wrapper
// unwrapping, "transcode" lookup, and (live only) fitting into room. It
// reads only the session's immutable fields, so it may run without s.mu;
// the skipped ads go to av.skips.
func (srv *Server) decide(s *Session, index int, availDur, room time.Duration) *avail {
	av := &avail{index: index, marker: availDur}
	tmpl := expandTemplate(s.cfg.AdDecisionServerURL, s, index, availDur)
	u, err := url.Parse(tmpl)
	if err == nil && !u.IsAbs() {
		var base *url.URL
		base, err = url.Parse(s.base)
		if err == nil {
			u = base.ResolveReference(u)
		}
	}
	if err != nil {
		srv.logf("session %s: bad ADS URL %q: %v", s.ID, tmpl, err)
		return av
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	res, err := vast.Unwrap(ctx, srv.getter(s), u.String())
	if err != nil {
		srv.logf("session %s avail %d: ADS: %v", s.ID, index, err)
		av.skips = append(av.skips, Skip{AvailIndex: index, Reason: adsErrorReason(err), VASTError: vast.Code(err)})
		srv.fireVASTErrors(s, err)
		return av
	}
	slate := srv.cat.Slate()
	var used time.Duration
	for _, r := range res {
		var comps []companion
		for _, c := range r.Ad.InLine.Creatives {
			if c.CompanionAds != nil {
				for _, cp := range c.CompanionAds.Companions {
					comps = append(comps, companion{Companion: cp, sequence: c.Sequence})
				}
			}
		}
		for ci := range r.Ad.InLine.Creatives {
			c := &r.Ad.InLine.Creatives[ci]
			if c.NonLinearAds != nil {
				av.nonLinear = append(av.nonLinear, r)
				continue
			}
			if c.Linear == nil {
				continue
			}
			slot := &adSlot{res: r, linear: c.Linear, creativeID: c.ID, creativeSq: c.Sequence,
				companions: comps, extensions: r.Ad.InLine.Extensions}
			vastDur, _ := vast.ParseClock(c.Linear.Duration)
			reason := srv.transcode(slot, vastDur, slate)
			if reason == "" && room > 0 && used+slot.duration() > room {
				reason = "AVAIL_DURATION_EXCEEDED"
			}
			if reason != "" {
				av.skips = append(av.skips, Skip{AvailIndex: index, AdID: r.Ad.ID, CreativeID: c.ID, Reason: reason})
				continue
			}
			used += slot.duration()
			av.ads = append(av.ads, slot)
		}
	}
	return av
}

// adsErrorReason files a failed ad request by its VAST error code:
// document errors (1xx) as VAST_PARSING_ERROR, too many wrappers as
// WRAPPER_LIMIT_EXCEEDED, a wrapper leading nowhere as VAST_NO_ADS, and
// anything else (a wrapper's tag or the ad server itself unreachable) by
// its cause.
func adsErrorReason(err error) string {
	switch code := vast.Code(err); {
	case code == vast.CodeWrapperLimit:
		return "WRAPPER_LIMIT_EXCEEDED"
	case code >= 100 && code < 200:
		return "VAST_PARSING_ERROR"
	case code == vast.CodeNoAds:
		return "VAST_NO_ADS"
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return "ADS_TIMEOUT"
	}
	return "ADS_ERROR: " + err.Error()
}

// fireVASTErrors calls the Error URLs of the wrappers on a failed branch,
// [ERRORCODE] set to the VAST error code. MediaTailor unwraps on the server
// side, so no player ever sees these URLs: the service's side has to call
// them. Best effort and in the background, like the service's own beacons;
// the ad decision does not wait.
func (srv *Server) fireVASTErrors(s *Session, err error) {
	get := srv.getter(s)
	for _, u := range vast.ErrorURLs(err) {
		u = strings.ReplaceAll(u, "[CACHEBUSTING]", strconv.FormatInt(10000000+rand.Int64N(90000000), 10))
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			if _, err := get(ctx, u); err != nil {
				srv.logf("session %s: VAST error URL %s: %v", s.ID, u, err)
			}
		}()
	}
}

func (a *adSlot) duration() time.Duration {
	var d time.Duration
	for k := range a.segs {
		d += a.segDur(k)
	}
	return d
}

var bundledAdPath = regexp.MustCompile(`/media/ads/([^/]+)/`)

// transcode maps a linear creative to stitched media. It returns a skip
// reason when MediaTailor would not play it.
func (srv *Server) transcode(slot *adSlot, vastDur time.Duration, slate *asset) string {
	var best *vast.MediaFile
	for i := range slot.linear.MediaFiles {
		mf := &slot.linear.MediaFiles[i]
		if strings.EqualFold(mf.APIFramework, "VPAID") {
			// The slate fills the VPAID slot for the creative's duration,
			// rounded up to whole slate segments (MediaTailor reports the
			// slate duration, slightly above the VAST one).
			slot.vpaid, slot.asset = true, slate
			if vastDur <= 0 {
				vastDur = 10 * time.Second
			}
			var d time.Duration
			for k := 0; d < vastDur; k++ {
				idx := k % len(slate.Segments)
				slot.segs = append(slot.segs, idx)
				d += slate.Segments[idx]
			}
			return ""
		}
		if best == nil || mf.Bitrate > best.Bitrate {
			best = mf
		}
	}
	if best == nil || best.URL == "" {
		return "NO_MEDIA_FILE"
	}
	if m := bundledAdPath.FindStringSubmatch(best.URL); m != nil {
		if a := srv.cat.Ad(m[1]); a != nil {
			slot.useAsset(a)
			return ""
		}
	}
	if strings.Contains(best.URL, "/media/") {
		slot.useAsset(srv.cat.ClosestAd(vastDur))
		return ""
	}
	// Anything else must be transcoded first: MediaTailor indexes creatives
	// by Creative@id (else the media URL) and skips an ad the first time it
	// sees it.
	key := slot.creativeID
	if key == "" {
		key = best.URL
	}
	if _, seen := srv.transcoded.LoadOrStore(key, true); !seen {
		return "NEW_CREATIVE"
	}
	slot.useAsset(srv.cat.ClosestAd(vastDur))
	return ""
}

func (a *adSlot) useAsset(as *asset) {
	a.asset = as
	a.segs = a.segs[:0]
	for i := range as.Segments {
		a.segs = append(a.segs, i)
	}
}

// getter fetches ad tags, passing the player's User-Agent and client address
// like MediaTailor does.
func (srv *Server) getter(s *Session) vast.Getter {
	return func(ctx context.Context, u string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		if s.userAgent != "" {
			req.Header.Set("User-Agent", s.userAgent)
		}
		if s.clientIP != "" {
			req.Header.Set("X-Forwarded-For", s.clientIP)
		}
		resp, err := srv.client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return nil, fmt.Errorf("ADS %s: HTTP %d", u, resp.StatusCode)
		}
		return io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	}
}
