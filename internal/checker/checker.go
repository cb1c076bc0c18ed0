// Package checker adapts package checks to storage, for the commands that
// ingest mail (patchreview serve and ingest, and bench/ingest), so that
// they all run the same checks the same way; patchreview check takes its
// options from here too.
package checker

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"

	"patchreview/checks"
	"patchreview/review"
	"patchreview/storage"
)

// New adapts package checks to storage: a patch's diff is checked as
// a diff; a mail with pasted C code is checked as added code, numbered by
// body line. kernelVersion may be empty (infer the era); tree, when not
// empty, is a kernel source tree the patches are applied to, so that whole
// functions are checked.
//
// The checks stop when ctx ends (the message's time budget, or shutdown):
// the findings made until then come back with ctx's error, and storage
// stores the message with a "check stopped" note and moves on.
func New(kernelVersion, tree string) (storage.Checker, error) {
	opts, err := Options(kernelVersion, tree)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, m *review.Message) ([]review.Finding, error) {
		var fs []checks.Finding
		var err error
		switch {
		case m.Patch != nil:
			fs, err = checks.CheckDiffContext(ctx, m.Patch.Diff, opts)
		case m.Kind == review.KindCode:
			fs, err = checks.CheckCodeContext(ctx, review.BodyPath, m.Body, opts)
		}
		out := make([]review.Finding, 0, len(fs))
		for _, f := range fs {
			out = append(out, review.Finding{Rule: f.Rule, Severity: string(f.Severity), Path: f.Path,
				Line: f.Line, Function: f.Function, Code: f.Code, Message: f.Message})
		}
		return out, err
	}, nil
}

// Options are the checks' options of the commands' --kernel-version and
// --tree (patchreview check, serve and ingest): kernelVersion, when not
// empty, must read as a version (2.6.23, v6.12, 6.1-rc3); tree, when not
// empty, is a kernel source tree and must be a directory (the errors say
// so, naming the flag).
func Options(kernelVersion, tree string) (checks.Options, error) {
	if kernelVersion != "" && !kernelVersionRE.MatchString(kernelVersion) {
		return checks.Options{}, fmt.Errorf("bad --kernel-version %q (want a version such as 2.6.23 or 6.12)", kernelVersion)
	}
	opts := checks.Options{KernelVersion: strings.TrimPrefix(kernelVersion, "v")}
	if tree != "" {
		if st, err := os.Stat(tree); err != nil || !st.IsDir() {
			return checks.Options{}, fmt.Errorf("--tree %q is not a directory", tree)
		}
		opts.Tree = os.DirFS(tree)
	}
	return opts, nil
}

var kernelVersionRE = regexp.MustCompile(`^v?\d+\.\d+(\.\d+)*(-rc\d+)?(-mm\d+)?$`)
