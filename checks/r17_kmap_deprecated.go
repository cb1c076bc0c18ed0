package checks

var ruleR17 = &Rule{
	ID: "kmap-deprecated-api", Number: "R17", Severity: Info,
	Title: "kmap() and kmap_atomic() are deprecated; use kmap_local_page()/kmap_local_folio() + kunmap_local()",
	run:   runR17,
}

// runR17 reports kmap/kmap_atomic added to v5.11+ code (info when the era
// is unknown; nothing for older code, where they were right), and the
// two-argument kmap_atomic(p, KM_*) on v3.6+.
func runR17(p *pass) {
	for _, fi := range p.u.funcs {
		done := map[int32]bool{}
		forCalls(fi, func(c call) {
			if done[c.line] || !p.u.changed(c.line) {
				return
			}
			switch c.name {
			case "kmap_atomic", "kmap", "kunmap", "kunmap_atomic", "kmap_atomic_prot":
			default:
				return
			}
			done[c.line] = true
			if c.name == "kmap_atomic" && len(c.args) == 2 && p.u.era.atLeast(v36) {
				p.report(fi, c.line, Error, true, "kmap_atomic() lost its km_type argument in v3.6: use "+atomicAdvice(p.u.era))
				return
			}
			if p.u.era.before(v511) {
				return
			}
			sev := Info
			if p.u.era.atLeast(v511) {
				sev = Warning
			}
			p.report(fi, c.line, sev, true, c.name+"() is deprecated since v5.11: use kmap_local_page()/kmap_local_folio() and kunmap_local() (add pagefault_disable() only if the code relied on it)")
		})
	}
}

// atomicAdvice is the era's replacement for a two-argument kmap_atomic.
func atomicAdvice(e era) string {
	if e.atLeast(v511) {
		return "kmap_local_page(page)"
	}
	return "kmap_atomic(page)"
}
