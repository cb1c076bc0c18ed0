package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"patchreview/review"
	"patchreview/storage"
	"patchreview/web/httpx"
)

type replyPage struct {
	PatchID         int64
	Subject         string
	Reviewer        review.Address
	Body            string
	EmlURL          string
	To, Cc          []review.Address
	InReplyTo       string
	References      []string
	MailtoURL       template.URL
	Mailer          string // where "Send" sends, "" without one
	Flash           string
	RecipientsCount int
	Empty           bool // no comment, finding or verdict: nothing to send
	LastSent        *storage.SentReply
}

// buildReply formats the account's review of a patch: its comments, the
// findings nobody dismissed (errors and warnings), its verdicts. said is
// false when there are none: the reply would say nothing.
func (s *Server) buildReply(r *http.Request, id int64, u *storage.User) (rep review.ReplyMail, said bool, err error) {
	p, err := s.store.PatchByID(r.Context(), id)
	if err != nil {
		return review.ReplyMail{}, false, err
	}
	if p.Message.Message == nil {
		return review.ReplyMail{}, false, httpx.Errorf(http.StatusConflict, "the patch mail could not be parsed: %s", p.Message.ParseError)
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
	said = len(in.Comments)+len(in.Findings)+len(in.Verdicts) > 0
	rep, err = review.FormatReply(in)
	return rep, said, err
}

// nothingToSend is why an empty reply is not sent.
const nothingToSend = "nothing to send: add a comment or a verdict first"

// resendGuard is how long after sending a reply the same reviewer's next
// send of it must be confirmed ("send again").
const resendGuard = 10 * time.Minute

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
	page := replyPage{PatchID: id, Reviewer: u.Address(), Flash: takeFlash(w, r)}
	rep, said, err := s.buildReply(r, id, u)
	if err != nil {
		return err
	}
	page.Empty = !said
	page.Body, page.Subject, page.EmlURL = rep.Body, rep.Subject, fmt.Sprintf("/patches/%d/reply.eml", id)
	page.To, page.Cc, page.InReplyTo, page.References = rep.To, rep.Cc, rep.InReplyTo, rep.References
	page.RecipientsCount = len(rep.To) + len(rep.Cc)
	page.MailtoURL = mailtoURL(rep)
	if s.opts.Mailer != nil {
		page.Mailer = s.opts.Mailer.String()
	}
	if page.LastSent, err = s.store.LastSentReply(r.Context(), id, u.ID); err != nil {
		return err
	}
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
	rep, _, err := s.buildReply(r, id, u)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "message/rfc822")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="re-patch-%d.eml"`, id))
	_, err = w.Write(rep.Eml)
	return err
}

// mailtoURL opens the reply in the reader's mail client: To, Cc, subject,
// In-Reply-To and the body.
func mailtoURL(m review.ReplyMail) template.URL {
	var to []string
	for _, a := range m.To {
		to = append(to, a.Email)
	}
	q := url.Values{}
	var cc []string
	for _, a := range m.Cc {
		cc = append(cc, a.Email)
	}
	if len(cc) > 0 {
		q.Set("cc", strings.Join(cc, ","))
	}
	q.Set("subject", m.Subject)
	if m.InReplyTo != "" {
		q.Set("In-Reply-To", "<"+m.InReplyTo+">")
	}
	q.Set("body", m.Body)
	return template.URL("mailto:" + url.PathEscape(strings.Join(to, ",")) + "?" + strings.ReplaceAll(q.Encode(), "+", "%20"))
}

// handleReplySend sends the signed-in reviewer's reply through the
// configured relay or sendmail, to the To and Cc of the thread. A reply
// with nothing to say (no comment, finding or verdict) is refused.
func (s *Server) handleReplySend(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := signedIn(r, "send your reply")
	if err != nil {
		return err
	}
	if s.opts.Mailer == nil {
		return httpx.Errorf(http.StatusConflict, "no SMTP relay or sendmail command is configured (serve --smtp or --sendmail): download the .eml or use the mailto: link")
	}
	m, said, err := s.buildReply(r, id, u)
	if err != nil {
		return err
	}
	var rcpt []string
	for _, a := range append(append([]review.Address{}, m.To...), m.Cc...) {
		if a.Email != "" {
			rcpt = append(rcpt, a.Email)
		}
	}
	if len(rcpt) == 0 {
		return httpx.Errorf(http.StatusConflict, "the reply has no recipient: the patch mail names no sender")
	}
	if !said {
		return httpx.Errorf(http.StatusConflict, "%s", nothingToSend)
	}
	// A double click, or a reload of the POST, must not mail the list twice.
	last, err := s.store.LastSentReply(r.Context(), id, u.ID)
	if err != nil {
		return err
	}
	if last != nil && time.Since(last.Sent) < resendGuard && r.PostFormValue("again") == "" {
		return httpx.Errorf(http.StatusConflict, "you sent this reply %s ago (Message-ID <%s>); send again from the reply page if you mean it",
			time.Since(last.Sent).Round(time.Second), last.MessageID)
	}
	if err := s.opts.Mailer.Send(r.Context(), u.Email, rcpt, m.Eml); err != nil {
		s.log.Error("sending a reply failed", "error", err, "patch", id, "reviewer", u.Email)
		return httpx.Errorf(http.StatusBadGateway, "the mail was not sent: %v", err)
	}
	s.log.Info("reply sent", "patch", id, "reviewer", u.Email, "to", rcpt, "via", s.opts.Mailer.String())
	if err := s.store.RecordSentReply(r.Context(), id, u.ID, storage.SentReply{MessageID: m.MessageID,
		Recipients: strings.Join(rcpt, ", "), Sent: time.Now()}); err != nil {
		s.log.Error("recording a sent reply", "error", err, "patch", id)
	}
	setFlash(w, fmt.Sprintf("Sent to %s (Message-ID <%s>).", strings.Join(rcpt, ", "), m.MessageID))
	http.Redirect(w, r, fmt.Sprintf("/patches/%d/reply", id), http.StatusSeeOther)
	return nil
}
