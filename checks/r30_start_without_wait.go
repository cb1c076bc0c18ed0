package checks

import "fmt"

var ruleR30 = &Rule{
	ID: "writeback-start-without-wait", Number: "R30", Severity: Warning,
	Title: "A function that locks a folio itself and starts writeback on it must first wait for (or rule out) a writeback already running",
	run:   runR30,
}

// lockAnyCalls lock a page or folio (trylock included).
var lockAnyCalls = map[string]bool{"lock_page": true, "folio_lock": true, "trylock_page": true, "folio_trylock": true,
	"lock_page_killable": true, "folio_lock_killable": true}

// wbWaitCalls wait for, or test, writeback of a page or folio.
var wbWaitCalls = map[string]bool{"folio_wait_writeback": true, "wait_on_page_writeback": true,
	"folio_wait_writeback_killable": true, "folio_test_writeback": true, "PageWriteback": true,
	"folio_wait_stable": true, "wait_for_stable_page": true, "clear_page_dirty_for_io": false}

// runR30 reports writeback started on a page the function locked itself,
// with no wait for or test of writeback in between (textually). The
// writeback paths of the VM (write_cache_pages, writeback_iter) wait
// before they hand a folio over, so callbacks are not concerned; code that
// locks folios on its own (nilfs2's log writer) must do the same, or a
// second writeback starts on a folio still under the first
// (folio_start_writeback: VM_BUG_ON_FOLIO(folio_test_writeback(folio))).
func runR30(p *pass) {
	for _, fi := range p.u.funcs {
		if fi.wp || fi.writer && fi.own >= 0 && fi.isParam(fi.vars[fi.own]) {
			continue // handed over locked by a caller that waited
		}
		type ev struct {
			kind byte // 'l' lock, 'w' wait, 's' start, 'g' gap
			v    string
			c    call
		}
		var evs []ev
		rawCallsAndGaps(fi, func(c call) {
			if len(c.args) == 0 {
				return
			}
			v := argVar(c.args[0])
			switch {
			case lockAnyCalls[c.name]:
				evs = append(evs, ev{'l', v, c})
			case wbWaitCalls[c.name]:
				evs = append(evs, ev{'w', v, c})
			case wbStartCalls[c.name]:
				evs = append(evs, ev{'s', v, c})
			}
		}, func() { evs = append(evs, ev{kind: 'g'}) })
		locked := map[string]bool{}
		for _, e := range evs {
			switch e.kind {
			case 'g': // unseen code may have waited
				clear(locked)
			case 'l':
				locked[e.v] = true
			case 'w':
				locked[e.v] = false
			case 's':
				if locked[e.v] && e.v != "" && p.u.changed(e.c.line) {
					p.report(fi, e.c.line, Warning, true, fmt.Sprintf(
						"writeback is started on %s, locked here, with no folio_wait_writeback(%s) since the lock: if a previous writeback of it is still running, a second one starts on top of it (VM_BUG_ON_FOLIO in folio_start_writeback()); wait first, as write_cache_pages() does",
						e.v, e.v))
				}
				locked[e.v] = false
			}
		}
	}
}
