package checks

import "strings"

var ruleR09 = &Rule{
	ID: "writepage-sync-mode-must-not-skip", Number: "R09", Severity: Warning,
	Title: "Skipping, redirtying or giving up on a page is only allowed for WB_SYNC_NONE (or reclaim); WB_SYNC_ALL must wait and write",
	run:   runR09,
}

// skipGuardWords mark conditions under which code may want to skip a page.
var skipGuardWords = []string{"PageWriteback", "folio_test_writeback", "trylock", "congested", "in_flight",
	"busy", "_inflight"}

// syncTestWords mark conditions that already restrict the skip to
// non-integrity writeback.
var syncTestWords = []string{"sync_mode", "for_reclaim", "PF_MEMALLOC", "for_background", "WB_SYNC_NONE"}

// runR09 reports skip paths (redirty or give up, then return 0 or
// continue) guarded by a writeback/trylock/busy test that no enclosing
// condition limits to WB_SYNC_NONE.
func runR09(p *pass) {
	for _, fi := range p.u.funcs {
		if !fi.wp && fi.wbcName == "" {
			continue
		}
		p.skipPaths(fi, fi.body, nil)
	}
}

func (p *pass) skipPaths(fi *fnInfo, s *stmt, conds [][]token) {
	if s == nil {
		return
	}
	if s.kind == sIf {
		if guardWord(s.toks, skipGuardWords) && !guardedBySync(append(conds, s.toks)) {
			if line, warned, ok := skipBody(s.body); ok && p.u.changed(line) {
				sev, msg := Warning, "this skip path is taken for WB_SYNC_ALL too: fsync() may return before the data is written; skip only if wbc->sync_mode == WB_SYNC_NONE, otherwise wait (wait_on_page_writeback / folio_wait_writeback) and write"
				if warned {
					sev, msg = Info, "the skip relies on a WARN_ON(wbc->sync_mode == WB_SYNC_ALL) assumption: make it a test of wbc->sync_mode"
				}
				p.report(fi, line, sev, true, msg)
			}
		}
		conds = append(conds, s.toks)
	}
	for _, c := range s.list {
		p.skipPaths(fi, c, conds)
	}
	p.skipPaths(fi, s.body, conds)
	p.skipPaths(fi, s.els, conds)
}

// skipBody reports whether a branch redirties or gives up and then
// returns 0 or continues; line is that return or continue.
func skipBody(s *stmt) (line int32, warned, ok bool) {
	redirty := false
	var walk func(x *stmt)
	walk = func(x *stmt) {
		if x == nil || x.kind == sIf && guardWord(x.toks, syncTestWords) {
			return // a nested sync-mode test decides for itself
		}
		for _, c := range findCalls(x.toks) {
			if _, r := redirtyCalls[c.name]; r {
				redirty = true
			}
			if strings.HasPrefix(c.name, "WARN_ON") && hasIdent(x.toks, "sync_mode") {
				warned = true
			}
		}
		if (x.kind == sReturn && len(x.toks) == 1 && x.toks[0].text == "0" || x.kind == sContinue) && !ok {
			line, ok = x.line, true
		}
		for _, c := range x.list {
			walk(c)
		}
		walk(x.body)
		walk(x.els)
	}
	walk(s)
	return line, warned, ok && redirty
}

func guardWord(toks []token, words []string) bool {
	for _, t := range toks {
		for _, w := range words {
			if t.kind == tIdent && strings.Contains(t.text, w) {
				return true
			}
		}
	}
	return false
}

func guardedBySync(conds [][]token) bool {
	for _, c := range conds {
		if guardWord(c, syncTestWords) {
			return true
		}
	}
	return false
}
