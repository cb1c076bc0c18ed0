package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"patchreview/review"
	"patchreview/storage"
)

type replyPage struct {
	PatchID  int64
	Subject  string
	Reviewer review.Address
	Body     string
	EmlURL   string
}

// buildReply formats the account's review of a patch: its comments, the
// findings nobody dismissed (errors and warnings), its verdicts.
func (s *Server) buildReply(r *http.Request, id int64, u *storage.User) (eml []byte, body string, p *storage.Patch, err error) {
	if p, err = s.store.PatchByID(r.Context(), id); err != nil {
		return nil, "", nil, err
	}
	if p.Message.Message == nil {
		return nil, "", nil, errorf(http.StatusConflict, "the patch mail could not be parsed: %s", p.Message.ParseError)
	}
	who := u.Address()
	in := review.ReplyInput{Original: p.Message.Message, Reviewer: who, Date: time.Now(),
		MessageID: fmt.Sprintf("patchreview.%d.%d@%s", id, time.Now().UnixNano(), mailDomain(who.Email))}
	for _, c := range p.Comments {
		if c.Source == "web" && c.UserID == u.ID {
			in.Comments = append(in.Comments, c)
		}
	}
	for _, f := range p.Findings {
		if f.Dismissal == nil && f.Severity != "info" {
			in.Findings = append(in.Findings, f)
		}
	}
	for _, v := range p.Verdicts {
		if v.UserID == u.ID {
			in.Verdicts = append(in.Verdicts, v)
		}
	}
	eml, body, err = review.FormatReply(in)
	return eml, body, p, err
}

func mailDomain(email string) string {
	if i := strings.LastIndexByte(email, '@'); i >= 0 {
		return email[i+1:]
	}
	return "patchreview.invalid"
}

func (s *Server) handleReplyPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := signedIn(r, "write your reply")
	if err != nil {
		return err
	}
	page := replyPage{PatchID: id, Reviewer: u.Address()}
	_, body, p, err := s.buildReply(r, id, u)
	if err != nil {
		return err
	}
	page.Body, page.Subject, page.EmlURL = body, p.Message.Message.Subject.Raw, fmt.Sprintf("/patches/%d/reply.eml", id)
	return s.render(w, r, "reply", page)
}

func (s *Server) handleReplyEml(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := signedIn(r, "download your reply")
	if err != nil {
		return err
	}
	eml, _, _, err := s.buildReply(r, id, u)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "message/rfc822")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="re-patch-%d.eml"`, id))
	_, err = w.Write(eml)
	return err
}
