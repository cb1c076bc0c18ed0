package pw

import (
	"fmt"
	"net/http"
	"net/url"

	"patchreview/review"
	"patchreview/storage"
)

// amReady is a patch's mail with its collected trailers and the verdicts
// given here applied, as patchwork's mbox carries them.
func (a *API) amReady(r *http.Request, patchID int64) ([]byte, error) {
	p, err := a.Store.PatchByID(r.Context(), patchID)
	if err != nil {
		return nil, err
	}
	raw, err := a.Store.MessageRaw(r.Context(), p.Message.ID)
	if err != nil {
		return nil, err
	}
	trailers := append([]review.Trailer{}, p.Trailers...)
	for _, v := range p.Verdicts {
		if v.Trailer() != "" {
			trailers = append(trailers, review.Trailer{Key: v.Kind, Value: v.Author.String()})
		}
	}
	if out, err := review.AmReady(raw, trailers); err == nil {
		return out, nil
	}
	return raw, nil // a mail AmReady cannot rewrite goes out as it came
}

// seriesMbox is the series' patches (no cover letter: git am would stop
// on it), in order, am-ready.
func (a *API) seriesMbox(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ps, err := a.Store.PWPatches(r.Context(), storage.PWPatchFilter{SeriesID: id, Limit: 10000})
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		if _, err := a.Store.SeriesByID(r.Context(), id); err != nil {
			return err
		}
		return errorf(http.StatusNotFound, "Not found: series %d has no patches", id)
	}
	var raws [][]byte
	for _, p := range ps {
		raw, err := a.amReady(r, p.ID)
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
	ids := []int64{id}
	if r.URL.Query().Get("series") != "" {
		ps, err := a.Store.PWPatches(r.Context(), storage.PWPatchFilter{SeriesID: p.SeriesID, Limit: 10000})
		if err != nil {
			return err
		}
		ids = ids[:0]
		for _, x := range ps {
			if x.Number < p.Number || x.ID == id {
				ids = append(ids, x.ID)
			}
		}
	}
	var raws [][]byte
	for _, x := range ids {
		raw, err := a.amReady(r, x)
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
