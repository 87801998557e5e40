package creative

import "math"

// biquad is a direct-form-I second-order IIR section.
type biquad struct {
	b0, b1, b2, a1, a2 float64
	x1, x2, y1, y2     float64
}

func (f *biquad) step(x float64) float64 {
	y := f.b0*x + f.b1*f.x1 + f.b2*f.x2 - f.a1*f.y1 - f.a2*f.y2
	f.x2, f.x1 = f.x1, x
	f.y2, f.y1 = f.y1, y
	return y
}

// kWeighting returns the two BS.1770 pre-filter stages for sample rate fs.
// The standard tabulates coefficients for 48 kHz only; they are derived
// here from the analogue prototypes (shelf at ~1682 Hz, +4 dB; RLB
// high-pass at ~38 Hz) so 44.1, 32, 22.05 kHz ... are weighted correctly.
func kWeighting(fs int) (shelf, highpass biquad) {
	const (
		shelfF0   = 1681.974450955533
		shelfGain = 3.999843853973347 // dB
		shelfQ    = 0.7071752369554196
		hpF0      = 38.13547087602444
		hpQ       = 0.5003270373238773
	)
	k := math.Tan(math.Pi * shelfF0 / float64(fs))
	vh := math.Pow(10, shelfGain/20)
	vb := math.Pow(vh, 0.4996667741545416)
	a0 := 1 + k/shelfQ + k*k
	shelf = biquad{
		b0: (vh + vb*k/shelfQ + k*k) / a0,
		b1: 2 * (k*k - vh) / a0,
		b2: (vh - vb*k/shelfQ + k*k) / a0,
		a1: 2 * (k*k - 1) / a0,
		a2: (1 - k/shelfQ + k*k) / a0,
	}
	k = math.Tan(math.Pi * hpF0 / float64(fs))
	a0 = 1 + k/hpQ + k*k
	highpass = biquad{
		b0: 1, b1: -2, b2: 1,
		a1: 2 * (k*k - 1) / a0,
		a2: (1 - k/hpQ + k*k) / a0,
	}
	return shelf, highpass
}

// meter accumulates K-weighted energy in 100 ms steps: BS.1770 gating
// blocks are 400 ms with 75 % overlap, i.e. four consecutive steps.
type meter struct {
	fs       int
	channels int
	filters  [2][2]biquad

	step     int       // index of the step being filled
	stepEnd  int64     // sample index ending the current step
	n        int64     // samples seen
	acc      float64   // energy of the current step, all channels
	energy   []float64 // per finished step: summed channel energy
	stepSize []int64   // per finished step: samples
}

func newMeter(fs, channels int) *meter {
	m := &meter{fs: fs, channels: channels}
	for c := range channels {
		m.filters[c][0], m.filters[c][1] = kWeighting(fs)
	}
	m.stepEnd = m.boundary(1)
	return m
}

// boundary is the first sample of step k; rounding per step keeps rates
// like 11025 Hz (1102.5 samples per 100 ms) from drifting.
func (m *meter) boundary(k int) int64 { return int64(k) * int64(m.fs) / 10 }

// add takes one sample frame; left and right are in [-1, 1). Right is
// ignored for mono, whose single channel has weight 1 in BS.1770.
func (m *meter) add(left, right float64) {
	l := m.filters[0][1].step(m.filters[0][0].step(left))
	e := l * l
	if m.channels == 2 {
		r := m.filters[1][1].step(m.filters[1][0].step(right))
		e += r * r
	}
	m.acc += e
	m.n++
	if m.n == m.stepEnd {
		m.energy = append(m.energy, m.acc)
		m.stepSize = append(m.stepSize, m.stepEnd-m.boundary(m.step))
		m.acc = 0
		m.step++
		m.stepEnd = m.boundary(m.step + 1)
	}
}

// blockLoudnessFloor is the absolute gate (LUFS).
const blockLoudnessFloor = -70.0

// integrated returns the gated integrated loudness (LUFS) and whether any
// block passed the gates. A partial trailing step is not used, as in
// other BS.1770 meters.
func (m *meter) integrated() (float64, bool) {
	nb := len(m.energy) - 3
	if nb <= 0 {
		return blockLoudnessFloor, false
	}
	z := make([]float64, nb) // mean square per block
	for j := range nb {
		var e float64
		var n int64
		for k := j; k < j+4; k++ {
			e += m.energy[k]
			n += m.stepSize[k]
		}
		z[j] = e / float64(n)
	}
	loud := func(ms float64) float64 { return -0.691 + 10*math.Log10(ms) }

	var sum float64
	var cnt int
	for _, v := range z {
		if v > 0 && loud(v) > blockLoudnessFloor {
			sum += v
			cnt++
		}
	}
	if cnt == 0 {
		return blockLoudnessFloor, false
	}
	relGate := loud(sum/float64(cnt)) - 10
	sum, cnt = 0, 0
	for _, v := range z {
		if v > 0 {
			if l := loud(v); l > blockLoudnessFloor && l > relGate {
				sum += v
				cnt++
			}
		}
	}
	return loud(sum / float64(cnt)), true
}
