package vastext

import (
	"strings"

	"github.com/availkit/availkit/internal/tracking"
)

// maxCompanions bounds the companions read from one document.
const maxCompanions = 8

// Companions reads the <Companion> elements of a VAST <CompanionAds>
// fragment, as a VPAID 2.0 unit's getAdCompanions returns it ("the VAST
// 2.0 CompanionAds XML", VPAID 2.0 §3.2.9), into the tracking JSON's
// companion shape, so the player renders them like MediaTailor's own
// companionAds. The CompanionAds "required" attribute becomes each
// companion's; creativeView Tracking URLs become its creativeView event;
// the first CompanionClickTracking is kept (the tracking JSON carries one).
// Companions outside a <CompanionAds> element are ignored (VPAID 2.0:
// "elements outside CompanionAds"), and so are companions without a
// resource: nothing could show them.
// Whatever it does not recognise it skips; it never fails.
func Companions(xml string) []tracking.CompanionAd {
	if !strings.Contains(xml, "Companion") {
		return nil
	}
	var p companionParser
	p.parse(xml)
	return p.out
}

type companionParser struct {
	out      []tracking.CompanionAd
	inAds    int // depth of open <CompanionAds> elements
	required string
	cur      *tracking.CompanionAd
	event    string // the event attribute of the <Tracking> being read
	text     strings.Builder
	capture  string
}

func (p *companionParser) parse(xml string) {
	z := xmlTokenizer{s: xml}
	for {
		t := z.next()
		switch t.kind {
		case xmlEOF:
			return
		case xmlText:
			if p.capture != "" && p.text.Len()+len(t.text) <= maxTextBytes {
				p.text.WriteString(t.text)
			}
		case xmlStart:
			p.start(&t)
			if t.selfClosing {
				p.end(t.name)
			}
		case xmlEnd:
			p.end(t.name)
		}
	}
}

func (p *companionParser) start(t *xmlToken) {
	switch t.name {
	case "CompanionAds":
		p.inAds++
		p.required = lowerASCII(xmlTrim(t.attr("required"))) // all, any, none; strings.ToLower would link Unicode case tables
	case "Companion":
		if p.inAds == 0 || p.cur != nil || len(p.out) >= maxCompanions {
			return
		}
		slot := t.attr("adSlotID") // VAST 4
		if slot == "" {
			slot = t.attr("adSlotId") // VAST 3
		}
		p.cur = &tracking.CompanionAd{Attributes: tracking.CompanionAttributes{
			ID: xmlTrim(t.attr("id")), Width: xmlTrim(t.attr("width")), Height: xmlTrim(t.attr("height")),
			AssetWidth: xmlTrim(t.attr("assetWidth")), AssetHeight: xmlTrim(t.attr("assetHeight")),
			ExpandedWidth: xmlTrim(t.attr("expandedWidth")), ExpandedHeight: xmlTrim(t.attr("expandedHeight")),
			APIFramework: xmlTrim(t.attr("apiFramework")), AdSlotID: xmlTrim(slot), PxRatio: xmlTrim(t.attr("pxratio")),
			RenderingMode: xmlTrim(t.attr("renderingMode")), Required: p.required,
		}}
	case "Tracking":
		p.event = xmlTrim(t.attr("event"))
		p.begin(t.name)
	case "StaticResource", "IFrameResource", "HTMLResource", "AdParameters", "AltText",
		"CompanionClickThrough", "CompanionClickTracking":
		p.begin(t.name)
	}
}

func (p *companionParser) begin(name string) {
	if p.cur == nil {
		return
	}
	p.capture = name
	p.text.Reset()
}

func (p *companionParser) end(name string) {
	if p.cur != nil && name == p.capture {
		p.store(name, p.text.String())
		p.capture = ""
		p.text.Reset()
	}
	if name == "CompanionAds" && p.inAds > 0 {
		p.inAds--
	}
	if name == "Companion" && p.cur != nil {
		c := p.cur
		p.cur = nil
		if c.StaticResource != "" || c.IFrameResource != "" || xmlTrim(c.HTMLResource) != "" {
			p.out = append(p.out, *c)
		}
	}
}

// store keeps the character data of element name of the current companion.
// HTML keeps its whitespace; URLs and values are trimmed.
func (p *companionParser) store(name, text string) {
	c := p.cur
	switch name {
	case "StaticResource":
		c.StaticResource = xmlTrim(text)
	case "IFrameResource":
		c.IFrameResource = xmlTrim(text)
	case "HTMLResource":
		c.HTMLResource = text
	case "AdParameters":
		c.AdParameters = text
	case "AltText":
		c.AltText = xmlTrim(text)
	case "CompanionClickThrough":
		c.CompanionClickThrough = xmlTrim(text)
	case "CompanionClickTracking":
		if c.CompanionClickTracking == "" {
			c.CompanionClickTracking = xmlTrim(text)
		}
	case "Tracking":
		u := xmlTrim(text)
		if p.event != "creativeView" || u == "" {
			return
		}
		for i := range c.TrackingEvents {
			if ev := &c.TrackingEvents[i]; ev.EventType == "creativeView" {
				if len(ev.BeaconURLs) < maxURLs {
					ev.BeaconURLs = append(ev.BeaconURLs, u)
				}
				return
			}
		}
		c.TrackingEvents = append(c.TrackingEvents, tracking.TrackingEvent{EventType: "creativeView", BeaconURLs: []string{u}})
	}
}
