package web

import (
	"fmt"
	"html/template"
	"strings"

	"patchreview/review"
	"patchreview/storage"
)

// patchView is the patch page's data: the diff (or pasted code) as rows,
// with findings and comments attached to the line they anchor on.
type patchView struct {
	ID, SeriesID, MessageRowID int64
	Reviewer                   review.Address // remembered from the cookie
	CommentAt                  string         // anchor of the line whose comment form is open
	General                    []commentView  // comments on no line
	Verdicts                   []review.Verdict
	VerdictKinds               []string
	Subject, Author, Date      string
	CommitMessage, Notes       string
	Files                      []fileView
	Findings                   []findingView
	Unplaced                   []findingView
	Replies                    []storage.StoredMessage
}

type fileView struct {
	Name, Anchor string
	Rows         []rowView
}

type rowView struct {
	Hunk     bool
	Kind     string // add, del, ctx
	Old, New string // line numbers, "" when absent
	Anchor   string
	Text     string
	Path     string // the file's name, for the comment form
	Findings []findingView
	Comments []commentView
	Form     bool // the comment form is open under this row
}

type findingView struct {
	review.Finding
	Anchor string
}

type commentView struct {
	review.Comment
	HTML template.HTML // the body rendered from Markdown
	Mine bool          // the remembered reviewer wrote it: offer edit and delete
}

// newPatchView builds the page model. A finding that anchors on no row is
// listed as unplaced, never dropped.
func newPatchView(p *storage.Patch, reviewer review.Address, commentAt string) *patchView {
	v := &patchView{ID: p.ID, SeriesID: p.SeriesID, MessageRowID: p.Message.ID, Replies: p.Replies,
		Reviewer: reviewer, CommentAt: commentAt, Verdicts: p.Verdicts, VerdictKinds: review.VerdictKinds}
	m := p.Message.Message
	if m == nil {
		v.Subject = fmt.Sprintf("message %d (could not be parsed: %s)", p.Message.ID, p.Message.ParseError)
		return v
	}
	v.Subject, v.Author, v.Date = m.Subject.Raw, m.From.String(), m.Date.Format("Mon, 2 Jan 2006 15:04 -0700")
	if m.Patch != nil {
		v.CommitMessage, v.Notes = m.Patch.CommitMessage, m.Patch.Notes
		for i, f := range m.Patch.Files {
			v.Files = append(v.Files, diffFile(i, f))
		}
	} else {
		v.Files = []fileView{codeFile(m.Body)}
	}
	placed := map[string]*rowView{}
	for fi := range v.Files {
		for ri := range v.Files[fi].Rows {
			row := &v.Files[fi].Rows[ri]
			row.Path = v.Files[fi].Name
			row.Form = row.Anchor != "" && row.Anchor == commentAt
			if row.New != "" {
				placed[v.Files[fi].Name+":"+row.New] = row
			}
		}
	}
	for _, f := range p.Findings {
		key := f.Path + ":" + fmt.Sprint(f.Line)
		fv := findingView{Finding: f}
		if row, ok := placed[key]; ok {
			fv.Anchor = row.Anchor
			row.Findings = append(row.Findings, fv)
		} else {
			v.Unplaced = append(v.Unplaced, fv)
		}
		v.Findings = append(v.Findings, fv)
	}
	for _, c := range p.Comments {
		cv := commentView{Comment: c, HTML: renderMarkdown(c.Body),
			Mine: c.Source == "web" && reviewer.Email != "" && strings.EqualFold(c.Author.Email, reviewer.Email)}
		if row, ok := placed[c.Path+":"+fmt.Sprint(c.Line)]; ok && c.Line > 0 {
			row.Comments = append(row.Comments, cv)
		} else {
			v.General = append(v.General, cv)
		}
	}
	return v
}

// codeName is the file name shown for code pasted into a mail body.
const codeName = review.BodyPath

func diffFile(i int, f *review.File) fileView {
	fv := fileView{Name: f.Path(), Anchor: fmt.Sprintf("f%d", i)}
	for _, h := range f.Hunks {
		fv.Rows = append(fv.Rows, rowView{Hunk: true, Text: fmt.Sprintf("@@ -%d,%d +%d,%d @@ %s", h.OldStart, h.OldLines, h.NewStart, h.NewLines, h.Section)})
		for _, l := range h.Lines {
			r := rowView{Kind: string(l.Kind), Text: l.Text}
			if l.Old > 0 {
				r.Old = fmt.Sprint(l.Old)
			}
			if l.New > 0 {
				r.New = fmt.Sprint(l.New)
				r.Anchor = fmt.Sprintf("f%d-n%d", i, l.New)
			} else {
				r.Anchor = fmt.Sprintf("f%d-o%d", i, l.Old)
			}
			fv.Rows = append(fv.Rows, r)
		}
	}
	return fv
}

// codeFile shows a mail body with pasted code as numbered lines.
func codeFile(body string) fileView {
	fv := fileView{Name: codeName, Anchor: "f0"}
	for i, l := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
		n := fmt.Sprint(i + 1)
		fv.Rows = append(fv.Rows, rowView{Kind: "ctx", New: n, Anchor: "f0-n" + n, Text: l})
	}
	return fv
}
