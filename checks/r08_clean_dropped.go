package checks

import "fmt"

var ruleR08 = &Rule{
	ID: "writepage-clean-page-dropped", Number: "R08", Severity: Warning,
	Title: "A writepage path that returns success must have started writeback or redirtied the page; otherwise the page is clean but still tagged dirty",
	run:   runR08,
}

// runR08 reports writepage paths that unlock the page and return 0 with
// no writeback, redirty or recorded error, outside size/truncation tests.
// Stacking filesystems that copied the data are reported as info.
func runR08(p *pass) {
	p.eachObs(obCleanDropped, func(fi *fnInfo, o obs) {
		if (!fi.wp || fi.wpWeak) && !fi.writer {
			return
		}
		sev := Warning
		if o.reclaim { // the path copied the data to a lower page
			sev = Info
		}
		redirty := "redirty_page_for_writepage(wbc, page)"
		if p.isFolio(fi, fi.varName(o.v)) {
			redirty = "folio_redirty_for_writepage(wbc, folio)"
		}
		p.report(fi, o.line, sev, o.touched, fmt.Sprintf(
			"success is returned but %s was neither written (set_page_writeback/end_page_writeback) nor redirtied: the page is clean yet tagged dirty and its data is lost; call %s before unlocking, or record the error with mapping_set_error()",
			fi.varName(o.v), redirty))
	})
}
