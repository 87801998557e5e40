package emulator

import (
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/emulator/vast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSIMIDExtension checks that a SIMID creative reaches the tracking JSON
// the way AWS's player-controls page shows it, from both VAST forms: the
// VAST 4 <InteractiveCreativeFile> under <MediaFiles> and the VAST 3
// <Extension type="InteractiveCreativeFile">.
func TestSIMIDExtension(t *testing.T) {
	for _, version := range []string{"4.2", "3.0"} {
		t.Run("VAST "+version, func(t *testing.T) {
			h := newHarness(t, func(c *Config) {
				p := c.PlaybackConfigurations[0]
				p.AdDecisionServerURL += "&version=[player_params.version]"
			})
			for scenario, file := range map[string]string{"simid": "simid-good.html", "simid-flood": "simid-flood.html"} {
				tr, _ := h.vodReport(map[string]string{"scenario": scenario, "version": version})
				require.NotEmpty(t, tr.Avails)
				require.Len(t, tr.Avails[0].Ads, 1)
				ad := tr.Avails[0].Ads[0]
				var icf []jsonExtension
				for _, e := range ad.Extensions {
					if e.Type == "InteractiveCreativeFile" {
						icf = append(icf, e)
					}
				}
				require.Len(t, icf, 1, "%s: extensions %+v", scenario, ad.Extensions)
				u := h.ts.URL + "/creatives/" + file
				assert.Equal(t, "<InteractiveCreativeFile type=\"text/html\" apiFramework=\"SIMID\">\n"+u+"</InteractiveCreativeFile>", icf[0].Content)
				// The stitched ad is an ordinary video ad: no media files listed.
				assert.Empty(t, ad.MediaFiles.MediaFilesList)
				assert.Contains(t, ad.AdParameters, `"trackingUrl"`)
				assert.True(t, strings.HasPrefix(ad.AdTitle, "SIMID "), ad.AdTitle)
			}
		})
	}
}

// TestInteractiveJSON pins the rendering of the attributes MediaTailor
// keeps, including variableDuration and escaping.
func TestInteractiveJSON(t *testing.T) {
	cases := []struct {
		name string
		ext  []byte
		want string
	}{
		{"VAST 3 extension with white space", []byte(`<InteractiveCreativeFile type="text/html" apiFramework="SIMID" variableDuration="true">
            https://a.test/s.html?x=1&amp;y=2
          </InteractiveCreativeFile>`),
			"<InteractiveCreativeFile type=\"text/html\" apiFramework=\"SIMID\" variableDuration=\"true\">\nhttps://a.test/s.html?x=1&amp;y=2</InteractiveCreativeFile>"},
		{"not XML: passed through trimmed", []byte(` <InteractiveCreativeFile `), "<InteractiveCreativeFile"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			j := extensionJSON(vast.Extension{Type: "InteractiveCreativeFile", Inner: string(tc.ext)})
			assert.Equal(t, tc.want, j.Content)
			assert.Equal(t, "InteractiveCreativeFile", j.Type)
		})
	}
}
