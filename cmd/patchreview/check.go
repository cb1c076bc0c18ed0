package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"patchreview/checks"
	"patchreview/internal/checker"
	"patchreview/review"
)

const checkUsage = `usage: patchreview check [--format text|json|sarif] [--kernel-version V] [--tree DIR] [-f] [FILE...|-]

Checks patches for writepage and page-cache bugs. A FILE may be an mbox, a
single mail, a bare unified or git diff, a mail whose body carries C code
without a diff, or a C source file (checkpatch.pl -f): a .c or .h file, or
other input that is C code, is checked as a whole new file under the path
given, with its own line numbers; -f (--file) reads every FILE that way.
With no FILE, or FILE "-", standard input is read.

With --tree (or $PATCHREVIEW_TREE), a kernel source tree the patches apply
to: each patched file is read from it and the patch applied in memory, so
whole functions are checked; a patch that does not apply is checked from
its hunks, with a tree-context note saying so.

Exit status: 0 no error findings, 1 error findings, 2 usage or unreadable input.

flags:
`

// checkedPatch is one checked unit of input: a patch mail, a mail with pasted
// code, or a bare diff (empty subject, author and message id).
type checkedPatch struct {
	Subject   string           `json:"subject"`
	Author    string           `json:"author"`
	MessageID string           `json:"message_id"`
	Findings  []checks.Finding `json:"findings"`
	input     string           // the file it came from ("file#n" in an mbox)
}

// header names the patch in text output: its subject and Message-ID, or
// the input for a bare diff or a source file.
func (p checkedPatch) header() string {
	var parts []string
	if s := oneLine(p.Subject); s != "" {
		parts = append(parts, s)
	}
	if p.MessageID != "" {
		parts = append(parts, p.MessageID)
	}
	if len(parts) == 0 {
		parts = append(parts, p.input)
	}
	return "--- " + strings.Join(parts, " ")
}

// runCheck implements 'patchreview check'.
func runCheck(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprint(e.stderr, checkUsage)
		fs.PrintDefaults()
	}
	format := fs.String("format", "text", "output format: text, json or sarif")
	kernel := fs.String("kernel-version", e.getenv("PATCHREVIEW_KERNEL_VERSION"), "kernel version the code is for, such as 2.6.23 or 6.12 (default $PATCHREVIEW_KERNEL_VERSION, else inferred from the code)")
	tree := fs.String("tree", e.getenv("PATCHREVIEW_TREE"), "kernel source tree the patches apply to (default $PATCHREVIEW_TREE)")
	var asFile bool
	fs.BoolVar(&asFile, "f", false, "check every FILE as a C source file, whatever it holds (as checkpatch.pl -f)")
	fs.BoolVar(&asFile, "file", false, "same as -f")
	// Flags may follow the files, as with checkpatch.pl; "--" ends them.
	var names []string
	for rest := args; ; {
		if len(rest) > 0 && rest[0] == "--" {
			names = append(names, rest[1:]...)
			break
		}
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		names = append(names, rest[0])
		rest = rest[1:]
	}
	switch *format {
	case "text", "json", "sarif":
	default:
		fmt.Fprintf(e.stderr, "patchreview check: unknown format %q (want text, json or sarif)\n", *format)
		return 2
	}
	opts, terr := checker.Options(*kernel, *tree)
	if terr != nil {
		fmt.Fprintf(e.stderr, "patchreview check: %v\n", terr)
		return 2
	}

	if len(names) == 0 {
		names = []string{"-"}
	}
	status := 0
	var patches []checkedPatch
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			fmt.Fprintf(e.stderr, "patchreview check: %v\n", err)
			return 2
		}
		data, err := readInput(name, e.stdin)
		if err != nil {
			fmt.Fprintf(e.stderr, "patchreview check: %v\n", err)
			status = 2
			continue
		}
		ps, err := checkInput(displayName(name), data, opts, asFile)
		patches = append(patches, ps...)
		if err != nil {
			fmt.Fprintf(e.stderr, "patchreview check: %s: %v\n", displayName(name), err)
			status = 2
		}
	}

	var err error
	switch *format {
	case "text":
		err = writeText(e.stdout, patches)
	case "json":
		err = writeJSON(e.stdout, patches)
	case "sarif":
		err = writeSARIF(e.stdout, patches)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "patchreview check: writing output: %v\n", err)
		return 2
	}
	if status != 0 {
		return status
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

// maxInput bounds one input file; mboxes larger than this are refused.
const maxInput = 256 << 20

func readInput(name string, stdin io.Reader) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		if stdin == nil {
			return nil, errors.New("no standard input")
		}
		r = stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return nil, fmt.Errorf("%s: is a directory", name)
		}
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", displayName(name), err)
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s: larger than %d MiB", displayName(name), maxInput>>20)
	}
	return data, nil
}

func displayName(name string) string {
	if name == "-" {
		return "<stdin>"
	}
	return name
}

// inputKind is what a file holds, decided from its first lines.
type inputKind int

const (
	kindUnknown inputKind = iota
	kindMbox
	kindMail
	kindDiff
	kindSource // a C source file, checked whole
)

var (
	headerLineRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*:[ \t]`)
	diffStartRE  = regexp.MustCompile(`(?m)^(diff --git |diff -|Index: |--- \S|@@ -\d)`)
)

// detectInput classifies data: an mbox starts with a "From " separator, a
// mail with an RFC 822 header block, a diff with a diff marker; anything else
// that carries a diff marker later (a diff after some prose) is a diff too.
func detectInput(data []byte) inputKind {
	data = skipBlankLines(data)
	if review.IsMbox(data) {
		return kindMbox
	}
	text := string(data)
	first, _, _ := strings.Cut(text, "\n")
	first = strings.TrimRight(first, "\r")
	if diffStartRE.MatchString(first) {
		return kindDiff
	}
	if headerLineRE.MatchString(first) && looksLikeHeaderBlock(text) {
		return kindMail
	}
	if diffStartRE.MatchString(text) {
		return kindDiff
	}
	return kindUnknown
}

// skipBlankLines drops leading lines that hold only white space.
func skipBlankLines(data []byte) []byte {
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			if len(bytes.TrimSpace(data)) == 0 {
				return nil
			}
			return data
		}
		if len(bytes.TrimSpace(data[:i])) != 0 {
			return data
		}
		data = data[i+1:]
	}
	return data
}

// looksLikeHeaderBlock reports whether text opens with header lines
// (continuations allowed) ended by a blank line or the end of the text, and
// at least one of them is a header every mail has.
func looksLikeHeaderBlock(text string) bool {
	known := false
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, "\r")
		switch {
		case l == "":
			return known
		case l[0] == ' ' || l[0] == '\t':
			continue
		case headerLineRE.MatchString(l) || strings.HasSuffix(l, ":"):
			k := strings.ToLower(l[:strings.IndexByte(l, ':')])
			switch k {
			case "from", "subject", "date", "message-id", "to", "received", "return-path":
				known = true
			}
		default:
			return false
		}
	}
	return known
}

// sourceKind refines detectInput's kind with the file's name: a .c or .h
// file is C source unless it opens as an mbox, a mail or a diff (a source
// file may well hold a line like "--- a" further down), and input that is
// no mail or diff but C code is source too. asFile (-f) makes any input
// source.
func sourceKind(name string, data []byte, kind inputKind, asFile bool) inputKind {
	switch {
	case asFile:
		return kindSource
	case strings.HasSuffix(name, ".c") || strings.HasSuffix(name, ".h"):
		first, _, _ := strings.Cut(string(skipBlankLines(data)), "\n")
		if kind == kindMbox || kind == kindMail || kind == kindDiff && diffStartRE.MatchString(strings.TrimRight(first, "\r")) {
			return kind
		}
		return kindSource
	case kind == kindUnknown && review.LooksLikeCode(string(data)):
		return kindSource
	}
	return kind
}

// checkInput checks one file's data. It returns the patches checked so far
// and an error for input that could not be read as mail, mbox, diff or C
// source.
func checkInput(name string, data []byte, opts checks.Options, asFile bool) (ps []checkedPatch, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error in the checks: %v", r)
		}
	}()
	kind := sourceKind(name, data, detectInput(data), asFile)
	if kind == kindSource {
		return []checkedPatch{{Findings: nonNil(checks.CheckFile(name, string(data), opts)), input: name}}, nil
	}
	data = skipBlankLines(data)
	switch kind {
	case kindMbox:
		var out []checkedPatch
		var bad []string
		n := 0
		err := review.SplitMbox(bytes.NewReader(data), func(raw []byte) error {
			n++
			p, ok, err := checkMail(fmt.Sprintf("%s#%d", name, n), raw, opts)
			if err != nil {
				bad = append(bad, fmt.Sprintf("message %d: %v", n, err))
				return nil
			}
			if ok {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return out, err
		}
		if len(bad) > 0 {
			return out, errors.New(strings.Join(bad, "; "))
		}
		return out, nil
	case kindMail:
		p, ok, err := checkMail(name, data, opts)
		if err != nil || !ok {
			return nil, err
		}
		return []checkedPatch{p}, nil
	case kindDiff:
		text := string(data)
		if _, err := review.ParseDiff(text); err != nil {
			return nil, fmt.Errorf("not a readable diff: %v", err)
		}
		return []checkedPatch{{Findings: nonNil(checks.CheckDiff(text, opts)), input: name}}, nil
	default:
		if len(bytes.TrimSpace(data)) == 0 {
			return nil, errors.New("empty input")
		}
		return nil, errors.New("not an mbox, a mail, a diff or C source (-f checks it as a C file)")
	}
}

// checkMail checks one mail: its diff when it carries one, its body as added
// code when it pastes C code, named codePath in findings (the file, and the
// message's number in an mbox). ok is false for mails with nothing to check
// (cover letters, plain replies).
func checkMail(codePath string, raw []byte, opts checks.Options) (p checkedPatch, ok bool, err error) {
	m, err := review.ParseMessage(raw)
	if err != nil {
		return p, false, err
	}
	p = checkedPatch{
		Subject: m.Subject.Raw,
		Author:  m.Author().String(),
		input:   codePath,
	}
	if m.MessageID != "" {
		p.MessageID = "<" + m.MessageID + ">"
	}
	switch {
	case m.Patch != nil && strings.TrimSpace(m.Patch.Diff) != "":
		p.Findings = checks.CheckDiff(m.Patch.Diff, opts)
	case m.Kind == review.KindCode:
		p.Findings = checks.CheckCode(codePath, m.Body, opts)
	default:
		return p, false, nil
	}
	p.Findings = nonNil(p.Findings)
	return p, true, nil
}

func nonNil(fs []checks.Finding) []checks.Finding {
	if fs == nil {
		return []checks.Finding{}
	}
	return fs
}

// writeText prints one checkpatch-like line per finding. With more than one
// patch, the findings of each are preceded by a header line naming it
// ("--- [PATCH 2/3] subject <message-id>"), as checkpatch names files.
func writeText(w io.Writer, patches []checkedPatch) error {
	var b bytes.Buffer
	for _, p := range patches {
		if len(patches) > 1 && len(p.Findings) > 0 {
			b.WriteString(p.header() + "\n")
		}
		for _, f := range p.Findings {
			fmt.Fprintf(&b, "%s:%d: %s: %s: %s\n", f.Path, f.Line, strings.ToUpper(string(f.Severity)), f.Rule, oneLine(f.Message))
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func writeJSON(w io.Writer, patches []checkedPatch) error {
	if patches == nil {
		patches = []checkedPatch{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Patches []checkedPatch `json:"patches"`
	}{patches})
}
