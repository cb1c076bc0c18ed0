package web

import (
	"net/http"

	"patchreview/review"
	"patchreview/storage"
	"patchreview/web/diffview"
)

// patchView is the patch page's data around the diff view.
type patchView struct {
	ID, SeriesID, MessageRowID int64
	Subject, Author, Date      string
	CommitMessage, Notes       string
	Collected                  []review.Trailer // from list replies
	NotApplied                 []storage.NotApplied
	Reviewer                   review.Address // remembered from the cookie
	Verdicts                   []review.Verdict
	VerdictKinds               []string
	Replies                    []storage.StoredMessage
	View                       *diffview.View
}

// newPatchView builds the page model: the diff (or the pasted code, as one
// file of context lines numbered by body line) with findings and comments
// on their lines, through diffview.
func newPatchView(p *storage.Patch, r *http.Request, reviewer review.Address) *patchView {
	v := &patchView{ID: p.ID, SeriesID: p.SeriesID, MessageRowID: p.Message.ID, Replies: p.Replies, Collected: p.Trailers, NotApplied: p.NotApplied,
		Reviewer: reviewer, Verdicts: p.Verdicts, VerdictKinds: review.VerdictKinds}
	var files []*review.File
	if m := p.Message.Message; m == nil {
		v.Subject = "message could not be parsed: " + p.Message.ParseError
	} else {
		v.Subject, v.Author, v.Date = m.Subject.Raw, m.Author().String(), m.Date.Format("Mon, 2 Jan 2006 15:04 -0700")
		if m.Author() != m.From {
			v.Author += " (sent by " + m.From.String() + ")"
		}
		if m.Patch != nil {
			v.CommitMessage, v.Notes, files = m.Patch.CommitMessage, m.Patch.Notes, m.Patch.Files
		} else {
			files = []*review.File{codeFile(m.Body)}
		}
	}
	v.View = diffview.Build(files, p.Findings, p.Comments, diffview.Options{
		PageURL:    r.URL.Path,
		Split:      splitFrom(r),
		ExpandAll:  diffview.ExpandFromRequest(r),
		Rules:      diffview.CheckRules,
		CommentURL: r.URL.Path + "/comments",
		CommentAt:  diffview.CommentAtFromRequest(r),
		Reviewer:   reviewer.Email,
		FormData:   reviewer,
	})
	return v
}

func splitFrom(r *http.Request) bool {
	split, _ := diffview.SplitFromRequest(r)
	return split
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
