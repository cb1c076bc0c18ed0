// Package diffview turns a patch's files, findings and comments into a view
// model that templates render without logic: files, hunks and rows of
// strings, booleans and pre-escaped highlighted code, each line with a
// stable anchor id, and every finding and comment placed on its line or
// listed as unplaced. It also ships the HTML partials, stylesheet and
// script of the diff view (see FS and ParseTemplates).
package diffview

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"

	"patchreview/review"
)

// Row kinds, as CSS classes and template switches.
const (
	KindAdd       = "add"
	KindDel       = "del"
	KindCtx       = "ctx"
	KindHunk      = "hunk"
	KindCollapsed = "collapsed" // a run of context the patch has, folded
	KindGap       = "gap"       // lines between hunks that the patch does not carry
)

// Collapsing: a run of unchanged lines inside a hunk longer than
// 2*keepContext+minFolded keeps keepContext lines on each side of a change
// and folds the rest into one "N unchanged lines" row.
const (
	keepContext = 3
	minFolded   = 4
	// DefaultMaxFileLines is the longest file diff a page shows whole;
	// a longer one is collapsed to its header and notes, and shown alone
	// on demand (Options.File), so that a page's cost stays a small
	// multiple of what it shows, whatever the patch's size.
	DefaultMaxFileLines = 3000
)

// Options say how to build a view.
type Options struct {
	// PageURL is the page's path without query, e.g. "/patches/12"; the
	// expand, view-switch and comment links are built on it.
	PageURL string
	// Split selects side-by-side rows as the initial view.
	Split bool
	// ExpandAll shows all context the patch carries (?context=all).
	ExpandAll bool
	// Rules looks up a rule by id for titles and docs; nil shows ids only.
	Rules func(id string) *Rule
	// CommentURL is where the comment form posts; "" hides the forms.
	CommentURL string
	// CommentAt is the anchor of the line whose comment form is open
	// without JavaScript ("f1-n58", from ?comment=; see CommentAtFromRequest).
	CommentAt string
	// CanEdit, when set, decides which comments the reader may edit and
	// delete (Note.Mine; only comments written here, never mail). Unset:
	// none.
	CanEdit func(review.Comment) bool
	// Interdiff says the files are an interdiff (review.Interdiff): the
	// lines between its hunks did not change between the two versions,
	// and the gap rows say so instead of "not in the patch".
	Interdiff bool
	// CanAct, when set, decides on which findings the reader may act
	// (Note.CanAct): dismiss one nobody dismissed, restore a dismissed
	// one. Unset: on none, and the page offers no such form.
	CanAct func(review.Finding) bool
	// FormData is handed to the forms as CommentForm.Data, for a
	// "diffview-comment-extra" template the web layer defines (author
	// fields, CSRF token).
	FormData any
	// File is the id of a long file to show, in parts ("f3", from
	// ?file=; see FileFromRequest), and Part the part (from ?part=, 1 when
	// 0; see PartFromRequest).
	File string
	Part int
	// MaxFileLines collapses file diffs longer than this (diff lines);
	// 0 means DefaultMaxFileLines, a negative value never collapses.
	MaxFileLines int
}

// CommentForm is one comment form: the general one under the diff, or the
// one open under a line.
type CommentForm struct {
	ID     string // element id: "dv-comment-form" (general) or "dv-line-form"
	URL    string // where it posts
	Path   string // "" for the general form
	Line   string // line number ("" for the general form): new side, or old with Side "old"
	Side   string // "old" for a removed line; "" for the new side
	Code   string // the line's text
	Inline bool   // under a line: path and line are hidden inputs
	Data   any    // Options.FormData
}

// Rule is what the view needs of a checks rule.
type Rule struct {
	ID, Title string
	Doc       string // Markdown
}

// View is one patch's diff, ready for the diffview templates.
type View struct {
	Files       []*FileView
	Findings    []*Note // every placed finding, in file and line order
	Unplaced    []*Note // findings and line comments whose line is not in the diff
	General     []*Note // comments on the patch as a whole (no path or line)
	HasGeneral  bool
	HasFindings bool
	HasUnplaced bool
	Split       bool // render diffview-split first
	ExpandAll   bool
	UnifiedURL  string // ?view=unified
	SplitURL    string // ?view=split
	ExpandURL   string // ?context=all
	CommentURL  string
	Form        *CommentForm // the general form; nil without CommentURL
	Summary     string       // "2 errors, 1 warning"
}

// FileView is one file of the diff.
type FileView struct {
	ID        string // "f2"
	Name      string // the new name, or the old one for a deletion
	OldName   string // set for a rename or copy
	Status    string // "modified", "new", "deleted", "renamed", "copied", "binary"
	IsBinary  bool
	NoText    bool   // no hunks: a pure rename, copy, mode change or empty deletion
	Adds      string // "+12"
	Dels      string // "-3"
	Rows      []*Row
	Split     []*SplitRow
	NoteCount string // "2 findings, 1 comment" or ""
	// A collapsed file (longer than Options.MaxFileLines) has no rows:
	// its header, its notes (Notes, each a link to the page of the part
	// that shows its line) and the link that shows it (parts.go).
	Collapsed bool
	Lines     int    // diff lines of a collapsed file or one shown in parts
	LoadURL   string // the page showing this file (its first part)
	Notes     []*Note
	// A long file asked for (Options.File) is shown one part at a time:
	// diff lines PartFrom to PartTo of Lines, part Part of Parts.
	Part, Parts        int
	PartFrom, PartTo   int
	PrevPart, NextPart string

	src      *review.File // a collapsed or parted file's diff, for notes elsewhere
	maxLines int
}

// Row is one row of the unified view.
type Row struct {
	Kind        string // one of the Kind constants
	IsLine      bool   // an add, del or ctx row (else a hunk, collapsed or gap row)
	Path        string // the file's name, for the comment form
	ID          string // anchor of the row: the new-side id, else the old-side id
	OldNum      string // "" when the side has no line
	NewNum      string
	OldID       string // "f2-o40"
	NewID       string // "f2-n137"
	Code        template.HTML
	Text        string // the line's plain text
	Link        string // for collapsed rows: the no-JavaScript expand link
	Header      string // for hunk rows: "@@ -40,7 +41,9 @@"
	Section     string // for hunk rows: the function after the @@
	Label       string // for collapsed and gap rows: "12 unchanged lines"
	Hidden      bool   // folded into the collapsed row Fold names
	Fold        string // for collapsed rows and their hidden rows: "f2-x3"
	Notes       []*Note
	HasNotes    bool
	Commentable bool         // a new-side line the comment form can anchor on
	Form        *CommentForm // the open comment form under this line, or nil
	CommentLink string       // no-JavaScript link opening the form here; "" without CommentURL
	// OldCommentLink opens the form on a removed line (old side).
	OldCommentLink string
}

func newView(opts Options) *View {
	v := &View{
		Split:      opts.Split,
		ExpandAll:  opts.ExpandAll,
		CommentURL: opts.CommentURL,
	}
	v.UnifiedURL = pageLink(opts.PageURL, "unified", opts.ExpandAll, opts.File)
	v.SplitURL = pageLink(opts.PageURL, "split", opts.ExpandAll, opts.File)
	v.ExpandURL = pageLink(opts.PageURL, viewName(opts.Split), true, opts.File)
	return v
}

// pageLink builds the page URL with the view, context and file query
// parameters.
func pageLink(page, view string, all bool, file string) string {
	u := page + "?view=" + view
	if all {
		u += "&context=all"
	}
	if file != "" {
		u += "&file=" + url.QueryEscape(file)
	}
	return u
}

// Build makes the view of files with findings and comments attached. It
// never fails: anything it cannot place goes to View.Unplaced.
func Build(files []*review.File, findings []review.Finding, comments []review.Comment, opts Options) *View {
	v := newView(opts)
	max := opts.MaxFileLines
	if max == 0 {
		max = DefaultMaxFileLines
	}
	for i, f := range files {
		if f == nil {
			continue
		}
		if n := diffLines(f); max > 0 && n > max {
			if "f"+strconv.Itoa(i+1) == opts.File {
				v.Files = append(v.Files, partFile(f, i+1, n, opts.Part, max, opts))
			} else {
				fv := collapsedFile(f, i+1, n, opts)
				fv.src, fv.maxLines = f, max
				v.Files = append(v.Files, fv)
			}
			continue
		}
		v.Files = append(v.Files, buildFile(f, i+1, opts))
	}
	attachNotes(v, findings, comments, opts)
	addForms(v, opts)
	for _, fv := range v.Files {
		foldContext(fv, opts.ExpandAll, v.ExpandURL)
		fv.Split = splitRows(fv.Rows)
	}
	return v
}

// addForms sets the general comment form, each new-side line's link that
// opens a form under it, and the form open under opts.CommentAt.
func addForms(v *View, opts Options) {
	if opts.CommentURL == "" {
		return
	}
	v.Form = &CommentForm{ID: "dv-comment-form", URL: opts.CommentURL, Data: opts.FormData}
	base := pageLink(opts.PageURL, viewName(opts.Split), opts.ExpandAll, opts.File) + "&comment="
	for _, fv := range v.Files {
		for _, r := range fv.Rows {
			if r.Kind == KindDel && r.OldID != "" {
				r.OldCommentLink = base + r.OldID + "#" + r.OldID
				if r.OldID == opts.CommentAt {
					r.Form = &CommentForm{ID: "dv-line-form", URL: opts.CommentURL, Path: r.Path, Line: r.OldNum, Side: "old",
						Code: r.Text, Inline: true, Data: opts.FormData}
				}
			}
			if r.NewID == "" {
				continue
			}
			r.CommentLink = base + r.NewID + "#" + r.NewID
			if r.NewID == opts.CommentAt {
				r.Form = &CommentForm{ID: "dv-line-form", URL: opts.CommentURL, Path: r.Path, Line: r.NewNum,
					Code: r.Text, Inline: true, Data: opts.FormData}
			}
		}
	}
}

func viewName(split bool) string {
	if split {
		return "split"
	}
	return "unified"
}

// buildFile makes the rows of one file, highlighted hunk by hunk.
func buildFile(f *review.File, index int, opts Options) *FileView {
	fv := &FileView{ID: "f" + strconv.Itoa(index), Name: f.Path(), Status: fileStatus(f), IsBinary: f.IsBinary}
	if f.IsRename || f.IsCopy {
		fv.OldName = f.OldName
	}
	adds, dels := 0, 0
	prevOldEnd := 0
	for hi, h := range f.Hunks {
		if h == nil {
			continue
		}
		if hi > 0 && h.OldStart > prevOldEnd {
			fv.Rows = append(fv.Rows, gapRow(h.OldStart-prevOldEnd, opts.Interdiff))
		}
		fv.Rows = append(fv.Rows, hunkRow(h))
		rows, a, d := lineRows(fv, h)
		fv.Rows = append(fv.Rows, rows...)
		adds, dels = adds+a, dels+d
		prevOldEnd = h.OldStart + h.OldLines
	}
	fv.Adds, fv.Dels = "+"+strconv.Itoa(adds), "-"+strconv.Itoa(dels)
	fv.NoText = !f.IsBinary && len(fv.Rows) == 0
	return fv
}

// diffLines counts the lines of a file's hunks.
func diffLines(f *review.File) int {
	n := 0
	for _, h := range f.Hunks {
		if h != nil {
			n += len(h.Lines)
		}
	}
	return n
}

// collapsedFile is the header of a file too long to show on the page: no
// rows are built (nor highlighted) for it.
func collapsedFile(f *review.File, index, lines int, opts Options) *FileView {
	fv := &FileView{ID: "f" + strconv.Itoa(index), Name: f.Path(), Status: fileStatus(f), IsBinary: f.IsBinary,
		Collapsed: true, Lines: lines}
	if f.IsRename || f.IsCopy {
		fv.OldName = f.OldName
	}
	fv.LoadURL = pageLink(opts.PageURL, viewName(opts.Split), opts.ExpandAll, fv.ID)
	adds, dels := 0, 0
	for _, h := range f.Hunks {
		if h == nil {
			continue
		}
		for _, l := range h.Lines {
			switch l.Kind {
			case review.LineAdd:
				adds++
			case review.LineDel:
				dels++
			}
		}
	}
	fv.Adds, fv.Dels = "+"+strconv.Itoa(adds), "-"+strconv.Itoa(dels)
	return fv
}

func fileStatus(f *review.File) string {
	switch {
	case f.IsBinary:
		return "binary"
	case f.IsNew:
		return "new"
	case f.IsDelete:
		return "deleted"
	case f.IsRename:
		return "renamed"
	case f.IsCopy:
		return "copied"
	}
	return "modified"
}

// gapRow is the row between two hunks, n lines apart: lines the patch
// does not carry, or in an interdiff lines the two versions share.
func gapRow(n int, interdiff bool) *Row {
	if interdiff {
		return &Row{Kind: KindGap, Label: plural(n, "line", "lines") + " unchanged between the two versions"}
	}
	return &Row{Kind: KindGap, Label: plural(n, "line", "lines") + " not in the patch"}
}

func hunkRow(h *review.Hunk) *Row {
	return &Row{
		Kind:    KindHunk,
		Header:  fmt.Sprintf("@@ -%d,%d +%d,%d @@", h.OldStart, h.OldLines, h.NewStart, h.NewLines),
		Section: h.Section,
	}
}

// lineRows makes the rows of a hunk's lines. Each side is highlighted as a
// whole: the old side is context and deletions, the new side context and
// additions.
func lineRows(fv *FileView, h *review.Hunk) (rows []*Row, adds, dels int) {
	var oldText, newText []string
	for _, l := range h.Lines {
		if l.Kind != review.LineAdd {
			oldText = append(oldText, l.Text)
		}
		if l.Kind != review.LineDel {
			newText = append(newText, l.Text)
		}
	}
	oldHTML, newHTML := highlight(fv.Name, oldText), highlight(fv.Name, newText)
	oi, ni := 0, 0
	rows = make([]*Row, 0, len(h.Lines))
	for _, l := range h.Lines {
		r := &Row{Kind: string(l.Kind), Text: l.Text, IsLine: true, Path: fv.Name}
		switch l.Kind {
		case review.LineAdd:
			r.Code = newHTML[ni]
			ni++
			adds++
		case review.LineDel:
			r.Code = oldHTML[oi]
			oi++
			dels++
		default:
			r.Kind = KindCtx
			r.Code = newHTML[ni]
			oi++
			ni++
		}
		numberRow(fv.ID, r, l)
		rows = append(rows, r)
	}
	return rows, adds, dels
}

// numberRow sets a row's line numbers and anchors.
func numberRow(file string, r *Row, l review.Line) {
	if l.Kind != review.LineAdd && l.Old > 0 {
		r.OldNum = strconv.Itoa(l.Old)
		r.OldID = file + "-o" + r.OldNum
		r.ID = r.OldID
	}
	if l.Kind != review.LineDel && l.New > 0 {
		r.NewNum = strconv.Itoa(l.New)
		r.NewID = file + "-n" + r.NewNum
		r.ID = r.NewID
		r.Commentable = true
	}
}

// highlight highlights one side of a hunk for the file's language.
func highlight(name string, lines []string) []template.HTML {
	if isC(name) {
		return highlightC(lines)
	}
	return highlightLines(lexerFor(name), lines)
}

// plural formats "1 line" or "12 lines".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
