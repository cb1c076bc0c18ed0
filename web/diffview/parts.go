package diffview

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"patchreview/review"
)

// A file diff longer than Options.MaxFileLines is not built on the patch
// page: it is collapsed to its header and notes (collapsedFile). Asked for
// (Options.File), it is shown in parts of MaxFileLines diff lines, one
// part a page (Options.Part), so that no page costs more than a bounded
// multiple of what it shows, whatever the patch's size. A note on a line
// of another part links to the page of that part.

// PartFromRequest returns ?part= (1-based), or 0 when absent; a value
// that is not a number from 1 is review.ErrInvalid with the reason.
// Whether the file has that part is CheckFilePart's to say.
func PartFromRequest(r *http.Request) (int, error) {
	q := r.URL.Query()
	if !q.Has("part") {
		return 0, nil
	}
	v := q.Get("part")
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1<<30 {
		return 0, fmt.Errorf("%w: part=%q: a part is a number from 1 (with file=fN, the file shown in parts)", review.ErrInvalid, v)
	}
	return n, nil
}

// ErrNoFile is CheckFilePart's error for a ?file= id the patch does not
// have (a 404 on the page).
var ErrNoFile = errors.New("no such file")

// CheckFilePart checks ?file= and ?part= (from FileFromRequest and
// PartFromRequest) against the files Build will show with the same
// maxFileLines (Options.MaxFileLines): a file id the patch does not have
// is ErrNoFile; a part the file does not have, or a part without a file,
// is review.ErrInvalid, with the reason, instead of another page.
func CheckFilePart(files []*review.File, file string, part, maxFileLines int) error {
	if file == "" {
		if part != 0 {
			return fmt.Errorf("%w: part=%d without file=fN: which file's part", review.ErrInvalid, part)
		}
		return nil
	}
	k, _ := strconv.Atoi(file[1:]) // FileFromRequest checked the form
	if k < 1 || k > len(files) || files[k-1] == nil {
		return fmt.Errorf("%w: file=%s: the patch has %d file(s), f1 to f%d", ErrNoFile, file, len(files), len(files))
	}
	if part == 0 {
		return nil
	}
	max := maxFileLines
	if max == 0 {
		max = DefaultMaxFileLines
	}
	parts := 1
	if n := diffLines(files[k-1]); max > 0 && n > max {
		parts = partsOf(n, max)
	}
	if part > parts {
		if parts == 1 {
			return fmt.Errorf("%w: part=%d: file %s is shown whole (1 part)", review.ErrInvalid, part, file)
		}
		return fmt.Errorf("%w: part=%d: file %s has %d parts", review.ErrInvalid, part, file, parts)
	}
	return nil
}

// partsOf is how many parts of max lines n lines make.
func partsOf(n, max int) int { return (n + max - 1) / max }

// partLink is the page showing part k of file id.
func partLink(opts Options, id string, k int) string {
	u := pageLink(opts.PageURL, viewName(opts.Split), opts.ExpandAll, id)
	if k > 1 {
		u += "&part=" + strconv.Itoa(k)
	}
	return u
}

// window is the part of f from diff line lo to hi (0-based, hi
// exclusive): the hunks that overlap it, cut to it, their headers kept.
func window(f *review.File, lo, hi int) *review.File {
	w := *f
	w.Hunks = nil
	i := 0
	for _, h := range f.Hunks {
		if h == nil {
			continue
		}
		start, end := i, i+len(h.Lines)
		i = end
		if end <= lo || start >= hi {
			continue
		}
		c := *h
		c.Lines = h.Lines[max(lo-start, 0):min(hi-start, len(h.Lines))]
		if len(c.Lines) > 0 {
			c.OldStart, c.NewStart = c.Lines[0].Old, c.Lines[0].New
		}
		w.Hunks = append(w.Hunks, &c)
	}
	return &w
}

// partOfLine returns the part (1-based) of f holding the line numbered
// line on the new side (old side when old), or 0 when the diff has none.
func partOfLine(f *review.File, line int, old bool, max int) int {
	i := 0
	for _, h := range f.Hunks {
		if h == nil {
			continue
		}
		for _, l := range h.Lines {
			if !old && l.Kind != review.LineDel && l.New == line || old && l.Kind == review.LineDel && l.Old == line {
				return i/max + 1
			}
			i++
		}
	}
	return 0
}

// partFile builds part k of a long file f (the file at position index):
// its rows, and the links to the parts before and after.
func partFile(f *review.File, index, lines, k, maxLines int, opts Options) *FileView {
	parts := partsOf(lines, maxLines)
	k = min(max(k, 1), parts)
	lo := (k - 1) * maxLines
	fv := buildFile(window(f, lo, lo+maxLines), index, opts)
	fv.src, fv.maxLines = f, maxLines
	fv.Lines, fv.Part, fv.Parts = lines, k, parts
	fv.PartFrom, fv.PartTo = lo+1, min(lo+maxLines, lines)
	if k > 1 {
		fv.PrevPart = partLink(opts, fv.ID, k-1) + "#" + fv.ID
	}
	if k < parts {
		fv.NextPart = partLink(opts, fv.ID, k+1) + "#" + fv.ID
	}
	// The counts are the whole file's, not the part's.
	whole := collapsedFile(f, index, lines, opts)
	fv.Adds, fv.Dels = whole.Adds, whole.Dels
	return fv
}

// elsewhere returns the link to the line on the page of the part that
// shows it, for a note on a file shown in parts (or collapsed) whose line
// is not on this page; ok is false when the file is not such a file or
// the diff does not have the line.
func (fv *FileView) elsewhere(opts Options, line int, old bool) (target string, ok bool) {
	if fv.src == nil || line <= 0 {
		return "", false
	}
	k := partOfLine(fv.src, line, old, fv.maxLines)
	if k == 0 {
		return "", false
	}
	side := "-n"
	if old {
		side = "-o"
	}
	return partLink(opts, fv.ID, k) + "#" + fv.ID + side + strconv.Itoa(line), true
}
