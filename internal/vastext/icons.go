package vastext

import (
	"strconv"
	"strings"

	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/jsonscan"
	"github.com/availkit/availkit/internal/tracking"
)

// Icon is one industry icon (VAST <Icon>: AdChoices, Google "Why this ad")
// to be drawn over a linear ad.
type Icon struct {
	Program      string
	APIFramework string
	// Width and Height are the icon's size in CSS pixels, 0 when not given.
	Width, Height int
	// XPosition is "left", "right" or a pixel offset from the left edge as
	// decimal digits; YPosition is "top", "bottom" or a pixel offset from
	// the top. Missing or unreadable values become "right" and "top",
	// where AdChoices icons conventionally sit.
	XPosition, YPosition string
	// Offset is when the icon appears, from the ad start; Duration how long
	// it stays, 0 meaning until the ad ends.
	Offset, Duration clock.Duration
	// PxRatio is the pixel ratio the creative was made for, as sent.
	PxRatio string
	// The resource the icon is drawn from: a static image (with its
	// creativeType), an iframe URL or HTML markup. Several may be set; the
	// renderer picks the most contained one.
	StaticResource, CreativeType, IFrameResource, HTMLResource string
	// ClickThrough is IconClickThrough; ClickTracking the IconClickTracking
	// URLs, fired on every click; ViewTracking the IconViewTracking URLs,
	// fired once when the icon is first shown.
	ClickThrough  string
	ClickTracking []string
	ViewTracking  []string
	// FallbackImages are shown in a panel on click when there is no
	// click-through the player can open: from the icon's own
	// <IconClickFallbackImages> (VAST 4.1) or from an
	// IconClickFallbackImages extension with the same program (Google's
	// VAST 3 form, which MediaTailor passes as an extension).
	FallbackImages []FallbackImage
}

// FallbackImage is one <IconClickFallbackImage>.
type FallbackImage struct {
	_              [0]func() // not comparable: the core then carries no generated == for it
	Width, Height  int
	AltText        string
	StaticResource string
	CreativeType   string
}

// FallbackGroup is one <IconClickFallbackImages program="…"> element.
type FallbackGroup struct {
	Program string
	Images  []FallbackImage
}

// Limits on what one ad may carry, so a hostile or broken extension
// cannot make the player draw or fire without bound.
const (
	maxIcons     = 8
	maxImages    = 8
	maxURLs      = 16
	maxTextBytes = 64 << 10
)

// Extension types that carry icon data.
const (
	// TypeFallbackImages is Google's extension type for "Why this ad"
	// fallback images (the AWS player-controls page).
	TypeFallbackImages = "IconClickFallbackImages"
	// TypeIcons is the extension the availkit emulator uses for a Linear's
	// <Icons>; MediaTailor documents no example of its own.
	TypeIcons = "Icons"
)

// Icons returns the icons found in an ad's extensions, with fallback
// images from IconClickFallbackImages extensions attached by program
// (case-insensitive). adDuration resolves percentage offsets. Every
// extension is searched for <Icon> elements whatever its type, since ad
// servers name their extensions freely. Fallback groups whose program has
// no icon are not returned here (see Fallbacks): there is nothing to click.
func Icons(exts []tracking.Extension, adDuration clock.Duration) []Icon {
	var p iconParser
	p.adDuration = adDuration
	for i := range exts {
		p.parse(exts[i].Content)
	}
	for i := range p.icons {
		ic := &p.icons[i]
		if len(ic.FallbackImages) > 0 {
			continue
		}
		for _, g := range p.groups {
			if equalFoldASCII(g.Program, ic.Program) {
				ic.FallbackImages = g.Images
				break
			}
		}
	}
	return p.icons
}

// Fallbacks returns the IconClickFallbackImages groups of an ad's
// extensions that are not inside an <Icon>.
func Fallbacks(exts []tracking.Extension) []FallbackGroup {
	var p iconParser
	for i := range exts {
		p.parse(exts[i].Content)
	}
	return p.groups
}

type iconParser struct {
	adDuration clock.Duration
	icons      []Icon
	groups     []FallbackGroup

	icon  *Icon          // the <Icon> being read
	group *FallbackGroup // the <IconClickFallbackImages> being read
	image *FallbackImage // the <IconClickFallbackImage> being read
	text  strings.Builder
	// capture names the element whose character data is being collected.
	capture string
}

func (p *iconParser) parse(content string) {
	if !strings.Contains(content, "Icon") {
		return
	}
	p.icon, p.group, p.image, p.capture = nil, nil, nil, ""
	var groupInIcon bool
	z := xmlTokenizer{s: content}
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
			switch t.name {
			case "Icon":
				if p.icon == nil && len(p.icons) < maxIcons {
					p.icons = append(p.icons, p.newIcon(&t))
					p.icon = &p.icons[len(p.icons)-1]
				}
			case "IconClickFallbackImages":
				if p.group == nil {
					groupInIcon = p.icon != nil
					p.group = &FallbackGroup{Program: xmlTrim(t.attr("program"))}
				}
			case "IconClickFallbackImage":
				if p.group != nil && p.image == nil && len(p.group.Images) < maxImages {
					p.image = &FallbackImage{Width: atoi(t.attr("width")), Height: atoi(t.attr("height"))}
				}
			case "StaticResource":
				p.startCapture(t.name)
				if p.image != nil {
					p.image.CreativeType = xmlTrim(t.attr("creativeType"))
				} else if p.icon != nil {
					p.icon.CreativeType = xmlTrim(t.attr("creativeType"))
				}
			case "IFrameResource", "HTMLResource", "IconClickThrough", "IconClickTracking", "IconViewTracking", "AltText":
				p.startCapture(t.name)
			}
			if t.selfClosing {
				p.end(t.name, groupInIcon)
			}
		case xmlEnd:
			p.end(t.name, groupInIcon)
		}
	}
}

func (p *iconParser) startCapture(name string) {
	p.capture = name
	p.text.Reset()
}

// end closes element name: it stores captured text and finishes icons,
// groups and images.
func (p *iconParser) end(name string, groupInIcon bool) {
	if name == p.capture {
		p.store(name, xmlTrim(p.text.String()))
		p.capture = ""
		p.text.Reset()
	}
	switch name {
	case "Icon":
		p.icon = nil
	case "IconClickFallbackImage":
		if p.group != nil && p.image != nil {
			p.group.Images = append(p.group.Images, *p.image)
		}
		p.image = nil
	case "IconClickFallbackImages":
		if p.group == nil {
			return
		}
		if groupInIcon && p.icon != nil {
			p.icon.FallbackImages = append(p.icon.FallbackImages, p.group.Images...)
		} else if !groupInIcon {
			p.groups = append(p.groups, *p.group)
		}
		p.group = nil
	}
}

func (p *iconParser) store(name, v string) {
	if p.image != nil {
		switch name {
		case "AltText":
			p.image.AltText = v
		case "StaticResource":
			p.image.StaticResource = v
		}
		return
	}
	ic := p.icon
	if ic == nil || v == "" {
		return
	}
	switch name {
	case "StaticResource":
		ic.StaticResource = v
	case "IFrameResource":
		ic.IFrameResource = v
	case "HTMLResource":
		ic.HTMLResource = v
	case "IconClickThrough":
		ic.ClickThrough = v
	case "IconClickTracking":
		if len(ic.ClickTracking) < maxURLs {
			ic.ClickTracking = append(ic.ClickTracking, v)
		}
	case "IconViewTracking":
		if len(ic.ViewTracking) < maxURLs {
			ic.ViewTracking = append(ic.ViewTracking, v)
		}
	}
}

func (p *iconParser) newIcon(t *xmlToken) Icon {
	ic := Icon{
		Program:      xmlTrim(t.attr("program")),
		APIFramework: xmlTrim(t.attr("apiFramework")),
		Width:        atoi(t.attr("width")),
		Height:       atoi(t.attr("height")),
		XPosition:    position(t.attr("xPosition"), "left", "right", "right"),
		YPosition:    position(t.attr("yPosition"), "top", "bottom", "top"),
		PxRatio:      xmlTrim(t.attr("pxratio")),
	}
	if d, ok := tracking.ParseSkipOffset(xmlTrim(t.attr("offset")), p.adDuration); ok {
		ic.Offset = d
	}
	if d, ok := tracking.ParseSkipOffset(xmlTrim(t.attr("duration")), p.adDuration); ok {
		ic.Duration = d
	}
	return ic
}

// position normalises an xPosition/yPosition value: one of the two
// keywords or a non-negative pixel count, else def.
func position(v, a, b, def string) string {
	v = lowerASCII(xmlTrim(v))
	if v == a || v == b {
		return v
	}
	v = strings.TrimSuffix(v, "px")
	if n, ok := jsonscan.ParseInt(v); ok && n >= 0 {
		return strconv.FormatInt(n, 10)
	}
	return def
}

// atoi reads a non-negative integer attribute, 0 when absent or bad.
func atoi(s string) int {
	n, ok := jsonscan.ParseInt(xmlTrim(s))
	if !ok || n < 0 {
		return 0
	}
	return int(n)
}

// equalFoldASCII compares program names ignoring ASCII case; the Unicode
// folding of strings.EqualFold would link its case tables into the plugin.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerByte(a[i]) != lowerByte(b[i]) {
			return false
		}
	}
	return true
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lowerASCII lowercases ASCII letters only (see equalFoldASCII).
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lowerByte(b[j])
			}
			return string(b)
		}
	}
	return s
}
