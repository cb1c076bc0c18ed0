package diffview

import (
	"fmt"
	"html/template"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"patchreview/review"
)

// Note is one finding or comment as shown under its line, in the summary or
// in the unplaced list.
type Note struct {
	IsFinding bool
	IsComment bool
	ID        string // anchor of the note itself: "finding-3", "comment-2"
	Where     string // "fs/x.c:137", or "" for a general comment
	Target    string // "#f2-n137", the line's anchor; "" when unplaced
	Code      string // the anchored line's text as the finding or comment gave it

	// Findings.
	Severity  string // "error", "warning", "info" (a CSS class too)
	RuleID    string
	RuleTitle string // the rule's title, or its id when unknown
	RuleURL   string // "/rules/{id}"
	Function  string
	Message   string
	Doc       template.HTML // the rule's Markdown, raw HTML escaped
	FindingID int64         // storage id, for the dismiss and restore forms
	Dismissed bool          // a reviewer dismissed it: shown muted
	Dismissal string        // "intended by Jan Kara <jack@…>: note"
	// CanAct says the reader may dismiss the finding, or restore it when
	// dismissed (Options.CanAct): the page offers the form only then.
	CanAct bool
	// Duplicates of one finding (same rule and message in the same file)
	// show in full once: the first card lists the others (AlsoAt), each
	// other is a one-line pointer to the first (SameAs).
	AlsoAt []AlsoAt
	SameAs *Note

	// Comments.
	Author string
	Source string // "list" or "web"
	Body   string
	HTML   template.HTML // the body rendered from Markdown, raw HTML escaped
	Date   string        // "2026-11-25 07:44"
	// CommentID is the storage id; Mine says the page's reviewer wrote it
	// (a web comment), so the page may offer edit and delete.
	CommentID int64
	Mine      bool
}

// renderDoc renders Markdown to HTML, or nothing when it is empty or fails.
func renderDoc(doc string) template.HTML { return RenderMarkdown(doc) }

// placer finds a file's row for a new-side line, or by code when the line
// number is stale.
type placer struct {
	files map[string]*FileView
	rows  map[string]map[int]*Row
	old   map[string]map[int]*Row // removed lines by old-side number
	order map[string]int          // file position in the diff, from 1
	line  map[*Row]int            // new-side line of each row
}

func newPlacer(files []*FileView) *placer {
	p := &placer{files: map[string]*FileView{}, rows: map[string]map[int]*Row{}, old: map[string]map[int]*Row{}, order: map[string]int{}, line: map[*Row]int{}}
	for i, fv := range files {
		p.order[fv.Name] = i + 1
		m := map[int]*Row{}
		om := map[int]*Row{}
		for _, r := range fv.Rows {
			if r.Kind == KindDel && r.OldNum != "" {
				n, _ := strconv.Atoi(r.OldNum)
				om[n] = r
			}
			if r.NewNum != "" {
				n, _ := strconv.Atoi(r.NewNum)
				m[n] = r
				p.line[r] = n
			}
		}
		p.files[fv.Name] = fv
		p.rows[fv.Name] = m
		p.old[fv.Name] = om
		if fv.OldName != "" && p.files[fv.OldName] == nil { // a note may name a renamed file by its old name
			p.files[fv.OldName], p.rows[fv.OldName], p.order[fv.OldName] = fv, m, i+1
		}
	}
	return p
}

// place returns the row for path:line. When the line is not in the diff
// but code is given and exactly one new-side line of the file has that
// text, that line is taken.
func (p *placer) place(path string, line int, code string) *Row {
	if r := p.rows[path][line]; r != nil {
		return r
	}
	fv := p.files[path]
	if fv == nil || strings.TrimSpace(code) == "" {
		return nil
	}
	var found *Row
	for _, r := range fv.Rows {
		if r.NewNum != "" && r.Kind != KindDel && r.Text == code {
			if found != nil {
				return nil
			}
			found = r
		}
	}
	return found
}

// elsewhere links a note on a long file to the page of the part that
// shows its line, when the file is collapsed or shown in parts and the
// line is not on this page.
func (p *placer) elsewhere(opts Options, path string, line int, old bool) (string, bool) {
	fv := p.files[path]
	if fv == nil {
		return "", false
	}
	return fv.elsewhere(opts, line, old)
}

// placeOld finds the removed line with that old-side number.
func (p *placer) placeOld(path string, line int) *Row {
	fv := p.files[path]
	if fv == nil {
		return nil
	}
	return p.old[fv.Name][line]
}

// attachNotes places findings and comments on their rows and fills the
// summary and unplaced lists.
func attachNotes(v *View, findings []review.Finding, comments []review.Comment, opts Options) {
	p := newPlacer(v.Files)
	docs := map[string]template.HTML{}
	var placed []placedNote
	var unplaced []*Note
	for _, f := range findings {
		n := findingNote(f, opts.Rules, docs)
		n.CanAct = f.ID != 0 && opts.CanAct != nil && opts.CanAct(f)
		if r := p.place(f.Path, f.Line, f.Code); r != nil {
			n.Target, n.Where = "#"+r.ID, where(f.Path, p.line[r])
			placed = append(placed, placedNote{note: n, row: r, file: p.order[f.Path], line: p.line[r]})
		} else if fv := p.files[f.Path]; fv != nil && f.Line > 0 && fv.src != nil {
			target, ok := fv.elsewhere(opts, f.Line, false)
			if !ok {
				unplaced = append(unplaced, n)
				continue
			}
			n.Target, n.Where = target, where(f.Path, f.Line)
			placed = append(placed, placedNote{note: n, file: p.order[f.Path], line: f.Line, fv: fv})
		} else {
			unplaced = append(unplaced, n)
		}
	}
	sort.SliceStable(placed, func(i, j int) bool { return placed[i].less(placed[j]) })
	first := map[string]*Note{}
	for i, pn := range placed {
		pn.note.ID = noteID("finding-", pn.note.FindingID, i+1)
		if pn.row == nil { // on another page of a long file: under its header
			pn.fv.Notes = append(pn.fv.Notes, pn.note)
		} else {
			pn.row.Notes = append(pn.row.Notes, pn.note)
			pn.row.HasNotes = true
		}
		v.Findings = append(v.Findings, pn.note)
		key := fmt.Sprintf("%d\x00%s\x00%s\x00%t", pn.file, pn.note.RuleID, digits.ReplaceAllString(pn.note.Message, "N"), pn.note.Dismissed)
		if f := first[key]; f != nil {
			pn.note.SameAs = f
			f.AlsoAt = append(f.AlsoAt, AlsoAt{Line: pn.line, Target: pn.note.Target, ID: pn.note.ID})
		} else {
			first[key] = pn.note
		}
	}
	for i, n := range unplaced {
		n.ID = noteID("finding-", n.FindingID, len(placed)+i+1)
		v.Unplaced = append(v.Unplaced, n)
	}
	for i, c := range comments {
		n := commentNote(c, i+1)
		if opts.CanEdit != nil {
			n.Mine = c.Source == "web" && opts.CanEdit(c)
		}
		if c.Path == "" || c.Line <= 0 {
			v.General = append(v.General, n)
			continue
		}
		r, at := p.place(c.Path, c.Line, c.Code), ""
		if c.Side == review.SideOld {
			r, at = p.placeOld(c.Path, c.Line), " (removed)"
		}
		if r != nil {
			line := p.line[r]
			if at != "" {
				line = c.Line
			}
			n.Target, n.Where = "#"+r.ID, where(c.Path, line)+at
			r.Notes = append(r.Notes, n)
			r.HasNotes = true
		} else if target, ok := p.elsewhere(opts, c.Path, c.Line, at != ""); ok {
			n.Target, n.Where = target, where(c.Path, c.Line)+at
			p.files[c.Path].Notes = append(p.files[c.Path].Notes, n)
		} else {
			v.Unplaced = append(v.Unplaced, n)
		}
	}
	v.HasFindings = len(v.Findings) > 0
	v.HasUnplaced = len(v.Unplaced) > 0
	v.HasGeneral = len(v.General) > 0
	v.Summary = severitySummary(findings)
	for _, fv := range v.Files {
		fv.NoteCount = noteCount(fv)
	}
}

// AlsoAt is another place a duplicated finding was reported.
type AlsoAt struct {
	Line       int
	Target, ID string // the line's anchor, the duplicate note's anchor
}

// digits matches numbers, so that findings differing only in a line
// number they mention still group.
var digits = regexp.MustCompile(`[0-9]+`)

// placedNote is a finding with the row it was placed on.
type placedNote struct {
	note       *Note
	row        *Row // nil for a note in a collapsed file (fv)
	fv         *FileView
	file, line int
}

// less orders placed findings by file (in diff order), line and rule.
func (a placedNote) less(b placedNote) bool {
	if a.file != b.file {
		return a.file < b.file
	}
	if a.line != b.line {
		return a.line < b.line
	}
	return a.note.RuleID < b.note.RuleID
}

func findingNote(f review.Finding, rules func(string) *Rule, docs map[string]template.HTML) *Note {
	n := &Note{
		IsFinding: true, Where: where(f.Path, f.Line), Code: f.Code,
		Severity: f.Severity, RuleID: f.Rule, RuleTitle: f.Rule, RuleURL: "/rules/" + f.Rule,
		Function: f.Function, Message: f.Message, FindingID: f.ID,
	}
	if d := f.Dismissal; d != nil {
		n.Dismissed = true
		n.Dismissal = d.Reason + " by " + d.Author.String()
		if d.Note != "" {
			n.Dismissal += ": " + d.Note
		}
	}
	if rules == nil {
		return n
	}
	if r := rules(f.Rule); r != nil {
		if r.Title != "" {
			n.RuleTitle = r.Title
		}
		doc, ok := docs[f.Rule]
		if !ok {
			doc = renderDoc(r.Doc)
			docs[f.Rule] = doc
		}
		n.Doc = doc
	}
	return n
}

func commentNote(c review.Comment, i int) *Note {
	n := &Note{
		IsComment: true, ID: noteID("comment-", c.ID, i), Where: where(c.Path, c.Line), Code: c.Code,
		Author: c.Author.String(), Source: c.Source, Body: c.Body, HTML: renderDoc(c.Body), CommentID: c.ID,
	}
	if !c.Created.IsZero() {
		n.Date = c.Created.UTC().Format("2006-01-02 15:04 UTC")
	}
	return n
}

// noteID names a note's anchor by its storage id, so that links to it stay
// valid as others are added, or by its position when it has none.
func noteID(prefix string, id int64, pos int) string {
	if id > 0 {
		return prefix + strconv.FormatInt(id, 10)
	}
	return prefix + strconv.Itoa(pos)
}

func where(path string, line int) string {
	if path == "" {
		return ""
	}
	if line <= 0 {
		return path
	}
	return path + ":" + strconv.Itoa(line)
}

// severitySummary says "2 errors, 1 warning" in severity order.
func severitySummary(fs []review.Finding) string {
	count := map[string]int{}
	for _, f := range fs {
		count[f.Severity]++
	}
	var parts []string
	for _, s := range [][2]string{{"error", "errors"}, {"warning", "warnings"}, {"info", "infos"}} {
		if count[s[0]] > 0 {
			parts = append(parts, plural(count[s[0]], s[0], s[1]))
		}
	}
	if len(parts) == 0 {
		return "no findings"
	}
	return strings.Join(parts, ", ")
}

// noteCount says "2 findings, 1 comment" for a file header, or "".
func noteCount(fv *FileView) string {
	f, c := 0, 0
	count := func(n *Note) {
		if n.IsFinding {
			f++
		} else {
			c++
		}
	}
	for _, r := range fv.Rows {
		for _, n := range r.Notes {
			count(n)
		}
	}
	for _, n := range fv.Notes {
		count(n)
	}
	var parts []string
	if f > 0 {
		parts = append(parts, plural(f, "finding", "findings"))
	}
	if c > 0 {
		parts = append(parts, plural(c, "comment", "comments"))
	}
	return strings.Join(parts, ", ")
}
