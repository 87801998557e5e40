package emulator

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/availkit/availkit/internal/emulator/vast"
)

// handleVAST serves the built-in ad server: /vast/<scenario>?session=&avail=.
func (srv *Server) handleVAST(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	scenario := strings.Trim(r.PathValue("scenario"), "/")
	if scenario == "" {
		scenario = "default"
	}
	avail, _ := strconv.Atoi(q.Get("avail"))
	var media []vast.Media
	for _, a := range srv.cat.Ads() {
		media = append(media, vast.Media{ID: a.ID, Title: a.Title, Duration: a.Duration(),
			Width: a.Video.Width, Height: a.Video.Height, Bitrate: (a.Video.Bandwidth + 999) / 1000})
	}
	doc, err := vast.Generate(vast.Request{Scenario: scenario, Base: srv.base(r), Session: q.Get("session"),
		AvailIndex: avail, Creatives: media, Query: q, Version: q.Get("version")})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write(doc)
}

// serveVASTAsset serves the companion and overlay assets the scenarios
// name: /vast/assets/<w>x<h>.svg, iframe-<w>x<h>.html, hostile.js.
func (srv *Server) serveVASTAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	switch {
	case strings.HasSuffix(name, ".svg"):
		wh, _, _ := strings.Cut(strings.TrimSuffix(name, ".svg"), "/")
		ws, hs, _ := strings.Cut(wh, "x")
		wd, _ := strconv.Atoi(ws)
		ht, _ := strconv.Atoi(hs)
		if wd <= 0 || ht <= 0 || wd > 4000 || ht > 4000 {
			writeError(w, http.StatusNotFound, "NotFoundException", "Not found")
			return
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		label := "availkit " + ws + "x" + hs
		// Sans-serif glyphs average about 0.6 em: size the label to fit.
		size := max(10, min(ht/5, wd*10/(6*len(label)+6)))
		fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d"><rect width="100%%" height="100%%" fill="#1f6feb"/><text x="50%%" y="50%%" fill="#fff" font-family="sans-serif" font-size="%d" text-anchor="middle" dominant-baseline="middle">%s</text></svg>`,
			wd, ht, size, label)
	case strings.HasPrefix(name, "iframe-") && strings.HasSuffix(name, ".html"):
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><body style="margin:0;background:#0a3;color:#fff;font:16px sans-serif;display:flex;align-items:center;justify-content:center;height:100vh">availkit iframe companion %s</body>`, xmlEscape(name))
	case name == "hostile.js":
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = io.WriteString(w, "document.body.innerHTML='hostile companion script ran';\n")
	default:
		writeError(w, http.StatusNotFound, "NotFoundException", "Not found")
	}
}

// handleLanding is the click-through target of the scenarios' ads.
func handleLanding(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!doctype html><title>availkit landing page</title><h1>Advertiser landing page</h1><p>%s</p>", xmlEscape(r.URL.RawQuery))
}
