package web

import (
	"net/http"

	"patchreview/review"
	"patchreview/web/diffview"
	"patchreview/web/httpx"
)

type interdiffPage struct {
	PatchID, PrevID      int64
	Subject, PrevSubject string
	NewPatch             bool // no earlier counterpart: shown whole
	Notes                []review.InterdiffNote
	View                 *diffview.View
}

// handleInterdiff shows what changed in a patch since the patch of the
// previous version it revises, paired as git range-diff pairs them (same
// subject, then same patch-id), not by number; the page names both. A
// patch new in this version is shown whole.
func (s *Server) handleInterdiff(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	cur, err := s.store.PatchByID(r.Context(), id)
	if err != nil {
		return err
	}
	se, err := s.store.SeriesByID(r.Context(), cur.SeriesID)
	if err != nil {
		return err
	}
	if se.PrevVersion == 0 {
		return httpx.Errorf(http.StatusNotFound, "patch %d has no earlier version: its series has no previous version", id)
	}
	vm, err := s.store.VersionMatches(r.Context(), cur.SeriesID)
	if err != nil {
		return err
	}
	page := interdiffPage{PatchID: id}
	var oldFiles, newFiles []*review.File
	if m := cur.Message.Message; m != nil {
		page.Subject = m.Subject.Raw
		if m.Patch != nil {
			newFiles = m.Patch.Files
		}
	}
	if prevID, ok := vm.Prev[id]; ok {
		prev, err := s.store.PatchByID(r.Context(), prevID)
		if err != nil {
			return err
		}
		page.PrevID = prevID
		if m := prev.Message.Message; m != nil {
			page.PrevSubject = m.Subject.Raw
			if m.Patch != nil {
				oldFiles = m.Patch.Files
			}
		}
	} else {
		page.NewPatch = true
	}
	res, err := review.Interdiff(oldFiles, newFiles)
	if err != nil {
		return httpx.Errorf(http.StatusUnprocessableEntity, "cannot compare the two versions: %v", err)
	}
	page.Notes = res.Notes
	page.View = diffview.Build(res.Files, nil, nil, diffview.Options{PageURL: r.URL.Path, Split: splitFrom(r),
		ExpandAll: diffview.ExpandFromRequest(r), Interdiff: true})
	return s.render(w, r, "interdiff", page)
}
