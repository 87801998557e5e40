// Package vastext reads the VAST fragments MediaTailor passes to the player
// as strings: the content of an ad's extensions[] entries ({type, content},
// content being the inner XML of a VAST <Extension>).
//
// MediaTailor copies an <Extension> verbatim, so the strings are VAST
// markup written by ad servers: CDATA sections, entities, stray whitespace
// and namespaces all occur. The readers here are small hand-written
// scanners (the plugin build carries no encoding/xml) that accept what they
// recognise and skip the rest; they never fail on bad markup, they just
// find less in it.
package vastext
