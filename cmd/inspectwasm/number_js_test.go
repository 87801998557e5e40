package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLintLongNumber: a number with more digits than float64 holds, which
// jsonscan hands to the page's Number, is read by the inspector as by the
// plugin, not refused as out of range.
func TestLintLongNumber(t *testing.T) {
	doc := `{"avails":[{"availId":"1","startTimeInSeconds":0.1234567890123456789012,"durationInSeconds":15.00000000000000000001,"ads":[]}]}`
	var r map[string]any
	require.NoError(t, json.Unmarshal([]byte(lintJSON([]byte(doc), "")), &r))
	assert.Nil(t, r["error"], "decode error: %v", r["error"])
}
