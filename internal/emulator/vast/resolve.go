package vast

import (
	"context"
	"fmt"
	"net/url"
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
// sequence last, in document order). A relative VASTAdTagURI is resolved
// against the URL of the wrapper that holds it. An unusable wrapper branch
// or ad is dropped like MediaTailor drops an unusable ad from a pod; its
// error is returned only when nothing usable remains, as an *Error (or
// *WrapperLimitError) whose code Code reports and whose ErrorURLs are the
// Error URLs of the wrappers on the failed branch:
//
//   - 100, 101, 102 from Parse or an invalid ad (see Ad.validate);
//   - 301 when a wrapper's VASTAdTagURI cannot be fetched;
//   - 302 beyond MaxWrapperDepth wrappers (*WrapperLimitError);
//   - 303 when a wrapper leads to no ad.
//
// A document without ads at the top level is not an error: the ad server
// had nothing to fill the avail with. An inline ad without creatives counts
// as no ad.
//
// At most MaxFetches documents are fetched in all: a pod of wrappers that
// lead back to wrappers would otherwise multiply the requests at every
// level (n wrappers, 5 levels: n⁵ fetches).
func Unwrap(ctx context.Context, get Getter, tagURL string) ([]Resolved, error) {
	budget := MaxFetches
	return unwrap(ctx, get, tagURL, 0, &budget)
}

// MaxFetches bounds the documents one Unwrap fetches (the tag and every
// wrapper's VASTAdTagURI).
const MaxFetches = 64

func unwrap(ctx context.Context, get Getter, tagURL string, depth int, budget *int) ([]Resolved, error) {
	if *budget <= 0 {
		return nil, &Error{Code: CodeWrapperLimit, Msg: "more than " + strconv.Itoa(MaxFetches) + " VAST documents for one ad request"}
	}
	*budget--
	body, err := get(ctx, tagURL)
	if err != nil {
		if depth > 0 {
			return nil, &Error{Code: CodeWrapperURI, Msg: "VASTAdTagURI " + tagURL + " unavailable", Err: err}
		}
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
	fail := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	for _, a := range ads {
		if a.InLine != nil && len(a.InLine.Creatives) == 0 {
			continue // "no ad" answered as an empty inline ad
		}
		if err := a.validate(); err != nil {
			fail(err)
			continue
		}
		switch {
		case a.InLine != nil:
			out = append(out, Resolved{Ad: a, Depth: depth})
		case a.Wrapper != nil:
			w := a.Wrapper
			if depth+1 > MaxWrapperDepth {
				fail(&WrapperLimitError{ErrorURLs: w.Errors})
				continue
			}
			inner, err := unwrap(ctx, get, resolveURI(tagURL, w.VASTAdTagURI), depth+1, budget)
			if err == nil && len(inner) == 0 {
				err = &Error{Code: CodeNoAds, Msg: "no ads after " + strconv.Itoa(depth+1) + " wrapper(s)"}
			}
			if err != nil {
				fail(withWrapper(err, w.Errors))
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

// resolveURI resolves a wrapper's VASTAdTagURI against the wrapper's own
// URL, as dailymotion's vast-client and browsers do for relative URIs.
func resolveURI(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

func seqKey(a Ad) int {
	n, err := strconv.Atoi(a.Sequence)
	if err != nil || n < 0 {
		return 1 << 30
	}
	return n
}
