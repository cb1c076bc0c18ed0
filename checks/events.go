package checks

import "strings"

// evKind is what a statement does to a tracked page or result variable.
type evKind uint8

const (
	evLookup       evKind = iota + 1 // v = lookup(...)
	evUnlock                         // unlock_page(v)
	evLock                           // lock_page(v)
	evPut                            // put_page(v)
	evGet                            // get_page(v)
	evWritepage                      // val = ->writepage(v, ...): unlocked unless ACTIVATE
	evTransfer                       // a callee takes v's lock (and unlocks it)
	evWBStart                        // set_page_writeback(v)
	evWBEnd                          // end_page_writeback(v)
	evRedirty                        // redirty_page_for_writepage(wbc, v)
	evSubmit                         // I/O submitted: completion may unlock/end
	evHavoc                          // an unknown callee got v: anything may happen
	evEscape                         // v is handed out (stored, returned through *pagep)
	evForget                         // v is reassigned
	evSetVal                         // val = constant or unknown
	evWBMaybe                        // a helper got the page: it may have started writeback
	evLockUnknown                    // a helper got the page and the wbc: it may have unlocked it
	evMapErr                         // mapping_set_error(): the error reaches fsync
	evCopy                           // data copied to another page (stacking filesystems)
	evHelperUnlock                   // a helper whose summary unlocks v on every path
	evHelperPut                      // a helper whose summary drops v's reference on every path
	evPassed                         // an unknown callee got v and, by its name, leaves it alone
	evConst                          // tracked constant variable val set to name ("" unknown)
	evDiscard                        // ClearPageUptodate(v): the data is dropped on purpose
	evKeeps                          // a callee whose summary returns with v still locked
	evOutStore                       // *pagep = v: the caller gets v if the function succeeds
	evCopyVal                        // val = value variable v
	evRefUnknown                     // a callee may or may not have dropped v\'s reference
	evElem                           // v = fbatch.folios[i]: the next element; the previous one must be unlocked by now
)

// Value bits of a tracked result variable.
const (
	vZero uint8 = 1 << iota
	vAct
	vErr // negative
	vPos // positive, not ACTIVATE
	vTop // unknown: never report on it
	vAll = vZero | vAct | vErr | vPos
)

// An event is one effect of a statement, in textual order.
type event struct {
	kind   evKind
	v      int8 // tracked page variable, or -1
	val    int8 // tracked value variable, or -1
	bits   uint8
	locked bool // lookups: returns the page locked
	line   int32
	name   string // callee
}

// computeEvents finds the events of a node's tokens: its calls, then the
// assignments of each declarator.
func (fi *fnInfo) computeEvents(toks []token) []event {
	var evs []event
	for _, c := range findCalls(toks) {
		evs = fi.callEvents(evs, c)
	}
	for _, part := range splitTopCommas(toks) {
		if lhs, rhs, ok := assignment(part); ok && len(part) > 0 {
			evs = fi.assignEvents(evs, lhs, rhs, part[0].line)
		}
	}
	// assignments inside call arguments: kmap(*p = page)
	for _, c := range findCalls(toks) {
		for _, a := range c.args {
			if lhs, rhs, ok := assignment(a); ok && len(a) > 0 && len(lhs) > 0 {
				evs = fi.assignEvents(evs, lhs, rhs, a[0].line)
			}
		}
	}
	return fi.constEvents(evs, toks)
}

// assignEvents appends the events of "lhs = rhs".
func (fi *fnInfo) assignEvents(evs []event, lhs, rhs []token, line int32) []event {
	lv := lhsVar(lhs)
	if v, ok := fi.varIdx[lv]; ok && len(rhs) > 1 {
		if w, ok := fi.varIdx[argVar(rhs)]; ok && w == v {
			return evs // an alias: folio = page_folio(page)
		}
	}
	if c, whole := wholeCall(rhs); whole {
		if v, ok := fi.varIdx[lv]; ok && fi.isLookup(c) {
			locked, known := lookupLocks(c, rhs)
			if !known {
				locked = fi.u.retSummary(c.name) == retLocked
			}
			e := event{kind: evLookup, v: v, val: -1, locked: locked, line: line, name: c.name}
			if flagLookups[c.name] && !hasIdentPrefix(rhs, "FGP_") {
				e.bits = 1 // flags in a variable: locked or not is not known
			}
			return append(evs, e)
		}
		if val, ok := fi.valIdx[lv]; ok && len(c.args) > 0 && isWritepageCall(fi, c) {
			v, vok := fi.varIdx[argVar(c.args[0])]
			bits := vZero | vErr | vAct
			if !activateCallees[c.name] && c.name[0] != '(' {
				bits = vZero | vErr
			}
			found := false
			for k := range evs {
				if vok && evs[k].kind == evWritepage && evs[k].v == v {
					evs[k].val, evs[k].bits, found = val, bits, true
				}
			}
			if found {
				return evs
			}
			return append(evs, event{kind: evSetVal, v: -1, val: val, bits: bits, line: line})
		}
	}
	if val, ok := fi.valIdx[lv]; ok {
		if src, ok := fi.valIdx[text(rhs)]; ok && len(rhs) == 1 {
			evs = append(evs, event{kind: evCopyVal, v: src, val: val, line: line})
		} else {
			evs = append(evs, event{kind: evSetVal, v: -1, val: val, bits: constBits(rhs), line: line})
		}
	}
	if v, ok := fi.varIdx[lv]; ok {
		if fi.elems[v] && batchElem(rhs) {
			return append(evs, event{kind: evElem, v: v, val: -1, line: line})
		}
		return append(evs, event{kind: evForget, v: v, val: -1, line: line})
	}
	if v, ok := fi.varIdx[argVar(rhs)]; ok {
		if len(lhs) == 2 && lhs[0].is("*") && fi.isParam(lhs[1].text) {
			// *pagep = page: handed out if the function succeeds (see exitCheck)
			return append(evs, event{kind: evOutStore, v: v, val: -1, line: line})
		}
		if lv != "" && len(lhs) > 1 && fi.copyOnly(lv) {
			return evs // "struct folio *io_folio = folio;": a local copy nothing releases
		}
		return append(evs, event{kind: evEscape, v: v, val: -1, line: line}) // stored or aliased
	}
	if lv == "" {
		for k, t := range rhs {
			if v, ok := fi.varIdx[t.text]; ok && t.kind == tIdent && !(k+1 < len(rhs) && (rhs[k+1].is("->") || rhs[k+1].is("."))) {
				evs = append(evs, event{kind: evEscape, v: v, val: -1, line: line})
			}
		}
	}
	return evs
}

// constBits returns the value bits of an assigned expression.
func constBits(rhs []token) uint8 {
	switch {
	case len(rhs) == 1 && rhs[0].text == "0":
		return vZero
	case len(rhs) == 1 && rhs[0].text == "AOP_WRITEPAGE_ACTIVATE":
		return vAct
	case len(rhs) >= 2 && rhs[0].is("-") && rhs[1].kind == tIdent && strings.HasPrefix(rhs[1].text, "E"):
		return vErr
	}
	return vTop
}

// isWritepageCall reports whether c writes its first argument as a
// ->writepage would: it unlocks the page unless it returns ACTIVATE.
func isWritepageCall(fi *fnInfo, c call) bool {
	if activateCallees[c.name] || c.name == "write_one_page" || c.name == "folio_write_one" {
		return true
	}
	if fi != nil && fi.isParam(c.name) && strings.Contains(c.name, "writepage") {
		return true // writepage_t writepage: the callback write_cache_pages() is given
	}
	return c.name[0] == '(' && strings.Contains(c.name, "writepage")
}

// argEvent is the event a known callee causes on one of its arguments.
type argEvent struct {
	kind evKind
	arg  int
}

// argEvents maps known callees to the event on their page argument.
var argEvents = func() map[string]argEvent {
	m := map[string]argEvent{"folio_batch_add": {evEscape, 1}, "pagevec_add": {evEscape, 1},
		"list_add": {evEscape, 1}, "list_add_tail": {evEscape, 1}, "folio_attach_private": {evEscape, 0},
		"attach_page_private": {evEscape, 0}, "set_page_private": {evEscape, 0}, "set_delayed_call": {evEscape, 2}}
	for _, t := range []struct {
		names map[string]bool
		kind  evKind
	}{{unlockCalls, evUnlock}, {lockCalls, evLock}, {putCalls, evPut}, {getCalls, evGet},
		{wbStartCalls, evWBStart}, {wbEndCalls, evWBEnd}} {
		for n := range t.names {
			m[n] = argEvent{t.kind, 0}
		}
	}
	return m
}()

// copyCalls hand the page's data to another page or file.
var copyCalls = map[string]bool{"copy_highpage": true, "folio_copy": true, "copy_page": true, "memcpy": true,
	"memcpy_page": true, "memcpy_to_page": true, "memcpy_to_folio": true, "memcpy_from_file_folio": true, "memcpy_from_folio": true, "memcpy_from_page": true,
	"kernel_write": true, "__kernel_write": true, "vfs_iter_write": true, "vfs_write": true}

// callEvents appends the events of one call.
func (fi *fnInfo) callEvents(evs []event, c call) []event {
	arg := func(i int) int8 {
		if i < len(c.args) {
			if v, ok := fi.varIdx[argVar(c.args[i])]; ok {
				return v
			}
		}
		return -1
	}
	ev := func(k evKind, v int8) []event {
		if v < 0 && k != evSubmit && k != evMapErr && k != evCopy {
			return evs
		}
		return append(evs, event{kind: k, v: v, val: -1, line: c.line, name: c.name})
	}
	n := c.name
	if fi.readFolio && fi.own >= 0 && !isBenign(n) && !unlockCalls[n] && mapsOwnRange(c, fi.vars[fi.own]) {
		// a request built on the folio's mapping and range
		// (erofs_fscache_req_alloc(folio->mapping, folio_pos(folio), ...))
		// completes, and unlocks, the folio later
		evs = ev(evSubmit, -1)
	}
	if contains(n, "for_each") {
		// list_for_each_entry(folio, ...): every iteration names a new element
		for i := range c.args {
			if v := arg(i); v >= 0 && v != fi.own {
				evs = ev(evForget, v)
			}
		}
		return evs
	}
	if (unlockCalls[n] || putCalls[n] || n == "f2fs_put_page") && len(c.args) > 0 && arg(0) < 0 {
		// released through a local that may point to a tracked page
		// (push_page = i == index ? page : grab_cache_page_nowait(...))
		for _, d := range fi.derived[argVar(c.args[0])] {
			if d != fi.own || fi.summary {
				evs = append(evs, event{kind: evHavoc, v: d, val: -1, line: c.line, name: n})
			}
		}
		return evs
	}
	if (n == "ClearPageUptodate" || n == "folio_clear_uptodate") && arg(0) >= 0 && arg(0) == fi.own {
		return ev(evDiscard, arg(0))
	}
	if a, ok := argEvents[n]; ok {
		return ev(a.kind, arg(a.arg))
	}
	switch {
	case n == "f2fs_put_page":
		if len(c.args) > 1 && !(len(c.args[1]) == 1 && c.args[1][0].text == "0") {
			evs = ev(evUnlock, arg(0))
		}
		return ev(evPut, arg(0))
	case isWritepageCall(fi, c):
		return ev(evWritepage, arg(0))
	case transferCalls[n] || readTransferCalls[n] && fi.readFolio:
		for i := range c.args {
			evs = ev(evTransfer, arg(i))
		}
		return evs
	case n == "mapping_set_error" || n == "filemap_set_wb_err":
		return ev(evMapErr, -1)
	case copyCalls[n]:
		return fi.unknownCall(ev(evCopy, -1), c)
	case rangeUnlock(c):
		for v := range fi.vars {
			if int8(v) != fi.own {
				evs = ev(evHavoc, int8(v))
			}
		}
		return evs
	}
	if i, ok := redirtyCalls[n]; ok {
		if arg(i) < 0 || arg(i) != fi.own {
			evs = ev(evCopy, -1) // dirtying another (lower) page hands the data on
		}
		return ev(evRedirty, arg(i))
	}
	if strings.Contains(n, "submit") {
		evs = ev(evSubmit, -1)
	}
	return fi.unknownCall(evs, c)
}

// unknownCall decides what an unknown callee does to tracked arguments: a
// same-file helper's summary; for the own page, a transfer when it also
// gets the wbc or its name says it writes; for other pages, anything.
func (fi *fnInfo) unknownCall(evs []event, c call) []event {
	if isBenign(c.name) {
		return evs
	}
	passesWbc := false
	for _, a := range c.args {
		if fi.wbcName != "" && exprIs(a, fi.wbcName) {
			passesWbc = true
		}
	}
	for i, a := range c.args {
		v, ok := fi.varIdx[argVar(a)]
		if !ok {
			for _, d := range fi.derived[argVar(a)] {
				if d != fi.own {
					evs = append(evs, event{kind: evHavoc, v: d, val: -1, line: c.line, name: c.name})
				}
			}
			evs = fi.opaqueArg(evs, a, c)
			continue
		}
		if ps, ok := fi.u.summary(c.name, i); ok {
			ev := func(k evKind) { evs = append(evs, event{kind: k, v: v, val: -1, line: c.line, name: c.name}) }
			if ps.escapes && v != fi.own {
				ev(evEscape) // stored by the callee: whoever holds it now releases it
				continue
			}
			switch ps.unlock {
			case effNone:
				ev(evKeeps) // (a writeback it starts is its own to end: not the caller's)
			case effAll:
				ev(evHelperUnlock)
			case effMay:
				ev(evTransfer)
			default:
				ev(evLockUnknown)
				ev(evWBMaybe)
			}
			switch ps.put {
			case effAll:
				ev(evHelperPut)
			case effSome, effUnknown:
				ev(evRefUnknown)
			}
			continue
		}
		if !looksConsuming(c.name) && !fi.indirect(c.name) {
			if passesWbc {
				evs = append(evs, event{kind: evLockUnknown, v: v, val: -1, line: c.line, name: c.name},
					event{kind: evWBMaybe, v: v, val: -1, line: c.line, name: c.name})
				continue
			}
			evs = append(evs, event{kind: evPassed, v: v, val: -1, line: c.line, name: c.name})
			continue
		}
		evs = append(evs, event{kind: evHavoc, v: v, val: -1, line: c.line, name: c.name})
	}
	return evs
}

// indirect reports whether a call goes through a pointer (a parameter,
// (*fp) or ->method): the callee is unknown and may unlock anything.
func (fi *fnInfo) indirect(name string) bool {
	return name[0] == '(' || strings.HasPrefix(name, "->") || fi.isParam(name)
}

// rangeUnlock reports a call that unlocks (and may put) pages by range,
// such as btrfs's process_page_range(..., PROCESS_UNLOCK) or
// extent_clear_unlock_delalloc(): the analysis cannot tell which.
func rangeUnlock(c call) bool {
	if unlockCalls[c.name] {
		return false
	}
	if contains(c.name, "unlock") && (contains(c.name, "page") || contains(c.name, "folio") ||
		contains(c.name, "range") || contains(c.name, "delalloc")) {
		return true
	}
	for _, a := range c.args {
		for _, t := range a {
			if t.kind == tIdent && (contains(t.text, "UNLOCK") || contains(t.text, "RELEASE")) {
				return true
			}
		}
	}
	return false
}

// opaqueArg havocs tracked variables that an argument uses in a way the
// analysis cannot follow (folio ?: newfolio), but not field reads (page->index).
func (fi *fnInfo) opaqueArg(evs []event, a []token, c call) []event {
	for k, t := range a {
		v, ok := fi.varIdx[t.text]
		if !ok || t.kind != tIdent || k+1 < len(a) && (a[k+1].is("->") || a[k+1].is(".") || a[k+1].is("[")) {
			continue
		}
		if v == fi.own || k > 0 && (a[k-1].is("->") || a[k-1].is(".")) {
			continue
		}
		evs = append(evs, event{kind: evHavoc, v: v, val: -1, line: c.line, name: c.name})
	}
	return evs
}

// hasIdentPrefix reports whether an identifier starting with p occurs.
func hasIdentPrefix(toks []token, p string) bool {
	for _, t := range toks {
		if t.kind == tIdent && strings.HasPrefix(t.text, p) {
			return true
		}
	}
	return false
}

// lookupLocks tells whether a known lookup returns its page locked; known
// is false for callees that are not page-cache lookups of the kernel API.
func lookupLocks(c call, toks []token) (locked, known bool) {
	switch {
	case lockedLookups[c.name]:
		return true, true
	case flagLookups[c.name] || c.name == "find_get_page_flags":
		return hasIdentPrefix(toks, "FGP_LOCK") || hasIdentPrefix(toks, "FGP_WRITEBEGIN"), true
	case refLookups[c.name]:
		return false, true
	}
	return false, false
}

// copyOnly reports whether a local pointer is never released, returned or
// stored: a plain copy of a page variable, not a hand-off.
func (fi *fnInfo) copyOnly(name string) bool {
	b := fi.f.body
	for i, t := range b {
		if t.kind != tIdent || t.text != name {
			continue
		}
		if i > 0 && b[i-1].is("return") || i+1 < len(b) && b[i+1].is(";") && i > 0 && b[i-1].is("=") {
			return false
		}
	}
	for _, c := range findCalls(b) {
		if !(unlockCalls[c.name] || putCalls[c.name] || transferCalls[c.name] || c.name == "f2fs_put_page") {
			continue
		}
		for _, a := range c.args {
			if argVar(a) == name {
				return false
			}
		}
	}
	return true
}

// mapsOwnRange reports whether a call gets the page's mapping and its
// position: it works on the page's range of the page cache.
func mapsOwnRange(c call, own string) bool {
	mapping, pos := false, false
	for _, a := range c.args {
		if len(a) >= 3 && a[0].text == own && a[1].is("->") && a[2].text == "mapping" ||
			len(a) >= 3 && (a[0].text == "folio_mapping" || a[0].text == "page_mapping") && hasIdent(a, own) {
			mapping = true
		}
		if len(a) >= 3 && (a[0].text == "folio_pos" || a[0].text == "page_offset") && hasIdent(a, own) {
			pos = true
		}
	}
	return mapping && pos
}
