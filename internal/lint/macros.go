package lint

import (
	"strings"

	"github.com/availkit/availkit/internal/beacon"
)

// iabMacros are the macro names of the IAB VAST 4.x macro catalogue
// (macros-data.json of github.com/InteractiveAdvertisingBureau/vast); the
// conformance test checks this list against the catalogue in the corpus.
var iabMacros = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`TIMESTAMP CACHEBUSTING CONTENTPLAYHEAD MEDIAPLAYHEAD
		BREAKPOSITION BLOCKEDADCATEGORIES ADCATEGORIES ADCOUNT TRANSACTIONID PLACEMENTTYPE
		ADTYPE UNIVERSALADID BREAKMAXDURATION BREAKMAXADS BREAKMINADLENGTH BREAKMAXADLENGTH
		IFA IFATYPE CLIENTUA SERVERUA DEVICEUA SERVERSIDE DEVICEIP LATLONG DOMAIN PAGEURL
		APPBUNDLE VASTVERSIONS APIFRAMEWORKS EXTENSIONS VERIFICATIONVENDORS OMIDPARTNER
		MEDIAMIME PLAYERCAPABILITIES CLICKTYPE PLAYERSTATE INVENTORYSTATE PLAYERSIZE
		ADPLAYHEAD ASSETURI CONTENTID CONTENTURI PODSEQUENCE ADSERVINGID CLICKPOS ERRORCODE
		REASON LIMITADTRACKING REGULATIONS GDPRCONSENT STOREID STOREURL PLAYBACKMETHODS
		CONTENTCAT GPPSTRING GPPSECTIONID DSAREQUIRED DSAPARAMS DSAPUBRENDER`) {
		iabMacros[n] = true
	}
}

// expands reports whether the plugin's beacon expander substitutes macro
// name: asking the expander itself keeps the two from drifting apart.
func expands(name string) bool {
	raw := "[" + name + "]"
	return beacon.Expand(raw, beacon.MacroContext{}) != raw
}

// macros reports the [NAME] and %%NAME%% macros of u that will go out as
// written: not in the IAB catalogue, or in it but not expanded by the plugin.
func (c *checker) macros(p, u string) {
	seen := map[string]bool{}
	for i := 0; i < len(u); i++ {
		var name string
		switch {
		case u[i] == '[':
			j := strings.IndexByte(u[i+1:], ']')
			if j < 0 {
				return
			}
			name = u[i+1 : i+1+j]
		case u[i] == '%' && strings.HasPrefix(u[i:], "%%"):
			j := strings.Index(u[i+2:], "%%")
			if j < 0 {
				return
			}
			name = u[i+2 : i+2+j]
		default:
			continue
		}
		if !macroLike(name) || seen[name] {
			continue
		}
		seen[name] = true
		// Every IAB macro expands (to its value, -1 or -2: beacon.Catalogue);
		// only an ad server's own go out as written.
		if !iabMacros[name] || !expands(name) {
			c.add(Warning, "macro-unknown", p, "["+name+"] is not an IAB VAST macro: it is sent as written")
		}
	}
}

// macroLike tells a macro name from other bracketed text (IPv6 hosts,
// array query keys "a[]"): letters, digits and underscores, a letter first.
func macroLike(s string) bool {
	if s == "" || len(s) > 40 || !(s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
