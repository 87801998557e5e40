package jsonscan

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLineCol(t *testing.T) {
	data := []byte("{\n  \"a\": 1,\n  x\n}")
	tests := []struct {
		offset, line, col int
	}{{0, 1, 1}, {1, 1, 2}, {2, 2, 1}, {14, 3, 3}, {-5, 1, 1}, {999, 4, 2}}
	for _, tt := range tests {
		line, col := LineCol(data, tt.offset)
		assert.Equal(t, [2]int{tt.line, tt.col}, [2]int{line, col}, "offset %d", tt.offset)
	}
}
