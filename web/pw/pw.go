// Package pw is the patchwork face of patchreview: the subset of
// patchwork's REST API (version 1.2) that git-pw uses, so that
//
//	git config pw.server http://HOST/api/1.2
//	git config pw.project <list>
//	git config pw.token <token>
//
// makes `git-pw series list`, `git-pw series apply N` and
// `git-pw patch update --state accepted N` work against this instance.
//
// Each list is a project. Reads are public; writes (PATCH of a patch's
// state, delegate, archived flag or commit ref) need "Authorization: Token
// …" of an account. Lists paginate with ?page= and ?per_page= and say
// where the next and previous pages are in a Link header, as patchwork
// does.
package pw

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"patchreview/review"
	"patchreview/storage"
	"patchreview/web/feeds"
	"patchreview/web/pi"
)

// Account is who a token belongs to.
type Account struct {
	ID       int64
	Username string
	Name     string
	Email    string
}

// TokenAuth resolves an API token to its account; an unknown token is
// storage.ErrNotFound.
type TokenAuth interface {
	Account(ctx context.Context, token string) (Account, error)
}

// API serves the patchwork REST API. Mount its Handler at /api/1.2 on a
// chi router.
type API struct {
	Store    *storage.Store
	Auth     TokenAuth
	Log      *slog.Logger
	Projects func(context.Context) []string // list names; project ids are 1-based positions
}

type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) error {
	return &apiError{status, fmt.Sprintf(format, args...)}
}

// handle adapts a handler that returns an error, answering errors as
// patchwork does: JSON {"detail": "…"}.
func (a *API) handle(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		status, msg := http.StatusInternalServerError, "something went wrong; it has been logged"
		var ae *apiError
		switch {
		case errors.As(err, &ae):
			status, msg = ae.status, ae.msg
		case errors.Is(err, storage.ErrNotFound):
			status, msg = http.StatusNotFound, "Not found: "+err.Error()
		case errors.Is(err, review.ErrInvalid):
			status, msg = http.StatusBadRequest, err.Error()
		}
		if status >= 500 && a.Log != nil {
			a.Log.Error("patchwork face", "error", err, "method", r.Method, "uri", r.RequestURI)
		}
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Token realm="api"`)
		}
		writeJSON(w, status, map[string]string{"detail": msg})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Allow", "GET, HEAD, PATCH, PUT")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// Handler routes the API. Every path works with and without its trailing
// slash (git-pw always sends one).
func (a *API) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(withCache)
	r.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// Mounted under a chi router, routing goes by the route
			// context's path; standalone, by the URL's.
			if rctx := chi.RouteContext(r.Context()); rctx != nil && rctx.RoutePath != "" {
				if len(rctx.RoutePath) > 1 {
					rctx.RoutePath = strings.TrimSuffix(rctx.RoutePath, "/")
				}
			} else if len(r.URL.Path) > 1 && strings.HasSuffix(r.URL.Path, "/") {
				r.URL.Path = strings.TrimSuffix(r.URL.Path, "/")
				r.URL.RawPath = ""
			}
			next.ServeHTTP(w, r)
		})
	})
	r.Get("/", a.handle(a.index))
	r.Get("/projects", a.handle(a.projectList))
	r.Get("/projects/{id}", a.handle(a.projectShow))
	r.Get("/series", a.handle(a.seriesList))
	r.Get("/series/{id}", a.handle(a.seriesShow))
	r.Get("/series/{id}/mbox", a.handle(a.seriesMbox))
	r.Get("/patches", a.handle(a.patchList))
	r.Get("/patches/{id}", a.handle(a.patchShow))
	r.Patch("/patches/{id}", a.handle(a.patchUpdate))
	r.Put("/patches/{id}", a.handle(a.patchUpdate))
	r.Get("/patches/{id}/mbox", a.handle(a.patchMbox))
	r.Get("/patches/{id}/raw", a.handle(a.patchRaw))
	r.Get("/patches/{id}/comments", a.handle(a.patchComments))
	r.Get("/patches/{id}/checks", a.handle(func(w http.ResponseWriter, r *http.Request) error {
		if _, err := a.patchOf(r); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, []any{}) // CI results are not collected here
		return nil
	}))
	r.Get("/covers", a.handle(a.coverList))
	r.Get("/covers/{id}", a.handle(a.coverShow))
	r.Get("/covers/{id}/mbox", a.handle(a.coverMbox))
	r.Get("/people", a.handle(a.peopleList))
	r.Get("/people/{id}", a.handle(a.personShow))
	r.Get("/users", a.handle(a.userList))
	r.Get("/users/{id}", a.handle(a.userShow))
	r.Get("/events", a.handle(func(w http.ResponseWriter, r *http.Request) error {
		writeJSON(w, http.StatusOK, []any{})
		return nil
	}))
	r.NotFound(a.handle(func(w http.ResponseWriter, r *http.Request) error {
		return errorf(http.StatusNotFound, "Not found: no API resource at %s", r.URL.Path)
	}))
	r.MethodNotAllowed(a.handle(func(w http.ResponseWriter, r *http.Request) error {
		return errorf(http.StatusMethodNotAllowed, "Method %q not allowed.", r.Method)
	}))
	return r
}

// api is the API's root URL as the client reached it.
func api(r *http.Request) string {
	v := "1.2"
	if m := apiVersion.FindStringSubmatch(r.RequestURI); m != nil {
		v = m[1]
	}
	return feeds.BaseURL(r) + "/api/" + v
}

var apiVersion = regexp.MustCompile(`^/api/(1\.[0-2])(/|$|\?)`)

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errorf(http.StatusNotFound, "Not found: bad id %q", chi.URLParam(r, "id"))
	}
	return id, nil
}

func (a *API) index(w http.ResponseWriter, r *http.Request) error {
	base := api(r)
	out := map[string]string{}
	for _, k := range []string{"projects", "users", "people", "patches", "covers", "series", "events"} {
		out[k] = base + "/" + k + "/"
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type project struct {
	ID                   int64  `json:"id"`
	URL                  string `json:"url"`
	Name                 string `json:"name"`
	LinkName             string `json:"link_name"`
	ListID               string `json:"list_id"`
	ListEmail            string `json:"list_email"`
	WebURL               string `json:"web_url"`
	ScmURL               string `json:"scm_url"`
	WebscmURL            string `json:"webscm_url"`
	ListArchiveURL       string `json:"list_archive_url"`
	ListArchiveURLFormat string `json:"list_archive_url_format"`
	CommitURLFormat      string `json:"commit_url_format"`
}

func (a *API) projects(r *http.Request) []project {
	base := feeds.BaseURL(r)
	var out []project
	for i, name := range a.Projects(r.Context()) {
		out = append(out, project{ID: int64(i + 1), URL: fmt.Sprintf("%s/projects/%d/", api(r), i+1), Name: name, LinkName: name,
			ListID: name, WebURL: base + "/", ListArchiveURL: base + "/" + name + "/",
			ListArchiveURLFormat: base + "/" + name + "/{}/"})
	}
	return out
}

// project returns the project a ?project= filter names (by id, link name
// or list id); "" and "*" mean all projects (nil, true); an unknown one
// is (nil, false).
func (a *API) project(r *http.Request) (*project, bool) {
	want := r.URL.Query().Get("project")
	if want == "" || want == "*" {
		return nil, true
	}
	for _, p := range a.projects(r) {
		if want == strconv.FormatInt(p.ID, 10) || want == p.LinkName || want == p.ListID {
			return &p, true
		}
	}
	return nil, false
}

func (a *API) projectList(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, a.projects(r))
	return nil
}

func (a *API) projectShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ps := a.projects(r)
	if id > int64(len(ps)) {
		return errorf(http.StatusNotFound, "Not found: project %d", id)
	}
	writeJSON(w, http.StatusOK, ps[id-1])
	return nil
}

// page reads ?page= (1-based) and ?per_page= (default 30, at most 250).
type page struct{ n, per int }

func readPage(r *http.Request) (page, error) {
	p := page{1, 30}
	q := r.URL.Query()
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return p, errorf(http.StatusNotFound, "Invalid page %q.", v)
		}
		p.n = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, errorf(http.StatusBadRequest, "Invalid per_page %q: want a positive number.", v)
		}
		p.per = min(n, 250)
	}
	return p, nil
}

func (p page) offset() int { return (p.n - 1) * p.per }

// writePage sends one page of a list: items holds up to per+1 entries,
// the extra one saying that a next page exists. The Link header names the
// next and previous pages.
func writePage[T any](w http.ResponseWriter, r *http.Request, p page, items []T) {
	var links []string
	link := func(n int, rel string) {
		u := *r.URL
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		u.RawQuery = q.Encode()
		links = append(links, fmt.Sprintf("<%s%s>; rel=%q", api(r), u.RequestURI(), rel))
	}
	if len(items) > p.per {
		items = items[:p.per]
		link(p.n+1, "next")
	}
	if p.n > 1 {
		link(p.n-1, "prev")
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	if items == nil {
		items = []T{}
	}
	writeJSON(w, http.StatusOK, items)
}

// date formats a time as patchwork does (UTC, no zone).
func date(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05") }

type person struct {
	ID    int64  `json:"id"`
	URL   string `json:"url"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// cache holds what one request looks up again and again: people ids by
// email and series rows by id.
type cache struct {
	people map[string]int64
	series map[int64]storage.SeriesSummary
}

type cacheKey struct{}

// withCache gives each request its own cache.
func withCache(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &cache{people: map[string]int64{}, series: map[int64]storage.SeriesSummary{}}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), cacheKey{}, c)))
	})
}

func requestCache(r *http.Request) *cache {
	if c, ok := r.Context().Value(cacheKey{}).(*cache); ok {
		return c
	}
	return &cache{people: map[string]int64{}, series: map[int64]storage.SeriesSummary{}}
}

func (a *API) person(r *http.Request, addr review.Address) (person, error) {
	c := requestCache(r)
	key := strings.ToLower(addr.Email)
	id, ok := c.people[key]
	if !ok {
		var err error
		if id, err = a.Store.PersonID(r.Context(), addr.Email); err != nil {
			return person{}, err
		}
		c.people[key] = id
	}
	return person{ID: id, URL: fmt.Sprintf("%s/people/%d/", api(r), id), Name: addr.Name, Email: addr.Email}, nil
}

func (a *API) seriesSummary(r *http.Request, id int64) (storage.SeriesSummary, error) {
	c := requestCache(r)
	if ss, ok := c.series[id]; ok {
		return ss, nil
	}
	ss, err := a.Store.SeriesSummaryByID(r.Context(), id)
	if err == nil {
		c.series[id] = ss
	}
	return ss, err
}

type user struct {
	ID        int64  `json:"id"`
	URL       string `json:"url"`
	Username  string `json:"username"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
}

func toUser(r *http.Request, acc storage.FaceAccount) user {
	first, last, _ := strings.Cut(acc.Name, " ")
	return user{ID: acc.ID, URL: fmt.Sprintf("%s/users/%d/", api(r), acc.ID), Username: acc.Username,
		FirstName: first, LastName: last, Email: acc.Email}
}

func (a *API) peopleList(w http.ResponseWriter, r *http.Request) error {
	p, err := readPage(r)
	if err != nil {
		return err
	}
	ps, err := a.Store.People(r.Context(), r.URL.Query().Get("q"), p.per+1, p.offset())
	if err != nil {
		return err
	}
	out := []person{}
	for _, x := range ps {
		out = append(out, person{ID: x.ID, URL: fmt.Sprintf("%s/people/%d/", api(r), x.ID), Name: x.Name, Email: x.Email})
	}
	writePage(w, r, p, out)
	return nil
}

func (a *API) personShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := a.Store.PersonByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, person{ID: x.ID, URL: fmt.Sprintf("%s/people/%d/", api(r), x.ID), Name: x.Name, Email: x.Email})
	return nil
}

func (a *API) userList(w http.ResponseWriter, r *http.Request) error {
	p, err := readPage(r)
	if err != nil {
		return err
	}
	accs, err := a.Store.FaceAccounts(r.Context(), r.URL.Query().Get("q"), p.per+1, p.offset())
	if err != nil {
		return err
	}
	out := []user{}
	for _, acc := range accs {
		out = append(out, toUser(r, acc))
	}
	writePage(w, r, p, out)
	return nil
}

func (a *API) userShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	acc, err := a.Store.FaceAccountByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toUser(r, acc))
	return nil
}

// submission is a patch or cover letter as a series lists it.
type submission struct {
	ID             int64  `json:"id"`
	URL            string `json:"url"`
	WebURL         string `json:"web_url"`
	MsgID          string `json:"msgid"`
	ListArchiveURL string `json:"list_archive_url"`
	Date           string `json:"date"`
	Name           string `json:"name"`
	Mbox           string `json:"mbox"`
}

type seriesJSON struct {
	ID            int64        `json:"id"`
	URL           string       `json:"url"`
	WebURL        string       `json:"web_url"`
	Project       project      `json:"project"`
	Name          string       `json:"name"`
	Date          string       `json:"date"`
	Submitter     person       `json:"submitter"`
	Version       int          `json:"version"`
	Total         int          `json:"total"`
	ReceivedTotal int          `json:"received_total"`
	ReceivedAll   bool         `json:"received_all"`
	Mbox          string       `json:"mbox"`
	CoverLetter   *submission  `json:"cover_letter"`
	Patches       []submission `json:"patches"`
}

// archiveURL is where the public-inbox face serves a message.
func archiveURL(r *http.Request, list, msgID string) string {
	return feeds.BaseURL(r) + "/" + list + "/" + pi.MidEscape(msgID) + "/"
}

func (a *API) series(r *http.Request, proj project, ss storage.SeriesSummary) (seriesJSON, error) {
	base := feeds.BaseURL(r)
	sub, err := a.person(r, ss.Author)
	if err != nil {
		return seriesJSON{}, err
	}
	out := seriesJSON{ID: ss.ID, URL: fmt.Sprintf("%s/series/%d/", api(r), ss.ID), WebURL: fmt.Sprintf("%s/series/%d", base, ss.ID),
		Project: proj, Name: ss.Title, Date: date(ss.Received), Submitter: sub, Version: ss.Version, Total: max(ss.Total, ss.Patches),
		ReceivedTotal: ss.Patches, ReceivedAll: ss.Total == 0 || ss.Patches >= ss.Total,
		Mbox: fmt.Sprintf("%s/series/%d/mbox/", api(r), ss.ID), Patches: []submission{}}
	ms, err := a.Store.SeriesFaceMessages(r.Context(), ss.ID)
	if err != nil {
		return out, err
	}
	for _, m := range ms {
		s := submission{MsgID: "<" + m.MessageID + ">", ListArchiveURL: archiveURL(r, proj.LinkName, m.MessageID), Date: date(m.Date), Name: m.Subject}
		if m.PatchID != 0 {
			s.ID, s.URL, s.WebURL = m.PatchID, fmt.Sprintf("%s/patches/%d/", api(r), m.PatchID), fmt.Sprintf("%s/patches/%d", base, m.PatchID)
			s.Mbox = s.URL + "mbox/"
			out.Patches = append(out.Patches, s)
		} else {
			s.ID, s.URL, s.WebURL = m.ID, fmt.Sprintf("%s/covers/%d/", api(r), m.ID), fmt.Sprintf("%s/series/%d", base, ss.ID)
			s.Mbox = s.URL + "mbox/"
			out.CoverLetter = &s
		}
	}
	return out, nil
}

// seriesList lists series newest first (?order=date for oldest first),
// filtered by ?q= (name) and ?submitter= (people id or email).
func (a *API) seriesList(w http.ResponseWriter, r *http.Request) error {
	p, err := readPage(r)
	if err != nil {
		return err
	}
	proj, ok := a.project(r)
	if !ok {
		writePage(w, r, p, []seriesJSON{})
		return nil
	}
	if proj == nil {
		proj = &a.projects(r)[0]
	}
	q := r.URL.Query()
	var emails []string
	for _, sub := range q["submitter"] {
		if id, err := strconv.ParseInt(sub, 10, 64); err == nil {
			if x, err := a.Store.PersonByID(r.Context(), id); err == nil {
				sub = x.Email
			}
		}
		emails = append(emails, strings.ToLower(sub))
	}
	// The store's search matches the title, author and patch titles; the
	// name filter and the submitter filter are then applied exactly. Only
	// the page's series are turned into JSON.
	query := q.Get("q")
	if query == "" && len(emails) == 1 {
		query = emails[0]
	}
	oldest := q.Get("order") == "date" || q.Get("order") == "id"
	var match []storage.SeriesSummary
	filtered := oldest || len(emails) > 0 || q.Get("q") != ""
	batch, start := 500, 0
	if !filtered && p.offset()+p.per+1 <= 500 {
		batch, start = p.per+1, p.offset() // the page itself, nothing more
	}
	for off := start; oldest || len(match) < p.offset()-start+p.per+1; off += batch {
		ss, err := a.Store.ListSeries(r.Context(), storage.SeriesFilter{Query: query, Limit: batch, Offset: off})
		if err != nil {
			return err
		}
		for _, s := range ss {
			if len(emails) > 0 && !slices.Contains(emails, strings.ToLower(s.Author.Email)) {
				continue
			}
			if n := q.Get("q"); n != "" && !strings.Contains(strings.ToLower(s.Title), strings.ToLower(n)) {
				continue
			}
			match = append(match, s)
		}
		if len(ss) < batch {
			break
		}
	}
	if oldest {
		slices.Reverse(match)
	}
	match = match[min(p.offset()-start, len(match)):]
	match = match[:min(p.per+1, len(match))]
	out := []seriesJSON{}
	for _, s := range match {
		js, err := a.series(r, *proj, s)
		if err != nil {
			return err
		}
		out = append(out, js)
	}
	writePage(w, r, p, out)
	return nil
}

func (a *API) seriesShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	se, err := a.Store.SeriesByID(r.Context(), id)
	if err != nil {
		return err
	}
	js, err := a.series(r, a.projects(r)[0], se.SeriesSummary)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, js)
	return nil
}

type patchJSON struct {
	ID             int64             `json:"id"`
	URL            string            `json:"url"`
	WebURL         string            `json:"web_url"`
	Project        project           `json:"project"`
	MsgID          string            `json:"msgid"`
	ListArchiveURL string            `json:"list_archive_url"`
	Date           string            `json:"date"`
	Name           string            `json:"name"`
	CommitRef      *string           `json:"commit_ref"`
	PullURL        *string           `json:"pull_url"`
	State          string            `json:"state"`
	Archived       bool              `json:"archived"`
	Hash           *string           `json:"hash"`
	Submitter      person            `json:"submitter"`
	Delegate       *user             `json:"delegate"`
	Mbox           string            `json:"mbox"`
	Series         []seriesRef       `json:"series"`
	Comments       string            `json:"comments"`
	Check          string            `json:"check"`
	Checks         string            `json:"checks"`
	Tags           map[string]int    `json:"tags"`
	Related        []any             `json:"related"`
	Headers        map[string]string `json:"headers,omitempty"`
	Content        *string           `json:"content,omitempty"`
	Diff           *string           `json:"diff,omitempty"`
	Prefixes       []string          `json:"prefixes,omitempty"`
}

type seriesRef struct {
	ID      int64  `json:"id"`
	URL     string `json:"url"`
	WebURL  string `json:"web_url"`
	Date    string `json:"date"`
	Name    string `json:"name"`
	Version int    `json:"version"`
	Mbox    string `json:"mbox"`
}

func (a *API) patch(r *http.Request, proj project, p storage.PWPatch, detail bool) (patchJSON, error) {
	sub, err := a.person(r, p.From)
	if err != nil {
		return patchJSON{}, err
	}
	se, err := a.seriesSummary(r, p.SeriesID)
	if err != nil {
		return patchJSON{}, err
	}
	base := feeds.BaseURL(r)
	out := patchJSON{ID: p.ID, URL: fmt.Sprintf("%s/patches/%d/", api(r), p.ID), WebURL: fmt.Sprintf("%s/patches/%d", base, p.ID),
		Project: proj, MsgID: "<" + p.MessageID + ">", ListArchiveURL: archiveURL(r, proj.LinkName, p.MessageID),
		Date: date(p.Date), Name: p.Subject, State: p.State, Archived: p.Archived, Submitter: sub,
		Mbox: fmt.Sprintf("%s/patches/%d/mbox/", api(r), p.ID), Check: "pending",
		Comments: fmt.Sprintf("%s/patches/%d/comments/", api(r), p.ID), Checks: fmt.Sprintf("%s/patches/%d/checks/", api(r), p.ID),
		Tags: map[string]int{}, Related: []any{},
		Series: []seriesRef{{ID: se.ID, URL: fmt.Sprintf("%s/series/%d/", api(r), se.ID), WebURL: fmt.Sprintf("%s/series/%d", base, se.ID),
			Date: date(se.Received), Name: se.Title, Version: se.Version, Mbox: fmt.Sprintf("%s/series/%d/mbox/", api(r), se.ID)}}}
	if p.CommitRef != "" {
		out.CommitRef = &p.CommitRef
	}
	if p.Delegate != nil {
		u := toUser(r, *p.Delegate)
		out.Delegate = &u
	}
	if detail {
		out.Diff = &p.Diff
		full, err := a.Store.PatchByID(r.Context(), p.ID)
		if err != nil {
			return out, err
		}
		content := ""
		out.Headers = map[string]string{}
		if m := full.Message.Message; m != nil {
			content = m.Body
			if m.Patch != nil {
				content = m.Patch.CommitMessage
			}
			out.Headers["Message-Id"] = "<" + m.MessageID + ">"
			out.Headers["Subject"] = m.Subject.Raw
			out.Headers["From"] = m.From.String()
			out.Prefixes = m.Subject.Tags
		}
		out.Content = &content
	}
	return out, nil
}

// patchList lists patches newest first (?order=date for oldest first),
// filtered by ?state= (repeatable), ?q=, ?series=, ?archived=.
func (a *API) patchList(w http.ResponseWriter, r *http.Request) error {
	p, err := readPage(r)
	if err != nil {
		return err
	}
	proj, ok := a.project(r)
	if !ok {
		writePage(w, r, p, []patchJSON{})
		return nil
	}
	if proj == nil {
		proj = &a.projects(r)[0]
	}
	q := r.URL.Query()
	f := storage.PWPatchFilter{Query: q.Get("q"), Limit: p.per + 1, Offset: p.offset(), Oldest: q.Get("order") == "date" || q.Get("order") == "id"}
	for _, st := range q["state"] {
		if st = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(st)), " ", "-"); st != "" {
			f.States = append(f.States, st)
		}
	}
	if v := q.Get("series"); v != "" {
		if f.SeriesID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return errorf(http.StatusBadRequest, "Invalid series %q: want an id.", v)
		}
	}
	ps, err := a.Store.PWPatches(r.Context(), f)
	if err != nil {
		return err
	}
	var out []patchJSON
	archived := q.Get("archived")
	for _, x := range ps {
		if archived != "" && strconv.FormatBool(x.Archived) != strings.ToLower(archived) {
			continue
		}
		js, err := a.patch(r, *proj, x, false)
		if err != nil {
			return err
		}
		out = append(out, js)
	}
	writePage(w, r, p, out)
	return nil
}

func (a *API) patchShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.Store.PWPatchByID(r.Context(), id)
	if err != nil {
		return err
	}
	js, err := a.patch(r, a.projects(r)[0], p, true)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, js)
	return nil
}

// account checks the request's "Authorization: Token …".
func (a *API) account(r *http.Request) (Account, error) {
	h := r.Header.Get("Authorization")
	scheme, token, _ := strings.Cut(h, " ")
	if h == "" {
		return Account{}, errorf(http.StatusUnauthorized, "Authentication credentials were not provided: send \"Authorization: Token …\" (git config pw.token).")
	}
	if !strings.EqualFold(scheme, "Token") || strings.TrimSpace(token) == "" {
		return Account{}, errorf(http.StatusUnauthorized, "Invalid token header: use \"Authorization: Token …\"; basic authentication is not supported.")
	}
	acc, err := a.Auth.Account(r.Context(), strings.TrimSpace(token))
	if errors.Is(err, storage.ErrNotFound) {
		return Account{}, errorf(http.StatusUnauthorized, "Invalid token.")
	}
	return acc, err
}

// patchUpdate changes a patch's state, delegate, archived flag or commit
// ref, from a form (git-pw) or a JSON body, and answers the patch.
func (a *API) patchUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	acc, err := a.account(r)
	if err != nil {
		return err
	}
	fields, err := readFields(w, r)
	if err != nil {
		return err
	}
	var u storage.PatchUpdate
	for k, v := range fields {
		switch k {
		case "state":
			st := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(v)), " ", "-")
			u.State = &st
		case "archived":
			b, err := strconv.ParseBool(strings.ToLower(v))
			if err != nil {
				return errorf(http.StatusBadRequest, "archived: %q is not a boolean.", v)
			}
			u.Archived = &b
		case "commit_ref":
			u.CommitRef = &v
		case "delegate":
			var d int64
			if v != "" {
				if d, err = strconv.ParseInt(v, 10, 64); err != nil {
					return errorf(http.StatusBadRequest, "delegate: %q is not a user id.", v)
				}
			}
			u.Delegate = &d
		default:
			return errorf(http.StatusBadRequest, "%s: this field cannot be changed here (state, delegate, archived, commit_ref can).", k)
		}
	}
	by := storage.FaceAccount{ID: acc.ID, Username: acc.Username, Name: acc.Name, Email: acc.Email}
	if err := a.Store.UpdatePatchState(r.Context(), id, by, u); err != nil {
		return err
	}
	return a.patchShow(w, r)
}

// readFields reads a form or a JSON object of strings (JSON numbers,
// booleans and null are turned into their text; null clears).
func readFields(w http.ResponseWriter, r *http.Request) (map[string]string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	out := map[string]string{}
	if ct == "application/json" {
		var raw map[string]any
		if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
			return nil, errorf(http.StatusBadRequest, "JSON parse error: %v", err)
		}
		for k, v := range raw {
			switch v := v.(type) {
			case nil:
				out[k] = ""
			case string:
				out[k] = v
			case float64:
				out[k] = strconv.FormatFloat(v, 'f', -1, 64)
			case bool:
				out[k] = strconv.FormatBool(v)
			default:
				return nil, errorf(http.StatusBadRequest, "%s: want a string, number or boolean.", k)
			}
		}
		return out, nil
	}
	if err := r.ParseForm(); err != nil {
		return nil, errorf(http.StatusBadRequest, "bad form: %v", err)
	}
	for k, vs := range r.PostForm {
		out[k] = vs[len(vs)-1]
	}
	return out, nil
}

func (a *API) coverList(w http.ResponseWriter, r *http.Request) error {
	p, err := readPage(r)
	if err != nil {
		return err
	}
	proj, ok := a.project(r)
	if !ok {
		writePage(w, r, p, []submission{})
		return nil
	}
	if proj == nil {
		proj = &a.projects(r)[0]
	}
	cs, err := a.Store.CoverLetters(r.Context(), r.URL.Query().Get("q"), p.per+1, p.offset())
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, c := range cs {
		js, err := a.cover(r, *proj, c)
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
	return map[string]any{"id": c.ID, "url": u, "web_url": fmt.Sprintf("%s/series/%d", feeds.BaseURL(r), c.SeriesID),
		"project": proj, "msgid": "<" + c.MessageID + ">", "list_archive_url": archiveURL(r, proj.LinkName, c.MessageID),
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
	js, err := a.cover(r, a.projects(r)[0], c)
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

func (a *API) patchOf(r *http.Request) (storage.PWPatch, error) {
	id, err := pathID(r)
	if err != nil {
		return storage.PWPatch{}, err
	}
	return a.Store.PWPatchByID(r.Context(), id)
}

// patchRaw is the patch's diff (git-pw patch download --diff).
func (a *API) patchRaw(w http.ResponseWriter, r *http.Request) error {
	p, err := a.patchOf(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/x-patch; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=patch-%d.diff", p.ID))
	_, err = io.WriteString(w, p.Diff)
	return err
}

// patchComments lists the list replies to a patch as patchwork comments.
func (a *API) patchComments(w http.ResponseWriter, r *http.Request) error {
	p, err := a.patchOf(r)
	if err != nil {
		return err
	}
	full, err := a.Store.PatchByID(r.Context(), p.ID)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, m := range full.Replies {
		if m.Message == nil {
			continue
		}
		sub, err := a.person(r, m.Message.From)
		if err != nil {
			return err
		}
		out = append(out, map[string]any{"id": m.ID, "web_url": fmt.Sprintf("%s/patches/%d", feeds.BaseURL(r), p.ID),
			"msgid": "<" + m.Message.MessageID + ">", "list_archive_url": archiveURL(r, a.projects(r)[0].LinkName, m.Message.MessageID),
			"date": date(m.Message.Date), "subject": m.Message.Subject.Raw, "submitter": sub, "content": m.Message.Body})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
