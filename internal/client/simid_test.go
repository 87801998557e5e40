package client

import (
	"encoding/json"
	"testing"

	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/jsonw"
	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAdStartSIMID checks the adstart detail a host's SIMID layer reads.
func TestAdStartSIMID(t *testing.T) {
	const icf = "<InteractiveCreativeFile type=\"text/html\" apiFramework=\"SIMID\" variableDuration=\"true\">\n" +
		"`https://ads.test/simid.html`</InteractiveCreativeFile>"
	cases := []struct {
		name string
		ad   *tracking.Ad
		want any // the decoded "simid" value
	}{
		{"no ad", nil, nil},
		{"no extensions", &tracking.Ad{AdID: "a"}, nil},
		{"icon extension only", &tracking.Ad{Extensions: []tracking.Extension{{Type: "IconClickFallbackImages", Content: "<IconClickFallbackImages/>"}}}, nil},
		{"MRAID interactive file", &tracking.Ad{Extensions: []tracking.Extension{{Type: "InteractiveCreativeFile",
			Content: `<InteractiveCreativeFile apiFramework="MRAID">https://ads.test/m.html</InteractiveCreativeFile>`}}}, nil},
		{"SIMID as AWS shows it", &tracking.Ad{AdParameters: `{"q":1}`, Extensions: []tracking.Extension{{Type: "InteractiveCreativeFile", Content: icf}}},
			map[string]any{"url": "https://ads.test/simid.html", "type": "text/html", "variableDuration": true, "adParameters": `{"q":1}`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, name := range []string{"adstart", "vpaidstart"} {
				a := &engine.Action{Name: name, AvailID: "av", AdID: "ad", Ad: tc.ad}
				var d map[string]any
				require.NoError(t, json.Unmarshal(jsonw.AppendJSON(nil, actionEvent{a}), &d))
				v, ok := d["simid"]
				require.True(t, ok, "%s detail has a simid field: %v", name, d)
				assert.Equal(t, tc.want, v)
				_, hasVPAID := d["vpaid"]
				assert.True(t, hasVPAID, "the vpaid field still follows")
			}
		})
	}
}
