package review

import (
	"fmt"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// ParseDiff parses unified or git diff text (one patch; split mail first)
// into files with old and new line numbers.
func ParseDiff(diff string) ([]*File, error) {
	if strings.Contains(diff, "GIT binary patch\n") && !strings.HasSuffix(diff, "\n\n") {
		diff += "\n" // a binary patch's last literal ends with a blank line
	}
	files, _, err := gitdiff.Parse(strings.NewReader(diff))
	if err != nil && strings.Contains(err.Error(), "missing filename information") {
		// "diff --git pixel.bmp pixel.bmp" (git diff --no-prefix): give the
		// header the a/ b/ prefixes go-gitdiff needs to split the names
		if fixed := prefixGitHeaders(diff); fixed != diff {
			if f2, _, err2 := gitdiff.Parse(strings.NewReader(fixed)); len(f2) >= len(files) {
				files, err = f2, err2
			}
		}
	}
	if err != nil && len(files) == 0 {
		return nil, fmt.Errorf("%w: diff: %v", ErrInvalid, err)
	}
	if len(files) == 0 {
		if fs := headerFiles(diff); len(fs) > 0 {
			return fs, err // hunks go-gitdiff cannot read ("@@@", miscounted): the files at least
		}
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

// headerFiles lists the files of a diff from its "--- old" / "+++ new"
// header pairs, without hunks.
func headerFiles(diff string) []*File {
	lines := strings.Split(diff, "\n")
	var out []*File
	name := func(l, prefix, side string) string {
		n := strings.TrimPrefix(l, prefix)
		if i := strings.IndexByte(n, '\t'); i >= 0 {
			n = n[:i]
		}
		if n == "/dev/null" {
			return ""
		}
		return strings.TrimPrefix(n, side)
	}
	for i := 0; i+1 < len(lines); i++ {
		if strings.HasPrefix(lines[i], "--- ") && strings.HasPrefix(lines[i+1], "+++ ") {
			f := &File{OldName: name(lines[i], "--- ", "a/"), NewName: name(lines[i+1], "+++ ", "b/")}
			f.IsNew, f.IsDelete = f.OldName == "", f.NewName == ""
			out = append(out, f)
			i++
		}
	}
	return out
}

// prefixGitHeaders rewrites "diff --git X X" lines whose names carry no
// a/ b/ prefix (and contain no space) to "diff --git a/X b/X".
func prefixGitHeaders(diff string) string {
	lines := strings.Split(diff, "\n")
	for i, l := range lines {
		rest, ok := strings.CutPrefix(l, "diff --git ")
		f := strings.Fields(rest)
		if !ok || len(f) != 2 || strings.HasPrefix(f[0], "a/") || strings.HasPrefix(f[1], "b/") {
			continue
		}
		lines[i] = "diff --git a/" + f[0] + " b/" + f[1]
	}
	return strings.Join(lines, "\n")
}

func convertFragment(frag *gitdiff.TextFragment) *Hunk {
	h := &Hunk{
		OldStart: int(frag.OldPosition), OldLines: int(frag.OldLines),
		NewStart: int(frag.NewPosition), NewLines: int(frag.NewLines),
		Section: strings.TrimSpace(frag.Comment),
	}
	oldN, newN := h.OldStart, h.NewStart
	h.Lines = make([]Line, 0, len(frag.Lines))
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

// CheckCommentPlace reports, as ErrInvalid with the reason, a comment
// place the diff view of files does not show: a path that is none of the
// files, or a line not in a hunk on that side (side "old" or "new"/"").
// A general comment (no path, no line) is always in place.
func CheckCommentPlace(files []*File, path string, line int, side string) error {
	if path == "" && line == 0 {
		return nil
	}
	if path == "" {
		return fmt.Errorf("%w: line %d without a path: a line comment needs the file", ErrInvalid, line)
	}
	var file *File
	for _, f := range files {
		if f.Path() == path || side == SideOld && f.OldName == path {
			file = f
			break
		}
	}
	if file == nil {
		return fmt.Errorf("%w: %s is not a file of this patch", ErrInvalid, path)
	}
	if line <= 0 {
		return fmt.Errorf("%w: a comment on %s needs a line of the diff (or no path, for a general comment)", ErrInvalid, path)
	}
	for _, h := range file.Hunks {
		if h == nil {
			continue
		}
		for _, l := range h.Lines {
			if side == SideOld && l.Kind != LineAdd && l.Old == line || side != SideOld && l.Kind != LineDel && l.New == line {
				return nil
			}
		}
	}
	name := "new"
	if side == SideOld {
		name = "old"
	}
	return fmt.Errorf("%w: %s line %d (%s side) is not shown in this patch's diff", ErrInvalid, path, line, name)
}
