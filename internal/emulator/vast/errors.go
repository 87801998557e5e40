package vast

import (
	"errors"
	"strconv"
	"strings"
)

// VAST error codes (IAB VAST 4.2 §2.3.6.3) that parsing and unwrapping
// report.
const (
	CodeXML          = 100 // XML parsing error
	CodeSchema       = 101 // VAST schema validation error
	CodeVersion      = 102 // VAST version of response not supported
	CodeWrapper      = 300 // general wrapper error
	CodeWrapperURI   = 301 // wrapper's VASTAdTagURI unavailable or timed out
	CodeWrapperLimit = 302 // wrapper limit reached
	CodeNoAds        = 303 // no ads after one or more wrappers
)

// Error is a VAST document or ad that cannot be used, with its IAB error
// code and the Error URLs of the wrappers that led to it, outermost first,
// which the ad server's side is expected to call with [ERRORCODE] set.
type Error struct {
	Code      int
	Msg       string
	ErrorURLs []string
	Err       error
}

// Error renders the code and message. Document errors (1xx) start with
// "vast: " and wrapper errors (3xx) with "vast wrapper: ": the emulator
// files the first as VAST_PARSING_ERROR and the second, like any other ad
// server failure, by its cause (timeout or HTTP error).
func (e *Error) Error() string {
	prefix := "vast: "
	if e.Code >= 300 {
		prefix = "vast wrapper: "
	}
	s := prefix + strconv.Itoa(e.Code) + " " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Code returns the VAST error code of err, 0 when it carries none.
func Code(err error) int {
	var ve *Error
	if errors.As(err, &ve) {
		return ve.Code
	}
	var wl *WrapperLimitError
	if errors.As(err, &wl) {
		return CodeWrapperLimit
	}
	return 0
}

// ErrorURLs returns the wrapper Error URLs err carries, with [ERRORCODE]
// (and %%ERRORCODE%%) replaced by its code.
func ErrorURLs(err error) []string {
	var urls []string
	var ve *Error
	var wl *WrapperLimitError
	switch {
	case errors.As(err, &ve):
		urls = ve.ErrorURLs
	case errors.As(err, &wl):
		urls = wl.ErrorURLs
	}
	code := strconv.Itoa(Code(err))
	out := make([]string, 0, len(urls))
	for _, u := range urls {
		if u == "" {
			continue
		}
		u = strings.ReplaceAll(u, "[ERRORCODE]", code)
		out = append(out, strings.ReplaceAll(u, "%%ERRORCODE%%", code))
	}
	return out
}

// withWrapper prepends a wrapper's Error URLs to err's.
func withWrapper(err error, urls []string) error {
	if len(urls) == 0 {
		return err
	}
	var ve *Error
	if errors.As(err, &ve) {
		ve.ErrorURLs = append(append([]string(nil), urls...), ve.ErrorURLs...)
		return err
	}
	var wl *WrapperLimitError
	if errors.As(err, &wl) {
		wl.ErrorURLs = append(append([]string(nil), urls...), wl.ErrorURLs...)
	}
	return err
}

// validate reports an ad that the schema rejects (VAST error 101): neither
// InLine nor Wrapper, a wrapper without VASTAdTagURI, an inline ad without
// AdSystem or Impression. It is the subset of the XSDs that decides whether
// an ad can be played and tracked at all.
func (a *Ad) validate() error {
	switch {
	case a.InLine == nil && a.Wrapper == nil:
		return &Error{Code: CodeSchema, Msg: "ad " + strconv.Quote(a.ID) + " has neither InLine nor Wrapper"}
	case a.Wrapper != nil && a.Wrapper.VASTAdTagURI == "":
		return &Error{Code: CodeSchema, Msg: "wrapper ad " + strconv.Quote(a.ID) + " has no VASTAdTagURI"}
	case a.InLine != nil && a.InLine.AdSystem == "":
		return &Error{Code: CodeSchema, Msg: "inline ad " + strconv.Quote(a.ID) + " has no AdSystem"}
	case a.InLine != nil && len(a.InLine.Impressions) == 0:
		return &Error{Code: CodeSchema, Msg: "inline ad " + strconv.Quote(a.ID) + " has no Impression"}
	}
	return nil
}
