package checks

import (
	"fmt"
	"io/fs"
	"strings"
)

// TreeNoteID is the rule id of the note that a patch could not be applied
// to the tree given in Options.Tree: its files were checked from the hunks
// alone.
const TreeNoteID = "tree-context"

// maxFuzz is how far (in lines) a hunk may have moved in the tree.
const maxFuzz = 300

// treeUnit reads the patched file from the tree, applies the unit's hunks
// in memory and returns the whole post-image as a unit, with the added
// lines (and the lines after deletions) marked. why says why it could not
// (the file is missing, a hunk does not apply); a new file needs no tree.
func treeUnit(tree fs.FS, u *unit) (w *unit, why string) {
	if u.oldPath == "" || len(u.hunks) == 0 {
		return nil, "" // a new file: the hunks are the whole file
	}
	b, err := fs.ReadFile(tree, u.oldPath)
	if err != nil {
		return nil, fmt.Sprintf("%s is not in the tree", u.oldPath)
	}
	old := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	if len(old) > 0 && old[len(old)-1] == "" {
		old = old[:len(old)-1]
	}
	w = &unit{path: u.path, whole: true}
	pos := 0 // next old line to copy
	// Findings are numbered as the patch numbers its new side (the JSON
	// contract): when the tree's file has moved the hunk's lines by shift
	// lines, a line's number in the tree's post-image is shift more.
	shift := 0
	emit := func(text string, added, touched bool) {
		w.lines = append(w.lines, srcLine{num: max(len(w.lines)+1-shift, 1), text: text, added: added, touched: touched})
	}
	for hi, h := range u.hunks {
		var want []string
		for _, l := range h.lines {
			if l[0] != '+' {
				want = append(want, l[1:])
			}
		}
		at := findHunk(old, want, h.oldStart-1, pos)
		if at < 0 {
			return nil, fmt.Sprintf("hunk %d (at line %d of %s) does not apply to the tree", hi+1, h.oldStart, u.oldPath)
		}
		shift = at - max(h.oldStart-1, 0)
		for ; pos < at; pos++ {
			emit(old[pos], false, false)
		}
		touched := false
		for _, l := range h.lines {
			switch l[0] {
			case '-':
				touched = true
				pos++
			case '+':
				emit(l[1:], true, touched)
				touched = false
			default:
				emit(old[pos], false, touched)
				touched = false
				pos++
			}
		}
	}
	for ; pos < len(old); pos++ {
		emit(old[pos], false, false)
	}
	return w, ""
}

// findHunk returns where the old lines of a hunk start in the file, at the
// header's line or within maxFuzz of it, not before from; -1 if nowhere.
func findHunk(old, want []string, at, from int) int {
	matches := func(i int) bool {
		if i < from || i+len(want) > len(old) {
			return false
		}
		for k, l := range want {
			if strings.TrimRight(old[i+k], " \t") != strings.TrimRight(l, " \t") {
				return false
			}
		}
		return true
	}
	if at < 0 {
		at = 0
	}
	for d := 0; d <= maxFuzz; d++ {
		if matches(at - d) {
			return at - d
		}
		if d > 0 && matches(at+d) {
			return at + d
		}
	}
	return -1
}

// treeNote is the finding that says a file was checked from its hunks only.
func treeNote(u *unit, why string) Finding {
	line := 0
	for _, l := range u.lines {
		if !l.gap {
			line = l.num
			break
		}
	}
	return Finding{Rule: TreeNoteID, Severity: Info, Path: u.path, Line: line,
		Message: why + ": checked the hunks alone, without the whole functions"}
}

// touchedFuncs marks the functions of a whole-file unit that the patch
// changes: findings elsewhere in the file are not the patch's business.
func (ui *unitInfo) touchedFuncs() map[*fnInfo]bool {
	m := map[*fnInfo]bool{}
	for _, fi := range ui.funcs {
		for l := fi.f.sigLine; l <= fi.f.closeLine && int(l) < len(ui.lines); l++ {
			if ui.changed(l) {
				m[fi] = true
				break
			}
		}
	}
	return m
}
