package emulator

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"time"
)

// DefaultAccount is the hashed account id of the default configuration.
const DefaultAccount = "4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39"

//go:embed default_config.json
var defaultConfigJSON []byte

// Config is the emulator's set of playback configurations.
type Config struct {
	AccountID              string                   `json:"accountId"`
	PlaybackConfigurations []*PlaybackConfiguration `json:"playbackConfigurations"`
}

// PlaybackConfiguration is one MediaTailor playback configuration (the
// "origin" path element of every API URL).
type PlaybackConfiguration struct {
	Name string `json:"name"`
	// Content is the catalog id of the content asset; "" is the first one.
	Content string `json:"content"`
	// AdDecisionServerURL is the ADS template. A relative URL is resolved
	// against the emulator's own origin as seen by the session's first
	// request.
	AdDecisionServerURL string `json:"adDecisionServerUrl"`
	// Slate is the catalog id of the slate; "" is the first one.
	Slate string `json:"slate"`
	// AdSegmentURLPrefix and ContentSegmentURLPrefix prefix the catalog paths
	// of ad and content segments in manifests.
	AdSegmentURLPrefix      string    `json:"adSegmentUrlPrefix"`
	ContentSegmentURLPrefix string    `json:"contentSegmentUrlPrefix"`
	VODCuePointsSecs        []float64 `json:"vodCuePointsSecs"`
	LiveBreakEverySecs      float64   `json:"liveBreakEverySecs"`
	LiveBreakDurationSecs   float64   `json:"liveBreakDurationSecs"`
	// LiveBreakPhaseSecs moves every live break this far past its multiple
	// of LiveBreakEverySecs (0 by default): a test starting an emulator can
	// have the next break begin a few seconds after its session instead of
	// waiting for the channel's clock.
	LiveBreakPhaseSecs float64 `json:"liveBreakPhaseSecs"`
	LiveWindowSegments int     `json:"liveWindowSegments"`
	DefaultScenario    string  `json:"defaultScenario"`
}

// DefaultConfig returns the embedded default configuration.
func DefaultConfig() *Config {
	c, err := ParseConfig(defaultConfigJSON)
	if err != nil {
		panic(err) // the embedded file is covered by tests
	}
	return c
}

// LoadConfig reads a configuration file; it replaces the default entirely.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseConfig(b)
}

// ParseConfig decodes and validates a configuration, filling defaults.
func ParseConfig(b []byte) (*Config, error) {
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if c.AccountID == "" {
		c.AccountID = DefaultAccount
	}
	if len(c.PlaybackConfigurations) == 0 {
		return nil, errors.New("config: no playbackConfigurations")
	}
	for _, p := range c.PlaybackConfigurations {
		if p.Name == "" || p.AdDecisionServerURL == "" {
			return nil, errors.New("config: every playback configuration needs name and adDecisionServerUrl")
		}
		if p.AdSegmentURLPrefix == "" {
			p.AdSegmentURLPrefix = "/media/"
		}
		if p.ContentSegmentURLPrefix == "" {
			p.ContentSegmentURLPrefix = "/media/"
		}
		if p.LiveBreakEverySecs <= 0 {
			p.LiveBreakEverySecs = 60
		}
		if p.LiveBreakDurationSecs <= 0 || p.LiveBreakDurationSecs >= p.LiveBreakEverySecs {
			p.LiveBreakDurationSecs = p.LiveBreakEverySecs / 2
		}
		if p.LiveBreakPhaseSecs = math.Mod(p.LiveBreakPhaseSecs, p.LiveBreakEverySecs); !(p.LiveBreakPhaseSecs >= 0) {
			p.LiveBreakPhaseSecs = 0 // negative or NaN
		}
		if p.LiveWindowSegments < 3 {
			p.LiveWindowSegments = 6
		}
		if p.DefaultScenario == "" {
			p.DefaultScenario = "default"
		}
	}
	return &c, nil
}

func (p *PlaybackConfiguration) breakEvery() time.Duration {
	return seconds(p.LiveBreakEverySecs)
}

func (p *PlaybackConfiguration) breakPhase() time.Duration {
	return seconds(p.LiveBreakPhaseSecs)
}

func (p *PlaybackConfiguration) breakDuration() time.Duration {
	return seconds(p.LiveBreakDurationSecs)
}

func (c *Config) lookup(name string) *PlaybackConfiguration {
	for _, p := range c.PlaybackConfigurations {
		if p.Name == name {
			return p
		}
	}
	return nil
}
