package checks

import "regexp"

var ruleR27 = &Rule{
	ID: "stacking-fs-lower-pagecache-poke", Number: "R27", Severity: Info,
	Title: "A stacking filesystem that creates pages in a lower mapping bypasses the lower fs (and aliases tmpfs swap cache); write through the lower file instead",
	run:   runR27,
}

var lowerRe = regexp.MustCompile(`(lower|hidden|h_|real|backing)`)

var creatingLookups = map[string]bool{"grab_cache_page": true, "find_or_create_page": true,
	"filemap_grab_folio": true, "grab_cache_page_nowait": true}

// runR27 reports a writepage creating page-cache pages in a mapping that
// comes from a lower inode or file.
func runR27(p *pass) {
	for _, fi := range p.u.funcs {
		if !fi.wp {
			continue
		}
		from := map[string]string{}
		walkStmts(fi.body, func(s *stmt) {
			if lhs, rhs, ok := assignment(s.toks); ok {
				from[lhsVar(lhs)] = text(rhs)
			}
		})
		forCalls(fi, func(c call) {
			creating := creatingLookups[c.name] || c.name == "__filemap_get_folio" && anyArgIdentPrefix(c.args, "FGP_CREAT")
			if !creating || len(c.args) == 0 || !p.u.changed(c.line) {
				return
			}
			m := text(c.args[0])
			if !lowerRe.MatchString(m) && !lowerRe.MatchString(from[argVar(c.args[0])]) {
				return
			}
			p.report(fi, c.line, Info, true, c.name+"() creates a page in the lower mapping behind the lower filesystem's back (no write_begin/write_end, and on tmpfs it can alias a swap-cache page): write through the lower file (kernel_write/vfs_iter_write) instead")
		})
	}
}
