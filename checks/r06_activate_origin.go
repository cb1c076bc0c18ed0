package checks

var ruleR06 = &Rule{
	ID: "writepage-activate-origin-restricted", Number: "R06", Severity: Warning,
	Title: "Originating AOP_WRITEPAGE_ACTIVATE is a reclaim-only LRU hint (tmpfs/shmem); ordinary filesystems should redirty, unlock and return 0",
	run:   runR06,
}

// runR06 reports writepage functions that return AOP_WRITEPAGE_ACTIVATE
// outside shmem, without a for_reclaim test, or after unlocking the page.
func runR06(p *pass) {
	shmem := pathUnder(p.u.path, "mm/shmem.c", "mm/page_io.c")
	p.eachObs(obActReturn, func(fi *fnInfo, o obs) {
		if !p.u.changed(o.line) && !(o.unlocked && o.touched) {
			return // rules.md: only an added ACTIVATE return (or a newly unlocked path to one)
		}
		switch {
		case o.unlocked:
			p.report(fi, o.line, Error, o.touched,
				"returning AOP_WRITEPAGE_ACTIVATE tells the caller the page is still locked, but it was unlocked on this path: the caller unlocks it a second time")
		case p.u.era.atLeast(v616) && !shmem:
			p.report(fi, o.line, Error, o.touched,
				"only shmem_writeout() may return AOP_WRITEPAGE_ACTIVATE since v6.16: redirty the folio (folio_redirty_for_writepage), folio_unlock() it and return 0")
		case !shmem || !o.reclaim:
			p.report(fi, o.line, Warning, o.touched,
				"AOP_WRITEPAGE_ACTIVATE is a tmpfs-only reclaim hint (vfs.rst and Locking disagree; follow Locking): redirty_page_for_writepage(wbc, page), unlock_page(page) and return 0")
		}
	})
}
