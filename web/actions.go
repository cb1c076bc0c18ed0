package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"patchreview/review"
	"patchreview/storage"
	"patchreview/web/httpx"
)

func formID(r *http.Request, key string) (int64, error) {
	v := r.PostFormValue(key)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, httpx.Errorf(http.StatusBadRequest, "bad %s %q", key, v)
	}
	return n, nil
}

// handleCommentCreate adds the signed-in reviewer's comment on a line
// (path, line; side "old" for a removed line) or a general one.
func (s *Server) handleCommentCreate(w http.ResponseWriter, r *http.Request) error {
	patchID, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := signedIn(r, "comment")
	if err != nil {
		return err
	}
	line, err := formID(r, "line")
	if err != nil {
		return err
	}
	c := review.Comment{PatchID: patchID, Author: u.Address(), UserID: u.ID, Path: r.PostFormValue("path"),
		Line: int(line), Side: r.PostFormValue("side"), Code: r.PostFormValue("code"), Body: normalizeBody(r.PostFormValue("body"))}
	p, err := s.store.PatchByID(r.Context(), patchID)
	if err != nil {
		return err
	}
	// only places the patch page shows: else the remark would be stored
	// as a general one and quoted nowhere
	if err := review.CheckCommentPlace(patchFiles(p), c.Path, c.Line, c.Side); err != nil {
		return err
	}
	id, err := s.store.AddComment(r.Context(), c)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/patches/%d#comment-%d", patchID, id), http.StatusSeeOther)
	return nil
}

func (s *Server) handleCommentEdit(w http.ResponseWriter, r *http.Request) error {
	return s.changeComment(w, r, "edit a comment", func(id int64, u *storage.User) error {
		return s.store.EditComment(r.Context(), id, u, normalizeBody(r.PostFormValue("body")))
	})
}

func (s *Server) handleCommentDelete(w http.ResponseWriter, r *http.Request) error {
	return s.changeComment(w, r, "delete a comment", func(id int64, u *storage.User) error {
		return s.store.DeleteComment(r.Context(), id, u)
	})
}

// changeComment applies an edit or delete by the signed-in account and
// returns to the patch.
func (s *Server) changeComment(w http.ResponseWriter, r *http.Request, what string, change func(int64, *storage.User) error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := signedIn(r, what)
	if err != nil {
		return err
	}
	c, err := s.store.CommentByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := change(id, u); errors.Is(err, storage.ErrForbidden) {
		return httpx.Errorf(http.StatusForbidden, "this comment is %s's: only they or an admin can change it", c.Author.String())
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
	u, err := signedIn(r, "dismiss a finding")
	if err != nil {
		return err
	}
	patchID, err := s.store.DismissFinding(r.Context(), id, review.Dismissal{Reason: r.PostFormValue("reason"),
		Note: strings.TrimSpace(r.PostFormValue("note"))}, u)
	if errors.Is(err, storage.ErrForbidden) {
		return httpx.Errorf(http.StatusForbidden, "another reviewer dismissed this finding: only they or an admin can change that")
	}
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
	u, err := signedIn(r, "restore a finding")
	if err != nil {
		return err
	}
	patchID, err := s.store.RestoreFinding(r.Context(), id, u)
	if errors.Is(err, storage.ErrForbidden) {
		return httpx.Errorf(http.StatusForbidden, "another reviewer dismissed this finding: only they or an admin can restore it")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/patches/%d#finding-%d", patchID, id), http.StatusSeeOther)
	return nil
}

// handleVerdict records the signed-in reviewer's verdict on a patch
// (/patches/{id}/verdict) or a series (/series/{id}/verdict); the trailer
// carries the account's name and email, never a form field.
func (s *Server) handleVerdict(onSeries bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		u, err := signedIn(r, "give a verdict")
		if err != nil {
			return err
		}
		v := review.Verdict{Kind: r.PostFormValue("kind"), Author: u.Address(), UserID: u.ID, Note: strings.TrimSpace(r.PostFormValue("note"))}
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

// handleVerdictDelete withdraws a verdict: its owner's or an admin's.
func (s *Server) handleVerdictDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := signedIn(r, "withdraw a verdict")
	if err != nil {
		return err
	}
	v, err := s.store.DeleteVerdict(r.Context(), id, u)
	if errors.Is(err, storage.ErrForbidden) {
		return httpx.Errorf(http.StatusForbidden, "another reviewer gave this verdict: only they or an admin can withdraw it")
	}
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/series/%d#verdicts", v.SeriesID)
	if v.PatchID != 0 {
		back = fmt.Sprintf("/patches/%d#verdicts", v.PatchID)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// normalizeBody turns CRLF from browsers into LF.
func normalizeBody(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}
