package web

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"patchreview/templates"
)

// TestEveryPageTemplateParses parses each embedded page template onto the
// base layout and partials, and checks that each one defines the layout it
// is executed through.
func TestEveryPageTemplateParses(t *testing.T) {
	pages, err := parsePages(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(templates.FS, "*.html")
	for _, n := range names {
		if n == "base.html" || n == "partials.html" {
			continue
		}
		p, ok := pages[strings.TrimSuffix(n, ".html")]
		if !ok {
			t.Errorf("%s: not parsed", n)
			continue
		}
		if p.Lookup("base") == nil {
			t.Errorf("%s: no base layout", n)
		}
	}
	if len(pages) < 5 {
		t.Errorf("only %d page templates parsed", len(pages))
	}
}

// TestBrokenTemplateIsReported shows that a page template with a syntax
// error fails at start-up with its name, instead of at the first request.
func TestBrokenTemplateIsReported(t *testing.T) {
	base, _ := fs.ReadFile(templates.FS, "base.html")
	partials, _ := fs.ReadFile(templates.FS, "partials.html")
	fsys := fstest.MapFS{
		"base.html":     {Data: base},
		"partials.html": {Data: partials},
		"broken.html":   {Data: []byte(`{{define "content"}}{{if .X}}unclosed{{end}}`)},
	}
	_, err := parsePages(fsys)
	if err == nil || !strings.Contains(err.Error(), "broken.html") {
		t.Fatalf("parsePages = %v, want an error naming broken.html", err)
	}
}
