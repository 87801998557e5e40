package client

import (
	"github.com/availkit/availkit/internal/beacon"
	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/tracking"
)

// MacroValues are the session-wide macro values the host gives (the page,
// the device, consent, what the player supports); see the README table
// "Which macro comes from where". Empty fields leave their macro unknown
// (-1); Withhold names macros sent as -2 whatever their value.
type MacroValues struct {
	// PageURL and Domain feed [PAGEURL] and [DOMAIN]; the page's own
	// location unless the host overrides them.
	PageURL, Domain string
	// DeviceUA feeds [DEVICEUA] (navigator.userAgent by default) and
	// ClientUA [CLIENTUA] ("{player}/{version} availkit/{version}").
	DeviceUA, ClientUA string
	// GDPRConsent and GPPString feed [GDPRCONSENT] and [GPPSTRING], as the
	// host's consent platform gives them.
	GDPRConsent, GPPString string
	// GPPSectionIDs, Regulations and PlayerCapabilities are the lists of
	// [GPPSECTIONID], [REGULATIONS] and [PLAYERCAPABILITIES]. "coppa" among
	// Regulations withholds the device identifiers.
	GPPSectionIDs, Regulations, PlayerCapabilities []string
	// LimitAdTracking feeds [LIMITADTRACKING] (nil: unknown); true also
	// withholds IFA, IFATYPE, DEVICEIP and LATLONG.
	LimitAdTracking *bool
	// Values gives any other catalogued macro a value (CONTENTID, IFA,
	// APPBUNDLE, ...); names outside the IAB catalogue are ignored.
	Values map[string]string
	// Withhold lists macros the host's policy keeps back (-2).
	Withhold []string
}

// env builds the beacon.Env of m. The player-level facts come first so a
// host value may correct them: MediaTailor ads are in-stream video
// ([PLACEMENTTYPE] 1, [ADTYPE] video) and availkit runs VPAID 2.0 units
// ([APIFRAMEWORKS] 2, AdCOM API Frameworks).
func (m *MacroValues) env() *beacon.Env {
	e := beacon.NewEnv()
	e.Set("PLACEMENTTYPE", "1")
	e.Set("ADTYPE", "video")
	e.Set("APIFRAMEWORKS", "2")
	for k, v := range m.Values {
		e.Set(k, v)
	}
	set := func(name, v string) {
		if v != "" {
			e.Set(name, v)
		}
	}
	set("PAGEURL", m.PageURL)
	set("DOMAIN", m.Domain)
	set("DEVICEUA", m.DeviceUA)
	set("CLIENTUA", m.ClientUA)
	set("GDPRCONSENT", m.GDPRConsent)
	set("GPPSTRING", m.GPPString)
	if len(m.GPPSectionIDs) > 0 {
		e.Set("GPPSECTIONID", m.GPPSectionIDs...)
	}
	if len(m.PlayerCapabilities) > 0 {
		e.Set("PLAYERCAPABILITIES", m.PlayerCapabilities...)
	}
	if len(m.Regulations) > 0 {
		e.Regulations(m.Regulations...)
	}
	if m.LimitAdTracking != nil {
		e.LimitAdTracking(*m.LimitAdTracking)
	}
	for _, n := range m.Withhold {
		e.Withhold(n)
	}
	return e
}

// macroContext fills the VAST macro values known at dispatch of a.
// [MEDIAPLAYHEAD] is content time, as VAST 4.1 defines it ("the video
// content, not the ad"), like the deprecated [CONTENTPLAYHEAD].
func (s *Session) macroContext(a *engine.Action) beacon.MacroContext {
	var st uint8
	if s.flags&engine.FlagMuted != 0 {
		st |= beacon.StateMuted
	}
	if s.flags&engine.FlagFullscreen != 0 {
		st |= beacon.StateFullscreen
	}
	content := duration(s.ContentTime(a.Playhead))
	c := beacon.MacroContext{
		Env:             s.env,
		Random:          s.deps.Rand(),
		AdPlayhead:      duration(a.AdPlayhead),
		MediaPlayhead:   content,
		ContentPlayhead: content,
		BreakPosition:   int(a.Position),
		ErrorCode:       a.ErrorCode,
		Reason:          s.reason,
		PlayerWidth:     s.width,
		PlayerHeight:    s.height,
		PlayerState:     st,
		PodSequence:     a.Index,
		AdCount:         s.pod.count(a.AvailID, a.AdID),
		BreakDuration:   clock.Duration(a.Duration * float64(clock.Second)),
	}
	if a.AdID != "" {
		if c.PodSequence <= 0 {
			c.PodSequence = s.podSequence(a.AvailID, a.AdID) // host beacons carry no index
		}
		c.AssetURI = assetURI(a.Ad, a.VPAID)
		c.ClickType = beacon.ClickTypeNone
		if a.ClickThrough != "" {
			c.ClickType = beacon.ClickTypeButton // the overlay's "Learn more"
		}
		if a.SkipOffset >= 0 {
			c.InventoryState = beacon.InvSkippable
		}
	}
	if a.EventType == "clickTracking" && s.click.set {
		c.ClickX, c.ClickY, c.HasClick = s.click.x, s.click.y, true
	}
	if s.nowMs > 0 {
		c.Now = clock.UnixMilli(int64(s.nowMs))
	} else {
		c.Now = s.deps.Now()
	}
	return c
}

// assetURI is [ASSETURI]: the VPAID unit's file for a VPAID ad, else the
// media file MediaTailor stitched, which is the mezzanine when the ad has
// one and otherwise the first video file of mediaFilesList.
func assetURI(ad *tracking.Ad, vpaid *tracking.MediaFile) string {
	if vpaid != nil {
		return vpaid.MediaFileURI
	}
	if ad == nil {
		return ""
	}
	if ad.MediaFiles.Mezzanine != "" {
		return ad.MediaFiles.Mezzanine
	}
	for i := range ad.MediaFiles.MediaFilesList {
		if f := &ad.MediaFiles.MediaFilesList[i]; f.APIFramework == "" && f.MediaFileURI != "" {
			return f.MediaFileURI
		}
	}
	return ""
}

// clickPos is where the viewer clicked, for [CLICKPOS].
type clickPos struct {
	x, y int
	set  bool
}

// ClickThroughAt is ClickThrough for a click at x, y in player pixels:
// the clickTracking beacons it queues carry them as [CLICKPOS] when the
// next Flush sends them.
func (s *Session) ClickThroughAt(x, y int) string {
	s.click = clickPos{x: x, y: y, set: true}
	return s.ClickThrough()
}
