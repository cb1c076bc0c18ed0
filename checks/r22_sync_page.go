package checks

import "strings"

var ruleR22 = &Rule{
	ID: "sync-page-obsolete", Number: "R22", Severity: Warning,
	Title: "->sync_page meant \"unplug the I/O queue\", not \"sync this page\"; a stacking filesystem needs none, and the method was removed in v2.6.39",
	run:   runR22,
}

// runR22 reports ->sync_page implementations (once, at their name),
// registrations and calls outside them.
func runR22(p *pass) {
	sev, tail := Warning, " (it was removed in v2.6.39)"
	if p.u.era.atLeast(v2639) {
		sev, tail = Error, ": ->sync_page was removed in v2.6.39 (7eaceaccab5f) and does not compile"
	}
	impl := map[string]bool{}
	for _, fi := range p.u.funcs {
		f := fi.f
		if !p.u.isSyncPageImpl(f.name) {
			continue
		}
		impl[f.name] = true
		at := p.firstChanged(f.sigLine, f.closeLine)
		if at < 0 {
			continue
		}
		extra := ""
		if fi.callsBefore(1<<30, "filemap_fdatawrite", "filemap_fdatawrite_range", "vfs_fsync", "->writepage", "->sync_page") {
			extra = "; it does not sync anything: data integrity belongs in ->writepages/->fsync"
		}
		p.report(fi, at, sev, true, f.name+"(): ->sync_page is \"unplug page I/O\", called while waiting on a locked/writeback page; a stacking filesystem needs none because the I/O is below the lower filesystem: remove it"+extra+tail)
	}
	t := p.u.toks
	for i := 0; i+1 < len(t); i++ {
		if t[i].kind != tIdent || !p.u.changed(t[i].line) {
			continue
		}
		fi := p.u.funcAt(t[i].line)
		inImpl := fi != nil && impl[fi.f.name]
		switch {
		case t[i].text == "sync_page" && i > 0 && t[i-1].is(".") && t[i+1].is("="):
			p.report(nil, t[i].line, sev, true, "do not register ->sync_page: it means \"unplug the queue\", and a stacking filesystem has nothing to unplug"+tail)
		case !inImpl && (t[i].text == "sync_page" && i > 0 && t[i-1].is("->") && t[i+1].is("(") ||
			t[i].text == "block_sync_page" && t[i+1].is("(")):
			p.report(nil, t[i].line, sev, true, "->sync_page only unplugged the block queue; it does not write the page"+tail)
		}
	}
}

// isSyncPageImpl reports whether the unit's function name implements
// ->sync_page: registered as .sync_page, or void|int NAME_sync_page(struct page *).
func (ui *unitInfo) isSyncPageImpl(name string) bool {
	if name == "" {
		return false
	}
	if ui.syncPage[name] {
		return true
	}
	fi := ui.byName[name]
	return fi != nil && strings.HasSuffix(name, "_sync_page") && len(fi.f.params) == 1 && pageType(fi.f.params[0].typ)
}

// firstChanged returns the first changed line in [from, to] (the function's
// name line first), or -1: a finding about a whole function anchors on its
// name when the patch touches it, else on the first line it changes.
func (p *pass) firstChanged(from, to int32) int32 {
	for l := from; l <= to && int(l) < len(p.u.lines); l++ {
		if p.u.changed(l) {
			return l
		}
	}
	return -1
}
