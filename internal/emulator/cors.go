package emulator

import (
	"net/http"
	"strings"
)

// setCORS opens every route to every origin, as MediaTailor does (players
// run on other origins), except /debug: a page the tester happens to visit
// must not read or change the emulator's sessions, so debug answers carry
// no CORS header and the browser keeps them from other origins.
func setCORS(w http.ResponseWriter, r *http.Request, debug bool) {
	if debug {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "x-amzn-RequestId, x-amzn-ErrorType, Location, Content-Length, Content-Type, Date")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, DELETE, OPTIONS")
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			h.Set("Access-Control-Allow-Headers", req)
		} else {
			h.Set("Access-Control-Allow-Headers", "Content-Type")
		}
		h.Set("Access-Control-Max-Age", "86400")
	}
}

func isDebugPath(p string) bool { return p == "/debug" || strings.HasPrefix(p, "/debug/") }
