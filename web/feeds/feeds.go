package feeds

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"patchreview/storage"
	"patchreview/web/httpx"
)

// Handlers serve the feeds from a store.
type Handlers struct {
	Store *storage.Store
	Log   *slog.Logger
}

// NewSeries serves the newest series of a list (?limit=, default 50, at
// most 200) as Atom: one entry per series version. name is the list's
// name in URLs, list the list id its series carry ("" for every list).
// Errors are returned for the server's handler wrapper (httpx.Handler).
func (h Handlers) NewSeries(w http.ResponseWriter, r *http.Request, name, list string) error {
	limit := 50
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return httpx.Errorf(http.StatusBadRequest, "bad limit %q: want 1 to 200", v)
		}
		limit = n
	}
	ss, err := h.Store.ListSeries(r.Context(), storage.SeriesFilter{List: list, Limit: limit})
	if err != nil {
		return err
	}
	base := httpx.BaseURL(r)
	f := Feed{Title: "New series on " + name, ID: base + "/" + name + "/series.atom",
		Links: []Link{{Href: base + "/" + name + "/series.atom", Rel: "self"}, {Href: base + "/"}}}
	for _, s := range ss {
		url := fmt.Sprintf("%s/series/%d", base, s.ID)
		f.Entries = append(f.Entries, Entry{
			Title:   fmt.Sprintf("[v%d] %s", s.Version, s.Title),
			ID:      url,
			Updated: Time(s.Received),
			Author:  &Person{Name: s.Author.Name, Email: s.Author.Email},
			Links:   []Link{{Href: url}, {Href: url + "/feed.atom", Rel: "related", Type: "application/atom+xml"}},
			Content: &Content{Type: "text", Body: fmt.Sprintf("%d of %d patches, %s; %d errors, %d warnings from the checks",
				s.Patches, s.Total, s.State, s.Errors, s.Warnings)},
		})
	}
	if err := Write(w, f); err != nil {
		h.Log.Debug("feed write", "error", err)
	}
	return nil
}

// SeriesActivity serves the findings, comments and verdicts on one
// series (the {id} URL parameter), newest first, as Atom. Errors are
// returned for the server's handler wrapper (httpx.Handler).
func (h Handlers) SeriesActivity(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return httpx.Errorf(http.StatusBadRequest, "bad id %q: want a positive number", chi.URLParam(r, "id"))
	}
	se, err := h.Store.SeriesByID(r.Context(), id)
	if err != nil {
		return err
	}
	evs, err := h.Store.SeriesEvents(r.Context(), id, 200)
	if err != nil {
		return err
	}
	base := httpx.BaseURL(r)
	seriesURL := fmt.Sprintf("%s/series/%d", base, id)
	f := Feed{Title: fmt.Sprintf("Review of %s (v%d)", se.Title, se.Version), ID: seriesURL + "/feed.atom",
		Links: []Link{{Href: seriesURL + "/feed.atom", Rel: "self"}, {Href: seriesURL}}}
	for _, e := range evs {
		url := seriesURL
		if e.PatchID != 0 {
			url = fmt.Sprintf("%s/patches/%d", base, e.PatchID)
		}
		where := e.Path
		if e.Line > 0 {
			where = fmt.Sprintf("%s:%d", e.Path, e.Line)
		}
		on := e.Subject
		if on == "" {
			on = "the series"
		}
		title := e.Title + " on " + on
		if where != "" {
			title += " at " + where
		}
		entry := Entry{Title: title, ID: fmt.Sprintf("%s#%s-%d", url, e.Kind, e.ID), Updated: Time(e.Time),
			Links: []Link{{Href: fmt.Sprintf("%s#%s-%d", url, e.Kind, e.ID)}}, Content: &Content{Type: "text", Body: e.Body}}
		if e.Kind != "finding" {
			entry.Author = &Person{Name: e.Author.Name, Email: e.Author.Email}
		} else {
			entry.Author = &Person{Name: "patchreview checks"}
		}
		f.Entries = append(f.Entries, entry)
	}
	if err := Write(w, f); err != nil {
		h.Log.Debug("feed write", "error", err)
	}
	return nil
}
