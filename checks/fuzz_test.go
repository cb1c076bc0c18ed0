package checks

import (
	"strings"
	"testing"
	"time"
)

// FuzzCheck feeds arbitrary text to both entry points: the front end and
// every rule must neither panic nor hang. checkUnit recovers from panics
// to protect the service, so the fuzz target calls the stages directly.
func FuzzCheck(f *testing.F) {
	f.Add("static int f(struct page *page, struct writeback_control *wbc)\n{\n\tif (x) goto out;\n\tunlock_page(page);\nout:\n\treturn 0;\n}\n")
	f.Add("--- a/fs/x.c\n+++ b/fs/x.c\n@@ -1,2 +1,3 @@ int f(struct page *p)\n a();\n+b(\n }\n")
	f.Add("{{{{ ((( } ) ] case : default : goto ; while (( for (;; do { } while")
	f.Add("#define A \\\n B\n\"unterminated\n'x\n/* open comment")
	f.Fuzz(func(t *testing.T, s string) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			for _, u := range append(parseDiff(s), codeUnit("fs/f.c", s)) {
				ui := newUnitInfo(u, Options{})
				var out []Finding
				for _, fi := range ui.funcs {
					fi.runFlow()
				}
				for _, r := range Rules() {
					r.run(&pass{u: ui, rule: r, out: &out})
				}
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("hang on %q", truncate(s, 200))
		}
	})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return strings.Clone(s)
}
