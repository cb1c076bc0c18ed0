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
	readFolio  map[string]bool // .read_folio = fn, .readpage = fn
	era        era
	sums       map[sumKey]sumResult // same-file helpers: effect on a page parameter
	rets       map[string]retKind   // same-file helpers: what they return
	busy       map[string]bool      // summaries being computed (recursion)
	retOwn     map[string]bool      // rets computed from a body here, not mined
	contracts  map[string]contract  // mining: the contracts to use instead of the embedded ones
	touched    map[*fnInfo]bool     // whole files from a tree: the functions the patch changes
}

// newUnitInfo tokenizes a unit and prepares its functions.
func newUnitInfo(u *unit, opts Options) *unitInfo {
	return newUnitInfoWith(u, opts, nil)
}

// newUnitInfoWith is newUnitInfo with the contracts to use for callees
// outside the unit (nil: the embedded ones).
func newUnitInfoWith(u *unit, opts Options, contracts map[string]contract) *unitInfo {
	ui := &unitInfo{unit: u, byName: map[string]*fnInfo{}, registered: map[string]bool{},
		syncPage: map[string]bool{}, readFolio: map[string]bool{}, sums: map[sumKey]sumResult{}, rets: map[string]retKind{},
		busy: map[string]bool{}, retOwn: map[string]bool{}, contracts: contracts}
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
	// Variables and graphs once every function is known: a call to a
	// same-file lookup wrapper tracks its result like a lookup.
	for _, fi := range ui.funcs {
		fi.prepare()
	}
	if u.whole {
		ui.touched = ui.touchedFuncs()
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
		case "read_folio", "readpage":
			ui.readFolio[t[i+3].text] = true
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

// funcAt returns the function whose body contains the line, or nil.
func (ui *unitInfo) funcAt(line int32) *fnInfo {
	for _, fi := range ui.funcs {
		if line >= fi.f.sigLine && line <= fi.f.closeLine {
			return fi
		}
	}
	return nil
}

// lineToks returns the tokens of one line index.
func (ui *unitInfo) lineToks(line int32) []token {
	var out []token
	for _, t := range ui.toks {
		if t.line == line {
			out = append(out, t)
		} else if t.line > line {
			break
		}
	}
	return out
}
