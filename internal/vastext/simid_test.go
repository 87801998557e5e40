package vastext_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/corpustest"
	"github.com/availkit/availkit/internal/tracking"
	"github.com/availkit/availkit/internal/vastext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// awsContent is the extension content of AWS's SIMID example (player
// controls page), as its published JSON prints it.
const awsContent = "<InteractiveCreativeFile type=\"text/html\" apiFramework=\"SIMID\" variableDuration=\"true\">\n" +
	"`https://interactive-ads.com/interactive-media-ad-sample/sample_simid.html`</InteractiveCreativeFile>"

func TestParseSIMID(t *testing.T) {
	const u = "https://ads.example/simid.html"
	cases := []struct {
		name    string
		content string
		want    vastext.SIMID
		ok      bool
	}{
		{"AWS published example (backquoted URL)", awsContent,
			vastext.SIMID{URL: "https://interactive-ads.com/interactive-media-ad-sample/sample_simid.html", Type: "text/html", VariableDuration: true}, true},
		{"CDATA body", `<InteractiveCreativeFile type="text/html" apiFramework="SIMID"><![CDATA[ ` + u + ` ]]></InteractiveCreativeFile>`,
			vastext.SIMID{URL: u, Type: "text/html"}, true},
		{"entities in body and attributes", `<InteractiveCreativeFile type='text/html' apiFramework='SIMID' variableDuration='1'>https://a.example/s.html?x=1&amp;y=2</InteractiveCreativeFile>`,
			vastext.SIMID{URL: "https://a.example/s.html?x=1&y=2", Type: "text/html", VariableDuration: true}, true},
		{"numeric references", `<InteractiveCreativeFile apiFramework="&#83;IMID">https://a.example/&#x73;.html</InteractiveCreativeFile>`,
			vastext.SIMID{URL: "https://a.example/s.html"}, true},
		{"apiFramework case-insensitive, variableDuration false", `<InteractiveCreativeFile apiFramework="simid" variableDuration="false">` + u + `</InteractiveCreativeFile>`,
			vastext.SIMID{URL: u}, true},
		{"quoted > in an attribute", `<InteractiveCreativeFile data-x="a>b" apiFramework="SIMID">` + u + `</InteractiveCreativeFile>`,
			vastext.SIMID{URL: u}, true},
		{"second element is the SIMID one", `<InteractiveCreativeFile apiFramework="MRAID">https://m.example/</InteractiveCreativeFile>` +
			`<InteractiveCreativeFile apiFramework="SIMID">` + u + `</InteractiveCreativeFile>`, vastext.SIMID{URL: u}, true},
		{"inside a wrapper element", `<Extension type="InteractiveCreativeFile"><InteractiveCreativeFile apiFramework="SIMID">` + u + `</InteractiveCreativeFile></Extension>`,
			vastext.SIMID{URL: u}, true},
		{"other framework", `<InteractiveCreativeFile apiFramework="VPAID">` + u + `</InteractiveCreativeFile>`, vastext.SIMID{}, false},
		{"no apiFramework", `<InteractiveCreativeFile type="text/html">` + u + `</InteractiveCreativeFile>`, vastext.SIMID{}, false},
		{"javascript: URL", `<InteractiveCreativeFile apiFramework="SIMID">javascript:alert(1)</InteractiveCreativeFile>`, vastext.SIMID{}, false},
		{"relative URL", `<InteractiveCreativeFile apiFramework="SIMID">/simid.html</InteractiveCreativeFile>`, vastext.SIMID{}, false},
		{"URL with a space", `<InteractiveCreativeFile apiFramework="SIMID">https://a.example/a b</InteractiveCreativeFile>`, vastext.SIMID{}, false},
		{"self-closing", `<InteractiveCreativeFile apiFramework="SIMID"/>`, vastext.SIMID{}, false},
		{"unterminated tag", `<InteractiveCreativeFile apiFramework="SIMID"`, vastext.SIMID{}, false},
		{"a longer element name", `<InteractiveCreativeFileX apiFramework="SIMID">` + u + `</InteractiveCreativeFileX>`, vastext.SIMID{}, false},
		{"empty", ``, vastext.SIMID{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := vastext.ParseSIMID(tc.content)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestFindSIMID(t *testing.T) {
	simid := `<InteractiveCreativeFile apiFramework="SIMID">https://a.example/s.html</InteractiveCreativeFile>`
	cases := []struct {
		name string
		exts []tracking.Extension
		url  string
	}{
		{"none", nil, ""},
		{"other extensions only", []tracking.Extension{{Type: "availkit", Content: "<Scenario>x</Scenario>"}}, ""},
		{"typed extension", []tracking.Extension{{Type: "availkit"}, {Type: vastext.InteractiveCreativeFile, Content: simid}}, "https://a.example/s.html"},
		{"untyped extension holding the element", []tracking.Extension{{Type: "x", Content: simid}}, "https://a.example/s.html"},
		{"typed extension that is not SIMID", []tracking.Extension{{Type: vastext.InteractiveCreativeFile, Content: "https://a.example/"}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := vastext.FindSIMID(tc.exts)
			assert.Equal(t, tc.url != "", ok)
			assert.Equal(t, tc.url, s.URL)
		})
	}
}

// TestCorpusSIMID decodes the AWS player-controls examples and checks that
// the SIMID one (and only it) yields a creative.
func TestCorpusSIMID(t *testing.T) {
	dir := corpustest.Dir(t, "mediatailor/json")
	files := corpustest.Files(t, dir, "doc_ad-reporting-client-side-ad-tracking-schema-player-controls_*.json")
	require.NotEmpty(t, files)
	found := 0
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			r, err := tracking.Decode(data)
			require.NoError(t, err)
			for _, av := range r.Avails {
				for _, ad := range av.Ads {
					s, ok := vastext.FindSIMID(ad.Extensions)
					hasICF := false
					for _, e := range ad.Extensions {
						hasICF = hasICF || e.Type == vastext.InteractiveCreativeFile
					}
					require.Equal(t, hasICF, ok, "ad %s: extensions %v", ad.AdID, ad.Extensions)
					if !ok {
						continue
					}
					found++
					assert.Equal(t, "https://interactive-ads.com/interactive-media-ad-sample/sample_simid.html", s.URL)
					assert.Equal(t, "text/html", s.Type)
					assert.True(t, s.VariableDuration)
					assert.True(t, strings.HasPrefix(ad.AdTitle, "Linear SIMID"), ad.AdTitle)
				}
			}
		})
	}
	// player-controls_6.json and its .repaired twin.
	assert.GreaterOrEqual(t, found, 2)
}

// FuzzParseSIMID: any content either yields nothing or an http(s) URL with
// no white space, and never panics.
func FuzzParseSIMID(f *testing.F) {
	f.Add(awsContent)
	f.Add(`<InteractiveCreativeFile apiFramework="SIMID"><![CDATA[https://a.example/]]></InteractiveCreativeFile>`)
	f.Add(`<InteractiveCreativeFile apiFramework='SIMID' x>&#x68;ttps://a.example/&amp;</InteractiveCreativeFile>`)
	f.Add(`<InteractiveCreativeFile apiFramework="SIMID" a="&#99999999;">`)
	f.Fuzz(func(t *testing.T, content string) {
		s, ok := vastext.ParseSIMID(content)
		if !ok {
			assert.Equal(t, vastext.SIMID{}, s)
			return
		}
		assert.True(t, strings.HasPrefix(strings.ToLower(s.URL), "http://") || strings.HasPrefix(strings.ToLower(s.URL), "https://"), s.URL)
		assert.False(t, strings.ContainsAny(s.URL, " \t\r\n`"), s.URL)
	})
}
