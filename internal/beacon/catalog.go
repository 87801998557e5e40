package beacon

// Catalogue lists every macro of the IAB VAST 4.x macro catalogue
// (vast4macros macros-data.json) with where the player's value comes from.
// A catalogued macro is never sent raw: it expands to its value, to -1 when
// the player does not know it, or to -2 when the host withholds it (VAST 4.1
// §6). A name outside the catalogue is an ad server's own and is left as it
// is, as the specification asks ("do not replace all unknown macros").
var Catalogue = [...]struct{ Name, Source string }{
	{"TIMESTAMP", "clock"},
	{"CACHEBUSTING", "random"},
	{"CONTENTPLAYHEAD", "playhead (content time)"},
	{"MEDIAPLAYHEAD", "playhead (content time)"},
	{"BREAKPOSITION", "tracking"},
	{"BLOCKEDADCATEGORIES", "host"},
	{"ADCATEGORIES", "host"},
	{"ADCOUNT", "tracking"},
	{"TRANSACTIONID", "host"},
	{"PLACEMENTTYPE", "player"},
	{"ADTYPE", "player"},
	{"UNIVERSALADID", "host"},
	{"BREAKMAXDURATION", "tracking"},
	{"BREAKMAXADS", "host"},
	{"BREAKMINADLENGTH", "host"},
	{"BREAKMAXADLENGTH", "host"},
	{"IFA", "host (withheld under limitAdTracking)"},
	{"IFATYPE", "host (withheld under limitAdTracking)"},
	{"CLIENTUA", "player"},
	{"SERVERUA", "host"},
	{"DEVICEUA", "page"},
	{"SERVERSIDE", "player"},
	{"DEVICEIP", "host (withheld under limitAdTracking)"},
	{"LATLONG", "host (withheld under limitAdTracking)"},
	{"DOMAIN", "page"},
	{"PAGEURL", "page"},
	{"APPBUNDLE", "host"},
	{"VASTVERSIONS", "host"},
	{"APIFRAMEWORKS", "player"},
	{"EXTENSIONS", "host"},
	{"VERIFICATIONVENDORS", "host"},
	{"OMIDPARTNER", "host"},
	{"MEDIAMIME", "host"},
	{"PLAYERCAPABILITIES", "player"},
	{"CLICKTYPE", "player"},
	{"PLAYERSTATE", "player"},
	{"INVENTORYSTATE", "player"},
	{"PLAYERSIZE", "player"},
	{"ADPLAYHEAD", "playhead"},
	{"ASSETURI", "tracking"},
	{"CONTENTID", "host"},
	{"CONTENTURI", "host"},
	{"PODSEQUENCE", "tracking"},
	{"ADSERVINGID", "host"},
	{"CLICKPOS", "click"},
	{"ERRORCODE", "error"},
	{"REASON", "verification"},
	{"LIMITADTRACKING", "host"},
	{"REGULATIONS", "host"},
	{"GDPRCONSENT", "host"},
	{"STOREID", "host"},
	{"STOREURL", "host"},
	{"PLAYBACKMETHODS", "host"},
	{"CONTENTCAT", "host"},
	{"GPPSTRING", "host"},
	{"GPPSECTIONID", "host"},
	{"DSAREQUIRED", "host"},
	{"DSAPARAMS", "host"},
	{"DSAPUBRENDER", "host"},
}

var catalogued = func() map[string]bool {
	m := make(map[string]bool, len(Catalogue))
	for _, c := range Catalogue {
		m[c.Name] = true
	}
	return m
}()

// Catalogued reports whether name (without brackets) is in Catalogue.
func Catalogued(name string) bool { return catalogued[name] }

// deviceIDs are withheld (-2) when the viewer limits ad tracking or COPPA
// applies: they identify the device or where it is.
var deviceIDs = [...]string{"IFA", "IFATYPE", "DEVICEIP", "LATLONG"}

// Env holds the macro values that stay the same for a whole session (the
// page, the device, consent, what the player supports), each
// percent-encoded once, and the macros the host withholds. A nil *Env has
// no values. Build it before the first beacon; it is read-only afterwards.
type Env struct {
	vals     map[string]string
	withheld map[string]bool
}

// NewEnv returns an empty Env.
func NewEnv() *Env { return &Env{vals: map[string]string{}, withheld: map[string]bool{}} }

// Set gives the catalogued macro name its value; several values make a list
// (joined by unencoded commas). Empty values are dropped, and a name with no
// value left stays unknown (-1). Names outside the catalogue are ignored, so
// a host cannot make the player rewrite an ad server's own macro.
func (e *Env) Set(name string, values ...string) {
	if !catalogued[name] {
		return
	}
	var b []byte
	for _, v := range values {
		if v == "" {
			continue
		}
		if len(b) > 0 {
			b = append(b, ',')
		}
		b = appendEscaped(b, v)
	}
	if len(b) == 0 {
		delete(e.vals, name)
		return
	}
	e.vals[name] = string(b)
}

// Has reports whether name has a value.
func (e *Env) Has(name string) bool {
	if e == nil {
		return false
	}
	_, ok := e.vals[name]
	return ok
}

// Withhold makes the catalogued macro name expand to -2 whatever its value.
func (e *Env) Withhold(name string) {
	if catalogued[name] {
		e.withheld[name] = true
	}
}

// LimitAdTracking sets [LIMITADTRACKING] and, when on, withholds the
// device identifiers (IFA, IFATYPE, DEVICEIP, LATLONG).
func (e *Env) LimitAdTracking(on bool) {
	if !on {
		e.vals["LIMITADTRACKING"] = "0"
		return
	}
	e.vals["LIMITADTRACKING"] = "1"
	e.withholdDevice()
}

// Regulations sets [REGULATIONS]; under "coppa" the device identifiers are
// withheld as under LimitAdTracking.
func (e *Env) Regulations(list ...string) {
	e.Set("REGULATIONS", list...)
	for _, r := range list {
		if r == "coppa" {
			e.withholdDevice()
		}
	}
}

func (e *Env) withholdDevice() {
	for _, n := range deviceIDs {
		e.withheld[n] = true
	}
}

// lookup returns the encoded value of name.
func (e *Env) lookup(name string) (string, bool) {
	if e == nil {
		return "", false
	}
	v, ok := e.vals[name]
	return v, ok
}
