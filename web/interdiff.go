package web

import (
	"net/http"

	"patchreview/review"
	"patchreview/web/diffview"
)

type interdiffPage struct {
	PatchID, PrevID int64
	Subject         string
	Notes           []review.InterdiffNote
	View            *diffview.View
}

// handleInterdiff shows what changed in a patch since the same-numbered
// patch of the previous version of its series.
func (s *Server) handleInterdiff(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	prevID, err := s.store.PreviousPatch(r.Context(), id)
	if err != nil {
		return err
	}
	cur, err := s.store.PatchByID(r.Context(), id)
	if err != nil {
		return err
	}
	prev, err := s.store.PatchByID(r.Context(), prevID)
	if err != nil {
		return err
	}
	var oldFiles, newFiles []*review.File
	page := interdiffPage{PatchID: id, PrevID: prevID}
	if m := prev.Message.Message; m != nil && m.Patch != nil {
		oldFiles = m.Patch.Files
	}
	if m := cur.Message.Message; m != nil {
		page.Subject = m.Subject.Raw
		if m.Patch != nil {
			newFiles = m.Patch.Files
		}
	}
	res, err := review.Interdiff(oldFiles, newFiles)
	if err != nil {
		return errorf(http.StatusUnprocessableEntity, "cannot compare the two versions: %v", err)
	}
	page.Notes = res.Notes
	page.View = diffview.Build(res.Files, nil, nil, diffview.Options{PageURL: r.URL.Path, Split: splitFrom(r),
		ExpandAll: diffview.ExpandFromRequest(r)})
	return s.render(w, r, "interdiff", page)
}
