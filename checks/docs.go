package checks

import (
	"embed"
	"io/fs"
	"strings"
	"sync"
)

// docFS holds checks/docs/<rule-id>.md, one Markdown doc per rule. The
// "all:" pattern keeps the build working while the directory holds only
// its .gitkeep.
//
//go:embed all:docs
var docFS embed.FS

var docsOnce sync.Once

// loadDocs fills each rule's Doc from docFS, once. A rule without a doc
// keeps an empty Doc (TestRegistry reports it).
func loadDocs() {
	docsOnce.Do(func() {
		for _, r := range allRules {
			if b, err := fs.ReadFile(docFS, "docs/"+r.ID+".md"); err == nil {
				r.Doc = strings.TrimSpace(string(b))
			}
		}
	})
}
