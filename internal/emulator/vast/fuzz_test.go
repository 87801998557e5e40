package vast

import (
	"context"
	"strings"
	"testing"
)

// fanOut is a document of n wrapper ads that all point back at the same
// ad server: each level multiplies the fetches by n.
func fanOut(n int) string {
	var b strings.Builder
	b.WriteString(`<VAST version="4.2">`)
	for i := 0; i < n; i++ {
		b.WriteString(`<Ad id="w"><Wrapper><AdSystem>x</AdSystem><VASTAdTagURI>/again</VASTAdTagURI><Impression>https://b.test/i</Impression>` +
			`<Creatives><Creative><Linear><TrackingEvents/></Linear></Creative></Creatives></Wrapper></Ad>`)
	}
	b.WriteString(`<Ad id="i" sequence="-9999999999999999999"><InLine><AdSystem>x</AdSystem><AdTitle>t</AdTitle><Impression>https://b.test/i</Impression>` +
		`<Creatives><Creative><Linear><Duration>00:00:10</Duration><MediaFiles><MediaFile delivery="progressive" type="video/mp4" width="1" height="1">https://m.test/a.mp4</MediaFile></MediaFiles></Linear></Creative></Creatives></InLine></Ad>`)
	b.WriteString(`</VAST>`)
	return b.String()
}

// FuzzUnwrap serves the fuzzed document for every URL (so any wrapper in
// it leads back to it) and checks what a hostile or broken ad server can
// make the emulator do: a bounded number of fetches whatever the pod's
// shape, a wrapper depth within MaxWrapperDepth, a document that parses
// again after Marshal, and no panic.
func FuzzUnwrap(f *testing.F) {
	f.Add(fanOut(1))
	f.Add(fanOut(4))
	f.Add(`<VAST version="3.0"><Ad><InLine><Creatives><Creative><Linear><Duration>-00:00:10</Duration></Linear></Creative></Creatives></InLine></Ad></VAST>`)
	f.Add(`<?xml version="1.0"?><VideoAdServingTemplate/>`)
	f.Fuzz(func(t *testing.T, doc string) {
		fetches := 0
		get := func(context.Context, string) ([]byte, error) {
			fetches++
			return []byte(doc), nil
		}
		res, _ := Unwrap(context.Background(), get, "http://ads.test/vast")
		if fetches > MaxFetches {
			t.Fatalf("%d fetches for one ad request", fetches)
		}
		for _, r := range res {
			if r.Depth > MaxWrapperDepth {
				t.Fatalf("depth %d", r.Depth)
			}
		}
		v, err := Parse([]byte(doc))
		if err != nil {
			return
		}
		out, err := Marshal(v)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if _, err := Parse(out); err != nil {
			t.Fatalf("what parsed does not parse again after Marshal: %v\n%s", err, out)
		}
	})
}
