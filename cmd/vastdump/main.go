// Command vastdump prints, as JSON, what the emulator's VAST parser takes
// from VAST documents (files, or ad tag URLs unwrapped over HTTP), in the
// shape tests/conformance compares with @dailymotion/vast-client. It is a
// test tool, not part of availkit's runtime.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/availkit/availkit/internal/emulator/vast"
)

// doc is one input's result.
type doc struct {
	Input string `json:"input"`
	// Code is the VAST error code, 0 when the document was usable.
	Code      int      `json:"code"`
	Error     string   `json:"error,omitempty"`
	ErrorURLs []string `json:"errorURLs,omitempty"`
	Ads       []ad     `json:"ads"`
}

type ad struct {
	ID          string     `json:"id"`
	Sequence    string     `json:"sequence"`
	AdSystem    string     `json:"adSystem"`
	AdTitle     string     `json:"adTitle"`
	Impressions []string   `json:"impressions"`
	Errors      []string   `json:"errors"`
	Linear      []linear   `json:"linear"`
	Companions  []string   `json:"companions"` // static resource URL or "" per companion
	NonLinears  int        `json:"nonLinears"`
	Depth       int        `json:"depth"`
	Wrapper     *wrapperAd `json:"wrapper,omitempty"`
}

type wrapperAd struct {
	Impressions []string `json:"impressions"`
}

type linear struct {
	Duration      float64             `json:"duration"` // seconds, -1 when absent or invalid
	SkipOffset    string              `json:"skipOffset"`
	MediaFiles    []media             `json:"mediaFiles"`
	Tracking      map[string][]string `json:"tracking"`
	ClickThrough  string              `json:"clickThrough"`
	ClickTracking []string            `json:"clickTracking"`
	AdParameters  string              `json:"adParameters"`
}

type media struct {
	URL          string `json:"url"`
	Type         string `json:"type"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	Bitrate      int    `json:"bitrate"`
	APIFramework string `json:"apiFramework"`
	Delivery     string `json:"delivery"`
}

func main() {
	var out []doc
	for _, in := range os.Args[1:] {
		out = append(out, dump(in))
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func dump(in string) doc {
	d := doc{Input: in, Ads: []ad{}}
	var res []vast.Resolved
	var err error
	if strings.HasPrefix(in, "http://") {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res, err = vast.Unwrap(ctx, get, in)
	} else {
		// Files go through Unwrap too, so they get the emulator's rules
		// (pod order, dropped ads); relative wrapper URIs name files.
		res, err = vast.Unwrap(context.Background(), func(_ context.Context, name string) ([]byte, error) {
			return os.ReadFile(name)
		}, in)
	}
	if err != nil {
		d.Code, d.Error, d.ErrorURLs = vast.Code(err), err.Error(), vast.ErrorURLs(err)
		return d
	}
	for _, r := range res {
		d.Ads = append(d.Ads, convert(r))
	}
	return d
}

func get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return io.ReadAll(resp.Body)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func convert(r vast.Resolved) ad {
	a := ad{ID: r.Ad.ID, Sequence: r.Ad.Sequence, Depth: r.Depth, Linear: []linear{}, Companions: []string{}}
	var crs []vast.Creative
	switch {
	case r.Ad.InLine != nil:
		in := r.Ad.InLine
		a.AdSystem, a.AdTitle = in.AdSystem, in.AdTitle
		a.Impressions, a.Errors = nonNil(append(append([]string(nil), r.WrapperImpressions...), in.Impressions...)), nonNil(append(append([]string(nil), r.WrapperErrors...), in.Errors...))
		crs = in.Creatives
	case r.Ad.Wrapper != nil:
		w := r.Ad.Wrapper
		a.AdSystem = w.AdSystem
		a.Impressions, a.Errors = nonNil(w.Impressions), nonNil(w.Errors)
		a.Wrapper = &wrapperAd{Impressions: nonNil(w.Impressions)}
		crs = w.Creatives
	}
	for _, c := range crs {
		if l := c.Linear; l != nil {
			li := linear{Duration: -1, SkipOffset: l.SkipOffset, Tracking: map[string][]string{}, MediaFiles: []media{},
				AdParameters: l.AdParameters, ClickTracking: []string{}}
			if d, err := vast.ParseClock(l.Duration); err == nil {
				li.Duration = d.Seconds()
			}
			for _, t := range l.TrackingEvents {
				li.Tracking[trackingKey(t)] = append(li.Tracking[trackingKey(t)], t.URL)
			}
			for _, m := range l.MediaFiles {
				li.MediaFiles = append(li.MediaFiles, media{URL: m.URL, Type: m.Type, Width: m.Width, Height: m.Height,
					Bitrate: m.Bitrate, APIFramework: m.APIFramework, Delivery: m.Delivery})
			}
			if l.VideoClicks != nil {
				li.ClickThrough = l.VideoClicks.ClickThrough
				li.ClickTracking = nonNil(l.VideoClicks.ClickTracking)
			}
			a.Linear = append(a.Linear, li)
		}
		if c.CompanionAds != nil {
			for _, cp := range c.CompanionAds.Companions {
				u := ""
				if cp.StaticResource != nil {
					u = cp.StaticResource.URL
				}
				a.Companions = append(a.Companions, u)
			}
		}
		if c.NonLinearAds != nil {
			a.NonLinears += len(c.NonLinearAds.NonLinears)
		}
	}
	return a
}

// trackingKey names a tracking event as vast-client does: progress events
// carry their offset, in seconds or as a percentage.
func trackingKey(t vast.Tracking) string {
	if t.Event != "progress" || t.Offset == "" {
		return t.Event
	}
	if strings.HasSuffix(t.Offset, "%") {
		return "progress-" + t.Offset
	}
	d, err := vast.ParseClock(t.Offset)
	if err != nil {
		return "progress-" + t.Offset
	}
	return "progress-" + strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}
