package creative

import (
	"bytes"
	"io"
	"os"
	"testing"

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
