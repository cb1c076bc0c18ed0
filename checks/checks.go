// Package checks finds writepage and page-cache bugs in C patches: a tolerant C
// front end, a control-flow graph per changed function, a dataflow over page
// lock/reference/writeback state, and the rule catalogue of rules.md.
//
// It knows nothing about mail, HTTP or SQL: its input is diff text or C code.
package checks

import (
	"context"
	"io/fs"
	"log/slog"
)

// Severity is how bad a finding is.
type Severity string

// The severities, in the order of the design's JSON contract.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// A Finding is one rule's report, anchored on a line of the post-image.
// The JSON field names are a public contract (design.md, check --format json).
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Path     string   `json:"path"`
	Line     int      `json:"line"`
	Function string   `json:"function"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
}

// Options tune a check run.
type Options struct {
	// KernelVersion such as "2.6.23" or "6.12"; empty means infer the era
	// from the code (rules.md §0.3).
	KernelVersion string
	// Logger receives a line for every internal error (a panic inside a
	// rule); nil means slog.Default().
	Logger *slog.Logger
	// Tree is a kernel source tree the diffs apply to (nil: none). A
	// patched file is read from it and the patch applied in memory, so
	// that hunks become whole functions and the file's other functions
	// are summarised; a patch that does not apply is checked from its
	// hunks, with a tree-context note saying so.
	Tree fs.FS
}

// InternalErrorID is the rule id of the finding that stands for a rule that
// failed (panicked) on a unit: the unit's other findings are kept, and the
// failure is visible instead of silent.
const InternalErrorID = "internal-error"

// CheckDiff checks a unified or git diff (one or many files). Findings are
// sorted by path, line and rule.
func CheckDiff(diff string, opts Options) []Finding {
	fs, _ := CheckDiffContext(context.Background(), diff, opts)
	return fs
}

// CheckDiffContext is CheckDiff under a context: the engine looks at ctx
// between files, functions and rules and inside its long loops, and when ctx
// is done it returns the findings so far with ctx.Err().
func CheckDiffContext(ctx context.Context, diff string, opts Options) ([]Finding, error) {
	var out []Finding
	for _, u := range parseDiff(diff) {
		if err := ctx.Err(); err != nil {
			return finish(out), err
		}
		if opts.Tree != nil {
			if w, why := treeUnit(opts.Tree, u); w != nil {
				u = w
			} else if why != "" {
				out = append(out, treeNote(u, why))
			}
		}
		out = append(out, checkUnit(ctx, u, opts)...)
	}
	return finish(out), ctx.Err()
}

// CheckFile checks a whole C source file as new code (checkpatch.pl -f):
// every line is added, line numbers are the file's own and path, which
// names a source file, is the path in findings and the one rules read.
func CheckFile(path, src string, opts Options) []Finding {
	fs, _ := CheckFileContext(context.Background(), path, src, opts)
	return fs
}

// CheckFileContext is CheckFile under a context, like CheckDiffContext.
func CheckFileContext(ctx context.Context, path, src string, opts Options) ([]Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return finish(checkUnit(ctx, fileUnit(path, src), opts)), ctx.Err()
}

// CheckCode checks C code pasted into a mail body, as added code: line numbers
// are lines of body (1-based); path names the code in findings.
func CheckCode(path, body string, opts Options) []Finding {
	fs, _ := CheckCodeContext(context.Background(), path, body, opts)
	return fs
}

// CheckCodeContext is CheckCode under a context, like CheckDiffContext.
func CheckCodeContext(ctx context.Context, path, body string, opts Options) ([]Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return finish(checkUnit(ctx, codeUnit(path, body), opts)), ctx.Err()
}
