package client

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// podAvailJSON is an avail of n ads of dur seconds from start, each with an
// impression, a complete and an error URL, and a breakStart; every URL
// carries [PODSEQUENCE] and [ADCOUNT], the error URL [ERRORCODE] too. The
// ads numbered in vpaid (1-based) are VPAID units.
func podAvailJSON(id string, start, dur float64, n int, vpaid ...int) string {
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	ev := func(owner, typ string, at float64) string {
		return `{"eventId":"` + owner + `-` + typ + `","eventType":"` + typ + `","startTimeInSeconds":` + num(at) +
			`,"beaconUrls":["http://b.test/` + owner + `/` + typ + `?p=[PODSEQUENCE]&n=[ADCOUNT]"]}`
	}
	var ads []string
	for i := range n {
		adID := id + "-" + strconv.Itoa(i+1)
		at := start + float64(i)*dur
		media := ""
		if slices.Contains(vpaid, i+1) {
			media = `"mediaFiles":{"mediaFilesList":[{"mediaFileUri":"https://cdn.test/unit.js","apiFramework":"VPAID","mediaType":"application/javascript"}]},`
		}
		errURL := `{"eventId":"` + adID + `-error","eventType":"error","beaconUrls":["http://b.test/` + adID +
			`/error?p=[PODSEQUENCE]&n=[ADCOUNT]&code=[ERRORCODE]"]}`
		ads = append(ads, `{"adId":"`+adID+`","startTimeInSeconds":`+num(at)+`,"durationInSeconds":`+num(dur)+`,`+media+
			`"trackingEvents":[`+ev(adID, "impression", at)+`,`+ev(adID, "complete", at+dur)+`,`+errURL+`]}`)
	}
	return `{"availId":"` + id + `","startTimeInSeconds":` + num(start) + `,"durationInSeconds":` + num(dur*float64(n)) +
		`,"adBreakTrackingEvents":[` + ev(id, "breakStart", start) + `],"ads":[` + strings.Join(ads, ",") + `]}`
}

// podMacros returns "p=…&n=…" of the beacon whose path is /owner/typ.
func podMacros(t *testing.T, beacons []string, owner, typ string) string {
	t.Helper()
	for _, u := range beacons {
		if strings.Contains(u, "/"+owner+"/"+typ+"?") {
			q, err := url.ParseQuery(u[strings.IndexByte(u, '?')+1:])
			require.NoError(t, err)
			return "p=" + q.Get("p") + "&n=" + q.Get("n")
		}
	}
	return "not sent"
}

// TestPodMacros: [PODSEQUENCE] is the ad's place in its pod, [ADCOUNT] the
// ads played in the break so far including this one (IAB macro catalogue).
func TestPodMacros(t *testing.T) {
	tests := []struct {
		name string
		// run plays the session (pod "a" at 10 s, 3 ads of 4 s; pod "b" at
		// 40 s, 2 ads) and may fire host beacons.
		run  func(w *world)
		want map[string]string // "owner/type" → "p=…&n=…"
	}{
		{
			name: "played through: both count with the ad",
			run:  func(w *world) { w.play(9.5, 23, 0.25, 0) },
			want: map[string]string{
				"a-1/impression": "p=1&n=1", "a-2/impression": "p=2&n=2", "a-3/impression": "p=3&n=3",
				"a-1/complete": "p=1&n=1", "a-2/complete": "p=2&n=2", "a-3/complete": "p=3&n=3",
				"a/breakStart": "p=-1&n=-1",
			},
		},
		{
			name: "a bookmark inside the second ad: it is the first played",
			run: func(w *world) {
				w.s.Seek(0, 15, engine.OriginStart)
				w.play(15, 23, 0.25, 0)
			},
			want: map[string]string{
				"a-1/impression": "not sent", "a-2/impression": "p=2&n=1", "a-3/impression": "p=3&n=2", "a-3/complete": "p=3&n=2",
			},
		},
		{
			name: "the next break counts from one",
			run: func(w *world) {
				w.play(9.5, 23, 0.25, 0)
				w.s.Seek(23, 39.5, engine.OriginStart)
				w.play(39.5, 49, 0.25, 0)
			},
			want: map[string]string{"b-1/impression": "p=1&n=1", "b-2/impression": "p=2&n=2", "b-2/complete": "p=2&n=2"},
		},
		{
			name: "a late host beacon of the previous break counts nothing and changes nothing",
			run: func(w *world) {
				w.play(9.5, 23, 0.25, 0)
				w.s.Seek(23, 39.5, engine.OriginStart)
				w.play(39.5, 42, 0.25, 0)
				w.s.FireTracking(TrackingRequest{AvailID: "a", AdID: "a-3", EventType: "closeLinear", Key: "c",
					URLs: []string{"http://b.test/a-3/closeLinear?p=[PODSEQUENCE]&n=[ADCOUNT]"}})
				w.play(42, 49, 0.25, 0)
			},
			want: map[string]string{"a-3/closeLinear": "p=3&n=-1", "b-2/impression": "p=2&n=2"},
		},
		{
			name: "a host beacon (companion view) takes its ad's place",
			run: func(w *world) {
				w.play(9.5, 15, 0.25, 0)
				w.s.FireTracking(TrackingRequest{AvailID: "a", AdID: "a-2", EventType: "creativeView", Key: "c",
					URLs: []string{"http://b.test/a-2/creativeView?p=[PODSEQUENCE]&n=[ADCOUNT]"}})
			},
			want: map[string]string{"a-2/creativeView": "p=2&n=2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := adopted(t, nil)
			w.manifest(ManifestInfo{Duration: 120})
			w.answer(0, 200, trackingJSON("", podAvailJSON("a", 10, 4, 3), podAvailJSON("b", 40, 4, 2)))
			tt.run(w)
			for k, v := range tt.want {
				owner, typ, _ := strings.Cut(k, "/")
				assert.Equal(t, v, podMacros(t, w.beacons, owner, typ), k)
			}
		})
	}
}
