package client

import (
	"testing"
	"time"

	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOptionsConfig(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	b := func(v bool) *bool { return &v }
	def := engine.DefaultConfig()
	tests := []struct {
		name string
		in   Options
		want func(*Config)
	}{
		{"defaults", Options{}, func(c *Config) {}},
		{"times in seconds", Options{PollInterval: 4.5, RequestTimeout: 3}, func(c *Config) {
			c.PollInterval, c.RequestTimeout = 4500*time.Millisecond, 3*time.Second
		}},
		{"engine options", Options{NoSkip: "all", UpcomingLead: f(0), ProgressInterval: f(1), JumpWatched: b(false), LiveSnapBack: true}, func(c *Config) {
			c.Engine.NoSkip, c.Engine.UpcomingLead, c.Engine.ProgressInterval = engine.PolicyAll, 0, 1
			c.Engine.JumpWatched, c.Engine.LiveSnapBack = false, true
		}},
		{"full tracking, raw body, caps", Options{TrackingMode: "full", RawTracking: b(true), MaxTrackingBytes: 10, MaxEventsPerAd: 5}, func(c *Config) {
			c.TokenMode, c.RawTracking, c.MaxReplyBytes, c.MaxEventsPerAd = session.TokenFull, true, 10, 5
		}},
		{"init body", Options{SessionInitURL: "u", AdsParams: map[string]string{"a": "1"}, ReportingMode: "server", Nonce: "n", NonceKey: "k"}, func(c *Config) {
			c.SessionInitURL = "u"
			c.Init = session.InitOptions{AdsParams: map[string]string{"a": "1"}, ReportingMode: "server", Nonce: "n", NonceKey: "k"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := Config{Engine: def}
			tt.want(&want)
			got, err := tt.in.Config()
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
	_, err := (&Options{NoSkip: "sometimes"}).Config()
	assert.EqualError(t, err, `noSkip must be "last", "first", "all" or "off", not "sometimes"`)
}
