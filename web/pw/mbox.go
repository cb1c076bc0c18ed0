package pw

import (
	"fmt"
	"net/http"
	"net/url"

	"patchreview/review"
	"patchreview/storage"
	"patchreview/web/httpx"
)

// seriesMbox is the series' patches (no cover letter: git am would stop
// on it), in order, am-ready.
func (a *API) seriesMbox(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	// The series' patches as /series/{id}/mbox?trailers=1 gives them (a
	// partial reroll completed from the previous version).
	msgs, err := a.Store.SeriesMboxMessages(r.Context(), id, false)
	if err != nil {
		return err
	}
	if len(msgs) == 0 {
		if _, err := a.Store.SeriesByID(r.Context(), id); err != nil {
			return err
		}
		return httpx.Errorf(http.StatusNotFound, "Not found: series %d has no patches", id)
	}
	var raws [][]byte
	for _, m := range msgs {
		raw, err := a.Store.AmReady(r.Context(), m)
		if err != nil {
			return err
		}
		raws = append(raws, raw)
	}
	return writeMbox(w, fmt.Sprintf("series-%d.patch", id), raws)
}

// patchMbox is one patch am-ready; with ?series= (any value, as git-pw
// sends "*") the patches before it in its series come first.
func (a *API) patchMbox(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.Store.PWPatchByID(r.Context(), id)
	if err != nil {
		return err
	}
	ids := []int64{p.MsgRowID}
	if r.URL.Query().Get("series") != "" {
		ps, err := a.Store.PWPatches(r.Context(), storage.PWPatchFilter{SeriesID: p.SeriesID, Limit: 10000})
		if err != nil {
			return err
		}
		ids = ids[:0]
		for _, x := range ps {
			if x.Number < p.Number || x.ID == id {
				ids = append(ids, x.MsgRowID)
			}
		}
	}
	var raws [][]byte
	for _, x := range ids {
		raw, err := a.Store.AmReady(r.Context(), x)
		if err != nil {
			return err
		}
		raws = append(raws, raw)
	}
	return writeMbox(w, fmt.Sprintf("patch-%d.patch", id), raws)
}

func writeMbox(w http.ResponseWriter, name string, raws [][]byte) error {
	w.Header().Set("Content-Type", "application/mbox")
	// Unquoted, as patchwork sends it: git-pw takes the file name verbatim.
	w.Header().Set("Content-Disposition", "attachment; filename="+url.PathEscape(name))
	return review.WriteMbox(w, raws)
}
