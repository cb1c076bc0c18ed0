package checks

import "strings"

// obsKind is a fact the dataflow found on some path; rules turn
// observations into findings.
type obsKind uint8

const (
	obExitLocked      obsKind = iota + 1 // own page locked at a return
	obExitLockedAsync                    // ... after writeback start and I/O submission
	obLookupLocked                       // looked-up page still locked at a return
	obRefLeak                            // looked-up page reference not dropped
	obDoublePut                          // reference dropped twice
	obUnlockAfterPut                     // unlock after the last put
	obDoubleUnlock                       // unlock of a page a lower writepage unlocked
	obActLeak                            // ACTIVATE result leaves the page locked
	obReturnAct                          // a lower writepage's result returned unfiltered
	obActReturn                          // return AOP_WRITEPAGE_ACTIVATE
	obWBNotEnded                         // writeback started, no I/O, no end
	obWBEndNoStart                       // end_page_writeback without a start
	obIterLeak                           // writeback_iter folio still locked at next iteration
	obExitOther                          // own page not locked at an exit (helper summaries)
	obCleanDropped                       // success returned with the page neither written nor redirtied
	obErrDropped                         // an error seen on the path, 0 returned, nothing recorded
	obUnlockTwice                        // unlock of a page this function (or a helper) already unlocked
	obPutTwice                           // put after a helper already dropped the reference
	obReadExitLocked                     // ->read_folio returns with the folio locked and no read in flight
)

// An obs is one observation, anchored on a line index of the unit.
type obs struct {
	kind     obsKind
	v        int8
	line     int32 // anchor
	rel      int32 // related line (lookup, lock, writepage call)
	exit     int32 // the return (or end of function) the path reaches
	touched  bool
	redirty  bool
	direct   bool // reached a return without a goto
	reclaim  bool
	unlocked bool
	name     string // the helper (or unknown callee) the finding rests on
	kept     string // a summarised callee that returned with the page locked on the path
}

// observe records an observation once; touched paths win.
func (fi *fnInfo) observe(o obs) {
	for i := range fi.obs {
		p := &fi.obs[i]
		if p.kind == o.kind && p.v == o.v && p.line == o.line {
			p.touched = p.touched || o.touched
			p.redirty = p.redirty || o.redirty
			p.reclaim = p.reclaim && o.reclaim
			return
		}
	}
	fi.obs = append(fi.obs, o)
}

// apply runs a node's events on a state.
func (fi *fnInfo) apply(s state, evs []event) state {
	for _, e := range evs {
		if e.kind == evSubmit {
			for i := range s.v {
				s.v[i].async = true
			}
			s.failed = "" // I/O went out after all: a fallback, not a dropped error
			continue
		}
		if e.kind == evWBStart || e.kind == evTransfer {
			s.failed = ""
		}
		if e.kind == evMapErr {
			s.mapErr = true
			continue
		}
		if e.kind == evCopy {
			s.copied = true
			continue
		}
		if e.kind == evDiscard {
			s.discard = true
			continue
		}
		if e.kind == evConst {
			s.kv[e.val] = e.name
			continue
		}
		if e.kind == evCopyVal {
			s.val[e.val] = s.val[e.v]
			continue
		}
		if e.kind == evSetVal {
			for i := range s.v {
				if s.v[i].dep == e.val {
					s.v[i].dep = -1
				}
			}
			s.val[e.val] = e.bits
			continue
		}
		if e.v < 0 {
			continue
		}
		fi.applyVar(&s, e)
	}
	return s
}

// applyVar applies one event to its page variable.
func (fi *fnInfo) applyVar(s *state, e event) {
	v := &s.v[e.v]
	switch e.kind {
	case evLookup:
		*v = vst{lock: lkNone, ref: rfHeld, dep: -1, lline: e.line, owned: true}
		switch {
		case e.bits != 0:
			v.lock = lkUnknown
		case e.locked:
			v.lock = lkLocked
		}
	case evUnlock, evHelperUnlock:
		fi.unlock(s, v, e)
	case evHelperPut:
		if v.ref == rfReleased {
			fi.observe(obs{kind: obPutTwice, v: e.v, line: e.line, rel: v.rline, touched: s.touched, name: v.rby})
		}
		fi.put(s, v, e)
		v.rby = e.name
	case evPassed:
		v.passed = e.name
	case evRefUnknown:
		if v.ref != rfNone {
			v.ref = rfUnknown
		}
	case evOutStore:
		v.out = true
	case evKeeps:
		if v.wb == wbNone {
			v.wb = wbUnknown
		}
		v.kept = e.name
	case evLock:
		v.lock, v.lline, v.dep, v.passed = lkLocked, e.line, -1, ""
		if fi.elems[e.v] {
			v.elem, v.owned = true, true // our lock on a batch element: ours to drop
		}
	case evElem:
		if v.lock == lkLocked && v.elem && fi.releases[e.v]&relUnlock != 0 {
			fi.observe(obs{kind: obLookupLocked, v: e.v, line: e.line, rel: v.lline, touched: s.touched})
		}
		*v = vst{dep: -1}
	case evPut:
		fi.put(s, v, e)
	case evGet:
		if v.ref == rfHeld {
			v.ref = rfHeld2
		}
	case evWritepage:
		v.lline, v.byWP = e.line, true
		v.lock, v.dep = lkUnlocked, -1
		if e.val >= 0 {
			s.val[e.val] = e.bits
			if e.bits&vAct != 0 {
				v.lock, v.dep, v.depBits = lkActDep, e.val, e.bits
			}
		}
	case evTransfer:
		v.lock, v.byWP, v.dep, v.wb = lkUnknown, false, -1, wbUnknown
	case evWBStart:
		v.wb = wbOn
	case evWBEnd:
		if v.wb == wbNone && fi.wp && !fi.excluded && e.v == fi.own {
			fi.observe(obs{kind: obWBEndNoStart, v: e.v, line: e.line, touched: s.touched})
		}
		v.wb = wbEnded
	case evRedirty:
		v.redirty = true
	case evHavoc:
		havoc(v)
	case evWBMaybe:
		if v.wb == wbNone {
			v.wb = wbUnknown
		}
	case evLockUnknown:
		if v.lock != lkNone {
			v.lock = lkUnknown
		}
	case evEscape:
		*v = vst{dep: -1, escaped: true}
	case evForget:
		if v.lock == lkActDep && v.depBits&vAct != 0 {
			fi.observe(obs{kind: obActLeak, v: e.v, line: v.lline, touched: s.touched})
		}
		*v = vst{dep: -1}
	}
}

// unlock applies unlock_page(v): a page a lower writepage already
// unlocked is a double unlock (R03); unlocking after the last put touches
// a page that may be gone (R14).
func (fi *fnInfo) unlock(s *state, v *vst, e event) {
	switch {
	case v.lock == lkActDep && v.depBits&(vZero|vErr|vPos) != 0 && v.depBits&vTop == 0,
		v.lock == lkUnlocked && v.byWP:
		fi.observe(obs{kind: obDoubleUnlock, v: e.v, line: e.line, rel: v.lline, touched: s.touched})
	case v.lock == lkLocked && v.ref == rfReleased:
		fi.observe(obs{kind: obUnlockAfterPut, v: e.v, line: e.line, rel: v.rline, touched: s.touched})
	case v.lock == lkUnlocked && v.uline > 0 && v.passed == "" && (e.kind == evHelperUnlock || v.uby != ""):
		// unlocked on this path already, and nothing that might relock
		// it ran in between: the second unlock hits an unlocked page
		// (or one somebody else locked). Reported when a same-file
		// helper's summary is one of the two unlocks: two open-coded
		// unlocks in a row are left to the eye of the reviewer, because
		// paths the analysis cannot correlate make them noisy.
		name := v.uby
		if e.kind == evHelperUnlock {
			name = e.name
		}
		fi.observe(obs{kind: obUnlockTwice, v: e.v, line: e.line, rel: v.uline - 1, touched: s.touched, name: name})
	}
	v.lock, v.byWP, v.dep, v.passed = lkUnlocked, false, -1, ""
	v.uline, v.uby = e.line+1, ""
	if e.kind == evHelperUnlock {
		v.uby = e.name
		if v.wb == wbNone {
			v.wb = wbUnknown // the helper may have written it
		}
	}
}

// put applies put_page(v); a second put after a branch, of a page looked
// up once, is a double put (R13).
func (fi *fnInfo) put(s *state, v *vst, e event) {
	switch v.ref {
	case rfHeld:
		v.ref, v.rline, v.relBranch, v.rby = rfReleased, e.line, false, ""
	case rfHeld2:
		v.ref = rfHeld
	case rfUnknown:
		v.ref, v.rline, v.relBranch, v.rby = rfReleased, e.line, false, "" // the code says it held one
	case rfReleased:
		if v.rby != "" && e.kind == evPut {
			fi.observe(obs{kind: obPutTwice, v: e.v, line: e.line, rel: v.rline, touched: s.touched, name: v.rby})
			return
		}
		if fi.lookups[e.v] == 1 && v.relBranch {
			fi.observe(obs{kind: obDoublePut, v: e.v, line: e.line, rel: v.rline, touched: s.touched})
		}
	}
}

// exitCheck records what is wrong at a return (n.toks is the value) or at
// the end of the function.
func (fi *fnInfo) exitCheck(n *node, s state) {
	ret := n.toks
	retVar := argVar(ret)
	anchor := anchorOf(s, n.line)
	isAct := len(ret) == 1 && ret[0].text == "AOP_WRITEPAGE_ACTIVATE"
	if val, ok := fi.valIdx[retVar]; ok && s.val[val] == vAct {
		isAct = true
	}
	if fi.summary {
		fi.sumExit(n, s, isAct)
		return
	}
	handedOut := map[int8]bool{}
	if v, ok := fi.varIdx[retVar]; ok && n.kind == nReturn {
		handedOut[v] = true
	}
	for _, v := range fi.derived[retVar] {
		handedOut[v] = true
	}
	if fi.wp && !fi.wpWeak && s.failed != "" && !s.mapErr && !s.eof && n.kind == nReturn && len(ret) == 1 &&
		ret[0].text == "0" && fi.own >= 0 && !s.v[fi.own].redirty {
		fi.observe(obs{kind: obErrDropped, v: fi.own, line: n.line, touched: s.touched})
	}
	if len(ret) == 1 && (ret[0].text == "0" || ret[0].text == s.zero || fi.constIs(s, ret[0].text, "0")) && fi.pageOutParam() {
		for i := range fi.vars {
			handedOut[int8(i)] = true // write_begin: *pagep returns the page locked
		}
	}
	failing := fi.failingReturn(ret, s)
	for i := range fi.vars {
		v := s.v[i]
		if handedOut[int8(i)] || v.out && !failing {
			continue
		}
		if v.escaped || fi.pinned[i] {
			continue
		}
		if int8(i) == fi.own {
			fi.ownExit(n, s, v, anchor, isAct)
		} else {
			switch v.lock {
			case lkLocked:
				if fi.releases[i]&relUnlock == 0 && !fi.pageOutParam() || !v.owned {
					break
				}
				fi.observe(obs{kind: obLookupLocked, v: int8(i), line: anchor, rel: v.lline, touched: s.touched, name: v.passed, kept: v.kept})
			case lkActDep:
				if val, ok := fi.valIdx[retVar]; ok && v.dep == val && fi.isParam(fi.vars[i]) {
					break // the caller passed the page in and gets ACTIVATE back
				}
				if v.depBits&vAct != 0 && v.depBits&vTop == 0 {
					fi.observe(obs{kind: obActLeak, v: int8(i), line: v.lline, touched: s.touched})
				}
			}
			if (v.ref == rfHeld || v.ref == rfHeld2) && (fi.releases[i]&relPut != 0 || fi.pageOutParam()) && v.owned {
				fi.observe(obs{kind: obRefLeak, v: int8(i), line: anchor, rel: v.lline, touched: s.touched})
			}
		}
		if v.wb == wbOn && !v.async && !fi.excluded {
			fi.observe(obs{kind: obWBNotEnded, v: int8(i), line: anchor, rel: v.lline, exit: n.line, touched: s.touched})
		}
	}
	if n.kind != nReturn {
		return
	}
	if val, ok := fi.valIdx[retVar]; ok && s.val[val]&vAct != 0 && s.val[val]&vTop == 0 &&
		(fi.own < 0 && fi.valPage[val] >= 0 && !fi.isParam(fi.vars[fi.valPage[val]]) || // its own page: write_cache_pages
			fi.own >= 0 && s.val[val] != vAct && fi.valPage[val] != fi.own) {
		fi.observe(obs{kind: obReturnAct, v: -1, line: n.line, touched: s.touched})
	}
	if fi.own < 0 {
		return
	}
	if c, whole := wholeCall(ret); whole && activateCallees[c.name] && (len(c.args) == 0 || argVar(c.args[0]) != fi.vars[fi.own]) {
		fi.observe(obs{kind: obReturnAct, v: -1, line: n.line, touched: s.touched})
	}
}

// ownExit checks the own page of a writepage function at an exit.
func (fi *fnInfo) ownExit(n *node, s state, v vst, anchor int32, isAct bool) {
	if fi.writer {
		if isAct {
			fi.observe(obs{kind: obActReturn, v: fi.own, line: n.line, touched: s.touched, reclaim: s.reclaim,
				unlocked: v.lock == lkUnlocked})
			return
		}
		if fi.wbcName != "" && !s.discard && !v.redirty && v.wb == wbNone && !s.eof && !s.mapErr && len(n.toks) == 1 && n.toks[0].text == "0" &&
			n.kind == nReturn && (v.lock == lkLocked || v.lock == lkUnlocked) {
			fi.observe(obs{kind: obCleanDropped, v: fi.own, line: n.line, touched: s.touched, reclaim: s.copied})
		}
		return
	}
	if fi.readFolio {
		if v.lock != lkLocked || v.async || v.assumed && !fi.ownUnlockAfter(s.lastGap) {
			return
		}
		fi.observe(obs{kind: obReadExitLocked, v: fi.own, line: anchor, rel: n.line, touched: s.touched, name: v.passed, kept: v.kept})
		return
	}
	if isAct {
		fi.observe(obs{kind: obActReturn, v: fi.own, line: n.line, touched: s.touched, reclaim: s.reclaim,
			unlocked: v.lock == lkUnlocked})
		return
	}
	if v.lock == lkUnlocked && !v.byWP && !v.redirty && v.wb == wbNone && !s.eof && !s.mapErr &&
		len(n.toks) == 1 && n.toks[0].text == "0" && n.kind == nReturn && fi.f.startKnown {
		fi.observe(obs{kind: obCleanDropped, v: fi.own, line: n.line, touched: s.touched, reclaim: s.copied})
	}
	if v.lock == lkLocked && v.assumed && !fi.ownUnlockAfter(s.lastGap) {
		return // the unknown code may have unlocked it: nothing visible says otherwise
	}
	if v.lock != lkLocked {
		return
	}
	k := obExitLocked
	if v.wb == wbOn && v.async {
		k = obExitLockedAsync
	}
	fi.observe(obs{kind: k, v: fi.own, line: anchor, rel: n.line, touched: s.touched, redirty: v.redirty,
		direct: s.via == 0, name: v.passed, kept: v.kept})
}

// ownUnlockAfter reports whether the visible code can reach an unlock (or
// hand-off) of the own page from node id: then the page is locked after
// the unknown code there, or that unlock would be a double unlock.
func (fi *fnInfo) ownUnlockAfter(id int32) bool {
	if r, ok := fi.unlockReach[id]; ok {
		return r
	}
	seen := make([]bool, len(fi.g.nodes))
	stack := []int{int(id)}
	found := false
	for len(stack) > 0 && !found {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n < 0 || n >= len(seen) || seen[n] {
			continue
		}
		seen[n] = true
		for _, e := range fi.g.nodes[n].evs {
			if e.v == fi.own && (e.kind == evUnlock || e.kind == evTransfer) {
				found = true
			}
		}
		stack = append(stack, fi.g.nodes[n].succ...)
	}
	if fi.unlockReach == nil {
		fi.unlockReach = map[int32]bool{}
	}
	fi.unlockReach[id] = found
	return found
}

// failingReturn reports whether a return statement reports failure: a
// negative errno, ERR_PTR, NULL, or a variable the path showed nonzero.
func (fi *fnInfo) failingReturn(ret []token, s state) bool {
	ret = stripParens(ret)
	switch {
	case len(ret) == 0:
		return false
	case negErrCode(ret), ret[0].is("ERR_PTR"), ret[0].is("ERR_CAST"), len(ret) == 1 && ret[0].is("NULL"):
		return true
	case len(ret) == 1 && ret[0].kind == tIdent:
		if ret[0].text == s.failed {
			return true
		}
		if k, ok := fi.constIdx[ret[0].text]; ok && strings.HasPrefix(s.kv[k], "-") {
			return true
		}
	}
	return false
}
