// Package templates holds the HTML templates and static assets, embedded.
package templates

import "embed"

// FS holds the page templates (*.html) and static assets (static/*).
//
//go:embed *.html static/*
var FS embed.FS
