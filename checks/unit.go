package checks

import "context"

// unitInfo is a unit prepared for the rules: tokens, functions, the
// writepage registrations and the era.
type unitInfo struct {
	*unit
	ctx        context.Context // nil: never cancelled
	toks       []token
	funcs      []*fnInfo
	byName     map[string]*fnInfo
	registered map[string]bool // .writepage = fn
	syncPage   map[string]bool // .sync_page = fn
	era        era
	sums       map[sumKey]sumResult
	inSummary  bool
}

type sumKey struct {
	name string
	arg  int
}

// sumResult is what a same-file helper does to a locked page argument.
type sumResult uint8

const (
	sumNone    sumResult = iota // not known
	sumUnlocks                  // every path unlocks (or hands on) the page
	sumKeeps                    // every path returns with the page still locked
	sumMixed                    // some paths unlock, some do not
)

// newUnitInfo tokenizes a unit and prepares its functions.
func newUnitInfo(u *unit, opts Options) *unitInfo {
	ui := &unitInfo{unit: u, byName: map[string]*fnInfo{}, registered: map[string]bool{},
		syncPage: map[string]bool{}, sums: map[sumKey]sumResult{}}
	markCompat(u.lines)
	ui.toks = lexLines(u.lines)
	ui.era = inferEra(ui.toks, opts.KernelVersion)
	ui.scanRegistrations()
	for _, f := range extractFunctions(ui.toks) {
		fi := newFnInfo(ui, f)
		ui.funcs = append(ui.funcs, fi)
		if _, dup := ui.byName[f.name]; !dup && f.name != "" {
			ui.byName[f.name] = fi
		}
	}
	return ui
}

// scanRegistrations finds ".writepage = fn", "->writepage = fn" and the
// same for ->sync_page anywhere in the unit.
func (ui *unitInfo) scanRegistrations() {
	t := ui.toks
	for i := 0; i+3 < len(t); i++ {
		if !(t[i].is(".") || t[i].is("->")) || !t[i+2].is("=") || t[i+3].kind != tIdent {
			continue
		}
		switch t[i+1].text {
		case "writepage":
			ui.registered[t[i+3].text] = true
		case "sync_page":
			ui.syncPage[t[i+3].text] = true
		}
	}
}

// cancelled reports whether the run's context is done.
func (ui *unitInfo) cancelled() bool {
	return ui.ctx != nil && ui.ctx.Err() != nil
}

// changed reports whether a line is added or follows a deletion.
func (ui *unitInfo) changed(line int32) bool {
	if line < 0 || int(line) >= len(ui.lines) {
		return false
	}
	l := ui.lines[line]
	return l.added || l.touched
}

// summary tells what the same-file helper name does to its locked page
// argument number arg; ok is false when that is not known. One level only:
// summaries are not used while a summary is computed.
func (ui *unitInfo) summary(name string, arg int) (sumResult, bool) {
	if ui.inSummary {
		return sumNone, false
	}
	k := sumKey{name, arg}
	if r, ok := ui.sums[k]; ok {
		return r, r != sumNone
	}
	r := ui.computeSummary(name, arg)
	ui.sums[k] = r
	return r, r != sumNone
}

func (ui *unitInfo) computeSummary(name string, arg int) sumResult {
	h := ui.byName[name]
	if h == nil || !h.f.complete() || arg >= len(h.f.params) || !pageType(h.f.params[arg].typ) {
		return sumNone
	}
	ui.inSummary = true
	defer func() { ui.inSummary = false }()
	fi := &fnInfo{u: ui, f: h.f, body: h.body, own: -1, varIdx: map[string]int8{}, valIdx: map[string]int8{},
		wp: true, wbcName: h.wbcName}
	fi.own = fi.addVar(h.f.params[arg].name)
	fi.collectVars()
	fi.g = buildCFG(fi.body, h.f.closeLine, h.f.endKnown)
	for i := range fi.g.nodes {
		n := &fi.g.nodes[i]
		if len(n.toks) > 0 {
			n.evs = fi.computeEvents(n.toks)
		}
	}
	fi.summary = true
	fi.explore(fi.entryState())
	locked, other := false, false
	for _, o := range fi.obs {
		switch o.kind {
		case obExitLocked, obExitLockedAsync:
			locked = true
		case obExitOther, obActReturn:
			other = true
		}
	}
	switch {
	case locked && other:
		return sumMixed
	case locked:
		return sumKeeps
	}
	return sumUnlocks
}

// funcAt returns the function whose body contains the line, or nil.
func (ui *unitInfo) funcAt(line int32) *fnInfo {
	for _, fi := range ui.funcs {
		if line >= fi.f.sigLine && line <= fi.f.closeLine {
			return fi
		}
	}
	return nil
}
