package checks

import "strings"

// Function summaries: what a function does to each page/folio parameter on
// every path, and what it returns. They are computed by the same dataflow
// as the rules, for every complete function of the unit, on demand and
// memoised; a helper's own callees are summarised first (a depth-first
// fixpoint over the call graph; a recursive cycle stays unknown). Callers
// use the summaries in place of the name heuristic; mined kernel
// contracts (contracts.go) stand in for callees outside the unit.

// effect is what every path of a function does to a parameter.
type effect uint8

const (
	effUnknown effect = iota // not known (not summarised, or it varies in ways the caller cannot use)
	effAll                   // every path does it
	effNone                  // no path does it
	effMay                   // no path provably keeps it; some hand it on (a transfer)
	effSome                  // some paths do, some do not
)

// paramSum summarises a function's effect on one page/folio parameter.
type paramSum struct {
	unlock  effect
	put     effect
	wbStart bool // some path starts writeback on it
	escapes bool // some path stores it (in a struct, a list): the caller's obligations go with it
	source  string
}

// retKind is what a function returns.
type retKind uint8

const (
	retNone   retKind = iota // nothing known
	retLocked                // a page locked and with a reference (NULL or ERR_PTR on failure)
	retRef                   // a page with a reference
)

// sumKey names one parameter of one function.
type sumKey struct {
	name string
	arg  int
}

// sumResult is the memoised summary of one parameter; ok is false when
// nothing is known.
type sumResult struct {
	ps paramSum
	ok bool
}

// Exit classes the summary dataflow records (fnInfo.sumExits).
const (
	exLocked uint8 = 1 << iota
	exUnlocked
	exOther // handed on, unknown, or returned ACTIVATE
	exPut
	exNoPut
	exPutOther
	exWB
	exEscape
)

// Return classes (fnInfo.sumRets).
const (
	rtLocked uint8 = 1 << iota
	rtRef
	rtFail
	rtOther
)

// summary returns what the function name does to its page parameter arg.
func (ui *unitInfo) summary(name string, arg int) (paramSum, bool) {
	k := sumKey{name, arg}
	if r, ok := ui.sums[k]; ok {
		return r.ps, r.ok
	}
	if ui.busy[name] {
		return paramSum{}, false // recursion: unknown for now
	}
	ui.busy[name] = true
	ps, ok := ui.computeSummary(name, arg)
	delete(ui.busy, name)
	if !ok {
		ps, ok = ui.contractSummary(name, arg)
	}
	ui.sums[k] = sumResult{ps, ok}
	return ps, ok
}

// helperInfo builds a fresh analysis of a complete same-file function for
// a summary, or nil.
func (ui *unitInfo) helperInfo(name string) *fnInfo {
	h := ui.byName[name]
	if h == nil || !h.f.complete() || ui.cancelled() {
		return nil
	}
	return &fnInfo{u: ui, f: h.f, body: h.body, own: -1, varIdx: map[string]int8{}, valIdx: map[string]int8{},
		wp: true, wbcName: h.wbcName, summary: true}
}

// analyse runs the dataflow of a summary analysis.
func (fi *fnInfo) analyse() {
	fi.collectVars()
	fi.g = buildCFG(fi.body, fi.f.closeLine, fi.f.endKnown)
	for i := range fi.g.nodes {
		n := &fi.g.nodes[i]
		if n.kind == nCond && n.loop {
			n.iter = fi.iterVar(n.toks)
		}
		if len(n.toks) > 0 {
			n.evs = fi.computeEvents(n.toks)
		}
	}
	fi.explore(fi.entryState())
}

func (ui *unitInfo) computeSummary(name string, arg int) (paramSum, bool) {
	fi := ui.helperInfo(name)
	if fi == nil || arg >= len(fi.f.params) || !pageType(fi.f.params[arg].typ) {
		return paramSum{}, false
	}
	fi.own = fi.addVar(fi.f.params[arg].name)
	if fi.own < 0 {
		return paramSum{}, false
	}
	fi.analyse()
	x := fi.sumExits
	if x == 0 {
		return paramSum{}, false // no exit reached: nothing to say
	}
	ps := paramSum{wbStart: x&exWB != 0, escapes: x&exEscape != 0, source: "the body of " + name + "()"}
	switch {
	case x&exLocked != 0 && x&(exUnlocked|exOther) != 0:
		ps.unlock = effSome
	case x&exLocked != 0:
		ps.unlock = effNone
	case x&exOther != 0:
		ps.unlock = effMay
	case fi.locksParam():
		ps.unlock = effMay // it locks the page itself first (handle_write_error): not a second unlock
	default:
		ps.unlock = effAll
	}
	switch {
	case x&exPut != 0 && x&(exNoPut|exPutOther) == 0:
		ps.put = effAll
	case x&exPut == 0 && x&exPutOther == 0:
		ps.put = effNone
	case x&exPut != 0 && x&exNoPut != 0:
		ps.put = effSome
	}
	return ps, true
}

// retSummary returns what the function name returns.
func (ui *unitInfo) retSummary(name string) retKind {
	if r, ok := ui.rets[name]; ok {
		return r
	}
	if ui.busy[name] {
		return retNone
	}
	ui.busy[name] = true
	r := ui.computeRet(name)
	delete(ui.busy, name)
	if r == retNone {
		r = ui.contractRet(name)
	} else {
		ui.retOwn[name] = true
	}
	ui.rets[name] = r
	return r
}

func (ui *unitInfo) computeRet(name string) retKind {
	fi := ui.helperInfo(name)
	if fi == nil || !fi.f.retPage || !returnsValue(fi.f.body) {
		return retNone
	}
	fi.retMode = true
	fi.analyse()
	switch fi.sumRets &^ rtFail {
	case rtLocked:
		return retLocked
	case rtRef:
		return retRef
	}
	return retNone
}

// returnsValue reports whether a body has a "return X;" that names a
// variable or a call (a cheap filter before a return summary).
func returnsValue(body []token) bool {
	for i := 0; i+2 < len(body); i++ {
		if body[i].is("return") && body[i+1].kind == tIdent && body[i+1].text != "NULL" && body[i+1].text != "ERR_PTR" {
			return true
		}
	}
	return false
}

// sumExit records, in a summary analysis, the state of the parameter at an
// exit, or what a return statement hands back.
func (fi *fnInfo) sumExit(n *node, s state, isAct bool) {
	if fi.retMode {
		if n.kind == nReturn {
			fi.sumRets |= fi.retClass(n.toks, s)
		}
		return
	}
	if fi.own < 0 {
		return
	}
	v := s.v[fi.own]
	switch {
	case v.escaped:
		fi.sumExits |= exOther | exEscape
	case isAct:
		fi.sumExits |= exOther
	case v.lock == lkLocked:
		fi.sumExits |= exLocked
	case v.lock == lkUnlocked:
		fi.sumExits |= exUnlocked
	default:
		fi.sumExits |= exOther
	}
	switch v.ref {
	case rfReleased:
		fi.sumExits |= exPut
	case rfHeld:
		fi.sumExits |= exNoPut
	default:
		fi.sumExits |= exPutOther
	}
	if v.wb == wbOn {
		fi.sumExits |= exWB
	}
}

// retClass classifies the value of one return statement.
func (fi *fnInfo) retClass(ret []token, s state) uint8 {
	ret = stripParens(ret)
	if len(ret) == 0 {
		return rtOther
	}
	if len(ret) == 1 && (ret[0].text == "NULL" || ret[0].text == "0") || ret[0].is("ERR_PTR") || ret[0].is("ERR_CAST") {
		return rtFail
	}
	if v, ok := fi.varIdx[argVar(ret)]; ok && v != fi.own {
		st := s.v[v]
		switch {
		case st.lock == lkNone && st.ref == rfNone && !st.escaped:
			return rtFail // a failed lookup (tested NULL or IS_ERR)
		case st.lock == lkLocked && (st.ref == rfHeld || st.ref == rfHeld2):
			return rtLocked
		case st.lock == lkNone && (st.ref == rfHeld || st.ref == rfHeld2):
			return rtRef
		}
		return rtOther
	}
	if c, whole := wholeCall(ret); whole {
		if flagLookups[c.name] && !hasIdentPrefix(ret, "FGP_") {
			return rtOther
		}
		if locked, known := lookupLocks(c, ret); known && locked {
			return rtLocked
		} else if known {
			return rtRef
		}
		switch fi.u.retSummary(c.name) {
		case retLocked:
			return rtLocked
		case retRef:
			return rtRef
		}
	}
	return rtOther
}

// isLookup reports whether a call returns a page or folio with a
// reference (and perhaps locked): a page-cache lookup or a wrapper of one.
func (fi *fnInfo) isLookup(c call) bool {
	if lockedLookups[c.name] || flagLookups[c.name] || refLookups[c.name] {
		return true
	}
	if c.name == "" || c.name[0] == '(' || c.name[0] == '-' || fi.u == nil {
		return false
	}
	return fi.u.retSummary(c.name) != retNone
}

// summarySource says where a callee's summary comes from.
func (ui *unitInfo) summarySource(name string) string {
	for k, r := range ui.sums {
		if k.name == name && r.ok {
			if strings.HasPrefix(r.ps.source, "mined") {
				return r.ps.source
			}
			return "its body in this file"
		}
	}
	return "its summary"
}

// locksParam reports whether the function locks its own page parameter
// somewhere (lock_page, folio_lock, trylock).
func (fi *fnInfo) locksParam() bool {
	for _, c := range findCalls(fi.f.body) {
		if (lockCalls[c.name] || c.name == "trylock_page" || c.name == "folio_trylock") && len(c.args) > 0 {
			if v, ok := fi.varIdx[argVar(c.args[0])]; ok && v == fi.own {
				return true
			}
		}
	}
	return false
}
