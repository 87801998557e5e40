package main

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInspectResult(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		return b
	}
	good := read("../../media/mp3/good.mp3")
	tests := []struct {
		name     string
		data     []byte
		declared float64
		ok, pass bool
		kind     string
	}{
		{"good", good, 10, true, true, ""},
		{"bad", read("../../media/mp3/bad.mp3"), 10, true, false, ""},
		{"truncated", good[:len(good)/2+7], 10, false, false, "truncated"},
		{"not mp3", []byte("<html>"), 10, false, false, "not-mp3"},
		{"layer II", read("../../internal/creative/testdata/layer2.mp2"), 0, false, false, "unsupported"},
	}
	t.Run("probe", func(t *testing.T) {
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(resultJSON(probe(read("../../media/mp3/bad.mp3"), 10, 0))), &got))
		assert.Equal(t, true, got["ok"])
		assert.Equal(t, false, got["pass"])
		rep := got["report"].(map[string]any)
		assert.Equal(t, 11.5, rep["duration"])
		assert.Equal(t, false, rep["levels"])
		assert.Len(t, got["verdicts"], 1, "duration only")
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(resultJSON(inspect(tt.data, tt.declared, 0))), &got))
			assert.Equal(t, tt.ok, got["ok"])
			assert.Equal(t, tt.pass, got["pass"])
			if tt.ok {
				rep := got["report"].(map[string]any)
				assert.Contains(t, rep, "loudness")
				assert.Contains(t, rep, "duration")
				assert.NotEmpty(t, got["verdicts"])
			} else {
				assert.Equal(t, tt.kind, got["kind"])
				assert.NotEmpty(t, got["error"])
			}
		})
	}
}

// The Worker split (decodePart per worker, then inspectPCM) must hand the
// page the same result as one inspect call.
func TestPartsResultEqualsInspect(t *testing.T) {
	for _, name := range []string{"good", "bad"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("../../media/mp3/" + name + ".mp3")
			require.NoError(t, err)
			var pcm []byte
			for k := range 2 {
				p, res := decodePart(data, k, 2)
				require.True(t, res.OK, res.Error)
				pcm = append(pcm, p...)
			}
			assert.JSONEq(t, resultJSON(inspect(data, 10, 10)), resultJSON(inspectPCM(data, pcm, 10, 10)))
		})
	}
	_, res := decodePart([]byte("<html>"), 0, 2)
	assert.False(t, res.OK)
	assert.Equal(t, "not-mp3", res.Kind)
	assert.Equal(t, "corrupt", inspectPCM(mustRead(t, "../../media/mp3/good.mp3"), []byte{1, 2, 3, 4}, 10, 10).Kind)
}

func mustRead(t *testing.T, name string) []byte {
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return b
}
