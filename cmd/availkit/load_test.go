package main

import (
	"bytes"
	"io"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/emulator"
	"github.com/availkit/availkit/media"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoadAgainstEmulator runs the load generator briefly against an
// in-process emulator on the bundled media and checks its figures.
func TestLoadAgainstEmulator(t *testing.T) {
	// The media are committed: their absence is a failure, not a skip.
	cat, err := media.LoadFS(os.DirFS("../../media"))
	require.NoError(t, err)
	srv, err := emulator.New(emulator.Options{Catalog: cat, Logf: t.Logf})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	out := captureStdout(t, func() {
		require.NoError(t, load([]string{"--target", ts.URL, "--sessions", "5", "--duration", "2500ms", "--day=false", "--procs", "0", "--workers", "2"}))
	})
	fig := func(name string) float64 {
		m := regexp.MustCompile(`FIGURE ` + name + ` ([0-9.]+) `).FindStringSubmatch(out)
		require.NotNil(t, m, "%s in %s", name, out)
		v, err := strconv.ParseFloat(m[1], 64)
		require.NoError(t, err)
		return v
	}
	assert.Equal(t, 5.0, fig("emulator_live_sessions"))
	assert.Equal(t, 0.0, fig("emulator_load_errors"))
	assert.GreaterOrEqual(t, fig("emulator_requests"), 10.0, "two polls of playlist and tracking per session")
	assert.Greater(t, fig("emulator_session_init_throughput"), 0.0)
	assert.Greater(t, fig("emulator_tracking_server_p99"), 0.0)
	assert.Less(t, fig("emulator_poll_lag_p99"), 1000.0, "two workers keep up with five sessions")
	fig("emulator_loadavg_during")
}

func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	old := os.Stdout
	os.Stdout = w
	done := make(chan []byte)
	go func() { b, _ := io.ReadAll(r); done <- b }()
	defer func() { os.Stdout = old }()
	start := time.Now()
	f()
	w.Close()
	b := <-done
	t.Logf("load ran %v", time.Since(start).Round(time.Millisecond))
	return string(bytes.TrimSpace(b))
}
