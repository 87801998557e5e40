package beacon

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRuleTable pins the counting rules a reviewer reads in the README:
// state events once, player operations and clicks on every occurrence,
// skip/close/error once, and exactly MediaTailor's server-side share.
func TestRuleTable(t *testing.T) {
	tests := []struct {
		typ     string
		trigger Trigger
		once    bool
		server  bool
	}{
		{"impression", TriggerTime, true, true},
		{"start", TriggerTime, true, true},
		{"firstQuartile", TriggerTime, true, true},
		{"midpoint", TriggerTime, true, true},
		{"thirdQuartile", TriggerTime, true, true},
		{"complete", TriggerTime, true, true},
		{"breakStart", TriggerTime, true, true},
		{"breakEnd", TriggerTime, true, true},
		{"creativeView", TriggerTime, true, false},
		{"progress", TriggerTime, true, false},
		{"pause", TriggerPlayer, false, false},
		{"resume", TriggerPlayer, false, false},
		{"mute", TriggerPlayer, false, false},
		{"unmute", TriggerPlayer, false, false},
		{"fullscreen", TriggerPlayer, false, false},
		{"exitFullscreen", TriggerPlayer, false, false},
		{"playerExpand", TriggerPlayer, false, false},
		{"playerCollapse", TriggerPlayer, false, false},
		{"rewind", TriggerPlayer, false, false},
		{"clickTracking", TriggerCall, false, false},
		{"skip", TriggerCall, true, false},
		{"closeLinear", TriggerCall, true, false},
		{"error", TriggerCall, true, false},
		{"verificationNotExecuted", TriggerCall, true, false},
		{"someFutureEvent", TriggerTime, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			r := RuleOf(tt.typ)
			assert.Equal(t, tt.typ, r.EventType)
			assert.Equal(t, tt.trigger, r.Trigger, "trigger")
			assert.Equal(t, tt.once, r.Once, "once")
			assert.Equal(t, tt.server, r.Server, "server")
		})
	}
	seen := map[string]bool{}
	for _, r := range Rules() {
		assert.False(t, seen[r.EventType], "listed twice: %s", r.EventType)
		seen[r.EventType] = true
		assert.NotEmpty(t, r.When, r.EventType)
		assert.False(t, r.Server && !r.Once, "a server event is a state event: %s", r.EventType)
	}
}

// TestDispatcherCountingRules fires each event type three times, the third
// time with a changed URL, in both reporting modes, and counts what reaches
// the network and what is reported as the server's.
func TestDispatcherCountingRules(t *testing.T) {
	tests := []struct {
		typ                string
		server             bool
		wantSent, wantSrvd int
	}{
		{"impression", false, 1, 0},
		{"complete", false, 1, 0},
		{"breakEnd", false, 1, 0},
		{"pause", false, 3, 0},
		{"mute", false, 3, 0},
		{"clickTracking", false, 3, 0},
		{"rewind", false, 3, 0},
		{"skip", false, 1, 0},
		{"closeLinear", false, 1, 0},
		{"error", false, 1, 0},
		{"impression", true, 0, 1},
		{"start", true, 0, 1},
		{"midpoint", true, 0, 1},
		{"breakStart", true, 0, 1},
		{"creativeView", true, 1, 0},
		{"pause", true, 3, 0},
		{"clickTracking", true, 3, 0},
		{"error", true, 1, 0},
	}
	for _, tt := range tests {
		name := tt.typ
		if tt.server {
			name += "/server"
		}
		t.Run(name, func(t *testing.T) {
			f := &fakeSender{auto: []error{nil, nil, nil}}
			var results []Result
			d := NewDispatcher(f.send, func(r Result) { results = append(results, r) })
			d.SetServerReporting(tt.server)
			k := Key{AvailID: "a", AdID: "x", EventID: "7", EventType: tt.typ, URL: "https://t.test/" + tt.typ}
			d.Fire(k, k.URL)
			d.Fire(k, k.URL)
			k.URL += "?sig=new" // a re-poll re-signed the URL
			d.Fire(k, k.URL)
			assert.Len(t, f.urls, tt.wantSent, "requests")
			srvd := 0
			for _, r := range results {
				if r.FiredBy == FiredByServer {
					srvd++
					assert.Zero(t, r.Attempts)
					assert.NoError(t, r.Err)
				} else {
					assert.Equal(t, FiredByPlayer, r.FiredBy)
				}
			}
			assert.Equal(t, tt.wantSrvd, srvd, "reported as the server's")
			require.Len(t, results, tt.wantSent+tt.wantSrvd, "one result per counted beacon")
		})
	}
}

// TestDispatcherForgetFreesAll: forgetting every avail leaves nothing in
// the dedupe set, and repeated events never enter it.
func TestDispatcherForgetFreesAll(t *testing.T) {
	d := NewDispatcher(func(_ string, done func(error)) { done(nil) }, nil)
	for _, avail := range []string{"a", "b", "c"} {
		for _, typ := range []string{"impression", "start", "pause", "pause", "clickTracking"} {
			d.Fire(Key{AvailID: avail, AdID: "x", EventType: typ, URL: "https://t.test/" + typ}, "https://t.test/"+typ)
		}
	}
	keys, avails, bytes := d.Remembered()
	assert.Equal(t, 6, keys, "impression and start per avail; repeats are not remembered")
	assert.Equal(t, 3, avails)
	assert.Positive(t, bytes)
	for _, avail := range []string{"a", "b", "c"} {
		d.Forget(avail)
	}
	keys, avails, bytes = d.Remembered()
	assert.Zero(t, keys)
	assert.Zero(t, avails)
	assert.Zero(t, bytes)
}

// TestDispatcherServerModePlayerOnly: in server reporting mode a VPAID
// creative's, a companion's or an overlay's impression is still the
// player's to send: MediaTailor never sees those.
func TestDispatcherServerModePlayerOnly(t *testing.T) {
	var sent []string
	var by []string
	d := NewDispatcher(func(u string, done func(error)) { sent = append(sent, u); done(nil) },
		func(r Result) { by = append(by, r.Key.AdID+":"+r.FiredBy) })
	d.SetServerReporting(true)
	d.Fire(Key{AvailID: "a", AdID: "linear", EventType: "impression"}, "https://t.test/linear")
	d.Fire(Key{AvailID: "a", AdID: "vpaid", EventType: "impression", PlayerOnly: true}, "https://t.test/vpaid")
	assert.Equal(t, []string{"https://t.test/vpaid"}, sent)
	assert.Equal(t, []string{"linear:server", "vpaid:player"}, by)
}
