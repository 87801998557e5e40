// Package jsconv converts Go values to JavaScript values and back.
//
// It does the job of github.com/norunners/vert, which cannot be fetched here:
// struct fields map to object properties named by a `js:"name"` tag (the Go
// field name when untagged, `js:"-"` to skip, `js:"name,omitempty"` to leave
// zero values out). The same tags drive AppendJSON, so a value that crosses
// the boundary as a JSON string has the same shape as one built with ValueOf.
//
// The package builds only for GOOS=js; this file exists so that native
// builds of ./... see a package.
package jsconv
