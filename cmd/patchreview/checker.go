package main

import (
	"patchreview/checks"
	"patchreview/review"
	"patchreview/storage"
)

// newChecker adapts package checks to storage: a patch's diff is checked as
// a diff; a mail with pasted C code is checked as added code, numbered by
// body line. kernelVersion may be empty (infer the era).
func newChecker(kernelVersion string) storage.Checker {
	opts := checks.Options{KernelVersion: kernelVersion}
	return func(m *review.Message) []review.Finding {
		var fs []checks.Finding
		switch {
		case m.Patch != nil:
			fs = checks.CheckDiff(m.Patch.Diff, opts)
		case m.Kind == review.KindCode:
			fs = checks.CheckCode(review.BodyPath, m.Body, opts)
		}
		out := make([]review.Finding, 0, len(fs))
		for _, f := range fs {
			out = append(out, review.Finding{Rule: f.Rule, Severity: string(f.Severity), Path: f.Path,
				Line: f.Line, Function: f.Function, Code: f.Code, Message: f.Message})
		}
		return out
	}
}
