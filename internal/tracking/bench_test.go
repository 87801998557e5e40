package tracking

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// bigResponse builds a realistic tracking response of at least size bytes:
// avails of 4 ads with the 6 standard events and 2 beacon URLs each.
func bigResponse(size int) []byte {
	var b strings.Builder
	b.WriteString(`{"avails":[`)
	start := 10 * time.Second
	for a := 0; b.Len() < size; a++ {
		if a > 0 {
			b.WriteByte(',')
		}
		id := strconv.Itoa(1000 + a*100)
		b.WriteString(`{"adBreakTrackingEvents":[{"beaconUrls":["https://ads.example.com/vmap?e=breakStart"],"eventType":"breakStart"}],"adMarkerDuration":"PT60S","ads":[`)
		for d := 0; d < 4; d++ {
			if d > 0 {
				b.WriteByte(',')
			}
			adStart := start + time.Duration(d)*15*time.Second
			b.WriteString(`{"adId":"` + id + strconv.Itoa(d) + `","adParameters":"","adProgramDateTime":null,"adSystem":"GDFP","adTitle":"ad title ` + strconv.Itoa(d) + `","adVerifications":[],"companionAds":[],"creativeId":"cr","creativeSequence":"1","duration":"PT15.015S","durationInSeconds":15.015,"extensions":[],"mediaFiles":{"mediaFilesList":[],"mezzanine":""},"skipOffset":null,"startTime":"` + FormatISODuration(adStart) + `","startTimeInSeconds":` + strconv.FormatFloat(adStart.Seconds(), 'f', 3, 64) + `,"trackingEvents":[`)
			for e, typ := range []string{"impression", "start", "firstQuartile", "midpoint", "thirdQuartile", "complete"} {
				if e > 0 {
					b.WriteByte(',')
				}
				evStart := adStart + time.Duration(e)*3750*time.Millisecond
				b.WriteString(`{"beaconUrls":["https://ads.example.com/t?e=` + typ + `&cb=[CACHEBUSTING]&id=` + id + `","https://third.example.com/p?e=` + typ + `"],"duration":"PT0S","durationInSeconds":0.0,"eventId":"` + id + `","eventProgramDateTime":null,"eventType":"` + typ + `","startTime":"` + FormatISODuration(evStart) + `","startTimeInSeconds":` + strconv.FormatFloat(evStart.Seconds(), 'f', 3, 64) + `}`)
			}
			b.WriteString(`],"vastAdId":""}`)
		}
		b.WriteString(`],"availId":"` + id + `","availProgramDateTime":null,"duration":"PT60.06S","durationInSeconds":60.06,"meta":null,"nonLinearAdsList":[],"startTime":"` + FormatISODuration(start) + `","startTimeInSeconds":` + strconv.FormatFloat(start.Seconds(), 'f', 3, 64) + `}`)
		start += 5 * time.Minute
	}
	b.WriteString(`],"nextToken":null,"nonLinearAvails":[]}`)
	return []byte(b.String())
}

func TestBigResponseDecodes(t *testing.T) {
	data := bigResponse(1 << 20)
	r, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	last := r.Avails[len(r.Avails)-1]
	if len(last.Ads) != 4 || len(last.Ads[3].TrackingEvents) != 6 || last.Ads[3].TrackingEvents[5].EventType != "complete" {
		t.Fatalf("last avail decoded wrong: %+v", last.Ads)
	}
}

func BenchmarkDecode1MB(b *testing.B) {
	data := bigResponse(1 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseISODuration(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseISODuration("PT5042H27M59.931S"); err != nil {
			b.Fatal(err)
		}
	}
}
