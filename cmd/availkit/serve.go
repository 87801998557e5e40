package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/availkit/availkit/internal/emulator"
	"github.com/availkit/availkit/media"
)

func init() { commands["serve"] = serve }

func serve(args []string) error {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fl.String("addr", "127.0.0.1:8080", "listen address")
	root := fl.String("root", ".", "directory holding index.html, dist/ and node_modules/")
	mediaDir := fl.String("media", "", "media directory with catalog.json (default: the media embedded in the binary)")
	config := fl.String("config", "", "playback configuration JSON (default: the embedded one)")
	debug := fl.Bool("debug", false, "log one line per request")
	pprofAddr := fl.String("pprof", "", "serve net/http/pprof on this address (profiling the emulator)")
	publicBase := fl.String("public-base", "", "scheme://host[:port] players reach the emulator through, behind a proxy or on a LAN (default: the address each connection reached, i.e. the listen address)")
	debugToken := fl.String("debug-token", "", "require `Authorization: Bearer TOKEN` on /debug/* and answer it from any address (default: /debug answers this machine only)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	cat, err := openMedia(*mediaDir)
	if err != nil {
		return err
	}
	cfg := emulator.DefaultConfig()
	if *config != "" {
		if cfg, err = emulator.LoadConfig(*config); err != nil {
			return err
		}
	}
	srv, err := emulator.New(emulator.Options{Config: cfg, Catalog: cat, Root: *root, Debug: *debug, ADSJitter: 40 * time.Second,
		PublicBase: *publicBase, DebugToken: *debugToken})
	if err != nil {
		return err
	}
	if *pprofAddr != "" {
		go func() { log.Print(http.ListenAndServe(*pprofAddr, nil)) }()
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := srv.HTTPServer()
	url := "http://" + ln.Addr().String() + "/"
	fmt.Printf("availkit: serving the demo and the MediaTailor emulator on %s\n", url)
	fmt.Printf("availkit: session init: POST %sv1/session/%s/%s/vod/index.m3u8\n", url, cfg.AccountID, cfg.PlaybackConfigurations[0].Name)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		_ = hs.Close()
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Print(err)
		return err
	}
	return nil
}

// openMedia loads the media catalog the emulator serves: the one embedded in
// the binary when dir is "" (so `availkit serve` works from any directory),
// else dir. It also checks the MP3 ad catalogue (real length against the
// VAST duration, loudness) and fails when a creative not marked
// deliberatelyBad fails, or a deliberately bad one passes: the QA page
// would otherwise teach testers the wrong verdicts.
func openMedia(dir string) (*media.Catalog, error) {
	fsys, where := media.FS, "embedded media"
	if dir != "" {
		fsys, where = os.DirFS(filepath.Clean(dir)), dir
	}
	return loadMediaFS(fsys, where)
}

func loadMediaFS(fsys fs.FS, where string) (*media.Catalog, error) {
	cat, err := media.LoadFS(fsys)
	if err != nil {
		return nil, fmt.Errorf("media (%s): %w", where, err)
	}
	if err := media.VerifyMP3FS(fsys); err != nil {
		return nil, fmt.Errorf("media (%s): the MP3 ad catalogue does not match catalog.json; regenerate it with scripts/make-media.sh or fix catalog.json:\n%w", where, err)
	}
	return cat, nil
}
