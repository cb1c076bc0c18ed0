package checks

import (
	"strconv"
	"strings"
)

// An era is the range of kernel versions the code can belong to:
// lo <= version < hi, with versions encoded by ver(). Zero bounds are open.
type era struct {
	lo, hi   int
	explicit bool
}

// ver encodes a kernel version such as 2.6.39 or 6.16 as an int.
func ver(major, minor, patch int) int { return major*10000 + minor*100 + patch }

// Dated API changes of rules.md §0.3.
var (
	v2639 = ver(2, 6, 39)
	v36   = ver(3, 6, 0)
	v44   = ver(4, 4, 0)
	v46   = ver(4, 6, 0)
	v511  = ver(5, 11, 0)
	v513  = ver(5, 13, 0)
	v516  = ver(5, 16, 0)
	v64   = ver(6, 4, 0)
	v69   = ver(6, 9, 0)
	v612  = ver(6, 12, 0)
	v616  = ver(6, 16, 0)
	v617  = ver(6, 17, 0)
)

// parseVersion reads "2.6.23", "6.12", "v6.1-rc3".
func parseVersion(s string) (int, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexAny(s, "-+ "); i >= 0 {
		s = s[:i]
	}
	f := strings.Split(s, ".")
	if len(f) < 2 {
		return 0, false
	}
	n := [3]int{}
	for i := 0; i < len(f) && i < 3; i++ {
		x, err := strconv.Atoi(f[i])
		if err != nil {
			return 0, false
		}
		n[i] = x
	}
	if n[0] == 2 && n[1] == 6 {
		return ver(2, 6, n[2]), true
	}
	return ver(n[0], n[1], 0), true
}

// atLeast reports whether the code is known to be from v or later.
func (e era) atLeast(v int) bool { return e.lo >= v }

// before reports whether the code is known to be older than v.
func (e era) before(v int) bool { return e.hi != 0 && e.hi <= v }

// known reports whether anything is known about the era.
func (e era) known() bool { return e.lo != 0 || e.hi != 0 }

// eraEvidence lists identifiers that date code, newest first (§0.3).
var eraEvidence = []struct {
	ident  string
	lo, hi int
}{
	{"writeback_iter", v69, 0},
	{"folio_unlock", v516, 0}, {"folio_redirty_for_writepage", v516, 0}, {"folio_start_writeback", v516, 0},
	{"filemap_grab_folio", v516, 0}, {"folio_end_writeback", v516, 0}, {"folio_mark_dirty", v516, 0},
	{"kmap_local_page", v511, 0}, {"kmap_local_folio", v511, 0}, {"kunmap_local", v511, 0},
	{"mapping_gfp_constraint", v44, 0},
	{"PAGE_CACHE_SIZE", 0, v46}, {"PAGE_CACHE_SHIFT", 0, v46}, {"PAGE_CACHE_MASK", 0, v46},
	{"page_cache_release", 0, v46}, {"page_cache_get", 0, v46},
	{"sync_page", 0, v2639}, {"block_sync_page", 0, v2639},
	{"KM_USER0", 0, v36}, {"KM_USER1", 0, v36},
}

// inferEra dates a unit from an explicit version or from its tokens: the
// newest lower bound found, and the oldest upper bound that does not
// contradict it.
func inferEra(toks []token, opt string) era {
	if v, ok := parseVersion(opt); ok {
		return era{lo: v, hi: v + 1, explicit: true}
	}
	have := map[string]bool{}
	for _, t := range toks {
		if t.kind == tIdent {
			have[t.text] = true
		}
	}
	var e era
	for _, ev := range eraEvidence {
		if have[ev.ident] && ev.lo > e.lo {
			e.lo = ev.lo
		}
	}
	for _, ev := range eraEvidence {
		if have[ev.ident] && ev.hi != 0 && ev.hi > e.lo && (e.hi == 0 || ev.hi < e.hi) {
			e.hi = ev.hi
		}
	}
	return e
}

// versionName renders an encoded version for messages.
func versionName(v int) string {
	a, b, c := v/10000, v/100%100, v%100
	if a == 2 {
		return "v2.6." + strconv.Itoa(c)
	}
	return "v" + strconv.Itoa(a) + "." + strconv.Itoa(b)
}
