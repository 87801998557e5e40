package emulator

import (
	"bufio"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"path"
)

const errorTypeURI = ":http://internal.amazon.com/coral/com.amazon.elemental.midas.mms.coral/"

// writeError answers in MediaTailor's error shape.
func writeError(w http.ResponseWriter, status int, errType, msg string) {
	h := w.Header()
	h.Set("x-amzn-RequestId", newUUID())
	h.Set("x-amzn-ErrorType", errType+errorTypeURI)
	writeJSON(w, status, map[string]string{"message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "NotFoundException", "Unknown route "+r.URL.Path)
}

// methodNotAllowed answers a known route asked with another method.
func methodNotAllowed(allowed string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allowed)
		writeError(w, http.StatusMethodNotAllowed, "BadRequestException", "Use "+allowed)
	}
}

// contentTypes are the types of the files the emulator serves; the
// standard library's guesses depend on the machine's mime tables.
var contentTypes = map[string]string{".m4s": "video/iso.segment", ".mp4": "video/mp4", ".wasm": "application/wasm",
	".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8", ".mp3": "audio/mpeg",
	".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".json": "application/json",
	".svg": "image/svg+xml", ".png": "image/png", ".map": "application/json", ".ts": "text/plain"}

func setContentType(w http.ResponseWriter, name string) {
	if t, ok := contentTypes[path.Ext(name)]; ok {
		w.Header().Set("Content-Type", t)
	}
}

// statusWriter records the status and size of an answer for the request
// log.
type statusWriter struct {
	http.ResponseWriter
	status int
	n      int
}

func (w *statusWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
	w.ResponseWriter.WriteHeader(s)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = 200
	}
	n, err := w.ResponseWriter.Write(b)
	w.n += n
	return n, err
}

// Hijack lets the beacon host-down fault drop connections.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("no hijacker")
	}
	w.status = -1
	return hj.Hijack()
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
