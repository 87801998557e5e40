package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLintJSON checks what the Inspect panel receives: a decode error with
// its JSON path, or findings with severities and their meanings, the
// timeline and the schedule.
func TestLintJSON(t *testing.T) {
	tests := []struct {
		name, doc, live string
		check           func(t *testing.T, r map[string]any)
	}{
		{"decode error", `{"avails":[{"ads":[{"adId":"1","trackingEvents":{"x":1}}]}]}`, "", func(t *testing.T, r map[string]any) {
			e := r["error"].(map[string]any)
			assert.Equal(t, "avails[0].ads[0].trackingEvents", e["path"])
			assert.Contains(t, e["message"], "array")
			assert.Equal(t, 1.0, e["line"])
		}},
		{"unfilled avail, breakEnd first", `{"avails":[{"availId":"0","startTime":"PT0S","duration":"PT0S","ads":[],
			"adBreakTrackingEvents":[{"eventType":"breakEnd","beaconUrls":["https://a.example/e"]},{"eventType":"breakStart","beaconUrls":["https://a.example/s"]}]}],
			"hlsAnchorMediaSequenceNumber":0}`, "vod", func(t *testing.T, r map[string]any) {
			assert.Nil(t, r["error"])
			codes := map[string]string{}
			for _, f := range r["findings"].([]any) {
				m := f.(map[string]any)
				codes[m["code"].(string)] = m["severity"].(string)
			}
			assert.Equal(t, map[string]string{"break-end-before-start": "warning", "avail-no-ads": "info"}, codes)
			assert.Contains(t, r["codes"].(map[string]any)["avail-no-ads"], "unfilled")
			require.Len(t, r["timeline"], 1)
			var types []string
			for _, b := range r["schedule"].([]any) {
				types = append(types, b.(map[string]any)["eventType"].(string))
			}
			assert.Equal(t, []string{"breakStart", "breakEnd"}, types, "fired in time order whatever the list order")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r map[string]any
			require.NoError(t, json.Unmarshal([]byte(lintJSON([]byte(tc.doc), tc.live)), &r))
			tc.check(t, r)
		})
	}
}
