package pw

import (
	"fmt"
	"net/http"

	"patchreview/storage"
	"patchreview/web/httpx"
)

func (a *API) coverList(w http.ResponseWriter, r *http.Request) error {
	p, proj, ok, err := a.listOf(w, r)
	if err != nil || !ok {
		return err
	}
	cs, err := a.Store.CoverLetters(r.Context(), proj.list, r.URL.Query().Get("q"), p.per+1, p.offset())
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, c := range cs {
		js, err := a.cover(r, proj, c)
		if err != nil {
			return err
		}
		out = append(out, js)
	}
	writePage(w, r, p, out)
	return nil
}

func (a *API) cover(r *http.Request, proj project, c storage.FaceMessage) (map[string]any, error) {
	sub, err := a.person(r, c.From)
	if err != nil {
		return nil, err
	}
	u := fmt.Sprintf("%s/covers/%d/", api(r), c.ID)
	return map[string]any{"id": c.ID, "url": u, "web_url": fmt.Sprintf("%s/series/%d", httpx.BaseURL(r), c.SeriesID),
		"project": proj, "msgid": "<" + c.HeaderID + ">", "list_archive_url": archiveURL(r, proj.LinkName, c.MessageID),
		"date": date(c.Date), "name": c.Subject, "submitter": sub, "mbox": u + "mbox/",
		"series":   []map[string]any{{"id": c.SeriesID, "url": fmt.Sprintf("%s/series/%d/", api(r), c.SeriesID)}},
		"comments": u + "comments/"}, nil
}

func (a *API) coverShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := a.Store.CoverLetter(r.Context(), id)
	if err != nil {
		return err
	}
	proj, err := a.projectOfSeries(r, c.SeriesID)
	if err != nil {
		return err
	}
	js, err := a.cover(r, proj, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, js)
	return nil
}

func (a *API) coverMbox(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := a.Store.CoverLetter(r.Context(), id); err != nil {
		return err
	}
	raw, err := a.Store.MessageRaw(r.Context(), id)
	if err != nil {
		return err
	}
	return writeMbox(w, fmt.Sprintf("cover-%d.mbox", id), [][]byte{raw})
}
