package emulator

import (
	"io/fs"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/emulator/vast"
	"github.com/availkit/availkit/media"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestScenarioCreativesExist generates every scenario's VAST (first and
// later avails, VAST 4 and 3) and checks that each /creatives/ URL in it
// names a file of the embedded creatives directory and each /media/ URL a
// bundled media file: a renamed creative
// would otherwise only show up as a 404 in a browser test.
func TestScenarioCreativesExist(t *testing.T) {
	sub, err := fs.Sub(creativesFS, "creatives")
	require.NoError(t, err)
	const base = "http://emu.test"
	urlRe := regexp.MustCompile(`https?://[^\s"<>\]]+`)
	names := make([]string, 0, len(vast.Scenarios))
	for n := range vast.Scenarios {
		names = append(names, n)
	}
	names = append(names, "vpaid-throws-init") // documented alias
	sort.Strings(names)
	vpaidSeen := map[string]bool{}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			for _, avail := range []int{1, 2} {
				for _, version := range []string{"", "3.0"} {
					doc, err := vast.Generate(vast.Request{Scenario: name, Base: base, Session: "s1", AvailIndex: avail,
						Creatives: []vast.Media{{ID: "ad-b", Duration: 6e9}, {ID: "ad-a", Duration: 10e9}}, Version: version})
					require.NoError(t, err)
					for _, raw := range urlRe.FindAllString(string(doc), -1) {
						u, err := url.Parse(raw)
						require.NoError(t, err, raw)
						if file, ok := strings.CutPrefix(u.Path, "/media/"); ok && !strings.HasSuffix(file, "/mezzanine.mp4") {
							// Mezzanine URLs name the source MediaTailor
							// would transcode; everything else a player or
							// the QA inspector may fetch.
							_, err = fs.Stat(media.FS, file)
							assert.NoError(t, err, "scenario %s avail %d emits %s", name, avail, raw)
						}
						file, ok := strings.CutPrefix(u.Path, "/creatives/")
						if !ok {
							continue
						}
						_, err = fs.Stat(sub, file)
						assert.NoError(t, err, "scenario %s avail %d emits %s", name, avail, raw)
						if strings.HasPrefix(name, "vpaid") {
							vpaidSeen[name] = true
						}
					}
				}
			}
		})
	}
	for _, name := range names {
		if strings.HasPrefix(name, "vpaid") {
			assert.True(t, vpaidSeen[name], "scenario %s references no creative", name)
		}
	}
}
