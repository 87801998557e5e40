package client

import (
	"testing"
	"time"

	"github.com/availkit/availkit/internal/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeOptions(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	b := func(v bool) *bool { return &v }
	tests := []struct {
		name string
		in   string
		want Options
	}{
		{"empty", ``, Options{}},
		{"null", `null`, Options{}},
		{"what availkit.js sends", `{"sessionInitUrl":"http://mt.test/v1/session/a/o/x.m3u8","adsParams":{"deviceType":"web","w":640,"ok":true},` +
			`"trackingMode":"pagination","noSkip":"last","upcomingLead":0,"jumpWatched":false,"liveSnapBack":true,"rawTracking":true,` +
			`"availSuppression":{"mode":"BEHIND_LIVE_EDGE","value":"00:00:00"},"maxEventsPerAd":50,"video":{},"nonceParam":"n"}`,
			Options{
				SessionInitURL: "http://mt.test/v1/session/a/o/x.m3u8", AdsParams: map[string]string{"deviceType": "web", "w": "640", "ok": "true"},
				TrackingMode: "pagination", NoSkip: "last", UpcomingLead: f(0), JumpWatched: b(false), LiveSnapBack: true, RawTracking: b(true),
				AvailSuppression: session.AvailSuppression{Mode: "BEHIND_LIVE_EDGE", Value: "00:00:00"}, MaxEventsPerAd: 50, NonceKey: "n",
			}},
		{"macro options", `{"pageUrl":"https://p.test/","domain":"p.test","deviceUA":"UA","clientUA":"hls.js/1 availkit/2",` +
			`"gdprConsent":"CO","gppString":"DBA","gppSectionIds":[2,"6"],"regulations":["gdpr"],"playerCapabilities":["skip"],` +
			`"limitAdTracking":true,"macroValues":{"CONTENTID":"c1","IFATYPE":"dpid"},"withholdMacros":["PAGEURL"]}`,
			Options{Macros: MacroValues{PageURL: "https://p.test/", Domain: "p.test", DeviceUA: "UA", ClientUA: "hls.js/1 availkit/2",
				GDPRConsent: "CO", GPPString: "DBA", GPPSectionIDs: []string{"2", "6"}, Regulations: []string{"gdpr"},
				PlayerCapabilities: []string{"skip"}, LimitAdTracking: b(true),
				Values: map[string]string{"CONTENTID": "c1", "IFATYPE": "dpid"}, Withhold: []string{"PAGEURL"}}}},
		{"null fields keep defaults", `{"upcomingLead":null,"jumpWatched":null,"adsParams":{"a":null}}`, Options{AdsParams: nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeOptions([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDecodeOptionsErrorsNameThePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"adsParams":{"w":{}}}`, "client: options.adsParams.w: expected string, number or boolean, got object"},
		{`{"pollInterval":"5"}`, "client: options.pollInterval: expected number, got string"},
		{`{"jumpWatched":"yes"}`, "client: options.jumpWatched: expected boolean, got string"},
		{`{"maxEventsPerAd":1.5}`, "client: options.maxEventsPerAd: expected an integer, got 1.5"},
		{`{"regulations":"gdpr"}`, "client: options.regulations: expected array, got string"},
		{`{"withholdMacros":[{}]}`, "client: options.withholdMacros[0]: expected string or number, got object"},
		{`{"availSuppression":{"mode":3}}`, "client: options.availSuppression.mode: expected string, got number"},
		{`"x"`, "client: options: expected object, got string"},
		{`{"a":1}{}`, "client: options: trailing data: a second JSON document follows the first at offset 7"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := DecodeOptions([]byte(tt.in))
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestDecodeManifestTrackingReply(t *testing.T) {
	m, err := DecodeManifestInfo([]byte(`{"live":true,"targetDuration":2,"minimumUpdatePeriod":null,"duration":0,"seekableStart":12.5}`))
	require.NoError(t, err)
	assert.Equal(t, ManifestInfo{Live: true, TargetDuration: 2 * time.Second, SeekableStart: 12.5, HasSeekableStart: true}, m)
	m, err = DecodeManifestInfo([]byte(`{"live":false,"duration":60}`))
	require.NoError(t, err)
	assert.False(t, m.HasSeekableStart, "no seekableStart, no window")

	tr, err := DecodeTrackingRequest([]byte(`{"availId":"a","adId":"b","eventType":"verificationNotExecuted","key":"k","urls":["http://x.test/1","http://x.test/2"],"reason":2}`))
	require.NoError(t, err)
	assert.Equal(t, TrackingRequest{AvailID: "a", AdID: "b", EventType: "verificationNotExecuted", Key: "k", URLs: []string{"http://x.test/1", "http://x.test/2"}, Reason: 2}, tr)
	_, err = DecodeTrackingRequest([]byte(`{"urls":["http://x.test/1",2]}`))
	assert.EqualError(t, err, "client: tracking.urls[1]: expected string, got number")

	r, err := DecodeReply([]byte(`{"status":200,"text":"{\"avails\":[]}","headers":{}}`))
	require.NoError(t, err)
	assert.Equal(t, Reply{Status: 200, Body: `{"avails":[]}`}, r)
}

func FuzzDecodeOptions(f *testing.F) {
	for _, s := range []string{`{"adsParams":{"w":640}}`, `{"availSuppression":{"mode":"OFF"}}`, `null`, `{"upcomingLead":1e400}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := DecodeOptions(data)
		if err == nil {
			_, _ = o.Config() // whatever decodes must map or refuse, not panic
		}
	})
}

// TestDecodeVPAIDData: the data of a VPAID event as the runner forwards it
// (its own fields beside the unit's); a value of another type, which a
// creative can send, is passed over rather than failing the event.
func TestDecodeVPAIDData(t *testing.T) {
	tests := []struct {
		in   string
		want VPAIDData
	}{
		{`{}`, VPAIDData{}},
		{`{"availId":"a","adId":"b","volume":0.5,"muted":false}`, VPAIDData{}},
		{`{"volume":0,"muted":false}`, VPAIDData{Muted: true}},
		{`{"volume":-0.0}`, VPAIDData{Muted: true}},
		{`{"volume":0.8,"muted":true}`, VPAIDData{Muted: true}},
		{`{"expanded":true}`, VPAIDData{Expanded: true}},
		{`{"expanded":null,"linear":true}`, VPAIDData{}},
		{`{"code":901,"message":"VPAID initAd error: boom"}`, VPAIDData{Message: "VPAID initAd error: boom", HasMessage: true}},
		{`{"message":{"text":"not a string"},"volume":"0","muted":"yes"}`, VPAIDData{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := DecodeVPAIDData([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, d)
		})
	}
	_, err := DecodeVPAIDData([]byte(`[1]`))
	assert.Error(t, err, "not an object")
}
