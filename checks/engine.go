package checks

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"strings"
)

// A pass is one rule run over one unit.
type pass struct {
	u    *unitInfo
	rule *Rule
	out  *[]Finding
}

// report records a finding of the pass's rule on a line index of the unit.
// A finding whose line is unchanged and whose path crosses no changed line
// is pre-existing: it is reported as info.
func (p *pass) report(fi *fnInfo, line int32, sev Severity, touched bool, msg string) {
	if line < 0 || int(line) >= len(p.u.lines) || p.u.lines[line].gap {
		return
	}
	if p.u.whole {
		f := fi
		if f == nil {
			f = p.u.funcAt(line)
		}
		if !p.u.changed(line) && (f == nil || !p.u.touched[f]) {
			return // a whole file from the tree: only the functions the patch changes
		}
	}
	if !touched && !p.u.changed(line) {
		sev = Info
		msg = "pre-existing: " + msg
	}
	name := ""
	if fi != nil {
		name = fi.f.name
	} else if f := p.u.funcAt(line); f != nil {
		name = f.f.name
	}
	l := p.u.lines[line]
	*p.out = append(*p.out, Finding{Rule: p.rule.ID, Severity: sev, Path: p.u.path, Line: l.num,
		Function: name, Code: l.text, Message: msg})
}

// lineNum is the new-side number of a line index, for messages.
func (p *pass) lineNum(line int32) int {
	if line < 0 || int(line) >= len(p.u.lines) {
		return 0
	}
	return p.u.lines[line].num
}

// lower returns the severity one level lower.
func lower(s Severity) Severity {
	if s == Error {
		return Warning
	}
	return Info
}

// maxUnitLines bounds the lines of one file the engine analyses.
const maxUnitLines = 300000

// checkUnit runs every rule over one unit. A bug in a rule must not take
// the service down, nor hide silently: a panic in the front end or in one
// rule becomes an internal-error finding and a log line, and the findings
// of the other rules are kept. ctx is looked at between functions and
// rules and inside the dataflow; when it is done the findings so far are
// returned.
func checkUnit(ctx context.Context, u *unit, opts Options) (out []Finding) {
	var ui *unitInfo
	stage := "the C front end"
	defer func() {
		if r := recover(); r != nil {
			out = append(out, internalError(u, opts, stage, r))
		}
	}()
	if len(u.lines) > maxUnitLines {
		// A file diff this long is generated or hostile (the longest
		// kernel source files are a few tens of thousands of lines):
		// its tokens alone would cost hundreds of megabytes.
		line := 1
		if len(u.lines) > 0 {
			line = u.lines[0].num
		}
		return []Finding{{Rule: CheckLimitID, Severity: Info, Path: u.path, Line: line,
			Message: fmt.Sprintf("the diff of %s has more than %d lines: it was not analysed", u.path, maxUnitLines)}}
	}
	ui = newUnitInfo(u, opts)
	ui.ctx = ctx
	stage = "the dataflow"
	for _, fi := range ui.funcs {
		if ctx.Err() != nil {
			return out
		}
		fi.runFlow()
	}
	for _, fi := range ui.funcs {
		if fi.tooLong {
			out = append(out, Finding{Rule: CheckLimitID, Severity: Info, Path: u.path, Line: ui.lines[fi.f.sigLine].num,
				Function: fi.f.name, Message: fmt.Sprintf("%s has more than %d tokens: its body was not analysed", fi.f.name, maxFuncTokens)})
		}
	}
	for _, r := range Rules() {
		if ctx.Err() != nil {
			break
		}
		if r.run != nil {
			out = runRule(ui, r, opts, out)
		}
	}
	return subsumed(ui, out)
}

// runRule runs one rule, turning a panic into an internal-error finding.
func runRule(ui *unitInfo, r *Rule, opts Options, out []Finding) (res []Finding) {
	n := len(out)
	defer func() {
		if x := recover(); x != nil {
			res = append(out[:n:n], internalError(ui.unit, opts, "rule "+r.ID, x))
		}
	}()
	r.run(&pass{u: ui, rule: r, out: &out})
	return out
}

// internalError logs a panic and returns the finding that reports it.
func internalError(u *unit, opts Options, stage string, x any) Finding {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	log.Error("checks: internal error", "stage", stage, "path", u.path, "panic", fmt.Sprint(x),
		"stack", string(debug.Stack()))
	line := 0
	for _, l := range u.lines {
		if !l.gap {
			line = l.num
			break
		}
	}
	return Finding{Rule: InternalErrorID, Severity: Warning, Path: u.path, Line: line,
		Message: fmt.Sprintf("internal error in %s: %v; this file's findings may be incomplete (please report it with the patch)", stage, x)}
}

// subsumed drops findings inside ->sync_page implementations other than
// the sync-page-obsolete finding itself: the fix is to delete the whole
// function (the reference review: "Do you need a unionfs_sync_page at
// all? I think not"), so its details are noise.
func subsumed(ui *unitInfo, fs []Finding) []Finding {
	out := fs[:0]
	for _, f := range fs {
		if f.Rule != ruleR22.ID && ui.isSyncPageImpl(f.Function) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// finish sorts findings by path, line and rule and drops duplicates.
func finish(fs []Finding) []Finding {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Rule < b.Rule
	})
	out := fs[:0]
	for i, f := range fs {
		if i > 0 && f.Path == fs[i-1].Path && f.Line == fs[i-1].Line && f.Rule == fs[i-1].Rule {
			continue
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// pathUnder reports whether a path lies under one of the prefixes.
func pathUnder(path string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(path, p) || strings.Contains(path, "/"+p) {
			return true
		}
	}
	return false
}
