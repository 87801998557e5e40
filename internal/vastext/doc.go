// Package vastext reads the VAST fragments MediaTailor passes through in its
// client-side tracking JSON as raw XML text: an ad's extensions[] entries
// ({type, content}) keep the VAST element they came from, so the player has
// to read them itself.
//
// The readers are small, lenient and pure Go (no encoding/xml, no fmt): the
// content is a single known element, often hand-edited or re-escaped on the
// way, and a reader that cannot make sense of it reports "not found" rather
// than an error, since a missing interactive layer must never stop the
// stitched ad.
package vastext
