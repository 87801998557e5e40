// Package vast parses and generates the VAST documents the emulator's ad
// decision step consumes. Parsing is lenient the way ad servers need it to
// be: unknown elements are ignored, and both VAST 3 and VAST 4 spellings of
// attributes are read.
package vast

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// VAST is a VAST document (versions 2.0 to 4.3).
type VAST struct {
	XMLName xml.Name `xml:"VAST"`
	Version string   `xml:"version,attr"`
	Ads     []Ad     `xml:"Ad"`
	Errors  []string `xml:"Error"`
}

// Ad is one <Ad>: exactly one of InLine and Wrapper is set.
type Ad struct {
	ID       string   `xml:"id,attr"`
	Sequence string   `xml:"sequence,attr,omitempty"`
	InLine   *InLine  `xml:"InLine"`
	Wrapper  *Wrapper `xml:"Wrapper"`
}

// InLine is an ad with its creatives.
type InLine struct {
	AdSystem        string         `xml:"AdSystem"`
	AdTitle         string         `xml:"AdTitle"`
	Impressions     []string       `xml:"Impression"`
	Errors          []string       `xml:"Error"`
	Creatives       []Creative     `xml:"Creatives>Creative"`
	Extensions      []Extension    `xml:"Extensions>Extension"`
	AdVerifications []Verification `xml:"AdVerifications>Verification"`
}

// Wrapper points at another VAST document and adds its own tracking.
type Wrapper struct {
	AdSystem     string `xml:"AdSystem"`
	VASTAdTagURI string `xml:"VASTAdTagURI"`
	// VASTAdTagURL is the VAST 1 spelling (<VASTAdTagURL><URL>), still
	// found in VAST 2 wrappers; Parse moves it to VASTAdTagURI.
	VASTAdTagURL string     `xml:"VASTAdTagURL>URL,omitempty"`
	Impressions  []string   `xml:"Impression"`
	Errors       []string   `xml:"Error"`
	Creatives    []Creative `xml:"Creatives>Creative"`
}

// Creative is one <Creative>.
type Creative struct {
	ID           string        `xml:"id,attr,omitempty"`
	Sequence     string        `xml:"sequence,attr,omitempty"`
	AdID         string        `xml:"adId,attr,omitempty"`
	Linear       *Linear       `xml:"Linear"`
	CompanionAds *CompanionAds `xml:"CompanionAds"`
	NonLinearAds *NonLinearAds `xml:"NonLinearAds"`
}

// Linear is a linear creative.
type Linear struct {
	SkipOffset     string      `xml:"skipoffset,attr,omitempty"`
	Duration       string      `xml:"Duration,omitempty"`
	AdParameters   string      `xml:"AdParameters,omitempty"`
	TrackingEvents []Tracking  `xml:"TrackingEvents>Tracking"`
	VideoClicks    *Clicks     `xml:"VideoClicks"`
	MediaFiles     []MediaFile `xml:"MediaFiles>MediaFile"`
	Mezzanine      string      `xml:"MediaFiles>Mezzanine,omitempty"`
	// InteractiveCreativeFiles are SIMID (or other) interactive files of
	// VAST 4.1+.
	InteractiveCreativeFiles []InteractiveCreativeFile `xml:"MediaFiles>InteractiveCreativeFile"`
	Icons                    []Icon                    `xml:"Icons>Icon"`
}

// InteractiveCreativeFile is a VAST 4.1 <InteractiveCreativeFile>.
type InteractiveCreativeFile struct {
	Type             string `xml:"type,attr,omitempty"`
	APIFramework     string `xml:"apiFramework,attr,omitempty"`
	VariableDuration string `xml:"variableDuration,attr,omitempty"`
	URL              string `xml:",chardata"`
}

// Icon is an industry icon (AdChoices, Google "Why this ad") over a linear
// creative.
type Icon struct {
	Program        string          `xml:"program,attr,omitempty"`
	Width          string          `xml:"width,attr,omitempty"`
	Height         string          `xml:"height,attr,omitempty"`
	XPosition      string          `xml:"xPosition,attr,omitempty"`
	YPosition      string          `xml:"yPosition,attr,omitempty"`
	Duration       string          `xml:"duration,attr,omitempty"`
	Offset         string          `xml:"offset,attr,omitempty"`
	APIFramework   string          `xml:"apiFramework,attr,omitempty"`
	StaticResource *StaticResource `xml:"StaticResource"`
	IFrameResource string          `xml:"IFrameResource,omitempty"`
	HTMLResource   string          `xml:"HTMLResource,omitempty"`
	ClickThrough   string          `xml:"IconClicks>IconClickThrough,omitempty"`
	ClickTracking  []string        `xml:"IconClicks>IconClickTracking"`
	ViewTracking   []string        `xml:"IconViewTracking"`
}

// Clicks holds a linear creative's click URLs.
type Clicks struct {
	ClickThrough  string   `xml:"ClickThrough,omitempty"`
	ClickTracking []string `xml:"ClickTracking"`
}

// Tracking is one <Tracking event="...">URL</Tracking>.
type Tracking struct {
	Event  string `xml:"event,attr"`
	Offset string `xml:"offset,attr,omitempty"`
	URL    string `xml:",chardata"`
}

// MediaFile is one <MediaFile>.
type MediaFile struct {
	ID                  string `xml:"id,attr,omitempty"`
	Delivery            string `xml:"delivery,attr"`
	Type                string `xml:"type,attr"`
	Width               int    `xml:"width,attr"`
	Height              int    `xml:"height,attr"`
	Bitrate             int    `xml:"bitrate,attr,omitempty"`
	MinBitrate          int    `xml:"minBitrate,attr,omitempty"`
	MaxBitrate          int    `xml:"maxBitrate,attr,omitempty"`
	Scalable            bool   `xml:"scalable,attr,omitempty"`
	MaintainAspectRatio bool   `xml:"maintainAspectRatio,attr,omitempty"`
	APIFramework        string `xml:"apiFramework,attr,omitempty"`
	Codec               string `xml:"codec,attr,omitempty"`
	URL                 string `xml:",chardata"`
}

// CompanionAds is a <CompanionAds> group.
type CompanionAds struct {
	Required   string      `xml:"required,attr,omitempty"`
	Companions []Companion `xml:"Companion"`
}

// Companion is one companion creative.
type Companion struct {
	ID                     string          `xml:"id,attr,omitempty"`
	Width                  string          `xml:"width,attr"`
	Height                 string          `xml:"height,attr"`
	AssetWidth             string          `xml:"assetWidth,attr,omitempty"`
	AssetHeight            string          `xml:"assetHeight,attr,omitempty"`
	ExpandedWidth          string          `xml:"expandedWidth,attr,omitempty"`
	ExpandedHeight         string          `xml:"expandedHeight,attr,omitempty"`
	APIFramework           string          `xml:"apiFramework,attr,omitempty"`
	AdSlotID               string          `xml:"adSlotId,attr,omitempty"`
	AdSlotIDv3             string          `xml:"adSlotID,attr,omitempty"`
	PxRatio                string          `xml:"pxratio,attr,omitempty"`
	RenderingMode          string          `xml:"renderingMode,attr,omitempty"`
	StaticResource         *StaticResource `xml:"StaticResource"`
	IFrameResource         string          `xml:"IFrameResource,omitempty"`
	HTMLResource           string          `xml:"HTMLResource,omitempty"`
	AdParameters           string          `xml:"AdParameters,omitempty"`
	AltText                string          `xml:"AltText,omitempty"`
	CompanionClickThrough  string          `xml:"CompanionClickThrough,omitempty"`
	CompanionClickTracking []string        `xml:"CompanionClickTracking"`
	TrackingEvents         []Tracking      `xml:"TrackingEvents>Tracking"`
}

// StaticResource is an image (or script) resource.
type StaticResource struct {
	CreativeType string `xml:"creativeType,attr"`
	URL          string `xml:",chardata"`
}

// NonLinearAds is an overlay creative group.
type NonLinearAds struct {
	NonLinears     []NonLinear `xml:"NonLinear"`
	TrackingEvents []Tracking  `xml:"TrackingEvents>Tracking"`
}

// NonLinear is one overlay creative.
type NonLinear struct {
	ID                   string          `xml:"id,attr,omitempty"`
	Width                int             `xml:"width,attr"`
	Height               int             `xml:"height,attr"`
	ExpandedWidth        int             `xml:"expandedWidth,attr,omitempty"`
	ExpandedHeight       int             `xml:"expandedHeight,attr,omitempty"`
	Scalable             bool            `xml:"scalable,attr,omitempty"`
	MaintainAspectRatio  bool            `xml:"maintainAspectRatio,attr,omitempty"`
	MinSuggestedDuration string          `xml:"minSuggestedDuration,attr,omitempty"`
	APIFramework         string          `xml:"apiFramework,attr,omitempty"`
	StaticResource       *StaticResource `xml:"StaticResource"`
	IFrameResource       string          `xml:"IFrameResource,omitempty"`
	HTMLResource         string          `xml:"HTMLResource,omitempty"`
	AdParameters         string          `xml:"AdParameters,omitempty"`
	ClickThrough         string          `xml:"NonLinearClickThrough,omitempty"`
	ClickTracking        []ClickTracking `xml:"NonLinearClickTracking"`
}

// ClickTracking is a click-tracking URL with an optional id.
type ClickTracking struct {
	ID  string `xml:"id,attr,omitempty"`
	URL string `xml:",chardata"`
}

// Extension is an <Extension>; its inner XML is kept verbatim.
type Extension struct {
	Type  string `xml:"type,attr"`
	Inner string `xml:",innerxml"`
}

// Verification is an OM verification entry (VAST 4.1+).
type Verification struct {
	Vendor                 string     `xml:"vendor,attr"`
	JavaScriptResource     []Resource `xml:"JavaScriptResource"`
	ExecutableResource     []Resource `xml:"ExecutableResource"`
	TrackingEvents         []Tracking `xml:"TrackingEvents>Tracking"`
	VerificationParameters string     `xml:"VerificationParameters,omitempty"`
}

// Resource is a verification script resource.
type Resource struct {
	APIFramework    string `xml:"apiFramework,attr,omitempty"`
	BrowserOptional bool   `xml:"browserOptional,attr,omitempty"`
	Type            string `xml:"type,attr,omitempty"`
	Language        string `xml:"language,attr,omitempty"`
	URL             string `xml:",chardata"`
}

// Parse decodes a VAST document and trims the whitespace around every URL
// and text value, which ad servers routinely leave around CDATA sections.
// Elements are matched by local name, so the VAST 4 default namespace
// (http://www.iab.com/VAST) and none read alike. Errors are *Error with
// the VAST code: 100 for XML that does not parse, 102 for a VAST 1
// (<VideoAdServingTemplate>) or unknown version, 101 for another root.
func Parse(data []byte) (*VAST, error) {
	if err := checkRoot(data); err != nil {
		return nil, err
	}
	var v VAST
	if err := xml.Unmarshal(data, &v); err != nil {
		return nil, &Error{Code: CodeXML, Msg: "XML parsing error", Err: err}
	}
	v.trim()
	return &v, nil
}

// checkRoot reads the root element's name and version.
func checkRoot(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err != nil {
			return &Error{Code: CodeXML, Msg: "XML parsing error: no root element", Err: err}
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "VAST":
		case "VideoAdServingTemplate":
			return &Error{Code: CodeVersion, Msg: "VAST 1 (<VideoAdServingTemplate>) is not supported"}
		default:
			return &Error{Code: CodeSchema, Msg: "root element <" + se.Name.Local + "> is not <VAST>"}
		}
		for _, a := range se.Attr {
			if a.Name.Local == "version" && !supportedVersion(a.Value) {
				return &Error{Code: CodeVersion, Msg: "VAST version " + strconv.Quote(a.Value) + " is not supported"}
			}
		}
		return nil
	}
}

// supportedVersion accepts VAST 2.x to 4.x ("" too: many servers omit it).
func supportedVersion(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" {
		return true
	}
	major, _, _ := strings.Cut(v, ".")
	return major == "2" || major == "3" || major == "4"
}

// Marshal encodes v with an XML declaration.
func Marshal(v *VAST) ([]byte, error) {
	out, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), out...), nil
}

func (v *VAST) trim() {
	ts := strings.TrimSpace
	trimAll := func(s []string) {
		for i := range s {
			s[i] = ts(s[i])
		}
	}
	trimTracking := func(t []Tracking) {
		for i := range t {
			t[i].URL = ts(t[i].URL)
		}
	}
	trimAll(v.Errors)
	for i := range v.Ads {
		a := &v.Ads[i]
		var crs []Creative
		if a.InLine != nil {
			a.InLine.AdSystem, a.InLine.AdTitle = ts(a.InLine.AdSystem), ts(a.InLine.AdTitle)
			trimAll(a.InLine.Impressions)
			trimAll(a.InLine.Errors)
			for k := range a.InLine.AdVerifications {
				ver := &a.InLine.AdVerifications[k]
				for m := range ver.JavaScriptResource {
					ver.JavaScriptResource[m].URL = ts(ver.JavaScriptResource[m].URL)
				}
				for m := range ver.ExecutableResource {
					ver.ExecutableResource[m].URL = ts(ver.ExecutableResource[m].URL)
				}
				trimTracking(ver.TrackingEvents)
				ver.VerificationParameters = ts(ver.VerificationParameters)
			}
			crs = a.InLine.Creatives
		}
		if a.Wrapper != nil {
			if a.Wrapper.VASTAdTagURI = ts(a.Wrapper.VASTAdTagURI); a.Wrapper.VASTAdTagURI == "" {
				a.Wrapper.VASTAdTagURI = ts(a.Wrapper.VASTAdTagURL)
			}
			a.Wrapper.VASTAdTagURL = ""
			trimAll(a.Wrapper.Impressions)
			trimAll(a.Wrapper.Errors)
			crs = a.Wrapper.Creatives
		}
		for j := range crs {
			c := &crs[j]
			if l := c.Linear; l != nil {
				l.Duration, l.AdParameters, l.Mezzanine = ts(l.Duration), ts(l.AdParameters), ts(l.Mezzanine)
				trimTracking(l.TrackingEvents)
				if l.VideoClicks != nil {
					l.VideoClicks.ClickThrough = ts(l.VideoClicks.ClickThrough)
					trimAll(l.VideoClicks.ClickTracking)
				}
				for k := range l.MediaFiles {
					l.MediaFiles[k].URL = ts(l.MediaFiles[k].URL)
				}
				for k := range l.InteractiveCreativeFiles {
					l.InteractiveCreativeFiles[k].URL = ts(l.InteractiveCreativeFiles[k].URL)
				}
				for k := range l.Icons {
					ic := &l.Icons[k]
					if ic.StaticResource != nil {
						ic.StaticResource.URL = ts(ic.StaticResource.URL)
					}
					ic.IFrameResource, ic.HTMLResource, ic.ClickThrough = ts(ic.IFrameResource), ts(ic.HTMLResource), ts(ic.ClickThrough)
					trimAll(ic.ClickTracking)
					trimAll(ic.ViewTracking)
				}
			}
			if c.CompanionAds != nil {
				for k := range c.CompanionAds.Companions {
					cp := &c.CompanionAds.Companions[k]
					if cp.AdSlotID == "" {
						cp.AdSlotID = cp.AdSlotIDv3
					}
					cp.AdSlotIDv3 = ""
					if cp.StaticResource != nil {
						cp.StaticResource.URL = ts(cp.StaticResource.URL)
					}
					cp.IFrameResource, cp.HTMLResource = ts(cp.IFrameResource), ts(cp.HTMLResource)
					cp.CompanionClickThrough = ts(cp.CompanionClickThrough)
					trimAll(cp.CompanionClickTracking)
					trimTracking(cp.TrackingEvents)
				}
			}
			if n := c.NonLinearAds; n != nil {
				trimTracking(n.TrackingEvents)
				for k := range n.NonLinears {
					nl := &n.NonLinears[k]
					if nl.StaticResource != nil {
						nl.StaticResource.URL = ts(nl.StaticResource.URL)
					}
					nl.IFrameResource, nl.HTMLResource, nl.ClickThrough = ts(nl.IFrameResource), ts(nl.HTMLResource), ts(nl.ClickThrough)
					for m := range nl.ClickTracking {
						nl.ClickTracking[m].URL = ts(nl.ClickTracking[m].URL)
					}
				}
			}
		}
	}
}

// ParseClock parses a VAST time "HH:MM:SS" or "HH:MM:SS.mmm". Bare
// seconds ("30", "15.5"), which some ad servers write in <Duration>, are
// read as such, as dailymotion's vast-client does.
func ParseClock(s string) (time.Duration, error) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) == 1 {
		sec, err := strconv.ParseFloat(parts[0], 64)
		if err != nil || !decimal(parts[0]) || sec > 86400 {
			return 0, fmt.Errorf("vast: bad time %q", s)
		}
		return time.Duration(sec*1e9 + 0.5), nil
	}
	if len(parts) != 3 {
		return 0, fmt.Errorf("vast: bad time %q", s)
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	sec, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil || h < 0 || m < 0 || m > 59 || sec < 0 || sec >= 60 {
		return 0, fmt.Errorf("vast: bad time %q", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec*1e9+0.5), nil
}

// decimal reports whether s is digits with at most one dot ("15.5"), so
// that ParseFloat's "1e3", "Inf" or "+5" are not taken for a duration.
func decimal(s string) bool {
	dots := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			dots++
		case c < '0' || c > '9':
			return false
		}
	}
	return s != "" && s[0] != '.' && dots <= 1
}

// FormatClock formats d as "HH:MM:SS.mmm".
func FormatClock(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}
