package checks

var ruleR12 = &Rule{
	ID: "writeback-path-fs-reclaim-alloc", Number: "R12", Severity: Warning,
	Title: "Allocations in writepage/writeback paths must not recurse into fs reclaim; use NOFS or the scope API",
	run:   runR12,
}

// allocCalls take a gfp mask somewhere in their arguments.
var allocCalls = map[string]bool{"kmalloc": true, "kzalloc": true, "kcalloc": true, "kmalloc_array": true,
	"kmem_cache_alloc": true, "kmem_cache_zalloc": true, "alloc_page": true, "alloc_pages": true,
	"folio_alloc": true, "__get_free_page": true, "__get_free_pages": true, "mempool_alloc": true}

// runR12 reports __GFP_FS allocations in functions that receive a
// writeback_control, outside a memalloc_nofs_save() scope.
func runR12(p *pass) {
	for _, fi := range p.u.funcs {
		if fi.wbcName == "" && !fi.wp {
			continue
		}
		// A lookup made while the function flips the mapping's mask is
		// R10's finding (its fix passes the gfp to the lookup); explicit
		// allocations are still this rule's.
		flips := fi.callsBefore(1<<30, "mapping_set_gfp_mask")
		nofs := int32(1 << 30) // line of the first memalloc_nofs_save()
		forCalls(fi, func(c call) {
			if c.name == "memalloc_nofs_save" && c.line < nofs {
				nofs = c.line
			}
		})
		forCalls(fi, func(c call) {
			if !p.u.changed(c.line) || c.line > nofs {
				return
			}
			msg := ""
			switch {
			case allocCalls[c.name] && anyArgIdentPrefix(c.args, "GFP_KERNEL", "GFP_USER", "GFP_HIGHUSER"):
				msg = c.name + "() with a __GFP_FS mask in a writeback path can recurse into filesystem reclaim and deadlock"
			case flips && (c.name == "grab_cache_page" || c.name == "find_or_create_page"):
				return
			case c.name == "grab_cache_page":
				msg = "grab_cache_page() allocates with the mapping's default mask, which includes __GFP_FS: in a writeback path use find_or_create_page(m, index, GFP_NOFS)"
			case c.name == "find_or_create_page" && len(c.args) == 3 && (hasIdent(c.args[2], "GFP_KERNEL") ||
				len(c.args[2]) > 0 && c.args[2][0].text == "mapping_gfp_mask" && !hasTok(c.args[2], "~")):
				msg = "find_or_create_page() with a __GFP_FS mask in a writeback path can recurse into filesystem reclaim"
			case (c.name == "vmalloc" || c.name == "vzalloc" || c.name == "kvmalloc" || c.name == "kvzalloc") &&
				anyArgIdentPrefix(c.args, "GFP_NOFS"):
				msg = c.name + "() does not honour GFP_NOFS: use a memalloc_nofs_save() scope"
			default:
				return
			}
			sev := Warning
			if p.u.era.atLeast(v616) {
				sev = Info
			}
			p.report(fi, c.line, sev, true, msg+"; "+nofsAdvice(p.u.era))
		})
	}
}

// anyArgIdentPrefix reports whether an argument has an identifier with one
// of the prefixes.
func anyArgIdentPrefix(args [][]token, prefixes ...string) bool {
	for _, a := range args {
		for _, pr := range prefixes {
			if hasIdentPrefix(a, pr) {
				return true
			}
		}
	}
	return false
}
