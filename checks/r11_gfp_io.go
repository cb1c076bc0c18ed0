package checks

var ruleR11 = &Rule{
	ID: "fs-masks-gfp-io-unnecessarily", Number: "R11", Severity: Info,
	Title: "A filesystem only needs to clear __GFP_FS (GFP_NOFS / memalloc_nofs_*); clearing __GFP_IO (GFP_NOIO) is for the block/IO layer",
	run:   runR11,
}

// runR11 reports GFP_NOIO, ~__GFP_IO and memalloc_noio_save() added in
// filesystem code (any path not under block/, drivers/, mm/ and so on).
func runR11(p *pass) {
	switch {
	case p.u.pasted:
		// Code pasted in a mail has no path of its own (the path names
		// the mail): judge by the code.
		if blockLayerCode(p.u.toks) {
			return
		}
	case contains(p.u.path, "/") && !pathUnder(p.u.path, "fs/"):
		return
	}
	for _, fi := range p.u.funcs {
		if contains(fi.f.name, "swap") {
			continue
		}
		done := map[int32]bool{}
		b := fi.f.body
		for i, t := range b {
			if t.kind != tIdent || done[t.line] || !p.u.changed(t.line) {
				continue
			}
			hit := t.text == "GFP_NOIO" || t.text == "memalloc_noio_save" ||
				t.text == "__GFP_IO" && i > 0 && (b[i-1].is("~") || b[i-1].is("(") && i > 1 && b[i-2].is("~") || b[i-1].is("|") && negatedGroup(b, i))
			if !hit || t.text == "GFP_NOIO" && bioAllocArg(b, i) {
				continue
			}
			done[t.line] = true
			p.report(fi, t.line, Info, true, "a filesystem only needs to mask __GFP_FS to avoid recursing into the fs; also clearing __GFP_IO (GFP_NOIO) is for block drivers such as loop and lowers the chance of success: "+nofsAdvice(p.u.era))
		}
	}
}

// bioAllocArg reports whether token i is an argument of a bio allocation:
// bio_alloc*, bio_kmalloc, bio_clone*, a helper whose name says bio
// (bio_new, nilfs_alloc_seg_bio) or a call given a bio_set. GFP_NOIO for
// a bio in a submission path is the block layer's convention, not an fs
// over-masking: the bio is what carries the writeback.
func bioAllocArg(b []token, i int) bool {
	depth := 0
	for k := i - 1; k >= 0; k-- {
		switch {
		case b[k].kind == tGap || depth == 0 && (b[k].is(";") || b[k].is("{") || b[k].is("}")):
			return false
		case b[k].is(")"):
			depth++
		case b[k].is("(") && depth > 0:
			depth--
		case b[k].is("("):
			if k == 0 || b[k-1].kind != tIdent {
				continue // a parenthesised group, not a call
			}
			if contains(b[k-1].text, "bio") {
				return true
			}
			// A call given a bio_set (f2fs_bioset, &fs_bio_set) allocates from it.
			d := 0
			for j := k + 1; j < len(b) && d >= 0; j++ {
				switch {
				case b[j].is("("):
					d++
				case b[j].is(")"):
					d--
				case b[j].kind == tIdent && (contains(b[j].text, "bioset") || contains(b[j].text, "bio_set")):
					return true
				case b[j].kind == tGap || b[j].is(";"):
					d = -1
				}
			}
			return false
		}
	}
	return false
}

// negatedGroup reports whether token i sits inside a "~( ... )" group.
func negatedGroup(b []token, i int) bool {
	for k := i - 1; k > 0 && k > i-6; k-- {
		if b[k].is("(") {
			return b[k-1].is("~")
		}
	}
	return false
}

// nofsAdvice is the era's way to ask for a NOFS allocation.
func nofsAdvice(e era) string {
	switch {
	case e.atLeast(ver(4, 12, 0)):
		return "use a memalloc_nofs_save() scope, GFP_NOFS or mapping_gfp_constraint(m, ~__GFP_FS)"
	case e.atLeast(v44):
		return "use GFP_NOFS or mapping_gfp_constraint(m, ~__GFP_FS)"
	}
	return "use GFP_NOFS or mapping_gfp_mask(m) & ~__GFP_FS"
}

// blockLayerWords mark block-layer and driver code, where masking __GFP_IO
// is right (loop, nbd, dm).
var blockLayerWords = []string{"blk_", "bio_alloc", "request_queue", "blk_mq", "loop_", "lo_", "nbd_", "dm_",
	"queue_limits", "gendisk"}

// blockLayerCode reports whether the tokens look like block-layer code.
func blockLayerCode(toks []token) bool {
	for _, t := range toks {
		if t.kind != tIdent {
			continue
		}
		for _, w := range blockLayerWords {
			if len(t.text) >= len(w) && t.text[:len(w)] == w {
				return true
			}
		}
	}
	return false
}
