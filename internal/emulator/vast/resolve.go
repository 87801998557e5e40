package vast

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
)

// Getter fetches an ad tag URL and returns the response body.
type Getter func(ctx context.Context, url string) ([]byte, error)

// Resolved is an inline ad together with the tracking collected from the
// wrappers that led to it, outermost first.
type Resolved struct {
	Ad                   Ad
	WrapperImpressions   []string
	WrapperErrors        []string
	WrapperTracking      []Tracking
	WrapperClickTracking []string
	// Depth is the number of wrappers followed.
	Depth int
}

// WrapperLimitError reports a wrapper chain deeper than MaxWrapperDepth
// (VAST error 302). ErrorURLs are the wrappers' Error URLs.
type WrapperLimitError struct{ ErrorURLs []string }

func (e *WrapperLimitError) Error() string {
	return fmt.Sprintf("vast: more than %d wrapper levels", MaxWrapperDepth)
}

// Unwrap fetches tagURL and follows wrappers up to MaxWrapperDepth levels,
// returning the inline ads in pod order (by Ad@sequence, ads without a
// sequence last, in document order). An unusable wrapper branch is dropped
// like MediaTailor drops an unusable ad from a pod; its error is returned
// only when nothing usable remains.
func Unwrap(ctx context.Context, get Getter, tagURL string) ([]Resolved, error) {
	return unwrap(ctx, get, tagURL, 0)
}

func unwrap(ctx context.Context, get Getter, tagURL string, depth int) ([]Resolved, error) {
	body, err := get(ctx, tagURL)
	if err != nil {
		return nil, err
	}
	doc, err := Parse(body)
	if err != nil {
		return nil, err
	}
	ads := append([]Ad(nil), doc.Ads...)
	sort.SliceStable(ads, func(i, j int) bool { return seqKey(ads[i]) < seqKey(ads[j]) })
	var out []Resolved
	var firstErr error
	for _, a := range ads {
		switch {
		case a.InLine != nil:
			out = append(out, Resolved{Ad: a, Depth: depth})
		case a.Wrapper != nil:
			w := a.Wrapper
			if depth+1 > MaxWrapperDepth {
				if firstErr == nil {
					firstErr = &WrapperLimitError{ErrorURLs: w.Errors}
				}
				continue
			}
			inner, err := unwrap(ctx, get, w.VASTAdTagURI, depth+1)
			if err != nil {
				var wl *WrapperLimitError
				if errors.As(err, &wl) {
					wl.ErrorURLs = append(append([]string(nil), w.Errors...), wl.ErrorURLs...)
				}
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			for _, r := range inner {
				r.WrapperImpressions = append(append([]string(nil), w.Impressions...), r.WrapperImpressions...)
				r.WrapperErrors = append(append([]string(nil), w.Errors...), r.WrapperErrors...)
				for _, c := range w.Creatives {
					if c.Linear == nil {
						continue
					}
					r.WrapperTracking = append(append([]Tracking(nil), c.Linear.TrackingEvents...), r.WrapperTracking...)
					if c.Linear.VideoClicks != nil {
						r.WrapperClickTracking = append(append([]string(nil), c.Linear.VideoClicks.ClickTracking...), r.WrapperClickTracking...)
					}
				}
				out = append(out, r)
			}
		}
	}
	if len(out) == 0 && firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

func seqKey(a Ad) int {
	n, err := strconv.Atoi(a.Sequence)
	if err != nil || n < 0 {
		return 1 << 30
	}
	return n
}
