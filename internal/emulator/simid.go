package emulator

import (
	"encoding/xml"
	"strings"

	"github.com/availkit/availkit/internal/emulator/vast"
)

// icfType is the extensions[] type MediaTailor gives an interactive
// creative file.
const icfType = "InteractiveCreativeFile"

// extensionJSON is one extensions[] entry for a VAST <Extension>. An
// InteractiveCreativeFile extension (VAST 3's way of carrying SIMID) is
// written as MediaTailor writes it, the same as the VAST 4 element: the
// white space the VAST had around the URL is not kept.
func extensionJSON(e vast.Extension) jsonExtension {
	if e.Type == icfType {
		var f vast.InteractiveCreativeFile
		if err := xml.Unmarshal([]byte(strings.TrimSpace(e.Inner)), &f); err == nil && strings.TrimSpace(f.URL) != "" {
			return interactiveJSON(f)
		}
	}
	return jsonExtension{Content: strings.TrimSpace(e.Inner), Type: e.Type}
}

// appendInteractive adds the Linear's VAST 4 <InteractiveCreativeFile>
// elements to extensions, where MediaTailor reports them (AWS player
// controls page, "Interactive ads (SIMID)"); the element itself is not
// stitched.
func appendInteractive(dst []jsonExtension, lin *vast.Linear) []jsonExtension {
	for _, f := range lin.InteractiveCreativeFiles {
		if strings.TrimSpace(f.URL) != "" {
			dst = append(dst, interactiveJSON(f))
		}
	}
	return dst
}

// interactiveJSON renders f the way AWS's example shows it: the attributes
// in VAST order, a line break, then the URL right before the closing tag.
func interactiveJSON(f vast.InteractiveCreativeFile) jsonExtension {
	var b strings.Builder
	b.WriteString("<InteractiveCreativeFile")
	attr := func(name, v string) {
		if v == "" {
			return
		}
		b.WriteString(" " + name + `="`)
		xml.EscapeText(&b, []byte(v))
		b.WriteString(`"`)
	}
	attr("type", f.Type)
	attr("apiFramework", f.APIFramework)
	attr("variableDuration", f.VariableDuration)
	b.WriteString(">\n")
	xml.EscapeText(&b, []byte(strings.TrimSpace(f.URL)))
	b.WriteString("</InteractiveCreativeFile>")
	return jsonExtension{Content: b.String(), Type: icfType}
}
