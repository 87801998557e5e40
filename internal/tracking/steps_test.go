package tracking

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodeInSteps runs a Decoder to the end in steps of budget bytes and
// counts the steps.
func decodeInSteps(data []byte, budget int) (*Response, int, error) {
	d := NewDecoder(data)
	for n := 1; ; n++ {
		done, err := d.Step(budget)
		if err != nil || done {
			return d.Response(), n, err
		}
	}
}

// TestDecoderSteps: read in steps of any size, a response decodes to what
// Decode gives, and a bad one fails with the same error; a step ends
// once its budget is spent.
func TestDecoderSteps(t *testing.T) {
	inputs := map[string][]byte{
		"big": bigResponse(64 << 10),
		"both lists": []byte(`{"nextToken":"t","avails":[{"availId":"a","ads":[{"adId":"x"}]},{"availId":"b"}],` +
			`"nonLinearAvails":[{"availId":"n1"},{"availId":"n2"}],"hlsAnchorMediaSequenceNumber":7,"extra":{"x":[1,2]}}`),
		"repeated key":    []byte(`{"avails":[{"availId":"old"},{"availId":"older"}],"avails":[{"availId":"new"}]}`),
		"empty lists":     []byte(`{"avails":[],"nonLinearAvails":null}`),
		"empty":           []byte(`{}`),
		"bad avail":       []byte(`{"avails":[{"availId":"a"},{"availId":"b","durationInSeconds":"x"}]}`),
		"bad token":       []byte(`{"avails":[{"availId":"a"}],"nextToken":5}`),
		"cut":             []byte(`{"avails":[{"availId":"a"},{"availId":"b"`),
		"trailing":        []byte(`{"avails":[{"availId":"a"}]}{}`),
		"no comma":        []byte(`{"avails":[{"availId":"a"} {"availId":"b"}]}`),
		"not an object":   []byte(`[]`),
		"avails a string": []byte(`{"avails":"a"}`),
	}
	files, _ := filepath.Glob("testdata/*.json")
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		inputs[filepath.Base(f)] = b
	}
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			want, wantErr := Decode(data)
			for _, budget := range []int{0, 1, 200, 4096, 1 << 30} {
				got, steps, err := decodeInSteps(data, budget)
				if wantErr != nil {
					require.Error(t, err, "budget %d", budget)
					assert.Equal(t, wantErr.Error(), err.Error(), "budget %d", budget)
					assert.Nil(t, got)
					continue
				}
				require.NoError(t, err, "budget %d", budget)
				assert.Equal(t, want, got, "budget %d", budget)
				if budget == 0 && len(want.Avails)+len(want.NonLinearAvails) > 1 {
					assert.Greater(t, steps, 1, "an avail, ad or event a step")
				}
			}
		})
	}
}

// TestDecoderBudget: steps end once they have read their budget, so a
// large reply is read in parts of about that size.
func TestDecoderBudget(t *testing.T) {
	data := bigResponse(1 << 20)
	_, steps, err := decodeInSteps(data, 64<<10)
	require.NoError(t, err)
	assert.InDelta(t, len(data)/(64<<10), steps, 2)
}

// oneAvail is a response of one avail whose ads have events tracking
// events each.
func oneAvail(ads, events int) []byte {
	var b strings.Builder
	b.WriteString(`{"avails":[{"availId":"a","adBreakTrackingEvents":[{"eventType":"breakStart","beaconUrls":["https://b.test/bs"]}],"ads":[`)
	for k := range ads {
		if k > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"adId":"ad` + strconv.Itoa(k) + `","trackingEvents":[`)
		for e := range events {
			if e > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"eventId":"` + strconv.Itoa(k*events+e) + `","eventType":"progress","startTimeInSeconds":` + strconv.Itoa(e) + `,"beaconUrls":["https://b.test/` + strconv.Itoa(e) + `"]}`)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}]}`)
	return []byte(b.String())
}

// TestDecoderStopsInsideAnAvail: a step ends at the first ad or tracking
// event past its budget, so one avail of many events is read in as many
// parts as many avails would be, and decodes to what Decode gives.
func TestDecoderStopsInsideAnAvail(t *testing.T) {
	data := oneAvail(20, 200)
	want, err := Decode(data)
	require.NoError(t, err)
	for _, budget := range []int{0, 1000, 16 << 10} {
		got, steps, err := decodeInSteps(data, budget)
		require.NoError(t, err)
		assert.Equal(t, want, got, "budget %d", budget)
		if budget == 0 {
			assert.GreaterOrEqual(t, steps, 20*200, "a step an event")
		} else {
			assert.InEpsilon(t, len(data)/budget, steps, 0.05, "budget %d", budget)
		}
	}
}

// TestDecoderClose: a decode parked between steps ends when the Decoder
// is closed, so an abandoned reply leaves no goroutine behind.
func TestDecoderClose(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 10 {
		d := NewDecoder(oneAvail(4, 100))
		done, err := d.Step(100)
		require.NoError(t, err)
		require.False(t, done)
		d.Close()
		d.Close()
	}
	// Not assert.Eventually: it runs goroutines of its own.
	left := runtime.NumGoroutine() - before
	for end := time.Now().Add(5 * time.Second); left > 0 && time.Now().Before(end); left = runtime.NumGoroutine() - before {
		time.Sleep(time.Millisecond)
	}
	assert.LessOrEqual(t, left, 0, "goroutines left")
	d := NewDecoder(oneAvail(1, 1))
	d.Close() // never stepped
	done, err := d.Step(1 << 20)
	require.NoError(t, err)
	assert.True(t, done)
}
