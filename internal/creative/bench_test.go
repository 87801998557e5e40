package creative

import (
	"bytes"
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/hajimehoshi/go-mp3"
)

// bench30s returns a 30 s, 128 kbit/s stereo MP3: the file named by
// AVAILKIT_BENCH_MP3 (bench/creative.sh makes one with ffmpeg) or, without
// it, the 3 s CBR fixture's audio frames repeated ten times.
func bench30s(b *testing.B) []byte {
	if name := os.Getenv("AVAILKIT_BENCH_MP3"); name != "" {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	src := fixture(b, "cbr128-stereo-44k.mp3")
	s, err := scan(src)
	if err != nil {
		b.Fatal(err)
	}
	out := append([]byte(nil), src[:s.start]...)
	for range 10 {
		out = append(out, src[s.start:s.end]...)
	}
	return out
}

func BenchmarkInspect30s(b *testing.B) {
	data := bench30s(b)
	r, err := Inspect(data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(r.Duration, "audio-s")
	b.ResetTimer()
	for b.Loop() {
		if _, err := Inspect(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProbe30s(b *testing.B) {
	data := bench30s(b)
	for b.Loop() {
		if _, err := Probe(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGoMP3Decode30s is the decode alone, to show what share of
// Inspect is go-mp3 and what is the analysis.
func BenchmarkGoMP3Decode30s(b *testing.B) {
	data := bench30s(b)
	buf := make([]byte, 1<<16)
	for b.Loop() {
		d, err := mp3.NewDecoder(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := d.Read(buf); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkInspect30sSplit alternates the one-goroutine decode with the
// split one (GOMAXPROCS workers) and reports the fastest run of each as
// ms-1 and ms-split, so that load from other processes, which comes and
// goes, weighs on both alike. ns/op is the pair.
func BenchmarkInspect30sSplit(b *testing.B) {
	data := bench30s(b)
	workers := runtime.GOMAXPROCS(0)
	best := [2]time.Duration{time.Hour, time.Hour}
	for b.Loop() {
		for i, w := range []int{1, workers} {
			t0 := time.Now()
			if _, err := inspectWith(data, w, 0); err != nil {
				b.Fatal(err)
			}
			best[i] = min(best[i], time.Since(t0))
		}
	}
	b.ReportMetric(float64(best[0].Microseconds())/1e3, "ms-1")
	b.ReportMetric(float64(best[1].Microseconds())/1e3, "ms-split")
	b.ReportMetric(float64(workers), "workers")
}
