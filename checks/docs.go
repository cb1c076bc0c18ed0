package checks

import (
	"io/fs"
	"strings"
	"sync"
)

// docFS holds the rule docs (docs/<rule-id>.md) once they are embedded;
// nil leaves Rule.Doc empty.
var docFS fs.FS

var docsOnce sync.Once

// loadDocs fills each rule's Doc from docFS, once.
func loadDocs() {
	docsOnce.Do(func() {
		if docFS == nil {
			return
		}
		for _, r := range allRules {
			if b, err := fs.ReadFile(docFS, "docs/"+r.ID+".md"); err == nil {
				r.Doc = strings.TrimSpace(string(b))
			}
		}
	})
}
