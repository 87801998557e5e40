package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInspectCommand(t *testing.T) {
	good, bad := "../../media/mp3/good.mp3", "../../media/mp3/bad.mp3"
	tests := []struct {
		name    string
		args    []string
		wantErr string
		want    []string
	}{
		{"good passes", []string{"--declared", "10s", "--slot", "10s", good}, "", []string{"10.000 s", "-24.0 LUFS", "PASS"}},
		{"bad fails", []string{"--declared", "10s", bad}, "1 of 1 files failed", []string{"11.500 s", "FAIL", "too loud", "+1.500 s"}},
		{"missing file", []string{good, "nope.mp3"}, "1 of 2 files failed", []string{"ERROR", "nope.mp3"}},
		{"not an mp3", []string{"inspect.go"}, "1 of 1", []string{"not an MP3"}},
		{"no files", nil, "no files", nil},
		{"probe only", []string{"--probe", "--declared", "10s", bad}, "1 of 1", []string{"11.500 s", "FAIL", "+1.500 s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := inspectMain(tt.args, &out)
			if tt.wantErr == "" {
				require.NoError(t, err)
			} else {
				require.ErrorContains(t, err, tt.wantErr)
			}
			for _, w := range tt.want {
				assert.Contains(t, out.String(), w)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		var out bytes.Buffer
		err := inspectMain([]string{"--json", "--declared", "10s", good, bad}, &out)
		require.Error(t, err)
		var res []inspected
		require.NoError(t, json.Unmarshal(out.Bytes(), &res))
		require.Len(t, res, 2)
		assert.True(t, res[0].Pass)
		assert.False(t, res[1].Pass)
		assert.InDelta(t, 11.5, res[1].Report.Duration, 1e-9)
	})
}
