package checks

import "fmt"

var ruleR07 = &Rule{
	ID: "writeback-start-end-pairing", Number: "R07", Severity: Error,
	Title: "After set_page_writeback()/folio_start_writeback(), every path must either submit I/O whose completion ends writeback or end writeback itself",
	run:   runR07,
}

// runR07 reports paths that start writeback and return without I/O or
// end_page_writeback, and ends of writeback that never started.
func runR07(p *pass) {
	p.eachObs(obWBNotEnded, func(fi *fnInfo, o obs) {
		if fi.writer && o.v == fi.own {
			return // a writer known by what it does may hand the folio on (nfs_folio_set_writeback)
		}
		if submitsBefore(fi, max(o.line, o.exit)) {
			return // loops that count submissions decide the end themselves
		}
		end := "end_page_writeback(" + fi.varName(o.v) + ")"
		if p.isFolio(fi, fi.varName(o.v)) {
			end = "folio_end_writeback(" + fi.varName(o.v) + ")"
		}
		p.report(fi, o.line, Error, o.touched, fmt.Sprintf(
			"writeback of %s was started but this path submits no I/O and never calls %s: PG_writeback stays set and fsync/truncate hang",
			fi.varName(o.v), end))
	})
	p.eachObs(obWBEndNoStart, func(fi *fnInfo, o obs) {
		if fi.callsBefore(1<<30, "set_page_writeback", "set_page_writeback_keepwrite", "folio_start_writeback",
			"__folio_start_writeback", "folio_start_writeback_keepwrite") {
			return // started on other paths: counters decide (nr_underway == 0)
		}
		p.report(fi, o.line, Error, o.touched, fmt.Sprintf(
			"%s ends writeback of %s that was never started on this path", fi.f.name, fi.varName(o.v)))
	})
}

// submitsBefore reports whether the function submits I/O (or hands the
// page to a helper that may) on a line before line.
func submitsBefore(fi *fnInfo, line int32) bool {
	found := false
	forCalls(fi, func(c call) {
		if c.line < line && (contains(c.name, "submit") || transferCalls[c.name] ||
			contains(c.name, "write") && !contains(c.name, "writeback")) {
			found = true
		}
	})
	return found
}
