package vast

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/corpustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// features are per-file element counts of the IAB samples, as the corpus's
// FEATURES.tsv lists them (written by the corpus's own script, not by this
// parser), keyed by column name.
type features map[string]int

func readFeatures(t *testing.T, dir string) map[string]features {
	f, err := os.Open(filepath.Join(dir, "FEATURES.tsv"))
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	require.True(t, sc.Scan())
	head := strings.Split(sc.Text(), "\t")
	out := map[string]features{}
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		ft := features{}
		for i := 2; i < len(cols) && i < len(head); i++ {
			if n, err := strconv.Atoi(cols[i]); err == nil {
				ft[head[i]] = n
			}
		}
		out[cols[0]] = ft
	}
	require.NoError(t, sc.Err())
	return out
}

// count computes the FEATURES.tsv columns from a parsed document.
func count(v *VAST) features {
	ft := features{"ads": len(v.Ads)}
	vpaid := false // FEATURES.tsv's VPAID is a flag: apiFramework="VPAID" anywhere
	defer func() {
		if vpaid {
			ft["VPAID"] = 1
		}
	}()
	for _, a := range v.Ads {
		var crs []Creative
		if a.InLine != nil {
			ft["InLine"]++
			crs = a.InLine.Creatives
			if len(a.InLine.AdVerifications) > 0 {
				ft["AdVerifications"]++
			}
		}
		if a.Wrapper != nil {
			ft["Wrapper"]++
			crs = a.Wrapper.Creatives
		}
		for _, c := range crs {
			if l := c.Linear; l != nil {
				ft["Linear"]++
				if l.Mezzanine != "" {
					ft["Mezzanine"]++
				}
				ft["InteractiveCreativeFile"] += len(l.InteractiveCreativeFiles)
				ft["Icon"] += len(l.Icons)
				if l.SkipOffset != "" {
					ft["skipoffset"]++
				}
				for _, m := range l.MediaFiles {
					vpaid = vpaid || strings.EqualFold(m.APIFramework, "VPAID")
				}
			}
			if c.NonLinearAds != nil {
				ft["NonLinear"] += len(c.NonLinearAds.NonLinears)
				for _, n := range c.NonLinearAds.NonLinears {
					vpaid = vpaid || strings.EqualFold(n.APIFramework, "VPAID")
				}
			}
			if c.CompanionAds != nil {
				ft["Companion"] += len(c.CompanionAds.Companions)
				for _, cp := range c.CompanionAds.Companions {
					vpaid = vpaid || strings.EqualFold(cp.APIFramework, "VPAID")
				}
			}
		}
	}
	return ft
}

// checkedColumns are the FEATURES.tsv columns the model covers.
var checkedColumns = []string{"ads", "Wrapper", "InLine", "Linear", "NonLinear", "Companion", "AdVerifications",
	"Mezzanine", "InteractiveCreativeFile", "Icon", "VPAID", "skipoffset"}

// columnExceptions explains where the model's count differs from
// FEATURES.tsv on purpose.
var columnExceptions = map[string]map[string]int{
	// The verification sits in an <Extension type="AdVerifications">, VAST
	// 3 style, which MediaTailor passes on as a raw extension; the model
	// reads only the VAST 4.1 <AdVerifications> element.
	"VAST_1-2.0_Samples/Inline_NonLinear_Verification_VAST2.0.xml": {"AdVerifications": 0},
	// An empty <AdVerifications></AdVerifications>: nothing to verify.
	"VAST_4.0_Samples/Inline_Simple.xml": {"AdVerifications": 0},
	"VAST_4.1_Samples/Inline_Simple.xml": {"AdVerifications": 0},
	"VAST_4.2_Samples/Inline_Simple.xml": {"AdVerifications": 0},
	// apiFramework="VPAID" on <Creative>, an attribute VAST does not define
	// there; the media files are plain video.
	"VAST_4.0_Samples/SSAI_stitching_mezzanine_file_support-test.xml": {"VPAID": 0},
	"VAST_4.1_Samples/SSAI_stitching_mezzanine_file_support-test.xml": {"VPAID": 0},
}

// readValidity reads XSD_VALIDATION.tsv: file (relative to the samples
// folder) → whether it validates against its version's XSD.
func readValidity(t *testing.T, dir string) map[string]bool {
	data, err := os.ReadFile(filepath.Join(dir, "XSD_VALIDATION.tsv"))
	require.NoError(t, err)
	out := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n")[1:] {
		cols := strings.Split(line, "\t")
		out[strings.TrimPrefix(cols[1], "iab_vast_samples/")] = cols[0] == "VALID"
	}
	return out
}

// TestIABSamples parses all IAB VAST samples: VAST 1 documents are refused
// with error 102, every other one parses with the element counts of
// FEATURES.tsv, every URL trimmed of the whitespace around its CDATA. An
// ad is usable exactly when its file validates against the IAB XSD
// (XSD_VALIDATION.tsv): the two invalid VAST 2 files lack <Impression>.
func TestIABSamples(t *testing.T) {
	dir := corpustest.Dir(t, "vast/iab_vast_samples")
	feats := readFeatures(t, dir)
	valid := readValidity(t, dir)
	require.Len(t, feats, 75, "FEATURES.tsv lists the 75 samples")
	for rel, want := range feats {
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, rel))
			require.NoError(t, err)
			v, err := Parse(data)
			if strings.Contains(string(data), "<VideoAdServingTemplate") {
				require.Error(t, err)
				assert.Equal(t, CodeVersion, Code(err), "VAST 1 is not supported: %v", err)
				return
			}
			require.NoError(t, err)
			got := count(v)
			for _, col := range checkedColumns {
				w := want[col]
				if ex, ok := columnExceptions[rel][col]; ok {
					w = ex
				}
				assert.Equal(t, w, got[col], "%s", col)
			}
			for _, u := range urls(v) {
				assert.Equal(t, strings.TrimSpace(u), u, "URL not trimmed")
				assert.NotEmpty(t, u)
			}
			var invalid error
			for _, a := range v.Ads {
				if err := a.validate(); err != nil && invalid == nil {
					invalid = err
				}
			}
			if valid[rel] {
				assert.NoError(t, invalid, "the sample validates against the XSD")
			} else {
				require.Error(t, invalid, "the sample fails the XSD")
				assert.Equal(t, CodeSchema, Code(invalid))
			}
		})
	}
}

// urls lists every URL-valued field of v that is set.
func urls(v *VAST) []string {
	var out []string
	add := func(s ...string) {
		for _, u := range s {
			if u != "" {
				out = append(out, u)
			}
		}
	}
	for _, a := range v.Ads {
		var crs []Creative
		if in := a.InLine; in != nil {
			add(in.Impressions...)
			add(in.Errors...)
			crs = in.Creatives
		}
		if w := a.Wrapper; w != nil {
			add(w.VASTAdTagURI)
			add(w.Impressions...)
			add(w.Errors...)
			crs = w.Creatives
		}
		for _, c := range crs {
			if l := c.Linear; l != nil {
				for _, tr := range l.TrackingEvents {
					add(tr.URL)
				}
				for _, m := range l.MediaFiles {
					add(m.URL)
				}
				if l.VideoClicks != nil {
					add(l.VideoClicks.ClickThrough)
					add(l.VideoClicks.ClickTracking...)
				}
				add(l.Mezzanine)
				for _, f := range l.InteractiveCreativeFiles {
					add(f.URL)
				}
			}
			if c.CompanionAds != nil {
				for _, cp := range c.CompanionAds.Companions {
					if cp.StaticResource != nil {
						add(cp.StaticResource.URL)
					}
					add(cp.CompanionClickThrough)
					add(cp.CompanionClickTracking...)
					for _, tr := range cp.TrackingEvents {
						add(tr.URL)
					}
				}
			}
		}
	}
	return out
}
