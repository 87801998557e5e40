package lint

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/corpustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/corpus/*.golden from the linter's output")

// corpusFiles returns every tracking example of the corpus, valid or not.
func corpusFiles(t testing.TB) []string {
	dir := corpustest.Dir(t, "mediatailor/json")
	return append(corpustest.Files(t, dir, "*.json"), corpustest.Files(t, dir, "*.published.txt")...)
}

// TestCorpusGolden lints every corpus example and compares the report
// (findings, timeline, schedule) with testdata/corpus/<file>.golden.
func TestCorpusGolden(t *testing.T) {
	for _, f := range corpusFiles(t) {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			var b strings.Builder
			require.NoError(t, Lint(data, Options{}).WriteText(&b, name, true))
			golden := filepath.Join("testdata", "corpus", name+".golden")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(b.String()), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update with AVAILKIT_CORPUS set to create %s", golden)
			assert.Equal(t, string(want), b.String())
		})
	}
}

// corpusFindings spells out, by hand, the findings that matter in key
// corpus files, so a careless -update cannot hide a regression. Each entry
// lists "severity code path" lines that must be present; absent lists
// lines that must not be.
var corpusFindings = map[string]struct{ present, absent []string }{
	// The real capture: breakEnd first, an unfilled PT0S avail, and its
	// number anchor means no live-no-anchor finding.
	"real_bitmovin-android_empty-avail_doubleclick.json": {
		present: []string{"warning break-end-before-start avails[0].adBreakTrackingEvents[0]", "info avail-no-ads avails[0]"},
		absent:  []string{"live-no-anchor", "avails-overlap", "avail-zero-duration"},
	},
	// Published with backticks around URLs: never sent. The repaired copy
	// is clean.
	"doc_overlay-ads-client-side-tracking-metadata_1.json": {
		present: []string{"error beacon-not-http avails[0].adBreakTrackingEvents[0].beaconUrls[0]"},
		absent:  []string{"avail-no-ads"}, // its ads are the overlay in nonLinearAdsList
	},
	"doc_overlay-ads-client-side-tracking-metadata_1.repaired.json": {absent: []string{"beacon-not-http"}},
	// The VPAID example: about:blank impression, a slate (16 s) so no
	// vpaid-no-slate, JavaScript media so no vpaid-media-type.
	"doc_ad-reporting-client-side-ad-tracking-schema-player-controls_7_b.repaired.json": {
		present: []string{"info beacon-about-blank avails[0].ads[0].trackingEvents[0].beaconUrls[0]"},
		absent:  []string{"vpaid-no-slate", "vpaid-media-type"},
	},
	// M1: all quartiles present and where they belong, InSeconds truncated.
	"doc_ad-reporting-client-side-beaconing_1.json": {
		absent: []string{"quartiles", "quartile-time", "seconds-mismatch", "event-"},
	},
	// nextTokens of the real service are URL-encoded base64.
	"doc_ad-id-client-side-tracking-api_1.json": {absent: []string{"next-token-not-base64"}},
}

func TestCorpusFindings(t *testing.T) {
	dir := corpustest.Dir(t, "mediatailor/json")
	for name, want := range corpusFindings {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			require.NoError(t, err)
			r := Lint(data, Options{})
			require.Nil(t, r.Error)
			got := codes(r)
			for _, p := range want.present {
				assert.Contains(t, got, p)
			}
			for _, a := range want.absent {
				for _, g := range got {
					assert.NotContains(t, g, a)
				}
			}
		})
	}
	t.Run("real capture schedule fires breakStart first", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(dir, "real_bitmovin-android_empty-avail_doubleclick.json"))
		require.NoError(t, err)
		r := Lint(data, Options{})
		require.Len(t, r.Schedule, 2)
		assert.Equal(t, []string{"breakStart", "breakEnd"}, []string{r.Schedule[0].EventType, r.Schedule[1].EventType})
		assert.True(t, r.Schedule[0].Sent)
	})
}

// TestMacroCatalogue checks the built-in IAB macro list against the
// catalogue in the corpus (macros-data.json).
func TestMacroCatalogue(t *testing.T) {
	dir := corpustest.Dir(t, "vast/iab_vast_schemas")
	data, err := os.ReadFile(filepath.Join(dir, "macros-data.json"))
	require.NoError(t, err)
	var cat struct {
		Macros []struct{ Name string } `json:"macros"`
	}
	require.NoError(t, json.Unmarshal(data, &cat))
	var names []string
	for _, m := range cat.Macros {
		names = append(names, m.Name)
	}
	var ours []string
	for n := range iabMacros {
		ours = append(ours, n)
	}
	slices.Sort(names)
	slices.Sort(ours)
	assert.Equal(t, names, ours)
}

// BenchmarkLintCorpus lints every valid corpus example; the budget is
// 50 ms per document (the command prints its own timing).
func BenchmarkLintCorpus(b *testing.B) {
	var docs [][]byte
	for _, f := range corpusFiles(b) {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, data)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, d := range docs {
			Lint(d, Options{})
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(docs))/1e6, "ms/doc")
}

// FuzzLint checks that no document, decodable or not, makes the linter
// panic, and that every finding names a known code.
func FuzzLint(f *testing.F) {
	if root, _ := corpustest.Root(); root != "" {
		files, _ := filepath.Glob(filepath.Join(root, "mediatailor/json/*"))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	if data, err := json.Marshal(clean()); err == nil {
		f.Add(data)
	}
	known := map[string]bool{}
	for _, c := range Codes {
		known[c.Code] = true
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := Lint(data, Options{})
		for _, fd := range r.Findings {
			if !known[fd.Code] {
				t.Fatalf("unknown code %q", fd.Code)
			}
		}
	})
}
