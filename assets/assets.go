// Package assets holds the files compiled into Rapport: the application icon
// and the sample customers a new user can load from the welcome screen.
//
// The icon is drawn by assets/gen/icon/main.go:
//
//	go run assets/gen/icon/main.go assets/icon.png
package assets

import _ "embed"

// Icon is the application icon, a 512×512 PNG.
//
//go:embed icon.png
var Icon []byte

// SampleJSON is the sample customers as a data.Dataset in JSON.
//
//go:embed sample.json
var SampleJSON []byte
