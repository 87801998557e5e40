package lint

import (
	"cmp"
	"encoding/base64"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/availkit/availkit/internal/beacon"
	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/timeline"
	"github.com/availkit/availkit/internal/tracking"
)

// tolerance is how far an event may sit outside its ad: MediaTailor
// computes event times from segment boundaries and rounds to ms.
const tolerance = 5 * clock.Millisecond

// checker walks a decoded response and collects findings.
type checker struct {
	r   *tracking.Response
	opt Options
	out []Finding
	// insecure counts plain-http beacons by host, reported once per host
	// at the end (an ad server's beacons all share a scheme).
	insecure      map[string]int
	insecureFirst map[string]string
	insecureHosts []string
}

func (c *checker) add(sev Severity, code, path, msg string) {
	c.out = append(c.out, Finding{Severity: sev, Code: code, Path: path, Message: msg})
}

func idx(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func (c *checker) document() {
	c.avails("avails", c.r.Avails, false)
	c.avails("nonLinearAvails", c.r.NonLinearAvails, true)
	c.overlaps()
	c.nextToken()
	c.anchors()
	for _, h := range c.insecureHosts {
		n := c.insecure[h]
		msg := "1 beacon to http://" + h + " is plain http"
		if n > 1 {
			msg = strconv.Itoa(n) + " beacons to http://" + h + " are plain http (the first is here)"
		}
		c.add(Info, "beacon-insecure", c.insecureFirst[h], msg+": browsers block them on https pages")
	}
}

func (c *checker) avails(path string, avails []tracking.Avail, overlay bool) {
	ids := map[string]int{}
	for i := range avails {
		a := &avails[i]
		p := idx(path, i)
		if a.AvailID != "" {
			if j, dup := ids[a.AvailID]; dup {
				c.add(Error, "duplicate-avail-id", p+".availId", "availId "+strconv.Quote(a.AvailID)+" is also "+idx(path, j)+"'s: players merge them into one break")
			} else {
				ids[a.AvailID] = i
			}
		}
		c.breakEvents(p, a)
		if len(a.Ads) == 0 && len(a.NonLinearAdsList) == 0 {
			c.add(Info, "avail-no-ads", p, "avail "+strconv.Quote(a.AvailID)+" has no ads (unfilled, duration "+tracking.FormatISODuration(a.Duration)+"): no ad plays, only its break beacons fire as playback crosses it")
		}
		if len(a.Ads) > 0 && a.Duration == 0 {
			c.add(Warning, "avail-zero-duration", p+".duration", "avail has "+strconv.Itoa(len(a.Ads))+" ad(s) but duration PT0S: the break length comes from its ads")
		}
		adIDs := map[string]int{}
		for k := range a.Ads {
			ad := &a.Ads[k]
			ap := idx(p+".ads", k)
			if ad.AdID != "" {
				if j, dup := adIDs[ad.AdID]; dup {
					c.add(Error, "duplicate-ad-id", ap+".adId", "adId "+strconv.Quote(ad.AdID)+" is also "+idx(p+".ads", j)+"'s: beacons of one are deduplicated against the other")
				} else {
					adIDs[ad.AdID] = k
				}
			}
			c.ad(ap, a, ad)
		}
		for k := range a.NonLinearAdsList {
			c.events(idx(p+".nonLinearAdsList", k)+".trackingEvents", a.NonLinearAdsList[k].TrackingEvents)
		}
	}
}

// breakEvents checks the order of breakStart and breakEnd. The real service
// has been seen listing breakEnd first with no times: a player that fires
// in list order reports the break as over before it starts.
func (c *checker) breakEvents(p string, a *tracking.Avail) {
	start, end := -1, -1
	for i, ev := range a.AdBreakTrackingEvents {
		switch ev.EventType {
		case "breakStart":
			if start < 0 {
				start = i
			}
		case "breakEnd":
			if end < 0 {
				end = i
			}
		}
	}
	ep := p + ".adBreakTrackingEvents"
	if start >= 0 && end >= 0 {
		s, e := a.AdBreakTrackingEvents[start], a.AdBreakTrackingEvents[end]
		switch {
		case e.StartTime < s.StartTime:
			c.add(Warning, "break-end-before-start", idx(ep, end), "breakEnd is timed at "+secsText(e.StartTime)+", before breakStart at "+secsText(s.StartTime)+": the plugin fires breakStart at the avail's start and breakEnd at its end")
		case end < start:
			c.add(Warning, "break-end-before-start", idx(ep, end), "breakEnd is listed before breakStart: the plugin orders them by the avail's start and end, a player firing in list order would not")
		}
	}
	c.events(ep, a.AdBreakTrackingEvents)
}

func (c *checker) ad(p string, a *tracking.Avail, ad *tracking.Ad) {
	if ad.Duration <= 0 {
		c.add(Error, "ad-zero-duration", p+".duration", "ad "+strconv.Quote(ad.AdID)+" has no duration: its quartiles and the countdown cannot be placed")
	}
	end := ad.StartTime + ad.Duration
	if a.Duration > 0 && (ad.StartTime+tolerance < a.StartTime || end > a.StartTime+a.Duration+tolerance) {
		c.add(Warning, "ad-outside-avail", p, "ad runs "+secsText(ad.StartTime)+"–"+secsText(end)+", outside its avail "+secsText(a.StartTime)+"–"+secsText(a.StartTime+a.Duration))
	}
	c.timing(p+".trackingEvents", ad)
	c.events(p+".trackingEvents", ad.TrackingEvents)
	c.media(p, ad)
	for i := range ad.CompanionAds {
		cp := idx(p+".companionAds", i)
		comp := &ad.CompanionAds[i]
		if !positive(comp.Attributes.Width) || !positive(comp.Attributes.Height) {
			c.add(Warning, "companion-no-size", cp+".attributes", "companion size "+strconv.Quote(comp.Attributes.Width)+"x"+strconv.Quote(comp.Attributes.Height)+" is not numeric: it cannot be matched to a slot by size")
		}
		c.events(cp+".trackingEvents", comp.TrackingEvents)
		if comp.CompanionClickTracking != "" {
			c.url(cp+".companionClickTracking", comp.CompanionClickTracking)
		}
	}
	for i := range ad.AdVerifications {
		c.events(idx(p+".adVerifications", i)+".trackingEvents", ad.AdVerifications[i].TrackingEvents)
	}
}

func positive(s string) bool {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return err == nil && n > 0
}

// timing checks the timed events of an ad against its span and the
// quartiles against their share of it.
func (c *checker) timing(p string, ad *tracking.Ad) {
	end := ad.StartTime + ad.Duration
	var quart [4]int // firstQuartile, midpoint, thirdQuartile, complete: 1+index
	for i, ev := range ad.TrackingEvents {
		if timeline.KindOf(ev.EventType) != timeline.Timed {
			continue
		}
		ep := idx(p, i)
		switch {
		case ev.StartTime+tolerance < ad.StartTime:
			c.add(Error, "event-before-ad", ep+".startTime", ev.EventType+" is due at "+secsText(ev.StartTime)+", before its ad starts at "+secsText(ad.StartTime)+": it would fire during content")
		case ad.Duration > 0 && ev.StartTime > end+tolerance:
			c.add(Warning, "event-outside-ad", ep+".startTime", ev.EventType+" is due at "+secsText(ev.StartTime)+", after its ad ends at "+secsText(end))
		}
		if q := quartileIndex(ev.EventType); q >= 0 && quart[q] == 0 {
			quart[q] = i + 1
		}
	}
	have := 0
	var missing []string
	for q, i := range quart {
		if i > 0 {
			have++
		} else {
			missing = append(missing, quartileNames[q])
		}
	}
	switch {
	case have == 0:
		c.add(Info, "no-quartiles", p, "ad reports no quartiles (firstQuartile, midpoint, thirdQuartile, complete)")
	case have < 4:
		c.add(Warning, "missing-quartiles", p, "ad lacks "+strings.Join(missing, ", "))
	}
	if ad.Duration <= 0 {
		return
	}
	slack := max(500*clock.Millisecond, ad.Duration/20)
	for q, i := range quart {
		if i == 0 {
			continue
		}
		ev := ad.TrackingEvents[i-1]
		want := ad.StartTime + ad.Duration*clock.Duration(q+1)/4
		if d := ev.StartTime - want; d > slack || d < -slack {
			c.add(Warning, "quartile-time", idx(p, i-1)+".startTime", ev.EventType+" is due at "+secsText(ev.StartTime)+", expected near "+secsText(want))
		}
	}
}

var quartileNames = [4]string{"firstQuartile", "midpoint", "thirdQuartile", "complete"}

func quartileIndex(t string) int {
	for i, n := range quartileNames {
		if n == t {
			return i
		}
	}
	return -1
}

// events checks the beacon URLs and duplicates of one event list.
func (c *checker) events(p string, evs []tracking.TrackingEvent) {
	seen := map[[2]string]bool{}
	for i, ev := range evs {
		ep := idx(p, i)
		for k, u := range ev.BeaconURLs {
			up := idx(ep+".beaconUrls", k)
			key := [2]string{ev.EventType, u}
			if seen[key] {
				c.add(Warning, "duplicate-event", up, ev.EventType+" lists "+short(u)+" twice: it is sent twice")
			}
			seen[key] = true
			c.url(up, u)
		}
	}
}

// url checks one beacon URL as the plugin's dispatcher will treat it.
func (c *checker) url(p, u string) {
	switch {
	case u == "about:blank":
		c.add(Info, "beacon-about-blank", p, "about:blank placeholder: not sent")
		return
	case !beacon.Allowed(u):
		c.add(Error, "beacon-not-http", p, short(u)+" is not an absolute http(s) URL: the plugin never sends it")
		return
	case len(u) >= 7 && strings.EqualFold(u[:7], "http://"):
		host := u[7:]
		if i := strings.IndexAny(host, "/?#"); i >= 0 {
			host = host[:i]
		}
		if c.insecure == nil {
			c.insecure, c.insecureFirst = map[string]int{}, map[string]string{}
		}
		if c.insecure[host] == 0 {
			c.insecureFirst[host] = p
			c.insecureHosts = append(c.insecureHosts, host)
		}
		c.insecure[host]++
	}
	c.macros(p, u)
}

// short shortens a URL for a message.
func short(u string) string {
	const n = 80
	if len(u) > n {
		u = u[:n] + "…"
	}
	return strconv.Quote(u)
}

// media checks VPAID media files: MediaTailor stitches a slate for the
// creative's duration, so an ad with no duration has no slot to run it in.
func (c *checker) media(p string, ad *tracking.Ad) {
	for i, mf := range ad.MediaFiles.MediaFilesList {
		if !strings.EqualFold(mf.APIFramework, "VPAID") {
			continue
		}
		mp := idx(p+".mediaFiles.mediaFilesList", i)
		if ad.Duration <= 0 {
			c.add(Error, "vpaid-no-slate", mp, "VPAID media on an ad with no duration: the stream has no slate to run the creative over")
		}
		if !strings.Contains(strings.ToLower(mf.MediaType), "javascript") {
			c.add(Warning, "vpaid-media-type", mp+".mediaType", "VPAID media of type "+strconv.Quote(mf.MediaType)+": a web player can only run JavaScript VPAID")
		}
		c.url(mp+".mediaFileUri", mf.MediaFileURI)
	}
}

// overlaps reports linear avails that overlap once ordered by start, each
// against the one reaching furthest among those before it.
func (c *checker) overlaps() {
	type span struct {
		i          int
		start, end clock.Duration
	}
	var spans []span
	for i, a := range c.r.Avails {
		d := a.Duration
		for _, ad := range a.Ads {
			d = max(d, ad.StartTime+ad.Duration-a.StartTime)
		}
		if d > 0 {
			spans = append(spans, span{i, a.StartTime, a.StartTime + d})
		}
	}
	slices.SortStableFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	if len(spans) == 0 {
		return
	}
	far := spans[0] // the span reaching furthest so far
	for _, b := range spans[1:] {
		if b.start < far.end-tolerance {
			c.add(Error, "avails-overlap", idx("avails", b.i), "avail "+secsText(b.start)+"–"+secsText(b.end)+" overlaps "+idx("avails", far.i)+" "+secsText(far.start)+"–"+secsText(far.end))
		}
		if b.end > far.end {
			far = b
		}
	}
}

// nextToken checks that the paging token is opaque base64, as the real
// service writes it (URL-encoded: "…%3D"), so a client can send it back
// unchanged.
func (c *checker) nextToken() {
	t := c.r.NextToken
	if t == "" {
		return
	}
	raw, err := url.QueryUnescape(t)
	if err == nil {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if _, err := enc.DecodeString(raw); err == nil {
				return
			}
		}
	}
	c.add(Warning, "next-token-not-base64", "nextToken", "nextToken "+short(t)+" is not (URL-encoded) base64")
}

// anchors checks that a live document lets the player map its times.
func (c *checker) anchors() {
	if c.r.HasHLSAnchor || c.r.DashAvailabilityStartTime != "" {
		return
	}
	switch {
	case c.opt.Live == LiveYes:
		c.add(Warning, "live-no-anchor", "", "live document without hlsAnchorMediaSequenceNumber or dashAvailabilityStartTime: the player can only map times by its currentTime")
	case c.opt.Live == LiveUnknown && c.hasProgramDateTime():
		// Program date-times suggest live but VOD can carry them too.
		c.add(Info, "live-no-anchor", "", "program date-times suggest a live session, yet neither hlsAnchorMediaSequenceNumber nor dashAvailabilityStartTime is set: if live, the player can only map times by its currentTime")
	}
}

func (c *checker) hasProgramDateTime() bool {
	for _, a := range append(c.r.Avails[:len(c.r.Avails):len(c.r.Avails)], c.r.NonLinearAvails...) {
		if a.AvailProgramDateTime != "" {
			return true
		}
		for _, ad := range a.Ads {
			if ad.AdProgramDateTime != "" {
				return true
			}
		}
	}
	return false
}
