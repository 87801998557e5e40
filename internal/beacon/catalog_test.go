package beacon

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/corpustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCatalogueCoversIAB reads the IAB macro catalogue of the corpus and
// expands every macro in both spellings with a full context and with an
// empty one: none may go out raw, and each gives a value, -1 or -2.
func TestCatalogueCoversIAB(t *testing.T) {
	dir := corpustest.Dir(t, "vast/iab_vast_schemas")
	data, err := os.ReadFile(filepath.Join(dir, "macros-data.json"))
	require.NoError(t, err)
	var cat struct {
		Macros []struct{ Name string } `json:"macros"`
	}
	require.NoError(t, json.Unmarshal(data, &cat))
	require.NotEmpty(t, cat.Macros)
	withheld := NewEnv()
	for _, c := range Catalogue {
		withheld.Withhold(c.Name)
	}
	contexts := []struct {
		name string
		c    MacroContext
	}{
		{"full", fullContext()},
		{"empty", MacroContext{AdPlayhead: -1, MediaPlayhead: -1, ContentPlayhead: -1}},
		{"withheld", MacroContext{Env: withheld}},
	}
	for _, m := range cat.Macros {
		t.Run(m.Name, func(t *testing.T) {
			assert.True(t, Catalogued(m.Name), "missing from Catalogue")
			for _, cx := range contexts {
				for _, raw := range []string{"x=[" + m.Name + "]", "x=%%" + m.Name + "%%"} {
					out := Expand(raw, cx.c)
					assert.NotContains(t, out, m.Name, "%s: %s sent raw", cx.name, raw)
					// An empty flag list is a known state (neither muted nor
					// fullscreen); any other macro needs a value.
					if !strings.HasSuffix(m.Name, "STATE") {
						assert.NotEqual(t, "x=", out, "%s: %s expanded to nothing", cx.name, raw)
					}
					if cx.name == "withheld" {
						assert.Equal(t, "x=-2", out)
					}
					if cx.name == "empty" && !strings.Contains("CACHEBUSTING SERVERSIDE PLAYERSTATE INVENTORYSTATE", m.Name) {
						assert.Equal(t, "x=-1", out, "unknown value")
					}
				}
			}
		})
	}
	assert.Len(t, Catalogue, len(cat.Macros), "Catalogue lists a macro the IAB catalogue does not")
}
