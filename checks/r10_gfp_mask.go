package checks

import (
	"regexp"
	"strings"
)

var ruleR10 = &Rule{
	ID: "mapping-set-gfp-mask-at-runtime", Number: "R10", Severity: Error,
	Title: "mapping_set_gfp_mask() is non-atomic and only for inode setup; never flip or restore it around a lookup, pass a gfp to the lookup instead",
	run:   runR10,
}

// initFuncRe matches inode initialisation functions (rules.md R10 a).
var initFuncRe = regexp.MustCompile(`(iget|new_inode|get_inode|alloc_inode|init|fill_super|set_aops|setup|create|read_inode|mkdir|symlink|mknod|tmpfile|_alloc$)`)

// aopsNameRe matches address_space and file operation methods.
var aopsNameRe = regexp.MustCompile(`(writepage|write_begin|write_end|read_folio|readpage|readahead|dirty_folio|fsync|_mmap|_fault|_write_iter|_read_iter)`)

// runR10 reports mapping_set_gfp_mask() outside inode setup, and every
// save/mask/restore flip.
func runR10(p *pass) {
	for _, fi := range p.u.funcs {
		saved := savedMasks(fi)
		masked, restored := false, false
		forCalls(fi, func(c call) {
			if c.name == "mapping_set_gfp_mask" && len(c.args) == 2 {
				for _, t := range c.args[1] {
					masked = masked || saved[t.text] && hasTok(c.args[1], "~")
				}
				restored = restored || len(c.args[1]) == 1 && saved[c.args[1][0].text]
			}
		})
		forCalls(fi, func(c call) {
			if c.name != "mapping_set_gfp_mask" || len(c.args) < 2 || !p.u.changed(c.line) {
				return
			}
			flip := masked && restored
			if !flip && (initFuncRe.MatchString(fi.f.name) || fi.callsLike(c.line, "new_inode", "iget", "file_setup", "inode_lookup")) {
				return
			}
			sev := Warning
			if flip || fi.wp || fi.wbcName != "" || aopsNameRe.MatchString(fi.f.name) {
				sev = Error
			}
			if pathUnder(p.u.path, "drivers/block/loop.c") {
				sev = Info
			}
			p.report(fi, c.line, sev, true, "mapping_set_gfp_mask() is non-atomic and only for a mapping not yet in use: flipping it at run time races with other users, can leave the mask off for good and (before v4.9) loses AS_EIO/AS_ENOSPC; "+gfpAdvice(p.u.era))
		})
	}
}

// gfpAdvice is the era's way to pass a NOFS mask to one lookup.
func gfpAdvice(e era) string {
	switch {
	case e.atLeast(v516):
		return "pass the mask to the lookup instead: __filemap_get_folio(m, index, FGP_LOCK | FGP_CREAT | FGP_NOFS, mapping_gfp_mask(m)), or a memalloc_nofs_save() scope"
	case e.atLeast(v44):
		return "pass the mask to the lookup instead: find_or_create_page(m, index, mapping_gfp_constraint(m, ~__GFP_FS))"
	}
	return "pass the mask to the lookup instead: find_or_create_page(m, index, mapping_gfp_mask(m) & ~__GFP_FS)"
}

// savedMasks returns the variables assigned from mapping_gfp_mask().
func savedMasks(fi *fnInfo) map[string]bool {
	saved := map[string]bool{}
	walkStmts(fi.body, func(s *stmt) {
		for _, part := range splitTopCommas(s.toks) {
			if lhs, rhs, ok := assignment(part); ok {
				if c, whole := wholeCall(rhs); whole && c.name == "mapping_gfp_mask" {
					saved[lhsVar(lhs)] = true
				}
			}
		}
	})
	return saved
}

// callsBefore reports whether the function calls one of names on a line
// before line.
func (fi *fnInfo) callsBefore(line int32, names ...string) bool {
	found := false
	forCalls(fi, func(c call) {
		for _, n := range names {
			if c.name == n && c.line < line {
				found = true
			}
		}
	})
	return found
}

// callsLike reports whether the function calls, before line, a function
// whose name contains one of the fragments (f2fs_new_inode, btrfs_iget_path).
func (fi *fnInfo) callsLike(line int32, frags ...string) bool {
	found := false
	forCalls(fi, func(c call) {
		for _, f := range frags {
			if c.line < line && contains(c.name, f) {
				found = true
			}
		}
	})
	return found
}

// hasTok reports whether a punctuator occurs.
func hasTok(toks []token, s string) bool {
	for _, t := range toks {
		if t.is(s) {
			return true
		}
	}
	return false
}

var _ = strings.Contains
