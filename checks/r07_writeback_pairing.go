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
		end := "end_page_writeback(" + fi.varName(o.v) + ")"
		if p.isFolio(fi, fi.varName(o.v)) {
			end = "folio_end_writeback(" + fi.varName(o.v) + ")"
		}
		p.report(fi, o.line, Error, o.touched, fmt.Sprintf(
			"writeback of %s was started but this path submits no I/O and never calls %s: PG_writeback stays set and fsync/truncate hang",
			fi.varName(o.v), end))
	})
	p.eachObs(obWBEndNoStart, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Error, o.touched, fmt.Sprintf(
			"%s ends writeback of %s that was never started on this path", fi.f.name, fi.varName(o.v)))
	})
}
