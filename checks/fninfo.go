package checks

import (
	"regexp"
	"strings"
)

// maxFuncTokens bounds the body of a function the engine analyses
// (about 30,000 lines of kernel code).
const maxFuncTokens = 200000

// maxVars and maxVals bound the tracked variables of one function.
const (
	maxVars = 8
	maxVals = 4
)

// fnInfo is one function prepared for the rules: its tree, graph, the
// tracked variables and the dataflow's observations.
type fnInfo struct {
	u           *unitInfo
	f           *function
	body        *stmt
	g           *cfg
	wp          bool // a ->writepage-like function (rules.md §0.1)
	wpWeak      bool // only the name says so: report one level lower
	readFolio   bool // a ->read_folio/->readpage: the own folio must be unlocked or read
	writer      bool // a per-folio writer known by what it does: it starts writeback on its page parameter
	excluded    bool // *_locked, completion handlers
	own         int8 // the own page variable, or -1
	wbcName     string
	vars        []string
	varIdx      map[string]int8
	vals        []string
	valIdx      map[string]int8
	valPage     [maxVals]int8 // the page each writepage result belongs to
	obs         []obs
	flowDone    bool
	releases    [maxVars]uint8    // relPut, relUnlock: the body releases the variable somewhere
	lookups     [maxVars]int      // lookup sites per variable
	pinned      [maxVars]bool     // looked up in a loop that keeps the references
	iterVars    [maxVars]bool     // writeback_iter folios: per-folio writepage contract
	elems       [maxVars]bool     // elements of a folio_batch, pagevec or page array
	derived     map[string][]int8 // local -> tracked variables its value was computed from
	summary     bool              // a summary analysis of a helper (see summary.go)
	tooLong     bool              // the body is over maxFuncTokens: not analysed
	retMode     bool              // ... of what it returns
	constVars   []string
	constIdx    map[string]int8
	sumExits    uint8          // exit classes seen (ex*)
	sumRets     uint8          // return classes seen (rt*)
	unlockReach map[int32]bool // per gap node: an own-page unlock is reachable              // analysing a helper for its caller: record every exit
}

// wpNameRe is the weak name heuristic of rules.md §0.1 #6.
var wpNameRe = regexp.MustCompile(`_write_?page$`)

// excludedNameRe matches the §0.1 exclusions.
var excludedNameRe = regexp.MustCompile(`(_locked$|end_io|endio|_complete|_done|nounlock|_nolock)`)

// newFnInfo classifies a function and builds its tree and graph.
func newFnInfo(u *unitInfo, f *function) *fnInfo {
	fi := &fnInfo{u: u, f: f, own: -1, varIdx: map[string]int8{}, valIdx: map[string]int8{}}
	if len(f.body) > maxFuncTokens {
		// No kernel function comes near this (the longest are a few
		// thousand lines); a generated or hostile one would cost
		// gigabytes of graph and states. Its body is not analysed, and
		// a finding says so (runTooLong).
		fi.tooLong = true
		f.body = nil
	}
	fi.body = parseBody(collapseUnbalanced(f.body))
	if w := f.paramOfType("writeback_control"); w != nil {
		fi.wbcName = w.name
	}
	fi.classify()
	if fi.tooLong {
		fi.wp, fi.wpWeak, fi.readFolio, fi.own = false, false, false, -1
		fi.vars, fi.varIdx = nil, map[string]int8{}
	}
	return fi
}

// prepare finds the tracked variables and builds the graph.
func (fi *fnInfo) prepare() {
	if fi.own < 0 && !fi.wp && !fi.readFolio && !fi.tooLong {
		fi.classifyWriter()
	}
	fi.collectVars()
	fi.g = buildCFG(fi.body, fi.f.closeLine, fi.f.endKnown)
	for i := range fi.g.nodes {
		n := &fi.g.nodes[i]
		if n.kind == nCond && n.loop {
			n.iter = fi.iterVar(n.toks)
		}
	}
}

// prepareEvents computes every node's events; it runs once all functions
// of the unit are known, so that helper summaries can be found.
func (fi *fnInfo) prepareEvents() {
	for i := range fi.g.nodes {
		n := &fi.g.nodes[i]
		if len(n.toks) > 0 && n.evs == nil {
			n.evs = fi.computeEvents(n.toks)
		}
	}
}

// classify decides whether the function is a writepage context.
func (fi *fnInfo) classify() {
	f := fi.f
	fi.excluded = excludedNameRe.MatchString(f.name) || strings.Contains(f.name, "writepages")
	if fi.u.readFolio[f.name] && !fi.excluded && len(f.params) == 2 && pageType(f.params[1].typ) {
		fi.readFolio = true
		fi.own = fi.addVar(f.params[1].name)
		return
	}
	var pg *param
	if len(f.params) > 0 && pageType(f.params[0].typ) {
		pg = &f.params[0]
	}
	if pg == nil || fi.excluded {
		return
	}
	switch {
	case fi.u.registered[f.name]:
		fi.wp = true
	case len(f.params) == 2 && strings.Contains(f.params[1].typ, "writeback_control") && strings.Contains(pg.typ, "page"):
		fi.wp = true
	case len(f.params) >= 2 && strings.Contains(f.params[1].typ, "writeback_control") &&
		(strings.Contains(pg.typ, "folio") || len(f.params) == 3 && strings.Contains(f.params[2].typ, "void")):
		fi.wp = unlocksSomewhere(f.body, pg.name)
	case wpNameRe.MatchString(f.name):
		fi.wp, fi.wpWeak = unlocksSomewhere(f.body, pg.name), true
	}
	if fi.wp && pg.name != "" {
		fi.own = fi.addVar(pg.name)
	}
}

// classifyWriter recognises a per-folio writer by what it does, whatever
// its parameter order ((io, folio, len) as well as (folio, wbc)): it starts
// writeback on one of its page/folio parameters. Its page stays locked
// for its caller, so only the writer's own duties apply (R07, R08).
func (fi *fnInfo) classifyWriter() {
	if fi.excluded || !fi.f.startKnown {
		return
	}
	for _, c := range findCalls(fi.f.body) {
		if len(c.args) == 0 || c.name == fi.f.name {
			continue
		}
		name := ""
		if wbStartCalls[c.name] {
			name = argVar(c.args[0])
		} else if !isBenign(c.name) && fi.u.byName[c.name] != nil {
			// a same-file helper that starts writeback on its argument
			// (nfs_folio_set_writeback)
			for i, a := range c.args {
				if ps, ok := fi.u.summary(c.name, i); ok && ps.wbStart {
					name = argVar(a)
				}
			}
		}
		if name == "" {
			continue
		}
		for _, pr := range fi.f.params {
			if pr.name == name && name != "" && pageType(pr.typ) {
				fi.writer = true
				fi.own = fi.addVar(name)
				if fi.wbcName == "" {
					fi.wbcName = localOfType(fi.f.body, "writeback_control")
				}
				return
			}
		}
	}
}

// collectAliases makes "folio = page_folio(page)" and "page = &folio->page"
// name the same tracked variable as the page they convert.
func (fi *fnInfo) collectAliases() {
	walkStmts(fi.body, func(s *stmt) {
		for _, part := range splitTopCommas(s.toks) {
			lhs, rhs, ok := assignment(part)
			if !ok || len(rhs) < 2 {
				continue
			}
			lv := lhsVar(lhs)
			if v, ok := fi.varIdx[argVar(rhs)]; ok && lv != "" && argVar(rhs) != text(rhs) {
				if _, taken := fi.varIdx[lv]; !taken {
					fi.varIdx[lv] = v
				}
			}
		}
	})
}

// unlocksSomewhere reports whether a body unlocks (or hands to a transfer
// callee) the named page on some path: weaker writepage signals need it,
// since helpers with the same signature often leave unlocking to the caller.
func unlocksSomewhere(body []token, name string) bool {
	for _, c := range findCalls(body) {
		if !unlockCalls[c.name] && !transferCalls[c.name] && c.name != "f2fs_put_page" {
			continue
		}
		for _, a := range c.args {
			if argVar(a) == name {
				return true
			}
		}
	}
	return false
}

// addVar tracks a page/folio variable and returns its index (-1 when full).
func (fi *fnInfo) addVar(name string) int8 {
	if v, ok := fi.varIdx[name]; ok {
		return v
	}
	if len(fi.vars) >= maxVars || name == "" {
		return -1
	}
	fi.vars = append(fi.vars, name)
	fi.varIdx[name] = int8(len(fi.vars) - 1)
	return int8(len(fi.vars) - 1)
}

func (fi *fnInfo) addVal(name string) {
	if _, ok := fi.valIdx[name]; !ok && len(fi.vals) < maxVals {
		fi.valPage[len(fi.vals)] = -1
	}
	if _, ok := fi.valIdx[name]; ok || len(fi.vals) >= maxVals || name == "" {
		return
	}
	fi.vals = append(fi.vals, name)
	fi.valIdx[name] = int8(len(fi.vals) - 1)
}

// collectVars finds the variables to track: lookup results, pages given to
// a lower writepage, writeback_iter folios, and writepage results.
func (fi *fnInfo) collectVars() {
	fi.collectAliases()
	walkStmts(fi.body, func(s *stmt) {
		for _, part := range [][]token{s.toks, s.init, s.post} {
			fi.collectFrom(part)
		}
	})
	fi.collectAliases()
	fi.collectReleases()
	fi.collectPinned()
	fi.collectConsts()
	fi.validateElems()
}

// validateElems keeps the batch elements whose loop body unlocks them as
// one of its own statements (lock, work, unlock per element). A loop that
// unlocks only on an error path keeps its folios locked on purpose
// (btrfs lock_delalloc_folios locks a whole range).
func (fi *fnInfo) validateElems() {
	var keep [maxVars]bool
	var loops [maxVars]int
	walkStmts(fi.body, func(s *stmt) {
		if s.kind != sFor && s.kind != sWhile && s.kind != sDo || s.body == nil {
			return
		}
		var taken, unlocked [maxVars]bool
		for _, x := range s.body.list {
			if x.kind != sExpr {
				continue
			}
			for _, d := range splitTopCommas(x.toks) {
				if lhs, rhs, ok := assignment(d); ok && batchElem(rhs) {
					if v, ok := fi.varIdx[lhsVar(lhs)]; ok {
						taken[v] = true
					}
				}
			}
			for _, c := range findCalls(x.toks) {
				if unlockCalls[c.name] && len(c.args) > 0 {
					if v, ok := fi.varIdx[argVar(c.args[0])]; ok {
						unlocked[v] = true
					}
				}
			}
		}
		for v := range keep {
			keep[v] = keep[v] || fi.elems[v] && taken[v] && unlocked[v]
			if taken[v] {
				loops[v]++
			}
		}
	})
	for v := range keep {
		// one variable for the elements of several loops (lock all
		// pages in one, unlock them in another): not a per-element lock
		keep[v] = keep[v] && loops[v] == 1
	}
	fi.elems = keep
}

// Release kinds recorded per variable.
const (
	relPut uint8 = 1 << iota
	relUnlock
)

// collectPinned marks variables looked up in a loop whose body never puts
// them: the loop pins pages on purpose and something else releases them.
func (fi *fnInfo) collectPinned() {
	walkStmts(fi.body, func(s *stmt) {
		if s.kind != sWhile && s.kind != sFor && s.kind != sDo {
			return
		}
		var parts [][]token
		walkStmts(s.body, func(x *stmt) { parts = append(parts, x.toks, x.post) })
		for v, name := range fi.vars {
			looked, put := false, false
			for _, part := range parts {
				for _, d := range splitTopCommas(part) {
					if lhs, rhs, ok := assignment(d); ok && lhsVar(lhs) == name {
						c, whole := wholeCall(rhs)
						looked = looked || whole && fi.isLookup(c)
					}
				}
				for _, c := range findCalls(part) {
					if (putCalls[c.name] || c.name == "f2fs_put_page") && len(c.args) > 0 && argVar(c.args[0]) == name {
						put = true
					}
				}
			}
			if looked && !put {
				fi.pinned[v] = true
			}
		}
	})
}

// collectReleases records which tracked variables the body ever unlocks
// or puts, how many lookups assign each, and which locals derive from
// them. A variable the function never releases is managed elsewhere
// (pinned pages, helper-owned references): leaks are only reported for
// variables the function itself releases on some path.
func (fi *fnInfo) collectReleases() {
	fi.derived = map[string][]int8{}
	types := varTypes(fi)
	walkStmts(fi.body, func(s *stmt) {
		for _, part := range [][]token{s.toks, s.init, s.post} {
			for _, c := range findCalls(part) {
				for _, a := range c.args {
					v, ok := fi.varIdx[argVar(a)]
					if !ok {
						continue
					}
					switch {
					case putCalls[c.name]:
						fi.releases[v] |= relPut
					case c.name == "f2fs_put_page":
						fi.releases[v] |= relPut | relUnlock
					case unlockCalls[c.name] || transferCalls[c.name] || isWritepageCall(fi, c):
						fi.releases[v] |= relUnlock
					}
				}
			}
			for _, d := range splitTopCommas(part) {
				lhs, rhs, ok := assignment(d)
				if !ok {
					continue
				}
				lv := lhsVar(lhs)
				if c, whole := wholeCall(rhs); whole && fi.isLookup(c) {
					if v, ok := fi.varIdx[lv]; ok {
						fi.lookups[v]++
					}
					continue
				}
				if _, tracked := fi.varIdx[lv]; tracked || lv == "" || !strings.Contains(types[lv], "*") {
					continue
				}
				for _, t := range rhs {
					if v, ok := fi.varIdx[t.text]; ok && t.kind == tIdent {
						fi.derived[lv] = append(fi.derived[lv], v)
					}
				}
			}
		}
	})
}

func (fi *fnInfo) collectFrom(toks []token) {
	if len(toks) == 0 {
		return
	}
	if fi.iterVar(toks) >= 0 {
		return
	}
	for _, c := range findCalls(toks) {
		if isWritepageCall(fi, c) && len(c.args) > 0 {
			fi.addVar(argVar(c.args[0]))
		}
	}
	for _, part := range splitTopCommas(toks) {
		lhs, rhs, ok := assignment(part)
		if !ok {
			continue
		}
		lv := lhsVar(lhs)
		c, whole := wholeCall(rhs)
		switch {
		case whole && fi.isLookup(c):
			fi.addVar(lv)
		case lv != "" && batchElem(rhs):
			if v := fi.addVar(lv); v >= 0 {
				fi.elems[v] = true
			}
		case whole && isWritepageCall(fi, c):
			fi.addVal(lv)
			if val, ok := fi.valIdx[lv]; ok && len(c.args) > 0 {
				if v, ok := fi.varIdx[argVar(c.args[0])]; ok {
					fi.valPage[val] = v
				}
			}
		case len(rhs) == 1 && rhs[0].text == "AOP_WRITEPAGE_ACTIVATE":
			fi.addVal(lv)
		case len(rhs) == 1 && rhs[0].kind == tIdent && lv != "" && lv != rhs[0].text:
			if src, ok := fi.valIdx[rhs[0].text]; ok {
				fi.addVal(lv) // ret = error: the result travels on
				if dst, ok := fi.valIdx[lv]; ok {
					fi.valPage[dst] = fi.valPage[src]
				}
			}
		}
	}
}

// iterVar returns the tracked folio of a writeback_iter loop condition,
// adding it when needed, or -1.
func (fi *fnInfo) iterVar(cond []token) int8 {
	for _, c := range findCalls(cond) {
		if c.name != "writeback_iter" {
			continue
		}
		inner := cond
		for len(inner) >= 2 && inner[0].is("(") && inner[len(inner)-1].is(")") {
			inner = inner[1 : len(inner)-1]
		}
		if lhs, _, ok := assignment(inner); ok {
			v := fi.addVar(lhsVar(lhs))
			if v >= 0 {
				fi.iterVars[v] = true
			}
			return v
		}
	}
	return -1
}

// splitTopCommas splits a declaration list at its top-level commas.
func splitTopCommas(toks []token) [][]token {
	var out [][]token
	depth, start := 0, 0
	for k, t := range toks {
		switch {
		case t.is("(") || t.is("[") || t.is("{"):
			depth++
		case t.is(")") || t.is("]") || t.is("}"):
			depth--
		case t.is(",") && depth == 0:
			out = append(out, toks[start:k])
			start = k + 1
		}
	}
	return append(out, toks[start:])
}

// walkStmts calls fn on s and every statement below it.
func walkStmts(s *stmt, fn func(*stmt)) {
	if s == nil {
		return
	}
	fn(s)
	for _, c := range s.list {
		walkStmts(c, fn)
	}
	walkStmts(s.body, fn)
	walkStmts(s.els, fn)
}

// isParam reports whether name is a parameter of the function.
func (fi *fnInfo) isParam(name string) bool {
	for _, p := range fi.f.params {
		if p.name == name {
			return true
		}
	}
	return false
}

// collapseUnbalanced rewrites what the input cannot show the structure of.
// Code from the fragment start (or a gap) through a '}' that closes a
// block opened before it becomes unknown code. A gap inside blocks may
// close and reopen them, so it is lifted to the function level: the open
// blocks are closed before it and reopened after it, and every path
// crosses it.
func collapseUnbalanced(body []token) []token {
	out := make([]token, 0, len(body))
	anchor, depth := 0, 0
	for _, t := range body {
		switch {
		case t.kind == tGap:
			for k := 0; k < depth; k++ {
				out = append(out, token{kind: tPunct, text: "}", line: t.line, col: -1})
			}
			out = append(out, t)
			anchor = len(out) - 1
			for k := 0; k < depth; k++ {
				out = append(out, token{kind: tPunct, text: "{", line: t.line, col: -1})
			}
			continue
		case t.is("{"):
			depth++
		case t.is("}"):
			depth--
			if depth < 0 {
				gap := token{kind: tGap, line: t.line}
				if anchor < len(out) {
					gap.line = out[anchor].line
				}
				out = append(out[:anchor], gap)
				anchor, depth = len(out)-1, 0
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// iterFolio returns the folio variable of a writeback_iter loop, or -1.
func (fi *fnInfo) iterFolio(loop *stmt) int8 {
	inner := stripParens(loop.toks)
	if lhs, _, ok := assignment(inner); ok {
		if v, ok := fi.varIdx[lhsVar(lhs)]; ok {
			return v
		}
	}
	return -1
}

// pageOutParam reports whether the function hands a page or folio out
// through a pointer parameter (write_begin's struct page **pagep).
func (fi *fnInfo) pageOutParam() bool {
	for _, p := range fi.f.params {
		if strings.Contains(p.typ, "page**") || strings.Contains(p.typ, "folio**") {
			return true
		}
	}
	return false
}

// localOfType returns the name of the first local declared with a type
// that names typ ("struct writeback_control *wbc = io->io_wbc;"), or "".
func localOfType(body []token, typ string) string {
	for i := 0; i+3 < len(body); i++ {
		if body[i].is(typ) && body[i+1].is("*") && body[i+2].kind == tIdent && (body[i+3].is("=") || body[i+3].is(";")) {
			return body[i+2].text
		}
	}
	return ""
}

// batchElem reports whether an expression is one element of a batch or
// array of pages: fbatch.folios[i], pvec->pages[i], cc->rpages[i].
func batchElem(rhs []token) bool {
	rhs = stripParens(rhs)
	if len(rhs) < 6 || !rhs[len(rhs)-1].is("]") {
		return false
	}
	for k := 1; k+1 < len(rhs); k++ {
		if (rhs[k].is(".") || rhs[k].is("->")) && rhs[k+1].kind == tIdent && k+2 < len(rhs) && rhs[k+2].is("[") {
			n := rhs[k+1].text
			return contains(n, "folios") || contains(n, "pages")
		}
	}
	return false
}
