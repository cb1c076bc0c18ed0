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
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"patchreview/storage"
	"patchreview/web/httpx"
)

// API serves the patchwork REST API. Mount its Handler at /api/1.2 on a
// chi router.
type API struct {
	Store *storage.Store
	// Viewer is the account whose personal API token the request carries
	// ("Authorization: Token …"), nil without one. The server resolves the
	// token once, in its middleware, and answers a bad one with 401 in
	// this face's format (WriteError) before the API sees the request.
	Viewer func(*http.Request) *storage.User
	Log    *slog.Logger
	// Projects lists the projects: "all" (every list) first, then one per
	// list; project ids are 1-based positions.
	Projects func(context.Context) ([]List, error)
}

// List is a project: a list by the name in URLs and the list id its
// messages carry ("" for all lists).
type List struct {
	LinkName string // the name in URLs (lore's short name when there is one)
	ListID   string // the List-Id or archive name; "" for the union of all lists
}

// handle adapts a handler that returns an error (httpx.Handler), answering
// errors as patchwork does (WriteError).
func (a *API) handle(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return httpx.Handler(a.Log, WriteError, h)
}

// WriteError is the patchwork face's error format (an httpx.Format): JSON
// {"detail": "…"}, as patchwork answers and git-pw prints, "Not found: "
// before a missing row's message, and a WWW-Authenticate challenge with a
// 401.
func WriteError(w http.ResponseWriter, r *http.Request, status int, msg string, err error) {
	var he *httpx.Error
	if errors.Is(err, storage.ErrNotFound) && !errors.As(err, &he) {
		msg = "Not found: " + msg
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Token realm="api"`)
	}
	writeJSON(w, status, map[string]string{"detail": msg})
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
		return httpx.Errorf(http.StatusNotFound, "Not found: no API resource at %s", r.URL.Path)
	}))
	r.MethodNotAllowed(a.handle(func(w http.ResponseWriter, r *http.Request) error {
		return httpx.Errorf(http.StatusMethodNotAllowed, "Method %q not allowed.", r.Method)
	}))
	return r
}

// api is the API's root URL as the client reached it.
func api(r *http.Request) string {
	v := "1.2"
	if m := apiVersion.FindStringSubmatch(r.RequestURI); m != nil {
		v = m[1]
	}
	return httpx.BaseURL(r) + "/api/" + v
}

var apiVersion = regexp.MustCompile(`^/api/(1\.[0-2])(/|$|\?)`)

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, httpx.Errorf(http.StatusNotFound, "Not found: bad id %q", chi.URLParam(r, "id"))
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

	list string // the list id of the store's rows; "" for all lists
}

func (a *API) projects(r *http.Request) ([]project, error) {
	base := httpx.BaseURL(r)
	ls, err := a.Projects(r.Context())
	if err != nil {
		return nil, err
	}
	var out []project
	for i, l := range ls {
		id := l.ListID
		if id == "" {
			id = l.LinkName
		}
		out = append(out, project{ID: int64(i + 1), URL: fmt.Sprintf("%s/projects/%d/", api(r), i+1), Name: id, LinkName: l.LinkName,
			ListID: id, WebURL: base + "/", ListArchiveURL: base + "/" + l.LinkName + "/",
			ListArchiveURLFormat: base + "/" + l.LinkName + "/{}/", list: l.ListID})
	}
	return out, nil
}

// project returns the project a ?project= filter names (by id, link name
// or list id); "" and "*" mean all lists, the first project; an unknown
// one is an error the list endpoints answer with an empty page (ok false).
func (a *API) project(r *http.Request) (proj project, ok bool, err error) {
	ps, err := a.projects(r)
	if err != nil {
		return project{}, false, err
	}
	want := r.URL.Query().Get("project")
	if want == "" || want == "*" {
		return ps[0], true, nil
	}
	for _, p := range ps {
		if want == strconv.FormatInt(p.ID, 10) || strings.EqualFold(want, p.LinkName) || strings.EqualFold(want, p.ListID) {
			return p, true, nil
		}
	}
	return project{}, false, nil
}

// projectOfSeries is projectOf the lists of a series (0: none).
func (a *API) projectOfSeries(r *http.Request, seriesID int64) (project, error) {
	var lists []string
	if seriesID != 0 {
		ss, err := a.Store.SeriesSummaryByID(r.Context(), seriesID)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return project{}, err
		}
		lists = ss.Lists
	}
	return a.projectOf(r, lists)
}

// projectOf is the project a detail answer names: the first list the
// series came through, or "all".
func (a *API) projectOf(r *http.Request, lists []string) (project, error) {
	ps, err := a.projects(r)
	if err != nil {
		return project{}, err
	}
	for _, l := range lists {
		for _, p := range ps {
			if p.list != "" && p.list == l {
				return p, nil
			}
		}
	}
	return ps[0], nil
}

func (a *API) projectList(w http.ResponseWriter, r *http.Request) error {
	ps, err := a.projects(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ps)
	return nil
}

func (a *API) projectShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ps, err := a.projects(r)
	if err != nil {
		return err
	}
	if id > int64(len(ps)) {
		return httpx.Errorf(http.StatusNotFound, "Not found: project %d", id)
	}
	writeJSON(w, http.StatusOK, ps[id-1])
	return nil
}

// page reads ?page= (1-based) and ?per_page= (default 30, at most 250).
type page struct{ n, per int }

// listOf starts a list request: its page and its project. ok is false when
// ?project= names no list this server has; the empty page is then answered.
func (a *API) listOf(w http.ResponseWriter, r *http.Request) (p page, proj project, ok bool, err error) {
	if p, err = readPage(r); err != nil {
		return p, proj, false, err
	}
	if proj, ok, err = a.project(r); err != nil || ok {
		return p, proj, ok, err
	}
	writePage(w, r, p, []any{})
	return p, proj, false, nil
}

func readPage(r *http.Request) (page, error) {
	p := page{1, 30}
	q := r.URL.Query()
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return p, httpx.Errorf(http.StatusNotFound, "Invalid page %q.", v)
		}
		p.n = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, httpx.Errorf(http.StatusBadRequest, "Invalid per_page %q: want a positive number.", v)
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
		links = append(links, fmt.Sprintf("<%s%s>; rel=%q", httpx.BaseURL(r), u.RequestURI(), rel)) // r.URL keeps the /api/1.x prefix under Mount
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
