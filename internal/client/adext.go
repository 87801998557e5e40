package client

import (
	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/jsonw"
	"github.com/availkit/availkit/internal/tracking"
	"github.com/availkit/availkit/internal/vastext"
)

// writeAdExt writes the adstart keys for Open Measurement and icons:
// adVerifications (the ad's OM verification entries, for a host-supplied OM
// service or for verificationNotExecuted) and icons (from the ad's
// extensions, see vastext.Icons). Both are arrays, empty when the ad has
// none. Mirrored by AdVerification and AdIcon in web/availkit.d.ts.
func writeAdExt(w *jsonw.Writer, ad *tracking.Ad, durationSec float64) {
	w.Key("adVerifications")
	w.BeginArray()
	for i := range ad.AdVerifications {
		writeVerification(w, &ad.AdVerifications[i])
	}
	w.EndArray()
	w.Key("icons")
	w.BeginArray()
	if len(ad.Extensions) > 0 {
		d := clock.Duration(durationSec * float64(clock.Second))
		for _, ic := range vastext.Icons(ad.Extensions, d) {
			writeIcon(w, &ic)
		}
	}
	w.EndArray()
}

func writeVerification(w *jsonw.Writer, v *tracking.AdVerification) {
	w.BeginObject()
	w.StrField("vendor", v.Vendor)
	w.Key("javaScriptResource")
	w.BeginArray()
	for _, r := range v.JavaScriptResource {
		w.BeginObject()
		w.StrField("apiFramework", r.APIFramework)
		w.BoolField("browserOptional", r.BrowserOptional)
		w.StrField("uri", r.URI)
		w.EndObject()
	}
	w.EndArray()
	w.StrField("verificationParameters", v.VerificationParameters)
	// MediaTailor's {event, uri} shape, one entry per URL.
	w.Key("trackingEvents")
	w.BeginArray()
	for _, t := range v.TrackingEvents {
		for _, u := range t.BeaconURLs {
			w.BeginObject()
			w.StrField("event", t.EventType)
			w.StrField("uri", u)
			w.EndObject()
		}
	}
	w.EndArray()
	w.EndObject()
}

func writeIcon(w *jsonw.Writer, ic *vastext.Icon) {
	w.BeginObject()
	w.StrField("program", ic.Program)
	w.IntField("width", ic.Width)
	w.IntField("height", ic.Height)
	w.StrField("xPosition", ic.XPosition)
	w.StrField("yPosition", ic.YPosition)
	w.NumField("offset", ic.Offset.Seconds())
	w.NumField("duration", ic.Duration.Seconds())
	w.StrField("apiFramework", ic.APIFramework)
	w.StrField("pxratio", ic.PxRatio)
	w.StrField("staticResource", ic.StaticResource)
	w.StrField("creativeType", ic.CreativeType)
	w.StrField("iFrameResource", ic.IFrameResource)
	w.StrField("htmlResource", ic.HTMLResource)
	w.StrField("clickThrough", ic.ClickThrough)
	w.Key("clickTracking")
	w.Strings(ic.ClickTracking)
	w.Key("viewTracking")
	w.Strings(ic.ViewTracking)
	w.Key("fallbackImages")
	w.BeginArray()
	for _, f := range ic.FallbackImages {
		w.BeginObject()
		w.IntField("width", f.Width)
		w.IntField("height", f.Height)
		w.StrField("altText", f.AltText)
		w.StrField("staticResource", f.StaticResource)
		w.StrField("creativeType", f.CreativeType)
		w.EndObject()
	}
	w.EndArray()
	w.EndObject()
}
