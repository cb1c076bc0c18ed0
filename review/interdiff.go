package review

import (
	"fmt"
	"sort"
)

// InterdiffResult is what changed between two versions of a patch: Files
// are diffs of v1's post-image against v2's post-image (Old numbers are
// lines of the file as v1 leaves it, New numbers as v2 leaves it), ready to
// be shown like any diff; Notes say what a diff cannot (files added or
// dropped, files unchanged, hunks that could not be aligned).
type InterdiffResult struct {
	Files []*File
	Notes []InterdiffNote
}

// InterdiffNote is one plain-language remark about one file.
type InterdiffNote struct {
	Path string
	Text string
}

// maxLCSCells bounds the quadratic line diff of one region; larger regions
// are shown as a whole replacement.
const maxLCSCells = 4 << 20

// interdiffContext is the number of unchanged lines kept around a change.
const interdiffContext = 3

// Interdiff compares two versions of a patch file by file. Where both
// versions patch a file against the same base, it rebuilds each version's
// post-image over the lines either patch touches and diffs the two. Where
// the bases differ (v2 was rebased), it pairs hunks by their function and
// order and says so. It does not fail on odd input; the error is for input
// it cannot use at all.
func Interdiff(oldFiles, newFiles []*File) (*InterdiffResult, error) {
	res := &InterdiffResult{}
	olds := map[string]*File{}
	var oldOrder []string
	for _, f := range oldFiles {
		if f != nil {
			olds[f.Path()] = f
			oldOrder = append(oldOrder, f.Path())
		}
	}
	seen := map[string]bool{}
	for _, nf := range newFiles {
		if nf == nil {
			continue
		}
		path := nf.Path()
		of := olds[path]
		if of == nil && nf.IsRename {
			of = olds[nf.OldName]
		}
		if of == nil {
			res.note(path, fmt.Sprintf("new in this version (%s): shown as this version changes it", lineCounts(nf)))
			if !nf.IsBinary && len(nf.Hunks) > 0 {
				res.Files = append(res.Files, nf)
			}
			continue
		}
		seen[of.Path()] = true
		res.compareFile(of, nf)
	}
	for _, p := range oldOrder {
		if !seen[p] {
			res.note(p, fmt.Sprintf("dropped: the earlier version changed it (%s), this one does not; shown as the change undone", lineCounts(olds[p])))
			if of := olds[p]; !of.IsBinary && len(of.Hunks) > 0 {
				res.Files = append(res.Files, reverseFile(of))
			}
		}
	}
	return res, nil
}

// reverseFile is a file's change undone: what the earlier version added is
// removed, old and new sides swapped.
func reverseFile(f *File) *File {
	out := &File{OldName: f.NewName, NewName: f.OldName, IsNew: f.IsDelete, IsDelete: f.IsNew, IsRename: f.IsRename}
	if out.NewName == "" {
		out.NewName = f.Path()
	}
	for _, h := range f.Hunks {
		nh := &Hunk{OldStart: h.NewStart, OldLines: h.NewLines, NewStart: h.OldStart, NewLines: h.OldLines, Section: h.Section}
		for _, l := range h.Lines {
			nl := Line{Kind: l.Kind, Old: l.New, New: l.Old, Text: l.Text}
			switch l.Kind {
			case LineAdd:
				nl.Kind = LineDel
			case LineDel:
				nl.Kind = LineAdd
			}
			nh.Lines = append(nh.Lines, nl)
		}
		// in each run of changed lines, the removed ones first
		for i := 0; i < len(nh.Lines); {
			j := i
			for j < len(nh.Lines) && nh.Lines[j].Kind != LineContext {
				j++
			}
			run := nh.Lines[i:j]
			sort.SliceStable(run, func(a, b int) bool { return run[a].Kind == LineDel && run[b].Kind == LineAdd })
			if j == i {
				j++
			}
			i = j
		}
		out.Hunks = append(out.Hunks, nh)
	}
	return out
}

func (r *InterdiffResult) note(path, text string) {
	r.Notes = append(r.Notes, InterdiffNote{Path: path, Text: text})
}

// lineCounts says "+12 -3".
func lineCounts(f *File) string {
	a, d := 0, 0
	for _, h := range f.Hunks {
		for _, l := range h.Lines {
			switch l.Kind {
			case LineAdd:
				a++
			case LineDel:
				d++
			}
		}
	}
	return fmt.Sprintf("+%d -%d", a, d)
}

// compareFile adds the interdiff of one file present in both versions.
func (r *InterdiffResult) compareFile(of, nf *File) {
	path := nf.Path()
	if of.IsBinary || nf.IsBinary {
		r.note(path, "binary in one version: not compared")
		return
	}
	var hunks []*Hunk
	if base, ok := sharedBase(of, nf); ok && !moved(of, nf) {
		hunks = sameBaseHunks(of, nf, base)
	} else {
		r.note(path, "the versions apply to different base text (rebased?): hunks are paired by function and order, and line numbers are each version's own")
		hunks = r.pairedHunks(of, nf)
	}
	if len(hunks) == 0 {
		r.note(path, "unchanged since the earlier version")
		return
	}
	r.Files = append(r.Files, &File{OldName: of.Path(), NewName: path, IsRename: of.Path() != path, Hunks: hunks})
}

// sharedBase collects the base (pre-image) lines both patches show, by
// line number, and reports whether they agree wherever both show a line.
func sharedBase(of, nf *File) (map[int]string, bool) {
	base := map[int]string{}
	for _, h := range of.Hunks {
		for _, l := range h.Lines {
			if l.Kind != LineAdd {
				base[l.Old] = l.Text
			}
		}
	}
	for _, h := range nf.Hunks {
		for _, l := range h.Lines {
			if l.Kind == LineAdd {
				continue
			}
			if t, ok := base[l.Old]; ok && t != l.Text {
				return nil, false
			}
			base[l.Old] = l.Text
		}
	}
	return base, true
}

// moved reports whether a function both versions patch sits at base
// lines that do not overlap: a sign that v2 applies to a different base.
func moved(of, nf *File) bool {
	for _, nh := range nf.Hunks {
		same, overlap := false, false
		for _, oh := range of.Hunks {
			if nh.Section == "" || oh.Section != nh.Section {
				continue
			}
			same = true
			if oh.OldStart <= hunkEnd(nh) && nh.OldStart <= hunkEnd(oh) {
				overlap = true
			}
		}
		if same && !overlap {
			return true
		}
	}
	return false
}

// span is a range of base lines [from, to].
type span struct{ from, to int }

// regions merges the base ranges the hunks of both versions cover into
// disjoint spans, in order.
func regions(of, nf *File) []span {
	var s []span
	for _, f := range []*File{of, nf} {
		for _, h := range f.Hunks {
			from, to := h.OldStart, h.OldStart+h.OldLines-1
			if h.OldLines == 0 { // pure insertion after line OldStart
				from, to = h.OldStart+1, h.OldStart
			}
			s = append(s, span{from, to})
		}
	}
	sort.Slice(s, func(i, j int) bool { return s[i].from < s[j].from })
	var out []span
	for _, x := range s {
		if n := len(out); n > 0 && x.from <= out[n-1].to+1 {
			out[n-1].to = max(out[n-1].to, x.to)
			continue
		}
		out = append(out, x)
	}
	return out
}
