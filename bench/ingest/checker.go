// Code copied from cmd/patchreview/checker.go (package main cannot be imported); keep in step.

package main

import (
	"context"
	"fmt"

	"patchreview/checks"
	"patchreview/review"
	"patchreview/storage"
)

// newChecker adapts package checks to storage: a patch's diff is checked as
// a diff; a mail with pasted C code is checked as added code, numbered by
// body line. kernelVersion may be empty (infer the era).
//
// The checks run in a goroutine and the checker gives up when ctx ends (the
// message's time budget, or shutdown): storage then stores the message
// with a "check stopped" note and moves on. The abandoned goroutine runs to
// its end in the background; checks.CheckDiffContext, once merged, stops
// it too.
func newChecker(kernelVersion string) storage.Checker {
	opts := checks.Options{KernelVersion: kernelVersion}
	return func(ctx context.Context, m *review.Message) ([]review.Finding, error) {
		type result struct {
			fs  []checks.Finding
			err error
		}
		ch := make(chan result, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					ch <- result{err: fmt.Errorf("checks panicked: %v", p)}
				}
			}()
			var fs []checks.Finding
			switch {
			case m.Patch != nil:
				fs = checks.CheckDiff(m.Patch.Diff, opts)
			case m.Kind == review.KindCode:
				fs = checks.CheckCode(review.BodyPath, m.Body, opts)
			}
			ch <- result{fs: fs}
		}()
		select {
		case r := <-ch:
			if r.err != nil {
				return nil, r.err
			}
			out := make([]review.Finding, 0, len(r.fs))
			for _, f := range r.fs {
				out = append(out, review.Finding{Rule: f.Rule, Severity: string(f.Severity), Path: f.Path,
					Line: f.Line, Function: f.Function, Code: f.Code, Message: f.Message})
			}
			return out, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
