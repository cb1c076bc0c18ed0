package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"patchreview/storage"
	"patchreview/web/feeds"
	"patchreview/web/httpx"
	"patchreview/web/pi"
	"patchreview/web/pw"
)

// faceList is a list as the faces serve it: the name in URLs and the
// list id its messages carry ("" for "all", the union of every list).
type faceList struct{ Name, List string }

// faceLists lists what the faces serve: "all", then every list the
// instance knows (message_lists), in the order of their first message.
// A List-Id such as linux-nilfs.vger.kernel.org is served under its short
// name (linux-nilfs, as lore names it) when no other list shares that
// short name, and under the full id always. A list whose every name is
// reserved (it would shadow the service's pages) is not served.
func (s *Server) faceLists(ctx context.Context) ([]faceList, error) {
	ids, err := s.store.Lists(ctx)
	if err != nil {
		return nil, err
	}
	shorts := map[string]int{}
	taken := map[string]bool{"all": true}
	for _, id := range ids {
		taken[strings.ToLower(id)] = true
		shorts[shortName(id)]++
	}
	out := []faceList{{Name: "all"}}
	for _, id := range ids {
		name := id
		if sn := shortName(id); sn != strings.ToLower(id) && shorts[sn] == 1 && !taken[sn] && checkListName(sn) == nil {
			name = sn
		}
		if checkListName(name) != nil || strings.EqualFold(name, "all") {
			continue
		}
		out = append(out, faceList{Name: name, List: id})
	}
	return out, nil
}

// shortName is a List-Id's first label, lore's name of the list.
func shortName(id string) string {
	n, _, _ := strings.Cut(strings.ToLower(id), ".")
	return n
}

// faceList resolves the first path segment of a face's URL: "all", a
// list's short name or its full id (in any case).
func (s *Server) faceList(ctx context.Context, seg string) (faceList, bool, error) {
	ls, err := s.faceLists(ctx)
	if err != nil {
		return faceList{}, false, err
	}
	for _, l := range ls {
		if strings.EqualFold(seg, l.Name) || l.List != "" && strings.EqualFold(seg, l.List) && checkListName(l.List) == nil {
			return l, true, nil
		}
	}
	return faceList{}, false, nil
}

// mountFaces mounts the protocol faces: public-inbox URLs for b4 and lei
// at /all/ and /<list>/ for every list the instance knows, patchwork's
// REST API for git-pw at /api/1.x/ (a project per list), and the Atom
// feeds. Lists are looked up per request: a list that appears while the
// server runs is served at once.
func (s *Server) mountFaces(r chi.Router) {
	fh := feeds.Handlers{Store: s.store, Log: s.log}
	root := r
	face := func(serve func(w http.ResponseWriter, r *http.Request, seg string, l faceList) error) http.HandlerFunc {
		return s.handle(func(w http.ResponseWriter, r *http.Request) error {
			seg := chi.URLParam(r, "list")
			l, ok, err := s.faceList(r.Context(), seg)
			if err != nil {
				return err
			}
			if !ok {
				// Not a list: a page's path with a method the page does
				// not take, or no page.
				if allow := allowedMethods(root, r); len(allow) > 0 {
					return methodNotAllowed(w, r, allow)
				}
				if checkListName(seg) != nil {
					return httpx.Errorf(http.StatusNotFound, "no page at %s", r.URL.Path)
				}
				return httpx.Errorf(http.StatusNotFound, "no page or list at /%s", seg)
			}
			return serve(w, r, seg, l)
		})
	}
	// The feeds answer errors in plain text (writeError), an unknown list too.
	r.Get("/{list}/series.atom", face(func(w http.ResponseWriter, r *http.Request, seg string, l faceList) error {
		return fh.NewSeries(w, r, seg, l.List)
	}))
	// An unknown first segment is any mistyped page: a page answers it.
	pih := face(func(w http.ResponseWriter, r *http.Request, seg string, l faceList) error {
		(&pi.Handler{Store: s.store, Name: seg, List: l.List, Log: s.log}).ServeHTTP(w, r)
		return nil
	})
	r.Handle("/{list}", pih)
	r.Handle("/{list}/*", pih)
	r.Get("/series/{id}/feed.atom", s.handle(fh.SeriesActivity))
	api := &pw.API{Store: s.store, Log: s.log, Viewer: tokenViewer, Projects: func(ctx context.Context) ([]pw.List, error) {
		ls, err := s.faceLists(ctx)
		out := make([]pw.List, 0, len(ls))
		for _, l := range ls {
			out = append(out, pw.List{LinkName: l.Name, ListID: l.List})
		}
		return out, err
	}}
	for _, v := range []string{"1.0", "1.1", "1.2"} {
		r.Mount("/api/"+v, api.Handler())
	}
}

// reservedNames are the first path segments of the service's own pages,
// which a list name would shadow.
var reservedNames = []string{"api", "series", "patches", "messages", "upload", "rules", "contracts", "status", "comments", "findings", "static", "feeds",
	"signin", "signout", "invite", "account", "admin", "verdicts"}

var listNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// checkListName refuses a list name that cannot be one path segment or
// that would shadow the service's pages.
func checkListName(name string) error {
	if !listNameRE.MatchString(name) || slices.Contains(reservedNames, strings.ToLower(name)) {
		return fmt.Errorf("web: list name %q: want letters, digits, '.', '_' or '-', and none of %s", name, strings.Join(reservedNames, ", "))
	}
	return nil
}

// CheckListName refuses a list name the faces could not serve (see
// checkListName), for the command line's --list.
func CheckListName(name string) error { return checkListName(name) }

// b4Line is what the patch page's `b4 am` line needs: the patch's
// Message-ID and the b4.midmask that points b4 at this instance.
func b4Line(r *http.Request, p *storage.Patch) (msgID, midmask string) {
	if p.Message.Message == nil {
		return "", ""
	}
	return p.Message.Message.MessageID, httpx.BaseURL(r) + "/all/%s"
}
