package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"

	"patchreview/review"
	"patchreview/storage"
)

// reviewerCookie remembers the reviewer's name and email until accounts exist.
const reviewerCookie = "reviewer"

// reviewerFrom reads the reviewer from the form (name, email), falling back
// to the cookie, and remembers a form-given reviewer in the cookie.
func reviewerFrom(w http.ResponseWriter, r *http.Request) (review.Address, error) {
	return rememberReviewer(w, r, r.PostFormValue("name"), r.PostFormValue("email"))
}

// rememberReviewer validates a reviewer given in a form, falling back to the
// cookie when none is given, and sets the cookie.
func rememberReviewer(w http.ResponseWriter, r *http.Request, name, email string) (review.Address, error) {
	a := review.Address{Name: strings.TrimSpace(name), Email: strings.TrimSpace(email)}
	if a.Email == "" {
		a = cookieReviewer(r)
	} else if _, err := mail.ParseAddress(a.Email); err != nil {
		return a, errorf(http.StatusBadRequest, "bad email address %q", a.Email)
	}
	if a.Email == "" || a.Name == "" {
		return a, errorf(http.StatusBadRequest, "give your name and email: they sign your comments and trailers")
	}
	http.SetCookie(w, &http.Cookie{Name: reviewerCookie, Value: url.QueryEscape(a.String()), Path: "/",
		MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return a, nil
}

// cookieReviewer returns the remembered reviewer, or a zero Address.
func cookieReviewer(r *http.Request) review.Address {
	c, err := r.Cookie(reviewerCookie)
	if err != nil {
		return review.Address{}
	}
	v, _ := url.QueryUnescape(c.Value)
	a, err := mail.ParseAddress(v)
	if err != nil {
		return review.Address{}
	}
	return review.Address{Name: a.Name, Email: a.Address}
}

func formID(r *http.Request, key string) (int64, error) {
	v := r.PostFormValue(key)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, errorf(http.StatusBadRequest, "bad %s %q", key, v)
	}
	return n, nil
}

// handleCommentCreate adds a comment on a line (path, line) or a general one.
func (s *Server) handleCommentCreate(w http.ResponseWriter, r *http.Request) error {
	patchID, err := pathID(r)
	if err != nil {
		return err
	}
	who, err := reviewerFrom(w, r)
	if err != nil {
		return err
	}
	line, err := formID(r, "line")
	if err != nil {
		return err
	}
	id, err := s.store.AddComment(r.Context(), review.Comment{PatchID: patchID, Author: who, Path: r.PostFormValue("path"),
		Line: int(line), Code: r.PostFormValue("code"), Body: normalizeBody(r.PostFormValue("body"))})
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/patches/%d#comment-%d", patchID, id), http.StatusSeeOther)
	return nil
}

func (s *Server) handleCommentEdit(w http.ResponseWriter, r *http.Request) error {
	return s.changeComment(w, r, func(id int64, who review.Address) error {
		return s.store.EditComment(r.Context(), id, who.Email, normalizeBody(r.PostFormValue("body")))
	})
}

func (s *Server) handleCommentDelete(w http.ResponseWriter, r *http.Request) error {
	return s.changeComment(w, r, func(id int64, who review.Address) error {
		return s.store.DeleteComment(r.Context(), id, who.Email)
	})
}

// changeComment applies an edit or delete by the remembered reviewer and
// returns to the patch.
func (s *Server) changeComment(w http.ResponseWriter, r *http.Request, change func(int64, review.Address) error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := s.store.CommentByID(r.Context(), id)
	if err != nil {
		return err
	}
	who := cookieReviewer(r)
	if err := change(id, who); errors.Is(err, storage.ErrForbidden) {
		return errorf(http.StatusForbidden, "only %s can change this comment", c.Author.String())
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/patches/%d#comment-%d", c.PatchID, id), http.StatusSeeOther)
	return nil
}

func (s *Server) handleFindingDismiss(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	who, err := reviewerFrom(w, r)
	if err != nil {
		return err
	}
	patchID, err := s.store.DismissFinding(r.Context(), id, review.Dismissal{Reason: r.PostFormValue("reason"),
		Note: strings.TrimSpace(r.PostFormValue("note")), Author: who})
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/patches/%d#finding-%d", patchID, id), http.StatusSeeOther)
	return nil
}

func (s *Server) handleFindingRestore(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	patchID, err := s.store.RestoreFinding(r.Context(), id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/patches/%d#finding-%d", patchID, id), http.StatusSeeOther)
	return nil
}

// handleVerdict records a verdict on a patch (/patches/{id}/verdict) or a
// series (/series/{id}/verdict).
func (s *Server) handleVerdict(onSeries bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		who, err := reviewerFrom(w, r)
		if err != nil {
			return err
		}
		v := review.Verdict{Kind: r.PostFormValue("kind"), Author: who, Note: strings.TrimSpace(r.PostFormValue("note"))}
		back := fmt.Sprintf("/patches/%d#verdicts", id)
		if onSeries {
			v.SeriesID, back = id, fmt.Sprintf("/series/%d#verdicts", id)
		} else {
			v.PatchID = id
		}
		if err := s.store.AddVerdict(r.Context(), v); err != nil {
			return err
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
}

// normalizeBody turns CRLF from browsers into LF.
func normalizeBody(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// renderMarkdown renders a comment or doc; goldmark escapes raw HTML.
func renderMarkdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(buf.String())
}
