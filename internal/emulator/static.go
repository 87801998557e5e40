package emulator

import (
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
)

// staticDirs are the directories under Options.Root the demo, the QA page
// and the browser tests need; nothing else under the root is served (it is
// usually a repository checkout, .git included).
var staticDirs = []string{"dist", "web", "tests", "node_modules/hls.js/dist", "node_modules/dashjs/dist"}

// staticRoutes serves index.html and each of staticDirs from its own
// fs.Sub, so no path can leave its directory whatever it contains.
func (srv *Server) staticRoutes(m *http.ServeMux) {
	if srv.opts.Root == "" {
		return
	}
	root := os.DirFS(srv.opts.Root)
	// The demo files change with every build: let the browser keep them
	// (and the compiled wasm module) but revalidate each time. The bundle's
	// chunks are named by their content, so a warm visit need not ask for
	// them at all: a revalidation is one round trip per import level.
	const cc = "no-cache"
	index := func(w http.ResponseWriter, r *http.Request) { serveFile(w, r, root, "index.html", cc) }
	m.HandleFunc("GET /{$}", index)
	m.HandleFunc("GET /index.html", index)
	for _, dir := range staticDirs {
		sub, err := fs.Sub(root, dir)
		if err != nil {
			continue
		}
		m.Handle("GET /"+dir+"/{path...}", fileHandler(sub, cc, dir == "dist"))
	}
}

// immutable is the Cache-Control of a file whose name changes with its
// content.
const immutable = "public, max-age=31536000, immutable"

// fileHandler serves the {path...} wildcard from fsys with the given
// Cache-Control, or immutable for the content-named chunks of a bundle
// directory.
func fileHandler(fsys fs.FS, cacheControl string, bundle bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, cc := r.PathValue("path"), cacheControl
		if bundle && hashedChunk(name) {
			cc = immutable
		}
		serveFile(w, r, fsys, name, cc)
	})
}

// hashedChunk reports whether name is a chunk esbuild named by its
// content (build.sh: --chunk-names='chunk-[hash]'): "chunk-" and eight
// characters of [A-Z0-9] before ".js", at the top of the directory.
func hashedChunk(name string) bool {
	h, ok := strings.CutPrefix(name, "chunk-")
	if !ok {
		return false
	}
	h, ok = strings.CutSuffix(h, ".js")
	if !ok || len(h) != 8 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// serveFile answers one regular file of fsys. name must be a valid
// fs path without dot segments (fs.ValidPath refuses "..", the router
// refuses dotfiles). A .wasm file is answered from a pre-compressed .br or
// .gz sibling when the client accepts that encoding.
func serveFile(w http.ResponseWriter, r *http.Request, fsys fs.FS, name, cacheControl string) {
	if !fs.ValidPath(name) || name == "." {
		writeError(w, http.StatusNotFound, "NotFoundException", "Not found")
		return
	}
	f, st, ok := openRegular(fsys, name)
	if !ok {
		writeError(w, http.StatusNotFound, "NotFoundException", "Not found: "+name)
		return
	}
	defer f.Close()
	w.Header().Set("Cache-Control", cacheControl)
	setContentType(w, name)
	if strings.HasSuffix(name, ".wasm") {
		w.Header().Add("Vary", "Accept-Encoding")
		for _, enc := range acceptedEncodings(r) {
			cf, cst, ok := openRegular(fsys, name+enc.suffix)
			if !ok {
				continue
			}
			defer cf.Close()
			// A sibling older than the module is left from a previous
			// build: serving it would run stale code. Compared in whole
			// seconds: brotli(1) gives its output the input's time
			// truncated to the second.
			if cst.ModTime().Unix() < st.ModTime().Unix() {
				continue
			}
			w.Header().Set("Content-Encoding", enc.name)
			sendFile(w, r, name, cf, cst, enc.name)
			return
		}
	}
	sendFile(w, r, name, f, st, "")
}

func openRegular(fsys fs.FS, name string) (fs.File, fs.FileInfo, bool) {
	if fsys == nil {
		return nil, nil, false
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, false
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, false
	}
	return f, st, true
}

// sendFile answers with ServeContent (ranges, If-None-Match,
// If-Modified-Since) under an ETag naming the file's version and encoding,
// so a revalidation answers 304 and the browser keeps what it compiled.
func sendFile(w http.ResponseWriter, r *http.Request, name string, f fs.File, st fs.FileInfo, enc string) {
	tag := fmt.Sprintf(`"%x-%x`, st.ModTime().UnixNano(), st.Size())
	if enc != "" {
		tag += "-" + enc
	}
	w.Header().Set("ETag", tag+`"`)
	if rs, ok := f.(io.ReadSeeker); ok {
		http.ServeContent(w, r, path.Base(name), st.ModTime(), rs)
		return
	}
	_, _ = io.Copy(w, f)
}

type encoding struct{ name, suffix string }

// acceptedEncodings returns br and gzip, in that order of preference, when
// the request's Accept-Encoding lists them with a non-zero q.
func acceptedEncodings(r *http.Request) []encoding {
	var br, gz bool
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(part, ";")
		ok := true
		if q, found := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); found {
			v, err := strconv.ParseFloat(q, 64)
			ok = err == nil && v > 0
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "br":
			br = ok
		case "gzip":
			gz = ok
		}
	}
	var out []encoding
	if br {
		out = append(out, encoding{"br", ".br"})
	}
	if gz {
		out = append(out, encoding{"gzip", ".gz"})
	}
	return out
}
