package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"patchreview/review"
	"patchreview/storage"
	"patchreview/web/diffview"
	"patchreview/web/htmlesc"
	"patchreview/web/httpx"
)

// pathID reads the {id} URL parameter, or fails with 400.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, httpx.Errorf(http.StatusBadRequest, "bad id %q: want a positive number", chi.URLParam(r, "id"))
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
				return f, httpx.Errorf(http.StatusBadRequest, "bad %s %q: want a number ≥ 0", key, v)
			}
			*dst = n
		}
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, storage.MaxListLimit)
	return f, nil
}

// page is what a list answer says besides its rows: the limit applied
// (at most max_limit, whatever was asked), the offset, and the offset of
// the next page when there are more rows.
type page struct {
	Limit    int  `json:"limit"`
	MaxLimit int  `json:"max_limit"`
	Offset   int  `json:"offset"`
	Next     *int `json:"next,omitempty"`
}

// json is the page's fields for a list answer, next only when there is one.
func (p page) json(rows string, v any) map[string]any {
	out := map[string]any{rows: v, "limit": p.Limit, "max_limit": p.MaxLimit, "offset": p.Offset}
	if p.Next != nil {
		out["next"] = *p.Next
	}
	return out
}

// pageOf trims rows fetched with limit+1 to the limit and describes the page.
func pageOf[T any](rows []T, f storage.SeriesFilter) ([]T, page) {
	p := page{Limit: f.Limit, MaxLimit: storage.MaxListLimit, Offset: f.Offset}
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		next := f.Offset + f.Limit
		p.Next = &next
	}
	return rows, p
}

type listPage struct {
	Query, List, Flash string
	Series             []storage.SeriesSummary
	More               bool
	NextOffset         int
	Offset             int
	PrevOffset         int // the newer page's offset, when Offset > 0
	Limit              int
	LimitSet           bool // the page size was asked for: the links keep it
}

// resolveList turns the ?list a reader gave into the list id series are
// filed under, by the names the faces serve (faceList): a list's short
// name (linux-nilfs), its List-Id in any case, or "all" for every list.
// A name no face serves is kept: it lists nothing.
func (s *Server) resolveList(ctx context.Context, f *storage.SeriesFilter) error {
	if f.List == "" {
		return nil
	}
	l, ok, err := s.faceList(ctx, f.List)
	if err != nil || !ok {
		return err
	}
	f.List = l.List
	return nil
}

func (s *Server) handleSeriesList(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r)
	if err != nil {
		return err
	}
	if err := s.resolveList(r.Context(), &f); err != nil {
		return err
	}
	p := listPage{Query: f.Query, List: f.List, Flash: takeFlash(w, r), Offset: f.Offset, PrevOffset: max(f.Offset-f.Limit, 0)}
	p.Limit, p.LimitSet = f.Limit, r.URL.Query().Get("limit") != ""
	f.Limit++
	list, err := s.store.ListSeries(r.Context(), f)
	if err != nil {
		return err
	}
	p.Series = list
	if len(list) == 0 {
		// Past the end (an offset typed by hand, or the list shrank):
		// "newer" goes back to the first page, not one page back, which
		// may be past the end too.
		p.PrevOffset = 0
	}
	if len(list) == f.Limit {
		p.Series, p.More, p.NextOffset = list[:f.Limit-1], true, f.Offset+f.Limit-1
	}
	return s.render(w, r, "list", p)
}

type seriesPage struct {
	Series       *storage.Series
	Rows         []seriesRow
	Versions     []storage.SeriesVersion // the chain of versions, oldest first
	Dropped      []storage.PatchSummary  // previous version's patches with no successor
	Reviewer     review.Address
	Viewer       *storage.User
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
	collected, err := s.store.SeriesCollectedTrailers(r.Context(), id)
	if err != nil {
		return err
	}
	states, err := s.store.PatchStatesOfSeries(r.Context(), id)
	if err != nil {
		return err
	}
	versions, err := s.store.VersionChain(r.Context(), id)
	if err != nil {
		return err
	}
	vm, err := s.store.VersionMatches(r.Context(), id)
	if err != nil {
		return err
	}
	p := seriesPage{Versions: versions, Dropped: vm.Dropped, Series: se, Reviewer: viewer(r).Address(), Viewer: viewer(r), VerdictKinds: review.VerdictKinds}
	for _, ps := range se.PatchList {
		row := newSeriesRow(ps, len(se.PatchList), se.Verdicts, collected[ps.ID])
		row.State = states[ps.ID]
		_, row.Revises = vm.Prev[ps.ID]
		row.HasPrev = se.PrevVersion != 0
		p.Rows = append(p.Rows, row)
	}
	return s.render(w, r, "series", p)
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
	v, err := newPatchView(p, r, viewer(r))
	if err != nil {
		return err
	}
	se, err := s.store.SeriesByID(r.Context(), p.SeriesID)
	if err != nil {
		return err
	}
	v.seriesNav(se)
	v.MessageID, v.B4Midmask = b4Line(r, p)
	// The same patch in the previous and next version, paired as the
	// interdiff pairs them (subject, then patch-id), not by number.
	if se.PrevVersion != 0 {
		vm, err := s.store.VersionMatches(r.Context(), se.ID)
		if err != nil {
			return err
		}
		v.PrevVersionPatch = vm.Prev[id]
	}
	if se.NextVersion != 0 {
		vm, err := s.store.VersionMatches(r.Context(), se.NextVersion)
		if err != nil {
			return err
		}
		for next, prev := range vm.Prev {
			if prev == id {
				v.NextVersionPatch = next
			}
		}
	}
	return s.render(w, r, "patch", v)
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

type uploadPage struct {
	Limit, Error string
	SignedIn     bool
}

func (s *Server) handleUploadForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "upload", uploadPage{Limit: humanBytes(s.opts.MaxUpload), SignedIn: viewer(r) != nil})
}

// handleUploadPost ingests the uploaded mbox and redirects to the list with
// the counts; a bad upload re-renders the form with the reason.
func (s *Server) handleUploadPost(w http.ResponseWriter, r *http.Request) error {
	st, err := s.ingestUpload(w, r)
	if err != nil {
		var he *httpx.Error
		if errors.As(err, &he) && he.Status == http.StatusBadRequest {
			return s.renderStatus(w, r, http.StatusBadRequest, "upload", uploadPage{Limit: humanBytes(s.opts.MaxUpload), Error: he.Msg, SignedIn: viewer(r) != nil})
		}
		return err
	}
	flash := fmt.Sprintf("Read %d messages: %d new, %d duplicates, %d failed to parse; %d patches in %d series.",
		st.Messages, st.New, st.Duplicates, st.Failed, st.Patches, st.Series)
	if n := len(st.Rejected); n > 0 {
		flash += fmt.Sprintf(" %d not stored, not mail at all (message %d: %s).", n, st.Rejected[0].Index, st.Rejected[0].Reason)
	}
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
	return s.render(w, r, "status", statusPage{q})
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

// seriesRow is a patch's row on the series page. Its fields are its own,
// not an embedded storage.PatchSummary's: the template looks each field up
// by name, and through an embedded struct that lookup allocates (it was a
// sixth of the largest series page's allocations).
type seriesRow struct {
	ID                      int64
	Subject                 string
	Errors, Warnings, Infos int
	Label                   string         // "1/3"; a lone patch is "1", never "0"
	State                   string         // its patchwork state
	Revises                 bool           // it revises a patch of the previous version
	HasPrev                 bool           // the series has a previous version (interdiff links)
	Verdicts                []verdictEntry // its own, the series', and the list's
}

// HTML is the row as the series page shows it, written directly rather
// than by the template's dozen actions per row (half the largest series
// page's time), escaped as html/template escapes each value:
// TestSeriesRowHTMLIsTheTemplates compares the two on hostile values.
func (r seriesRow) HTML() template.HTML {
	var b strings.Builder
	b.Grow(300 + len(r.Subject) + 80*len(r.Verdicts))
	id := strconv.FormatInt(r.ID, 10)
	b.WriteString(`<tr><td>`)
	htmlesc.Text(&b, r.Label)
	b.WriteString(`</td><td><a href="/patches/`)
	htmlesc.Text(&b, htmlesc.URL(id, true))
	b.WriteString(`">`)
	htmlesc.Text(&b, r.Subject)
	b.WriteString(`</a>`)
	if r.HasPrev {
		b.WriteString(` · <a href="/patches/`)
		htmlesc.Text(&b, htmlesc.URL(id, true))
		if r.Revises {
			b.WriteString(`/interdiff">changes since the previous version</a>`)
		} else {
			b.WriteString(`/interdiff">new in this version</a>`)
		}
	}
	b.WriteString("</td>\n<td class=\"pw-state\">")
	htmlesc.Text(&b, r.State)
	b.WriteString("</td>\n<td class=\"")
	if r.Errors != 0 {
		b.WriteString("sev-error")
	}
	b.WriteString(`">`)
	b.WriteString(strconv.Itoa(r.Errors))
	b.WriteString(`</td><td class="`)
	if r.Warnings != 0 {
		b.WriteString("sev-warning")
	}
	b.WriteString(`">`)
	b.WriteString(strconv.Itoa(r.Warnings))
	b.WriteString(`</td><td>`)
	b.WriteString(strconv.Itoa(r.Infos))
	b.WriteString("</td>\n<td>")
	for _, v := range r.Verdicts {
		b.WriteString(`<code>`)
		htmlesc.Text(&b, v.Text)
		b.WriteString(`</code>`)
		switch {
		case v.Where == "series":
			b.WriteString(` <span class="meta">(on the series)</span>`)
		case v.Where != "":
			b.WriteString(` <span class="meta">(on the list)</span>`)
		}
		b.WriteString(`<br>`)
	}
	b.WriteString(`</td></tr>`)
	return template.HTML(b.String())
}

type verdictEntry struct {
	Text, Where string // Where: "" (given here on the patch), "series", "list"
}

// newSeriesRow numbers a patch and collects what its verdicts column
// shows: verdicts on the patch, verdicts on the whole series (an ack of
// the series acks each patch), and trailers collected from the list,
// each once.
func newSeriesRow(ps storage.PatchSummary, n int, onSeries []review.Verdict, list []review.Trailer) seriesRow {
	row := seriesRow{ID: ps.ID, Subject: ps.Subject, Errors: ps.Errors, Warnings: ps.Warnings, Infos: ps.Infos, Label: strconv.Itoa(max(ps.Number, 1))}
	if n > 1 || ps.Number > 0 {
		row.Label = fmt.Sprintf("%d/%d", max(ps.Number, 1), n)
	}
	seen := map[string]bool{}
	add := func(text, where string) {
		if !seen[text] {
			seen[text] = true
			row.Verdicts = append(row.Verdicts, verdictEntry{text, where})
		}
	}
	for _, v := range ps.Verdicts {
		add(v, "")
	}
	for _, v := range onSeries {
		if t := v.Trailer(); t != "" {
			add(t, "series")
		} else {
			add("changes requested by "+v.Author.String(), "series")
		}
	}
	for _, t := range list {
		add(t.Key+": "+t.Value, "list")
	}
	return row
}
