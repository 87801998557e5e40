package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/availkit/availkit/internal/jsonscan"
)

// TestSlowFloatInstalled: the plugin hands jsonscan the page's Number, so a
// number beyond the fast path is read, not refused.
func TestSlowFloatInstalled(t *testing.T) {
	v, ok := jsonscan.ParseFloat("0.1234567890123456789012")
	assert.True(t, ok)
	assert.Equal(t, 0.1234567890123456789012, v)
}
