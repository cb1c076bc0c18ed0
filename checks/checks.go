// Package checks finds writepage and page-cache bugs in C patches: a tolerant C
// front end, a control-flow graph per changed function, a dataflow over page
// lock/reference/writeback state, and the rule catalogue of rules.md.
//
// It knows nothing about mail, HTTP or SQL: its input is diff text or C code.
package checks

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
}

// CheckDiff checks a unified or git diff (one or many files). Findings are
// sorted by path, line and rule.
func CheckDiff(diff string, opts Options) []Finding {
	var out []Finding
	for _, u := range parseDiff(diff) {
		out = append(out, checkUnit(u, opts)...)
	}
	return finish(out)
}

// CheckCode checks C code pasted into a mail body, as added code: line numbers
// are lines of body (1-based); path names the code in findings.
func CheckCode(path, body string, opts Options) []Finding {
	return finish(checkUnit(codeUnit(path, body), opts))
}
