package client

// VPAIDData is what the VPAID runner sends with an event, as the host read
// it off the event's data object.
type VPAIDData struct {
	// Muted is an AdVolumeChange to silence: muted set, or volume 0.
	Muted bool
	// Expanded is AdExpandedChange's new state.
	Expanded bool
	// Message is an AdError's message; HasMessage says the data had one
	// (a string), and without one the error is reported as AdError.
	Message    string
	HasMessage bool
}

// VPAID forwards the VPAID event name, sent by the runner with d, to the
// method that keeps its state: AdVolumeChange to VPAIDVolume,
// AdExpandedChange to VPAIDExpanded, an AdError with a message to
// VPAIDError, and every other event to VPAIDEvent. It reports whether the
// event was due.
func (s *Session) VPAID(name string, d VPAIDData) bool {
	switch {
	case name == "AdVolumeChange":
		return s.VPAIDVolume(d.Muted)
	case name == "AdExpandedChange":
		return s.VPAIDExpanded(d.Expanded)
	case name == "AdError" && d.HasMessage:
		return s.VPAIDError(d.Message)
	}
	return s.VPAIDEvent(name)
}
