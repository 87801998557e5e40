// Package jsdeps holds a test that guards what the plugin links: it lists
// the dependencies of ./wasm as built for GOOS=js GOARCH=wasm and fails on
// packages that are banned from the plugin. The package itself is empty.
package jsdeps
