package client

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCompanionsFromVAST: a unit's CompanionAds come out in the adstart
// companions shape the renderer reads.
func TestCompanionsFromVAST(t *testing.T) {
	tests := []struct {
		name, xml string
		want      []map[string]any
	}{
		{
			name: "one static companion with its creativeView",
			xml: `<CompanionAds><Companion width="300" height="250" adSlotID="side"><StaticResource creativeType="image/png">https://ads.test/c.png</StaticResource>` +
				`<TrackingEvents><Tracking event="creativeView">https://b.test/v</Tracking></TrackingEvents></Companion></CompanionAds>`,
			want: []map[string]any{{
				"staticResource": "https://ads.test/c.png",
				"attributes":     map[string]any{"width": "300", "height": "250", "adSlotId": "side"},
				"trackingEvents": []any{map[string]any{"eventType": "creativeView", "beaconUrls": []any{"https://b.test/v"}}},
			}},
		},
		{name: "nothing", xml: "", want: []map[string]any{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []map[string]any
			require.NoError(t, json.Unmarshal([]byte(CompanionsFromVAST(tt.xml)), &got))
			require.Len(t, got, len(tt.want))
			for i, w := range tt.want {
				assert.Equal(t, w["staticResource"], got[i]["staticResource"])
				assert.Equal(t, w["trackingEvents"], got[i]["trackingEvents"])
				attrs := got[i]["attributes"].(map[string]any)
				for k, v := range w["attributes"].(map[string]any) {
					assert.Equal(t, v, attrs[k], k)
				}
			}
		})
	}
}
