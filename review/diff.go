package review

import (
	"fmt"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// ParseDiff parses unified or git diff text (one patch; split mail first)
// into files with old and new line numbers.
func ParseDiff(diff string) ([]*File, error) {
	files, _, err := gitdiff.Parse(strings.NewReader(diff))
	if err != nil && len(files) == 0 {
		return nil, fmt.Errorf("%w: diff: %v", ErrInvalid, err)
	}
	out := make([]*File, 0, len(files))
	for _, f := range files {
		nf := &File{
			OldName: f.OldName, NewName: f.NewName,
			IsNew: f.IsNew, IsDelete: f.IsDelete, IsRename: f.IsRename, IsCopy: f.IsCopy,
			IsBinary: f.IsBinary,
		}
		for _, frag := range f.TextFragments {
			nf.Hunks = append(nf.Hunks, convertFragment(frag))
		}
		out = append(out, nf)
	}
	return out, err
}

func convertFragment(frag *gitdiff.TextFragment) *Hunk {
	h := &Hunk{
		OldStart: int(frag.OldPosition), OldLines: int(frag.OldLines),
		NewStart: int(frag.NewPosition), NewLines: int(frag.NewLines),
		Section: strings.TrimSpace(frag.Comment),
	}
	oldN, newN := h.OldStart, h.NewStart
	for _, l := range frag.Lines {
		text := strings.TrimRight(l.Line, "\n")
		switch l.Op {
		case gitdiff.OpAdd:
			h.Lines = append(h.Lines, Line{Kind: LineAdd, New: newN, Text: text})
			newN++
		case gitdiff.OpDelete:
			h.Lines = append(h.Lines, Line{Kind: LineDel, Old: oldN, Text: text})
			oldN++
		default:
			h.Lines = append(h.Lines, Line{Kind: LineContext, Old: oldN, New: newN, Text: text})
			oldN++
			newN++
		}
	}
	return h
}

// Path returns the file's name on the new side, or the old name for a deletion.
func (f *File) Path() string {
	if f.IsDelete || f.NewName == "" {
		return f.OldName
	}
	return f.NewName
}
