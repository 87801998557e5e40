package beacon

// Trigger says what makes a tracking event fire.
type Trigger uint8

const (
	// TriggerTime events fire when continuous playback crosses their
	// startTime (the ad's progress). Unknown event types are taken as
	// such, so a new VAST state event is counted once, never repeated.
	TriggerTime Trigger = iota
	// TriggerPlayer events fire on a real change of the player's state
	// during a rendered ad (pause, mute, fullscreen, a seek back).
	TriggerPlayer
	// TriggerCall events fire on an explicit call: the viewer's click or
	// Skip, the creative's close, an error, a verification report.
	TriggerCall
)

var triggerNames = [...]string{"time", "player", "call"}

func (t Trigger) String() string {
	if int(t) < len(triggerNames) {
		return triggerNames[t]
	}
	return "unknown"
}

// Rule is how VAST 4.x counts one event type.
type Rule struct {
	EventType string
	Trigger   Trigger
	// Once events are counted once per ad view (once per avail for break
	// events): the Dispatcher fires each identity at most once, whatever
	// its URL became. Other events fire on every occurrence and are never
	// deduplicated.
	Once bool
	// Server events are the share MediaTailor fires itself with
	// reportingMode "server"; the player must not send them again.
	Server bool
	// When says when the event fires, for the documentation table.
	When string
}

// rules is the one counting table of the core (VAST 4.1 §3.14.1 tracking
// events, MediaTailor's server-side share). The engine's scheduling
// (timeline.KindOf) and the Dispatcher's dedupe both read it.
var rules = [...]Rule{
	{"breakStart", TriggerTime, true, true, "once per avail, when playback reaches the break"},
	{"impression", TriggerTime, true, true, "once per ad, on its first rendered frame"},
	{"creativeView", TriggerTime, true, false, "once per ad (or companion), when first shown"},
	{"start", TriggerTime, true, true, "once per ad, at its start"},
	{"firstQuartile", TriggerTime, true, true, "once per ad, at 25 %"},
	{"midpoint", TriggerTime, true, true, "once per ad, at 50 %"},
	{"thirdQuartile", TriggerTime, true, true, "once per ad, at 75 %"},
	{"complete", TriggerTime, true, true, "once per ad, at its end (never after a skip)"},
	{"progress", TriggerTime, true, false, "once per ad and offset, when reached"},
	{"breakEnd", TriggerTime, true, true, "once per avail, at the break's end"},
	{"pause", TriggerPlayer, false, false, "each pause while the ad plays"},
	{"resume", TriggerPlayer, false, false, "each play after a pause (never without one)"},
	{"mute", TriggerPlayer, false, false, "each change to muted"},
	{"unmute", TriggerPlayer, false, false, "each change to unmuted"},
	{"fullscreen", TriggerPlayer, false, false, "each change to fullscreen"},
	{"exitFullscreen", TriggerPlayer, false, false, "each change from fullscreen"},
	{"playerExpand", TriggerPlayer, false, false, "each change to fullscreen (VAST 4)"},
	{"playerCollapse", TriggerPlayer, false, false, "each change from fullscreen (VAST 4)"},
	{"expand", TriggerPlayer, false, false, "each expand (VAST 3)"},
	{"collapse", TriggerPlayer, false, false, "each collapse (VAST 3)"},
	{"rewind", TriggerPlayer, false, false, "each seek back inside the playing ad"},
	{"clickTracking", TriggerCall, false, false, "each click-through"},
	{"clickThrough", TriggerCall, false, false, "never fired: the landing page a click opens"},
	{"customClick", TriggerCall, false, false, "each custom click"},
	{"otherAdInteraction", TriggerCall, false, false, "each interaction"},
	{"acceptInvitation", TriggerCall, false, false, "each time the viewer accepts"},
	{"acceptInvitationLinear", TriggerCall, false, false, "each time the viewer accepts"},
	{"adExpand", TriggerCall, false, false, "each expand of the creative"},
	{"adCollapse", TriggerCall, false, false, "each collapse of the creative"},
	{"minimize", TriggerCall, false, false, "each minimize"},
	{"skip", TriggerCall, true, false, "once per ad, when the viewer skips"},
	{"closeLinear", TriggerCall, true, false, "once per ad, when the viewer closes it"},
	{"close", TriggerCall, true, false, "once per ad, when the viewer closes it (VAST 3)"},
	{"interactiveStart", TriggerCall, true, false, "once per ad, when the interactive unit starts"},
	{"overlayViewDuration", TriggerCall, true, false, "once per overlay view"},
	{"notUsed", TriggerCall, true, false, "once per ad that is never shown"},
	{"verificationNotExecuted", TriggerCall, true, false, "once per verification vendor"},
	{"error", TriggerCall, true, false, "once per ad (once per avail for break errors), with [ERRORCODE]"},
}

// ruleIndex maps an event type to its row of rules.
var ruleIndex = func() map[string]int {
	m := make(map[string]int, len(rules))
	for i := range rules {
		m[rules[i].EventType] = i
	}
	return m
}()

// RuleOf returns the counting rule of eventType. A type the table does not
// know is a once-per-ad time event that the player fires: it is never
// repeated and never assumed to be the server's.
func RuleOf(eventType string) Rule {
	if i, ok := ruleIndex[eventType]; ok {
		return rules[i]
	}
	return Rule{EventType: eventType, Trigger: TriggerTime, Once: true}
}

// Rules returns a copy of the counting table, in documentation order.
func Rules() []Rule { return append([]Rule(nil), rules[:]...) }
