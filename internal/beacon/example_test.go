package beacon_test

import (
	"fmt"
	"time"

	"github.com/availkit/availkit/internal/beacon"
)

// Expand fills the VAST macros of a beacon URL; an unknown value is -1.
func ExampleExpand() {
	u := beacon.Expand("https://ads.test/imp?cb=[CACHEBUSTING]&t=[ADPLAYHEAD]&e=[ERRORCODE]&pos=[BREAKPOSITION]",
		beacon.MacroContext{Random: 42, AdPlayhead: 3500 * time.Millisecond, BreakPosition: beacon.BreakMidroll})
	fmt.Println(u)
	// Output: https://ads.test/imp?cb=00000042&t=00%3A00%3A03.500&e=-1&pos=2
}

// A Dispatcher counts by RuleOf: a state event once per identity, even
// when a later poll changed its URL; a player operation on every call.
func ExampleDispatcher() {
	send := func(u string, done func(error)) {
		fmt.Println("GET", u)
		done(nil)
	}
	d := beacon.NewDispatcher(send, nil)
	imp := beacon.Key{AvailID: "1", AdID: "a", EventID: "7", EventType: "impression", URL: "https://ads.test/imp?sig=1"}
	d.Fire(imp, imp.URL)
	imp.URL = "https://ads.test/imp?sig=2" // re-signed by a later poll
	fmt.Println("again:", d.Fire(imp, imp.URL))
	pause := beacon.Key{AvailID: "1", AdID: "a", EventID: "8", EventType: "pause", URL: "https://ads.test/pause"}
	d.Fire(pause, pause.URL)
	d.Fire(pause, pause.URL)
	d.Forget("1") // the avail left the live window
	// Output:
	// GET https://ads.test/imp?sig=1
	// again: false
	// GET https://ads.test/pause
	// GET https://ads.test/pause
}

// With reportingMode "server" MediaTailor fires impression, start,
// quartiles, complete, breakStart and breakEnd: the Dispatcher reports them
// as the server's and sends only the rest.
func ExampleDispatcher_SetServerReporting() {
	d := beacon.NewDispatcher(func(u string, done func(error)) { done(nil) }, func(r beacon.Result) {
		fmt.Println(r.Key.EventType, "fired by", r.FiredBy)
	})
	d.SetServerReporting(true)
	for _, typ := range []string{"impression", "pause", "complete", "clickTracking"} {
		d.Fire(beacon.Key{AvailID: "1", AdID: "a", EventType: typ}, "https://ads.test/"+typ)
	}
	// Output:
	// impression fired by server
	// pause fired by player
	// complete fired by server
	// clickTracking fired by player
}

func ExampleRuleOf() {
	for _, typ := range []string{"impression", "pause", "skip", "rewind"} {
		r := beacon.RuleOf(typ)
		fmt.Printf("%s: trigger=%s once=%v server=%v\n", typ, r.Trigger, r.Once, r.Server)
	}
	// Output:
	// impression: trigger=time once=true server=true
	// pause: trigger=player once=false server=false
	// skip: trigger=call once=true server=false
	// rewind: trigger=player once=false server=false
}
