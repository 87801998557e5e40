package emulator

import (
	"testing"
	"time"

	"github.com/availkit/availkit/media"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// twoSecondAd is an ad slot of n 2 s segments whose first segment is
// published at reveal (channel time).
func twoSecondAd(n int, reveal time.Duration) *adSlot {
	a := &asset{Asset: &media.Asset{ID: "ad", Kind: media.KindAd}}
	ad := &adSlot{asset: a, revealAt: reveal, chStart: reveal - 2*time.Second}
	for i := 0; i < n; i++ {
		a.Segments = append(a.Segments, 2*time.Second)
		ad.segs = append(ad.segs, i)
	}
	return ad
}

func TestSelectLiveHLS(t *testing.T) {
	const s = time.Second
	// Three breaks of a channel at t = 100 s, window starting at msn 40:
	// one left the window, one is in it with one of two ads published, one
	// has not published its first segment yet.
	gone := &avail{index: 1, chStart: 10 * s, hlsStart: 20 * s, hlsDur: 8 * s, firstMsn: 10, lastMsn: 13, ads: []*adSlot{twoSecondAd(4, 12*s)}}
	inWin := &avail{index: 2, chStart: 90 * s, hlsStart: 92 * s, hlsDur: 16 * s, firstMsn: 41, lastMsn: 48,
		ads: []*adSlot{twoSecondAd(4, 92*s), twoSecondAd(4, 100*s+time.Millisecond)}}
	future := &avail{index: 3, chStart: 99 * s, hlsStart: 99 * s, hlsDur: 8 * s, firstMsn: 50, lastMsn: 53, ads: []*adSlot{twoSecondAd(4, 101*s)}}
	unstitched := &avail{index: 4, chStart: 80 * s, ads: []*adSlot{twoSecondAd(1, 82*s)}}
	breaks := map[int64]*avail{99: future, 10: gone, 90: inWin, 80: unstitched}
	w := selectLiveHLS(breaks, 40, 7, 30*s, 100*s)
	require.Len(t, w.items, 1)
	assert.Same(t, inWin, w.items[0].av)
	assert.Equal(t, 62*s, w.items[0].start, "session time: hlsStart - zero")
	assert.Equal(t, 16*s, w.items[0].dur)
	assert.Equal(t, 1, w.items[0].revealed, "the second ad is not published yet")
	assert.Equal(t, int64(7), *w.anchor)
	assert.Equal(t, 30*s, w.tl.offset)
}

func TestSelectLiveDASH(t *testing.T) {
	const s = time.Second
	old := &avail{index: 1, chStart: 10 * s, chEnd: 30 * s, ads: []*adSlot{twoSecondAd(2, 12*s)}}
	cur := &avail{index: 2, chStart: 50 * s, chEnd: 70 * s, ads: []*adSlot{twoSecondAd(2, 52*s)}}
	next := &avail{index: 3, chStart: 99 * s, chEnd: 120 * s, ads: []*adSlot{twoSecondAd(2, 101*s)}}
	w := selectLiveDASH(map[int64]*avail{99: next, 50: cur, 10: old}, 100*s, 40*s)
	require.Len(t, w.items, 1, "the first left the 40 s buffer, the last has no published segment")
	assert.Same(t, cur, w.items[0].av)
	assert.Equal(t, 50*s, w.items[0].start, "DASH live: channel time")
	assert.Equal(t, 20*s, w.items[0].dur)
	assert.Equal(t, "2026-01-01T00:00:00Z", *w.ast)
	assert.True(t, w.tl.dash)
}

func TestSelectVOD(t *testing.T) {
	p := &plan{avails: []*avail{{index: 1, start: 0, dur: 8e9}, {index: 2, start: 10e9, dur: 6e9}}}
	for _, dash := range []bool{false, true} {
		w := selectVOD(p, dash)
		require.Len(t, w.items, 2)
		assert.Equal(t, -1, w.items[1].revealed, "VOD ads are all known")
		assert.Equal(t, time.Duration(10e9), w.items[1].start)
		assert.Equal(t, !dash, w.anchor != nil, "HLS anchors on media sequence 0, DASH has none")
	}
}

func TestReportKey(t *testing.T) {
	a := &avail{index: 1, chStart: 5}
	b := &avail{index: 1, chStart: 5}
	items := []trackItem{{av: a, start: 1, dur: 2, revealed: 1}}
	same := []trackItem{{av: b, start: 1, dur: 2, revealed: 1}}
	assert.Equal(t, reportKey("", true, items), reportKey("", true, same), "keyed on values, not on addresses")
	for name, other := range map[string]string{
		"token":    reportKey("tok", true, items),
		"served":   reportKey("", false, items),
		"revealed": reportKey("", true, []trackItem{{av: a, start: 1, dur: 2, revealed: 2}}),
		"avail":    reportKey("", true, []trackItem{{av: &avail{index: 2, chStart: 5}, start: 1, dur: 2, revealed: 1}}),
		"dur":      reportKey("", true, []trackItem{{av: a, start: 1, dur: 3, revealed: 1}}),
		"none":     reportKey("", true, nil),
	} {
		assert.NotEqual(t, reportKey("", true, items), other, name)
	}
}

func TestTrackCache(t *testing.T) {
	var c trackCache
	_, ok := c.get("")
	assert.False(t, ok, "empty cache misses even the empty key")
	c.put("k1", []byte("body1"))
	b, ok := c.get("k1")
	assert.True(t, ok)
	assert.Equal(t, "body1", string(b))
	_, ok = c.get("k2")
	assert.False(t, ok)
}

// at is a tracking event at start seconds.
func at(typ string, start float64) jsonEvent {
	d := time.Duration(start * 1e9)
	return ev(typ, nil, d, 0, "1", nil)
}

func TestPage(t *testing.T) {
	linear := jsonAvail{AvailID: "1", Ads: []jsonAd{
		{AdID: "a", TrackingEvents: []jsonEvent{at("impression", 0), at("complete", 10)}},
		{AdID: "b", TrackingEvents: []jsonEvent{at("impression", 10), at("complete", 20)}},
	}}
	overlay := jsonAvail{AvailID: "2", StartTimeInSeconds: 30, Duration: "PT10S", DurationInSeconds: 10,
		Ads: []jsonAd{}, NonLinearAdsList: []jsonNonLinearAds{{}}}
	t.Run("all", func(t *testing.T) {
		avails, nl, maxPos := page([]jsonAvail{linear, overlay}, -1, false)
		require.Len(t, avails, 1)
		assert.Len(t, avails[0].Ads, 2)
		require.Len(t, nl, 1, "an overlay-only avail is a nonLinearAvail")
		assert.Equal(t, "PT0S", nl[0].Duration)
		assert.Equal(t, 20*time.Second, maxPos)
	})
	t.Run("after 10 s", func(t *testing.T) {
		avails, nl, _ := page([]jsonAvail{linear, overlay}, 10*time.Second, false)
		require.Len(t, avails, 1)
		require.Len(t, avails[0].Ads, 1, "ad a has nothing after 10 s")
		assert.Equal(t, "b", avails[0].Ads[0].AdID)
		assert.Len(t, avails[0].Ads[0].TrackingEvents, 1)
		assert.Len(t, nl, 1, "the overlay starts after the token")
	})
	t.Run("after everything", func(t *testing.T) {
		avails, nl, maxPos := page([]jsonAvail{linear, overlay}, 40*time.Second, false)
		assert.Empty(t, avails)
		assert.Empty(t, nl)
		assert.NotNil(t, avails, "encoded as [] not null")
		assert.Equal(t, 20*time.Second, maxPos, "the latest position seen, paged or not")
	})
	t.Run("overlays off", func(t *testing.T) {
		avails, nl, _ := page([]jsonAvail{linear, overlay}, -1, true)
		assert.Len(t, avails, 1)
		assert.Empty(t, nl)
	})
}

func TestNextPosition(t *testing.T) {
	ad := func(start, dur string) jsonAd { return jsonAd{StartTime: start, Duration: dur} }
	filling := &avail{ads: []*adSlot{{}, {}}}
	all := []jsonAvail{{Ads: []jsonAd{ad("PT10S", "PT8S")}}}
	assert.Equal(t, 18*time.Second-time.Millisecond,
		nextPosition(18*time.Second, []trackItem{{av: filling, revealed: 1}}, all),
		"stops short of the next ad's start while the break fills")
	assert.Equal(t, 18*time.Second, nextPosition(18*time.Second, []trackItem{{av: filling, revealed: 2}}, all),
		"all ads revealed")
	assert.Equal(t, 18*time.Second, nextPosition(18*time.Second, []trackItem{{av: filling, revealed: -1}}, all), "VOD")
}
