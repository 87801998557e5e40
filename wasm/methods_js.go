package main

import (
	"syscall/js"

	"github.com/availkit/availkit/internal/client"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/wasm/jsconv"
)

// method registers fn as a method of the session object. fn runs inside a
// js.FuncOf callback: it must not block. A panic in fn is reported as an
// `error` event of kind "internal" and answered with null (funcSet.add),
// so a core bug never takes the host page down.
func (s *instance) method(o js.Value, name string, fn func(args []js.Value) any) {
	f := s.fs.add(name, func(_ js.Value, args []js.Value) any {
		if s.destroyed {
			return nil
		}
		return fn(args)
	})
	o.Set(name, *f)
}

var origins = map[string]engine.SeekOrigin{"native": engine.OriginNative, "start": engine.OriginStart, "gap": engine.OriginGap}

func (s *instance) buildObject() js.Value {
	o := js.Global().Get("Object").New()
	cs := s.cs
	o.Set("handle", int(s.handle))
	s.method(o, "init", func([]js.Value) any { return s.initPromise() })
	s.method(o, "manifestLoaded", func(args []js.Value) any {
		m, err := decode(arg(args, 0), client.DecodeManifestInfo)
		if err != nil {
			cs.ReportError(client.KindConfig, "host", err.Error())
			return nil
		}
		cs.ManifestLoaded(m)
		return nil
	})
	s.method(o, "setDuration", func(args []js.Value) any {
		if d := arg(args, 0); d.Type() == js.TypeNumber {
			cs.SetDuration(d.Float())
		}
		return nil
	})
	s.method(o, "setRate", func(args []js.Value) any { cs.SetRate(num(arg(args, 0), 1)); return nil })
	// setWindow(seekableStart) reports the live window; the core prunes
	// (and forgets dedupe keys) itself after every merge from then on.
	s.method(o, "setWindow", func(args []js.Value) any { return cs.SetWindow(num(arg(args, 0), 0)) })
	s.method(o, "pollNow", func([]js.Value) any { cs.PollNow(); return nil })
	s.method(o, "flush", func([]js.Value) any { return cs.Flush() })
	s.method(o, "seek", func(args []js.Value) any {
		ph := cs.Playhead()
		d := cs.Seek(num(arg(args, 0), ph), num(arg(args, 1), ph), origins[arg(args, 2).String()])
		return jsconv.ValueOf(d)
	})
	s.method(o, "skip", func([]js.Value) any { return cs.Skip() })
	// clickThrough(x, y): the click's position, when the host has one,
	// feeds [CLICKPOS].
	s.method(o, "clickThrough", func(args []js.Value) any {
		if x, y := arg(args, 0), arg(args, 1); x.Type() == js.TypeNumber && y.Type() == js.TypeNumber {
			return cs.ClickThroughAt(int(x.Float()), int(y.Float()))
		}
		return cs.ClickThrough()
	})
	s.method(o, "setPlayerSize", func(args []js.Value) any {
		cs.SetPlayerSize(int(num(arg(args, 0), 0)), int(num(arg(args, 1), 0)))
		return nil
	})
	s.method(o, "ui", func(args []js.Value) any { return cs.UI(num(arg(args, 0), cs.Playhead())) })
	s.method(o, "markers", func([]js.Value) any { return cs.Markers() })
	s.method(o, "stats", func([]js.Value) any { return cs.Stats() })
	s.method(o, "contentTime", func(args []js.Value) any { return cs.ContentTime(num(arg(args, 0), cs.Playhead())) })
	s.method(o, "streamTime", func(args []js.Value) any { return cs.StreamTime(num(arg(args, 0), 0)) })
	s.method(o, "fireTracking", func(args []js.Value) any {
		t, err := decode(arg(args, 0), client.DecodeTrackingRequest)
		if err != nil {
			cs.ReportError(client.KindConfig, "host", "fireTracking: "+err.Error())
			return 0
		}
		return cs.FireTracking(t)
	})
	s.method(o, "companionsFromVAST", func(args []js.Value) any {
		if x := arg(args, 0); x.Type() == js.TypeString {
			return client.CompanionsFromVAST(x.String())
		}
		return "[]"
	})
	s.method(o, "vpaidEvent", func(args []js.Value) any {
		d, _ := decode(arg(args, 1), client.DecodeVPAIDData) // fails only for data not an object: the event still counts
		return cs.VPAID(arg(args, 0).String(), d)
	})
	s.method(o, "adError", func(args []js.Value) any { return cs.AdError(int(num(arg(args, 0), 900))) })
	s.method(o, "vpaidStopped", func([]js.Value) any { return cs.VPAIDStopped() })
	s.method(o, "destroy", func([]js.Value) any { s.destroy(); return nil })
	return o
}
