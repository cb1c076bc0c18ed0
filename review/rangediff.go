package review

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
)

// PatchID is a stable id of a diff's change, as `git patch-id` computes
// it in spirit: the file names and the added and removed lines with all
// white space removed, so that a patch rebased (other line numbers,
// other context) or resent keeps its id. "" for no diff.
func PatchID(diff string) string {
	h := sha256.New()
	n := 0
	for _, l := range strings.Split(diff, "\n") {
		switch {
		case strings.HasPrefix(l, "+++ ") || strings.HasPrefix(l, "--- "):
			h.Write([]byte(l[:4]))
			h.Write([]byte(stripSpace(strings.TrimPrefix(strings.TrimPrefix(l[4:], "a/"), "b/"))))
		case strings.HasPrefix(l, "+") || strings.HasPrefix(l, "-"):
			h.Write([]byte(l[:1]))
			h.Write([]byte(stripSpace(l[1:])))
			n++
		default:
			continue
		}
		h.Write([]byte{'\n'})
	}
	if n == 0 {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// RangePatch is one patch of a version, for MatchVersions.
type RangePatch struct {
	ID      int64
	Title   string // subject without prefixes
	PatchID string // PatchID of its diff
}

// MatchVersions pairs the patches of a version with those of the previous
// one as `git range-diff` would find them: the same subject first, then
// the same patch-id (a retitled patch), each earlier patch used once. It
// returns new patch id → old patch id; patches missing from the map are
// new in this version, and old ones not in its values were dropped.
func MatchVersions(old, cur []RangePatch) map[int64]int64 {
	out := map[int64]int64{}
	used := map[int64]bool{}
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	// The old patches by normalized title, in order: each title is
	// normalized once, and pairing is linear, not old × cur.
	byTitle := map[string][]int64{}
	for _, o := range old {
		if t := norm(o.Title); t != "" {
			byTitle[t] = append(byTitle[t], o.ID)
		}
	}
	for _, c := range cur {
		t := norm(c.Title)
		if t == "" {
			continue
		}
		for _, id := range byTitle[t] {
			if !used[id] {
				out[c.ID], used[id] = id, true
				break
			}
		}
	}
	for _, c := range cur {
		if _, ok := out[c.ID]; ok || c.PatchID == "" {
			continue
		}
		for _, o := range old {
			if !used[o.ID] && o.PatchID == c.PatchID {
				out[c.ID], used[o.ID] = o.ID, true
				break
			}
		}
	}
	return out
}
