package checks

// Lock, reference and writeback states of a tracked page (rules.md §0.2).
const (
	lkNone     uint8 = iota // no obligation (untracked, failed lookup, handed out)
	lkLocked                // locked by us
	lkUnlocked              // unlocked
	lkActDep                // unlocked by a lower writepage unless it returned ACTIVATE
	lkUnknown               // an unknown callee or gap may have changed it
)

const (
	rfNone uint8 = iota
	rfHeld
	rfHeld2
	rfReleased
	rfUnknown
)

const (
	wbNone uint8 = iota
	wbOn
	wbEnded
	wbUnknown
)

// vst is the abstract state of one tracked page variable.
type vst struct {
	lock, ref, wb  uint8
	dep            int8  // value variable an lkActDep lock depends on, or -1
	depBits        uint8 // possible results of that writepage
	redirty, async bool
	byWP           bool   // unlocked by a lower writepage
	escaped        bool   // handed out: the caller owns what is left
	owned          bool   // obligations come from a lookup in this function
	assumed        bool   // locked by assumption across unknown code
	relBranch      bool   // a branch or jump was taken since the reference was dropped
	lline, rline   int32  // line of the lookup/lock/writepage; of the release
	uline          int32  // 1 + line of the last unlock, 0 for none
	uby, rby       string // the helper that unlocked / dropped the reference, if one did
	passed         string // an unknown callee that got the page since its last lock or unlock
	kept           string // a summarised callee that returned with the page still locked
	out            bool   // stored through an out parameter (*pagep = page)
	elem           bool   // an element of a batch or array, locked by this function
}

// state is one abstract path state; it is comparable so that states can be
// deduplicated per node.
type state struct {
	v       [maxVars]vst
	val     [maxVals]uint8
	via     int32             // 1 + line of the last goto/break taken, 0 for none
	touched bool              // the path crosses a changed line
	reclaim bool              // a wbc->for_reclaim test was true on the path
	eof     bool              // a size/truncation test was passed (beyond-EOF pages may be dropped)
	mapErr  bool              // mapping_set_error() was called
	copied  bool              // data was copied to another page
	lastGap int32             // node of the last unknown code on the path (0: the entry)
	zero    string            // an untracked variable a branch showed to be 0 (if (ret) ... else)
	failed  string            // an error variable a branch showed to be nonzero (if (err) ...)
	kv      [maxConsts]string // values of the tracked constant variables ("" unknown)
	discard bool              // the own page was marked not uptodate: dropped on purpose
}

// Flow limits: states per node and total steps per function.
const (
	maxStatesPerNode = 256
	maxSteps         = 200000
)

type workItem struct {
	n int
	s state
}

// runFlow runs the dataflow over the function's graph once and records
// observations for the rules.
func (fi *fnInfo) runFlow() {
	if fi.flowDone {
		return
	}
	fi.flowDone = true
	if len(fi.vars) == 0 && len(fi.vals) == 0 {
		return
	}
	fi.prepareEvents()
	fi.explore(fi.entryState())
}

// entryState is the state at the function's entry: the own page locked
// when the function's start is visible, unknown otherwise.
func (fi *fnInfo) entryState() state {
	var s state
	for i := range s.v {
		s.v[i].dep = -1
	}
	for i := range s.val {
		s.val[i] = vTop
	}
	if fi.own >= 0 {
		o := &s.v[fi.own]
		if fi.f.startKnown {
			o.lock, o.wb = lkLocked, wbNone
			if fi.summary {
				o.ref = rfHeld // the caller's reference: does the helper drop it?
			}
		} else {
			// Unknown code precedes the fragment: assume the page is
			// still locked, but report only where the visible code
			// unlocks it later (see ownExit).
			o.lock, o.wb, o.assumed = lkLocked, wbUnknown, true
			s.lastGap = 0 // the entry node
		}
	}
	return s
}

// explore propagates states through the graph, path-sensitively up to
// state equality, within the limits.
func (fi *fnInfo) explore(s0 state) {
	seen := make([]map[state]struct{}, len(fi.g.nodes))
	work := []workItem{{0, s0}}
	steps := 0
	for len(work) > 0 && steps < maxSteps {
		if steps&1023 == 1023 && fi.u.cancelled() {
			return
		}
		it := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[it.n] == nil {
			seen[it.n] = map[state]struct{}{}
		}
		if _, ok := seen[it.n][it.s]; ok || len(seen[it.n]) >= maxStatesPerNode {
			continue
		}
		seen[it.n][it.s] = struct{}{}
		steps++
		work = fi.step(it.n, it.s, work)
	}
}

// step applies node n to state s and queues the successors.
func (fi *fnInfo) step(id int, s state, work []workItem) []workItem {
	n := &fi.g.nodes[id]
	if fi.u.changed(n.line) {
		s.touched = true
	}
	switch n.kind {
	case nNop:
		for _, x := range n.succ {
			work = append(work, workItem{x, s})
		}
	case nExpr, nSwitch:
		if s.failed != "" {
			if lhs, _, ok := assignment(n.toks); ok && lhsVar(lhs) == s.failed {
				s.failed = "" // a new value: the old failure no longer holds
			}
		}
		s = fi.apply(s, n.evs)
		for _, x := range n.succ {
			work = append(work, workItem{x, s})
		}
	case nCond:
		markBranch(&s)
		if eofTest(n.toks) {
			s.eof = true
		}
		if n.iter >= 0 {
			return fi.iterStep(n, s, work)
		}
		s = fi.apply(s, n.evs)
		for b, x := range n.succ {
			sc, ok := fi.refineConst(s, stripParens(n.toks), b == 0)
			if !ok {
				continue // the path's own constants rule this branch out
			}
			if s2, ok := fi.refine(sc, n.toks, b == 0); ok {
				work = append(work, workItem{x, s2})
			}
		}
	case nReturn:
		s = fi.apply(s, n.evs)
		fi.exitCheck(n, s)
	case nExit:
		fi.exitCheck(n, s)
	case nGoto:
		markBranch(&s)
		s.via = n.line + 1
		for _, x := range n.succ {
			work = append(work, workItem{x, s})
		}
	case nGap:
		for i := range s.v {
			if int8(i) == fi.own && s.v[i].lock == lkLocked {
				s.v[i].assumed, s.v[i].wb, s.v[i].async = true, wbUnknown, true
				s.lastGap = int32(id)
				continue
			}
			havoc(&s.v[i])
		}
		for i := range s.val {
			s.val[i] = vTop
		}
		work = append(work, workItem{n.succ[0], s})
	}
	return work
}

// iterStep handles the head of a writeback_iter loop: the folio of the
// previous iteration must be unlocked (or handed on) before the next call.
func (fi *fnInfo) iterStep(n *node, s state, work []workItem) []workItem {
	v := &s.v[n.iter]
	if v.lock == lkLocked {
		fi.observe(obs{kind: obIterLeak, v: n.iter, line: anchorOf(s, n.line), rel: v.lline, touched: s.touched,
			redirty: v.redirty})
	}
	s.via = 0
	in := s
	in.v[n.iter] = vst{lock: lkLocked, dep: -1, lline: n.line}
	out := s
	out.v[n.iter] = vst{dep: -1}
	work = append(work, workItem{n.succ[0], in})
	if len(n.succ) > 1 {
		work = append(work, workItem{n.succ[1], out})
	}
	return work
}

// anchorOf is the line a path's finding points at: the last goto taken,
// or the given line.
func anchorOf(s state, line int32) int32 {
	if s.via != 0 {
		return s.via - 1
	}
	return line
}

// eofWords mark size and truncation tests (rules.md R08 guards).
var eofWords = map[string]bool{"i_size_read": true, "i_size": true, "end_index": true, "isize": true,
	"folio_pos": true, "page_offset": true, "mapping": true, "size": true, "EOF": true, "i_size_write": true}

func eofTest(toks []token) bool {
	for _, t := range toks {
		if t.kind == tIdent && eofWords[t.text] {
			return true
		}
	}
	return false
}

// markBranch notes a branch on every released reference: a second put
// after a branch is a double put of merged paths; two puts in a row are
// usually deliberate (dropping a reference taken elsewhere).
func markBranch(s *state) {
	for i := range s.v {
		if s.v[i].ref == rfReleased {
			s.v[i].relBranch = true
		}
	}
}

// havoc forgets what is known about a page after unknown code.
func havoc(v *vst) {
	if v.lock != lkNone {
		v.lock = lkUnknown
	}
	if v.ref != rfNone {
		v.ref = rfUnknown
	}
	v.wb = wbUnknown
	v.async = true
}
