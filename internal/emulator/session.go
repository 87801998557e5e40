package emulator

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Session is one playback session. Its identity and parameters are fixed at
// creation (MediaTailor makes session metadata immutable); the stitched
// timeline is built lazily under mu.
type Session struct {
	ID        string
	Num       int64 // [session.id]: MediaTailor's numeric session id
	Account   string
	Origin    string
	AssetPath string
	DASH      bool
	Live      bool

	cfg            *PlaybackConfiguration
	adsParams      map[string]string // keys lower-cased: inner keys are case-insensitive
	manifestQuery  string            // manifestParams as "k=v&..." in key order
	originParams   map[string]string
	reportingMode  string
	overlayAvails  bool
	overlayOff     bool          // overlayAvails "off": nonLinearAvails are never reported
	suppressBehind time.Duration // availSuppression BEHIND_LIVE_EDGE value; -1 none
	base           string        // scheme://host the session was created through
	userAgent      string
	clientIP       string
	referer        string
	created        time.Time
	idle           time.Duration
	lastSeen       atomic.Int64 // unix ns
	expiredByFault atomic.Bool

	mu             sync.Mutex
	vod            *plan
	live           *liveState
	manifestServed bool
	skips          []Skip
	trackCache     trackCache      // the last tracking body, see Server.tracking
	serverFired    map[string]bool // server-side beacons sent: "<availId>/<adId>/<event>"

	faults  faultState
	beacons beaconLog    // the collector's hits for this session
	replies atomic.Int64 // tracking replies re-signed (fault trackingResign)
}

// Skip records an ad MediaTailor would have skipped, with its reason.
type Skip struct {
	AvailIndex int    `json:"availIndex"`
	AdID       string `json:"vastAdId"`
	CreativeID string `json:"creativeId"`
	Reason     string `json:"reason"`
	// VASTError is the VAST error code of a failed ad request, 0 when the
	// failure has none (an ad server that cannot be reached).
	VASTError int `json:"vastErrorCode,omitempty"`
}

// initBody is the explicit session-initialization request body.
type initBody struct {
	AdsParams      map[string]any `json:"adsParams"`
	PlayerParams   map[string]any `json:"playerParams"`
	ManifestParams map[string]any `json:"manifestParams"`
	ReportingMode  string         `json:"reportingMode"`
	OverlayAvails  string         `json:"overlayAvails"`
	LogMode        string         `json:"logMode"`
	// AvailSuppression is {mode, value, fillPolicy}.
	AvailSuppression *availSuppression `json:"availSuppression"`
	Other            map[string]string
}

type availSuppression struct {
	Mode       string `json:"mode"`
	Value      string `json:"value"`
	FillPolicy string `json:"fillPolicy"`
}

// behind checks an availSuppression and returns the BEHIND_LIVE_EDGE value,
// or -1 when nothing is suppressed behind the live edge (mode OFF or
// AFTER_LIVE_EDGE, which the emulator accepts and ignores).
func (a availSuppression) behind() (time.Duration, error) {
	switch strings.ToUpper(a.Mode) {
	case "", "OFF":
		return -1, nil
	case "BEHIND_LIVE_EDGE", "AFTER_LIVE_EDGE":
	default:
		return 0, fmt.Errorf("Invalid availSuppression mode %q: expected OFF, BEHIND_LIVE_EDGE or AFTER_LIVE_EDGE", a.Mode)
	}
	var h, m, sec int
	if n, err := fmt.Sscanf(a.Value, "%d:%d:%d", &h, &m, &sec); err != nil || n != 3 || len(a.Value) < 8 ||
		h < 0 || m < 0 || m > 59 || sec < 0 || sec > 59 {
		return 0, fmt.Errorf("Invalid availSuppression value %q: expected HH:MM:SS", a.Value)
	}
	if !strings.EqualFold(a.Mode, "BEHIND_LIVE_EDGE") {
		return -1, nil
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second, nil
}

// reservedBodyKeys are consumed by MediaTailor and never forwarded to the
// origin.
var reservedBodyKeys = map[string]bool{
	"adsParams": true, "playerParams": true, "manifestParams": true, "reportingMode": true,
	"availSuppression": true, "overlayAvails": true, "adSignaling": true, "logMode": true,
	"streamId": true, "startTime": true, "preroll": true, "insertionMode": true,
}

func parseInitBody(raw []byte) (*initBody, error) {
	b := &initBody{}
	if len(strings.TrimSpace(string(raw))) == 0 {
		return b, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fmt.Errorf("Invalid JSON in the request body: %v", err)
	}
	if err := json.Unmarshal(raw, b); err != nil {
		return nil, fmt.Errorf("Invalid session initialization request body: %v", err)
	}
	switch b.ReportingMode {
	case "", "client", "server", "CLIENT", "SERVER":
	default:
		return nil, fmt.Errorf("Invalid reportingMode %q: expected client or server", b.ReportingMode)
	}
	if b.AvailSuppression != nil {
		if _, err := b.AvailSuppression.behind(); err != nil {
			return nil, err
		}
	}
	if b.LogMode != "" && b.LogMode != "DEBUG" {
		return nil, fmt.Errorf("Invalid logMode %q", b.LogMode)
	}
	switch strings.ToLower(b.OverlayAvails) {
	case "", "on", "off":
	default:
		return nil, fmt.Errorf("Invalid overlayAvails %q: expected on or off", b.OverlayAvails)
	}
	b.Other = map[string]string{}
	for k, v := range top {
		if reservedBodyKeys[k] {
			continue
		}
		var s any
		_ = json.Unmarshal(v, &s)
		b.Other[k] = scalarString(s)
	}
	return b, nil
}

func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	case float64, bool:
		return fmt.Sprint(x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func stringMap(m map[string]any, lower bool) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if lower {
			k = strings.ToLower(k)
		}
		out[k] = scalarString(v)
	}
	return out
}

func encodeOrdered(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(m[k]))
	}
	return b.String()
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// store holds the sessions. Expired sessions stay (answering 400) until a
// sweep drops them after twice their idle limit.
type store struct {
	mu        sync.RWMutex
	m         map[string]*Session
	num       atomic.Int64
	lastSweep atomic.Int64
}

func (st *store) get(id string) *Session {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.m[id]
}

func (st *store) put(s *Session) {
	st.mu.Lock()
	st.m[s.ID] = s
	st.mu.Unlock()
}

func (st *store) list() []*Session {
	st.mu.RLock()
	out := make([]*Session, 0, len(st.m))
	for _, s := range st.m {
		out = append(out, s)
	}
	st.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].created.Before(out[j].created) })
	return out
}

// sweep drops the sessions idle for twice their limit, at most every 10 s,
// and calls dropped for each (outside the store's lock).
func (st *store) sweep(now time.Time, dropped func(*Session)) {
	last := st.lastSweep.Load()
	if now.UnixNano()-last < int64(10*time.Second) || !st.lastSweep.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	var gone []*Session
	st.mu.Lock()
	for id, s := range st.m {
		if now.Sub(time.Unix(0, s.lastSeen.Load())) > 2*s.idleLimit() {
			delete(st.m, id)
			gone = append(gone, s)
		}
	}
	st.mu.Unlock()
	for _, s := range gone {
		dropped(s)
	}
}

// manifestDuration is the duration of the manifest the session is served:
// the whole VOD content or the live window.
func (s *Session) manifestDuration(cat *catalog) time.Duration {
	if s.Live {
		return time.Duration(s.cfg.LiveWindowSegments) * 2 * time.Second
	}
	if c := cat.Content(s.cfg.Content); c != nil {
		return c.Duration()
	}
	return time.Minute
}

// idleLimit is the inactivity after which the session expires (10 × the
// manifest duration, MediaTailor's quota), cached at creation.
func (s *Session) idleLimit() time.Duration { return s.idle }

func (s *Session) expired(now time.Time) bool {
	if s.expiredByFault.Load() {
		return true
	}
	return now.Sub(time.Unix(0, s.lastSeen.Load())) > s.idleLimit()
}

func (s *Session) touch(now time.Time) { s.lastSeen.Store(now.UnixNano()) }

func (s *Session) manifestURL() string {
	kind := "master"
	if s.DASH {
		kind = "dash"
	}
	u := fmt.Sprintf("/v1/%s/%s/%s/%s?aws.sessionId=%s", kind, s.Account, s.Origin, s.AssetPath, s.ID)
	if s.manifestQuery != "" {
		u += "&" + s.manifestQuery
	}
	return u
}

func (s *Session) trackingURL() string {
	u := fmt.Sprintf("/v1/tracking/%s/%s/%s", s.Account, s.Origin, s.ID)
	if s.manifestQuery != "" {
		u += "?" + s.manifestQuery
	}
	return u
}

// withQuery appends the session's manifestParams to a generated URL.
func (s *Session) withQuery(u string) string {
	if s.manifestQuery == "" {
		return u
	}
	if strings.Contains(u, "?") {
		return u + "&" + s.manifestQuery
	}
	return u + "?" + s.manifestQuery
}
