package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/availkit/availkit/internal/emulator"
	"github.com/availkit/availkit/media"
)

// An emulator on the bundled media, in-process: initialise a VOD session
// as a player would and read where its manifest and tracking data are.
func Example() {
	cat, err := media.Load()
	if err != nil {
		panic(err)
	}
	srv, err := emulator.New(emulator.Options{Catalog: cat, Logf: func(string, ...any) {}})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	resp, err := http.Post(ts.URL+"/v1/session/"+emulator.DefaultAccount+"/availkit/vod/index.m3u8",
		"application/json", strings.NewReader(`{"adsParams":{"scenario":"single"}}`))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var r struct{ ManifestURL, TrackingURL string }
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		panic(err)
	}
	manifest, _, _ := strings.Cut(r.ManifestURL, "?")
	fmt.Println(resp.StatusCode, manifest)
	fmt.Println(strings.Join(strings.Split(r.TrackingURL, "/")[:4], "/") + "/<session id>")
	// Output:
	// 200 /v1/master/4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39/availkit/vod/index.m3u8
	// /v1/tracking/4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39/<session id>
}
