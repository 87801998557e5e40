package main

import (
	"errors"
	"flag"
	"fmt"
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
)

func init() { commands["serve"] = serve }

func serve(args []string) error {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fl.String("addr", "127.0.0.1:8080", "listen address")
	root := fl.String("root", ".", "directory holding index.html, dist/ and node_modules/")
	mediaDir := fl.String("media", "", "media directory with catalog.json (default <root>/media)")
	config := fl.String("config", "", "playback configuration JSON (default: the embedded one)")
	debug := fl.Bool("debug", false, "log one line per request")
	pprofAddr := fl.String("pprof", "", "serve net/http/pprof on this address (profiling the emulator)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *mediaDir == "" {
		*mediaDir = filepath.Join(*root, "media")
	}
	cat, err := emulator.LoadCatalogDir(*mediaDir)
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	cfg := emulator.DefaultConfig()
	if *config != "" {
		if cfg, err = emulator.LoadConfig(*config); err != nil {
			return err
		}
	}
	srv, err := emulator.New(emulator.Options{Config: cfg, Catalog: cat, Root: *root, Debug: *debug, ADSJitter: 40 * time.Second})
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
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
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
