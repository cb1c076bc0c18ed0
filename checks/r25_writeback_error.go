package checks

var ruleR25 = &Rule{
	ID: "writeback-error-not-reported", Number: "R25", Severity: Warning,
	Title: "Writeback errors must be recorded with mapping_set_error(); do not use SetPageError on v6.12+; clearing Uptodate discards the only good copy",
	run:   runR25,
}

var pageErrorCalls = map[string]bool{"SetPageError": true, "ClearPageError": true, "PageError": true,
	"folio_set_error": true, "folio_clear_error": true, "folio_test_error": true}

// runR25 reports PG_error use (error on v6.12+, info before) and
// ClearPageUptodate of the own page in a writepage (info).
func runR25(p *pass) {
	p.eachObs(obErrDropped, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Warning, o.touched,
			"an error was seen on this path but 0 is returned and nothing records it: fsync()/msync() will report success; call mapping_set_error(mapping, err) (or return the error)")
	})
	for _, fi := range p.u.funcs {
		forCalls(fi, func(c call) {
			if !p.u.changed(c.line) {
				return
			}
			switch {
			case pageErrorCalls[c.name] && p.u.era.atLeast(v612):
				p.report(fi, c.line, Error, true, c.name+"() no longer exists: PG_error was removed in v6.12 (09022bc196d2); record the error with mapping_set_error()")
			case pageErrorCalls[c.name]:
				p.report(fi, c.line, Info, true, "PG_error is not seen by fsync/msync: record writeback errors with mapping_set_error(mapping, err)")
			case fi.wp && (c.name == "ClearPageUptodate" || c.name == "folio_clear_uptodate") && len(c.args) == 1 &&
				argVar(c.args[0]) == fi.varName(fi.own):
				p.report(fi, c.line, Info, true, "clearing Uptodate on a write error discards the only up-to-date copy of the data: keep the page uptodate, record the error with mapping_set_error() and unlock the page")
			}
		})
	}
}
