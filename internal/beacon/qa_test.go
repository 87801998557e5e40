package beacon

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// TestQATimelineActs: the QA page's timeline draws a tick for each time
// event and none for the events actions fire; its list of those must be
// the non-time rows of the counting table.
func TestQATimelineActs(t *testing.T) {
	src, err := os.ReadFile("../../web/qa/timeline.js")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)const ACTS = new Set\(\[(.*?)\]\)`).FindSubmatch(src)
	if block == nil {
		t.Fatal("web/qa/timeline.js: no ACTS set")
	}
	var js []string
	for _, m := range regexp.MustCompile(`'([A-Za-z]+)'`).FindAllSubmatch(block[1], -1) {
		js = append(js, string(m[1]))
	}
	var want []string
	for _, r := range Rules() {
		if r.Trigger != TriggerTime {
			want = append(want, r.EventType)
		}
	}
	slices.Sort(js)
	slices.Sort(want)
	if !slices.Equal(js, want) {
		t.Errorf("web/qa/timeline.js ACTS = %v\nnon-time rules     = %v", js, want)
	}
}
