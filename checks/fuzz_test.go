package checks

import (
	"strings"
	"testing"
	"time"
)

// fuzzBudget is the time one input may take: generous for the shared CI
// machine, but far below what a quadratic front end needs on a few
// kilobytes of nesting.
func fuzzBudget(s string) time.Duration {
	return 2*time.Second + time.Duration(len(s))*20*time.Microsecond
}

// FuzzCheck feeds arbitrary text to both entry points: the front end and
// every rule must neither panic (an internal-error finding) nor take more
// than the per-input budget.
func FuzzCheck(f *testing.F) {
	f.Add("static int f(struct page *page, struct writeback_control *wbc)\n{\n\tif (x) goto out;\n\tunlock_page(page);\nout:\n\treturn 0;\n}\n")
	f.Add("--- a/fs/x.c\n+++ b/fs/x.c\n@@ -1,2 +1,3 @@ int f(struct page *p)\n a();\n+b(\n }\n")
	f.Add("{{{{ ((( } ) ] case : default : goto ; while (( for (;; do { } while")
	f.Add("#define A \\\n B\n\"unterminated\n'x\n/* open comment")
	f.Add("int f(struct page *page, struct writeback_control *wbc)\n{\n\tx = " + strings.Repeat("g(", 3000) + ";\n}\n")
	f.Add("int f(struct folio *folio)\n{\n" + strings.Repeat("\tif (a) {\n", 500) + strings.Repeat("}\n", 400))
	f.Fuzz(func(t *testing.T, s string) {
		done := make(chan []Finding, 1)
		go func() {
			out := CheckDiff(s, Options{})
			done <- append(out, CheckCode("fs/f.c", s, Options{})...)
		}()
		select {
		case fs := <-done:
			for _, f := range fs {
				if f.Rule == InternalErrorID {
					t.Fatalf("%s on %q", f.Message, truncate(s, 200))
				}
			}
		case <-time.After(fuzzBudget(s)):
			t.Fatalf("over the %v budget on %q", fuzzBudget(s), truncate(s, 200))
		}
	})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return strings.Clone(s)
}
