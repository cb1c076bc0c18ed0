package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"strings"

	"patchreview/review"
	"patchreview/storage"
	"patchreview/web/diffview"
	"patchreview/web/httpx"
)

// patchView is the patch page's data around the diff view.
type patchView struct {
	ID, SeriesID, MessageRowID int64
	Subject, Author, Date      string
	CommitMessage, Notes       string
	CheckNote                  string           // "check stopped after 10 s": the findings are those made until then
	Collected                  []review.Trailer // from list replies
	NotApplied                 []storage.NotApplied
	Reviewer                   review.Address // the signed-in account
	Viewer                     *storage.User
	Verdicts                   []review.Verdict
	VerdictKinds               []string
	Replies                    []storage.StoredMessage
	View                       *diffview.View
	// NotesHTML is the notes with each diffstat line's file name a link to
	// that file in the diff.
	NotesHTML template.HTML
	// Navigation within the series and across versions.
	Position             string // "2/3"
	PrevPatch, NextPatch int64
	PrevLabel, NextLabel string
	// The same patch in the previous and next version of the series.
	PrevVersionPatch, NextVersionPatch int64
	MessageID, B4Midmask               string // for the page's `b4 am` line
}

// newPatchView builds the page model: the diff (or the pasted code, as one
// file of context lines numbered by body line) with findings and comments
// on their lines, through diffview. A ?file= or ?part= the patch does not
// have is an error: a 404 for a file, a 400 with the reason otherwise.
func newPatchView(p *storage.Patch, r *http.Request, u *storage.User) (*patchView, error) {
	reviewer := u.Address()
	v := &patchView{ID: p.ID, SeriesID: p.SeriesID, MessageRowID: p.Message.ID, Replies: p.Replies, Collected: p.Trailers, NotApplied: p.NotApplied, CheckNote: p.CheckNote,
		Reviewer: reviewer, Viewer: u, Verdicts: p.Verdicts, VerdictKinds: review.VerdictKinds}
	commentURL := ""
	if u != nil {
		commentURL = r.URL.Path + "/comments" // signed out: no forms to lose text in
	}
	var files []*review.File
	if m := p.Message.Message; m == nil {
		v.Subject = "message could not be parsed: " + p.Message.ParseError
	} else {
		v.Subject, v.Author, v.Date = m.Subject.Raw, m.Author().String(), m.Date.Format("Mon, 2 Jan 2006 15:04 -0700")
		if m.Author() != m.From {
			v.Author += " (sent by " + m.From.String() + ")"
		}
		if m.Patch != nil {
			v.CommitMessage, v.Notes = m.Patch.CommitMessage, m.Patch.Notes
		}
		files = patchFiles(p)
	}
	file, err := diffview.FileFromRequest(r)
	if err != nil {
		return nil, err
	}
	part, err := diffview.PartFromRequest(r)
	if err != nil {
		return nil, err
	}
	if err := diffview.CheckFilePart(files, file, part, 0); err != nil {
		if errors.Is(err, diffview.ErrNoFile) {
			return nil, httpx.Errorf(http.StatusNotFound, "%v", err)
		}
		return nil, err
	}
	defer func() { v.NotesHTML = diffstatLinks(v.Notes, v.View.Files) }()
	v.View = diffview.Build(files, p.Findings, pageComments(p), diffview.Options{
		PageURL:    r.URL.Path,
		Split:      splitFrom(r),
		ExpandAll:  diffview.ExpandFromRequest(r),
		Rules:      diffview.CheckRules,
		CommentURL: commentURL,
		CommentAt:  diffview.CommentAtFromRequest(r),
		File:       file,
		Part:       part,
		CanEdit:    func(c review.Comment) bool { return u.May(c.UserID) },
		CanAct:     func(f review.Finding) bool { return mayActOnFinding(u, f) },
		FormData:   reviewer,
	})
	return v, nil
}

// mayActOnFinding is whether u may dismiss f (any account, when nobody
// dismissed it) or restore it (the account that dismissed it or an admin),
// as storage.DismissFinding and RestoreFinding allow.
func mayActOnFinding(u *storage.User, f review.Finding) bool {
	if u == nil {
		return false
	}
	if f.Dismissal == nil {
		return true
	}
	return u.May(f.Dismissal.UserID)
}

func splitFrom(r *http.Request) bool {
	split, _ := diffview.SplitFromRequest(r)
	return split
}

// patchFiles are the files the patch page shows: the diff's, or the
// pasted code as one file (nil when the message could not be parsed).
func patchFiles(p *storage.Patch) []*review.File {
	m := p.Message.Message
	switch {
	case m == nil:
		return nil
	case m.Patch != nil:
		return m.Patch.Files
	}
	return []*review.File{codeFile(m.Body)}
}

// codeFile presents a mail body with pasted code as a file of context
// lines, numbered by body line, named review.BodyPath like its findings.
func codeFile(body string) *review.File {
	h := &review.Hunk{OldStart: 1, NewStart: 1}
	for i, l := range splitLines(body) {
		h.Lines = append(h.Lines, review.Line{Kind: review.LineContext, Old: i + 1, New: i + 1, Text: l})
	}
	h.OldLines, h.NewLines = len(h.Lines), len(h.Lines)
	return &review.File{OldName: review.BodyPath, NewName: review.BodyPath, Hunks: []*review.Hunk{h}}
}

// diffstatLine is one "path | N +++--" line of a diffstat.
var diffstatLine = regexp.MustCompile(`^(\s*)(\S.*?)(\s+\|\s+(?:\d+|Bin).*)$`)

// diffstatLinks escapes notes and links each diffstat file name to its
// file in the diff; a name git shortened ("…/aops.c") matches by suffix.
func diffstatLinks(notes string, files []*diffview.FileView) template.HTML {
	var b strings.Builder
	for i, l := range strings.Split(notes, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		m := diffstatLine.FindStringSubmatch(l)
		var target string
		if m != nil {
			name := m[2]
			if _, after, ok := strings.Cut(name, " => "); ok {
				name = strings.TrimRight(after, "}")
			}
			short := strings.TrimPrefix(name, "...")
			for _, f := range files {
				if f.Name == name || short != name && strings.HasSuffix(f.Name, short) {
					target = f.ID
					break
				}
			}
		}
		if target == "" {
			b.WriteString(template.HTMLEscapeString(l))
			continue
		}
		fmt.Fprintf(&b, `%s<a href="#%s">%s</a>%s`, template.HTMLEscapeString(m[1]), target,
			template.HTMLEscapeString(m[2]), template.HTMLEscapeString(m[3]))
	}
	return template.HTML(b.String())
}

// seriesNav fills the previous and next patch of the series.
func (v *patchView) seriesNav(se *storage.Series) {
	for i, ps := range se.PatchList {
		if ps.ID != v.ID {
			continue
		}
		v.Position = fmt.Sprintf("%d/%d", i+1, len(se.PatchList))
		if i > 0 {
			v.PrevPatch, v.PrevLabel = se.PatchList[i-1].ID, se.PatchList[i-1].Subject
		}
		if i+1 < len(se.PatchList) {
			v.NextPatch, v.NextLabel = se.PatchList[i+1].ID, se.PatchList[i+1].Subject
		}
	}
}

// pageComments are the comments the diff view shows: web comments, and
// list comments anchored on a line. A list reply's paragraphs that are on
// no line are already in "Discussion on the list", whole; shown again as
// comments on the whole patch, a reply thread read twice.
func pageComments(p *storage.Patch) []review.Comment {
	out := make([]review.Comment, 0, len(p.Comments))
	for _, c := range p.Comments {
		if c.Source == "list" && (c.Path == "" || c.Line <= 0) && len(p.Replies) > 0 {
			continue
		}
		out = append(out, c)
	}
	return out
}
