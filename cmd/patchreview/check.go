package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"patchreview/checks"
	"patchreview/review"
)

// checkedPatch is one patch of 'check --format json' (design.md contract).
type checkedPatch struct {
	Subject   string           `json:"subject"`
	Author    string           `json:"author"`
	MessageID string           `json:"message_id"`
	Findings  []checks.Finding `json:"findings"`
}

// runCheck implements 'patchreview check [--format text|json|sarif]
// [--kernel-version V] [FILE…|-]'. Exit 0: no error findings; 1: error
// findings; 2: usage or unreadable input.
func runCheck(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "text", "output format: text, json or sarif")
	kv := fs.String("kernel-version", "", "kernel version for era-dependent advice, e.g. 2.6.23 or 6.12 (default: infer from the code)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: patchreview check [--format text|json|sarif] [--kernel-version V] [FILE…|-]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *format != "text" && *format != "json" && *format != "sarif" {
		fmt.Fprintf(e.stderr, "patchreview check: unknown format %q (text, json, sarif)\n", *format)
		return 2
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{"-"}
	}
	opts := checks.Options{KernelVersion: *kv}
	var patches []checkedPatch
	for _, name := range files {
		data, err := readInput(e, name)
		if err != nil {
			fmt.Fprintf(e.stderr, "patchreview check: %v\n", err)
			return 2
		}
		ps, err := checkInput(data, name, opts)
		if err != nil {
			fmt.Fprintf(e.stderr, "patchreview check: %s: %v\n", name, err)
			return 2
		}
		patches = append(patches, ps...)
	}
	var err error
	switch *format {
	case "json":
		err = writeJSON(e.stdout, patches)
	case "sarif":
		err = writeSARIF(e.stdout, patches)
	default:
		err = writeText(e.stdout, patches)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "patchreview check: %v\n", err)
		return 2
	}
	for _, p := range patches {
		for _, f := range p.Findings {
			if f.Severity == checks.Error {
				return 1
			}
		}
	}
	return 0
}

func readInput(e env, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(e.stdin)
	}
	return os.ReadFile(name)
}

// checkInput checks an mbox, a single mail (patch or pasted code), or a bare
// diff; anything else is an error.
func checkInput(data []byte, name string, opts checks.Options) ([]checkedPatch, error) {
	if isBareDiff(data) {
		return []checkedPatch{{Findings: nonNil(checks.CheckDiff(string(data), opts))}}, nil
	}
	var out []checkedPatch
	var bad error
	err := review.SplitMbox(bytes.NewReader(data), func(raw []byte) error {
		m, err := review.ParseMessage(raw)
		if err != nil {
			bad = err
			return nil
		}
		p := checkedPatch{Subject: m.Subject.Raw, Author: m.From.String(), MessageID: m.MessageID, Findings: []checks.Finding{}}
		switch {
		case m.Patch != nil:
			p.Findings = nonNil(checks.CheckDiff(m.Patch.Diff, opts))
		case m.Kind == review.KindCode:
			p.Findings = nonNil(checks.CheckCode(name, m.Body, opts))
		default:
			return nil // a reply or cover letter: nothing to check
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil && bad != nil {
		return nil, fmt.Errorf("not a diff, mail or mbox: %v", bad)
	}
	return out, nil
}

// isBareDiff reports whether data is a diff rather than a mail: it starts
// (after blank lines) with a diff header.
func isBareDiff(data []byte) bool {
	s := strings.TrimLeft(string(data[:min(len(data), 4096)]), "\r\n")
	for _, p := range []string{"diff ", "--- ", "Index: ", "From 0000000000000000000000000000000000000000"} {
		if strings.HasPrefix(s, p) {
			return p != "From 0000000000000000000000000000000000000000"
		}
	}
	return false
}

func nonNil(fs []checks.Finding) []checks.Finding {
	if fs == nil {
		return []checks.Finding{}
	}
	return fs
}

func writeJSON(w io.Writer, patches []checkedPatch) error {
	if patches == nil {
		patches = []checkedPatch{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Patches []checkedPatch `json:"patches"`
	}{patches})
}

// writeText prints one checkpatch-like line per finding:
// path:line: ERROR: rule-id: message (function).
func writeText(w io.Writer, patches []checkedPatch) error {
	for _, p := range patches {
		for _, f := range p.Findings {
			if _, err := fmt.Fprintf(w, "%s:%d: %s: %s: %s\n", f.Path, f.Line, strings.ToUpper(string(f.Severity)), f.Rule, f.Message); err != nil {
				return err
			}
		}
	}
	return nil
}
