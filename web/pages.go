package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"patchreview/review"
	"patchreview/storage"
	"patchreview/web/diffview"
)

// pathID reads the {id} URL parameter, or fails with 400.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errorf(http.StatusBadRequest, "bad id %q: want a positive number", chi.URLParam(r, "id"))
	}
	return id, nil
}

// listFilter reads ?q (a lore-style search), ?list, ?limit and ?offset.
func listFilter(r *http.Request) (storage.SeriesFilter, error) {
	f := storage.SeriesFilter{Query: strings.TrimSpace(r.URL.Query().Get("q")), List: strings.TrimSpace(r.URL.Query().Get("list")), Limit: 50}
	for key, dst := range map[string]*int{"limit": &f.Limit, "offset": &f.Offset} {
		if v := r.URL.Query().Get(key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return f, errorf(http.StatusBadRequest, "bad %s %q: want a number ≥ 0", key, v)
			}
			*dst = n
		}
	}
	return f, nil
}

type listPage struct {
	Query, List, Flash string
	Series             []storage.SeriesSummary
	More               bool
	NextOffset         int
}

func (s *Server) handleSeriesList(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r)
	if err != nil {
		return err
	}
	f.Limit++
	list, err := s.store.ListSeries(r.Context(), f)
	if err != nil {
		return err
	}
	p := listPage{Query: f.Query, List: f.List, Flash: takeFlash(w, r), Series: list}
	if len(list) == f.Limit {
		p.Series, p.More, p.NextOffset = list[:f.Limit-1], true, f.Offset+f.Limit-1
	}
	return s.render(w, "list", p)
}

type seriesPage struct {
	Series       *storage.Series
	Reviewer     review.Address
	VerdictKinds []string
}

func (s *Server) handleSeriesShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	se, err := s.store.SeriesByID(r.Context(), id)
	if err != nil {
		return err
	}
	return s.render(w, "series", seriesPage{Series: se, Reviewer: cookieReviewer(r), VerdictKinds: review.VerdictKinds})
}

func (s *Server) handlePatchShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.store.PatchByID(r.Context(), id)
	if err != nil {
		return err
	}
	if _, cookie := diffview.SplitFromRequest(r); cookie != nil {
		http.SetCookie(w, cookie) // remember ?view= without JavaScript
	}
	return s.render(w, "patch", newPatchView(p, r, cookieReviewer(r)))
}

func (s *Server) handleMessageRaw(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	raw, err := s.store.MessageRaw(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(raw)
	return err
}

type uploadPage struct{ Limit, Error string }

func (s *Server) handleUploadForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, "upload", uploadPage{Limit: humanBytes(s.opts.MaxUpload)})
}

// handleUploadPost ingests the uploaded mbox and redirects to the list with
// the counts; a bad upload re-renders the form with the reason.
func (s *Server) handleUploadPost(w http.ResponseWriter, r *http.Request) error {
	st, err := s.ingestUpload(w, r)
	if err != nil {
		var he *httpError
		if errorsAs(err, &he) && he.status == http.StatusBadRequest {
			return s.renderStatus(w, http.StatusBadRequest, "upload", uploadPage{Limit: humanBytes(s.opts.MaxUpload), Error: he.msg})
		}
		return err
	}
	flash := fmt.Sprintf("Read %d messages: %d new, %d duplicates, %d failed to parse; %d patches in %d series.",
		st.Messages, st.New, st.Duplicates, st.Failed, st.Patches, st.Series)
	setFlash(w, flash)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

type statusPage struct{ Queue storage.QueueStatus }

func (s *Server) handleStatusPage(w http.ResponseWriter, r *http.Request) error {
	q, err := s.store.QueueStatus(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, "status", statusPage{q})
}

func humanBytes(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

func splitLines(s string) []string {
	return strings.Split(strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n"), "\n")
}
