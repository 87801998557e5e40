package emulator

import (
	"encoding/base64"
	"testing"
)

// FuzzParseInitBody: any session-init body a client posts is either
// refused with an error or read, never a panic.
func FuzzParseInitBody(f *testing.F) {
	for _, s := range []string{`{}`, `{"adsParams":{"scenario":"vpaid"},"reportingMode":"client"}`,
		`{"availSuppression":{"mode":"BEHIND_LIVE_EDGE","value":"99999999:00:00"}}`, `{"overlayAvails":"ON","startTime":-1e300}`,
		`{"adsParams":{"a":1e400}}`, `{"playerParams":[1,2]}`, `null`, `[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		b, err := parseInitBody(raw)
		if err == nil && b == nil {
			t.Fatal("nil body without an error")
		}
	})
}

// FuzzDecodeToken: a client's nextToken is decoded or refused, never a
// panic (a negative position only means "everything").
func FuzzDecodeToken(f *testing.F) {
	for _, s := range []string{"PT10S_2026-01-01T00:00:00Z", "-PT5S_x", "PT9999999999H_x", "PT1.5S"} {
		f.Add(base64.StdEncoding.EncodeToString([]byte(s)))
	}
	f.Add("%%%")
	f.Fuzz(func(t *testing.T, tok string) {
		_, _ = decodeToken(tok)
	})
}
