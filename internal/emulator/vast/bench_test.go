package vast

import "testing"

// BenchmarkGenerateParse is the ad server's and the decision's share of one
// avail: generate the default pod of 3 and parse it back.
func BenchmarkGenerateParse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		doc, err := Generate(Request{Scenario: "default", Base: "http://emu", Session: "s", AvailIndex: 2, Creatives: media})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Parse(doc); err != nil {
			b.Fatal(err)
		}
	}
}
