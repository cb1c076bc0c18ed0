package review

import "fmt"

// numLine is one line of a post-image with its line number there.
type numLine struct {
	N    int
	Text string
	Ctx  bool // context in its hunk, not changed by that version
}

// sameBaseHunks diffs the two post-images region by region.
func sameBaseHunks(of, nf *File, base map[int]string) []*Hunk {
	var out []*Hunk
	for _, s := range regions(of, nf) {
		a, okA := postImage(of, base, s)
		b, okB := postImage(nf, base, s)
		if !okA || !okB {
			continue
		}
		section := sectionAt(nf, s)
		if section == "" {
			section = sectionAt(of, s)
		}
		out = append(out, diffLines(a, b, section, false)...)
	}
	return out
}

// postImage returns the text of base lines s.from..s.to as f leaves them,
// with f's new-side line numbers. ok is false when a base line is unknown.
func postImage(f *File, base map[int]string, s span) (img []numLine, ok bool) {
	delta := 0
	for _, h := range f.Hunks {
		if hunkEnd(h) < s.from {
			delta += h.NewLines - h.OldLines
		}
	}
	for x := s.from; x <= s.to+1; {
		if h := insertionBefore(f, x); h != nil {
			img = appendNew(img, h)
			delta += h.NewLines
		}
		if x > s.to {
			break
		}
		if h := hunkAt(f, x); h != nil {
			img = appendNew(img, h)
			delta += h.NewLines - h.OldLines
			x += h.OldLines
			continue
		}
		t, known := base[x]
		if !known {
			return nil, false
		}
		img = append(img, numLine{x + delta, t, true})
		x++
	}
	return img, true
}

// hunkEnd is the last base line a hunk covers (its anchor for an insertion).
func hunkEnd(h *Hunk) int {
	if h.OldLines == 0 {
		return h.OldStart
	}
	return h.OldStart + h.OldLines - 1
}

func hunkAt(f *File, x int) *Hunk {
	for _, h := range f.Hunks {
		if h.OldLines > 0 && h.OldStart == x {
			return h
		}
	}
	return nil
}

// insertionBefore returns a pure insertion placed before base line x.
func insertionBefore(f *File, x int) *Hunk {
	for _, h := range f.Hunks {
		if h.OldLines == 0 && h.OldStart+1 == x {
			return h
		}
	}
	return nil
}

func appendNew(img []numLine, h *Hunk) []numLine {
	for _, l := range h.Lines {
		if l.Kind != LineDel {
			img = append(img, numLine{l.New, l.Text, l.Kind == LineContext})
		}
	}
	return img
}

// sectionAt returns the section of f's first hunk inside s.
func sectionAt(f *File, s span) string {
	for _, h := range f.Hunks {
		if h.OldStart+1 >= s.from && hunkEnd(h) <= s.to {
			return h.Section
		}
	}
	return ""
}

// pairedHunks compares hunks of two versions on different bases: each v2
// hunk with the first unused v1 hunk of the same section (function), or
// at the same position when neither names one.
func (r *InterdiffResult) pairedHunks(of, nf *File) []*Hunk {
	used := make([]bool, len(of.Hunks))
	var out []*Hunk
	for j, nh := range nf.Hunks {
		i := pairFor(of.Hunks, used, nh, j)
		if i < 0 {
			r.note(nf.Path(), fmt.Sprintf("new hunk in this version at line %d%s", nh.NewStart, inSection(nh)))
			continue
		}
		used[i] = true
		out = append(out, diffLines(appendNew(nil, of.Hunks[i]), appendNew(nil, nh), nh.Section, true)...)
	}
	for i, u := range used {
		if !u {
			oh := of.Hunks[i]
			r.note(nf.Path(), fmt.Sprintf("hunk of the earlier version (its line %d%s) has no counterpart", oh.NewStart, inSection(oh)))
		}
	}
	return out
}

func pairFor(hunks []*Hunk, used []bool, nh *Hunk, j int) int {
	for i, oh := range hunks {
		if !used[i] && nh.Section != "" && oh.Section == nh.Section {
			return i
		}
	}
	if j < len(hunks) && !used[j] && nh.Section == "" && hunks[j].Section == "" {
		return j
	}
	return -1
}

func inSection(h *Hunk) string {
	if h.Section == "" {
		return ""
	}
	return ", " + h.Section
}
