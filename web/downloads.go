package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"patchreview/review"
	"patchreview/storage"
)

// trailersFor are the trailers an am-ready mbox adds to a patch: those
// collected from list replies, then the verdicts given here.
func trailersFor(p *storage.Patch) []review.Trailer {
	out := append([]review.Trailer{}, p.Trailers...)
	for _, v := range p.Verdicts {
		if t := v.Trailer(); t != "" {
			out = append(out, review.Trailer{Key: v.Kind, Value: v.Author.String()})
		}
	}
	return out
}

// handlePatchMbox downloads a patch's original mail as an mbox, or with
// ?trailers=1 with the collected trailers applied as b4 am would.
func (s *Server) handlePatchMbox(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	raw, err := s.mboxEntry(r, id)
	if err != nil {
		return err
	}
	return writeMbox(w, fmt.Sprintf("patch-%d.mbox", id), [][]byte{raw})
}

// handleSeriesMbox downloads a series as git am takes it: its patches in
// order (the cover letter first only with ?cover=1), with ?trailers=1 the
// collected trailers applied.
func (s *Server) handleSeriesMbox(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := s.store.SeriesByID(r.Context(), id); err != nil {
		return err
	}
	msgs, err := s.store.SeriesMboxMessages(r.Context(), id, r.URL.Query().Get("cover") != "")
	if err != nil {
		return err
	}
	var raws [][]byte
	for _, m := range msgs {
		raw, err := s.store.MessageRaw(r.Context(), m)
		if err != nil {
			return err
		}
		if r.URL.Query().Get("trailers") != "" {
			raw = s.withTrailers(r, m, raw)
		}
		raws = append(raws, raw)
	}
	return writeMbox(w, fmt.Sprintf("series-%d.mbox", id), raws)
}

// mboxEntry is a patch's raw mail, with trailers applied when asked.
func (s *Server) mboxEntry(r *http.Request, patchID int64) ([]byte, error) {
	p, err := s.store.PatchByID(r.Context(), patchID)
	if err != nil {
		return nil, err
	}
	raw, err := s.store.MessageRaw(r.Context(), p.Message.ID)
	if err != nil || r.URL.Query().Get("trailers") == "" {
		return raw, err
	}
	if out, err := review.AmReady(raw, trailersFor(p)); err == nil {
		return out, nil
	}
	return raw, nil // a mail AmReady cannot rewrite goes out as it came
}

// withTrailers applies a series member's trailers when it is a patch.
func (s *Server) withTrailers(r *http.Request, msgID int64, raw []byte) []byte {
	id, err := s.store.PatchIDByMessage(r.Context(), msgID)
	if err != nil {
		return raw // the cover letter
	}
	p, err := s.store.PatchByID(r.Context(), id)
	if err != nil {
		return raw
	}
	if out, err := review.AmReady(raw, trailersFor(p)); err == nil {
		return out
	}
	return raw
}

func writeMbox(w http.ResponseWriter, name string, raws [][]byte) error {
	var buf bytes.Buffer
	if err := review.WriteMbox(&buf, raws); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/mbox")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err := buf.WriteTo(w)
	return err
}

type replyPage struct {
	PatchID  int64
	Subject  string
	Reviewer review.Address
	Body     string
	EmlURL   string
}

// buildReply formats the reviewer's review of a patch: their comments, the
// findings nobody dismissed (errors and warnings), their verdicts.
func (s *Server) buildReply(r *http.Request, id int64, who review.Address) (eml []byte, body string, p *storage.Patch, err error) {
	if p, err = s.store.PatchByID(r.Context(), id); err != nil {
		return nil, "", nil, err
	}
	if p.Message.Message == nil {
		return nil, "", nil, errorf(http.StatusConflict, "the patch mail could not be parsed: %s", p.Message.ParseError)
	}
	in := review.ReplyInput{Original: p.Message.Message, Reviewer: who, Date: time.Now(),
		MessageID: fmt.Sprintf("patchreview.%d.%d@%s", id, time.Now().UnixNano(), mailDomain(who.Email))}
	for _, c := range p.Comments {
		if c.Source == "web" && strings.EqualFold(c.Author.Email, who.Email) {
			in.Comments = append(in.Comments, c)
		}
	}
	for _, f := range p.Findings {
		if f.Dismissal == nil && f.Severity != "info" {
			in.Findings = append(in.Findings, f)
		}
	}
	for _, v := range p.Verdicts {
		if strings.EqualFold(v.Author.Email, who.Email) {
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

// replyReviewer is the reviewer from the cookie, or ?name=&email= (which
// sets the cookie), or a 400 asking for them.
func replyReviewer(w http.ResponseWriter, r *http.Request) (review.Address, error) {
	if q := r.URL.Query(); q.Get("email") != "" {
		return rememberReviewer(w, r, q.Get("name"), q.Get("email"))
	}
	if who := cookieReviewer(r); who.Email != "" {
		return who, nil
	}
	return review.Address{}, nil
}

func (s *Server) handleReplyPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	who, err := replyReviewer(w, r)
	if err != nil {
		return err
	}
	page := replyPage{PatchID: id, Reviewer: who}
	if who.Email != "" {
		_, body, p, err := s.buildReply(r, id, who)
		if err != nil {
			return err
		}
		page.Body, page.Subject, page.EmlURL = body, p.Message.Message.Subject.Raw, fmt.Sprintf("/patches/%d/reply.eml", id)
	}
	return s.render(w, "reply", page)
}

func (s *Server) handleReplyEml(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	who, err := replyReviewer(w, r)
	if err != nil {
		return err
	}
	if who.Email == "" {
		return errorf(http.StatusBadRequest, "who sends the reply? open /patches/%d/reply and give your name and email", id)
	}
	eml, _, _, err := s.buildReply(r, id, who)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "message/rfc822")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="re-patch-%d.eml"`, id))
	_, err = w.Write(eml)
	return err
}
