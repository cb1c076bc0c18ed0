package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"patchreview/storage"
	"patchreview/web/feeds"
	"patchreview/web/pi"
	"patchreview/web/pw"
)

// lists names the lists this instance serves. Until messages carry their
// list (issue 10), the whole instance is one list named by --list-name;
// every face asks this one function.
func (s *Server) lists() []string {
	if s.opts.ListName == "" || s.opts.ListName == "all" {
		return []string{"all"}
	}
	return []string{s.opts.ListName}
}

// mountFaces mounts the protocol faces: public-inbox URLs for b4 and lei
// at /all/ and /<list>/, patchwork's REST API for git-pw at /api/1.x/, and
// the Atom feeds.
func (s *Server) mountFaces(r chi.Router) {
	fh := feeds.Handlers{Store: s.store, Log: s.log}
	prefixes := append([]string{"all"}, s.lists()...)
	for i, list := range prefixes {
		if i > 0 && list == "all" {
			continue
		}
		r.Get("/"+list+"/series.atom", fh.NewSeries(list))
		r.Mount("/"+list, &pi.Handler{Store: s.store, Name: list, Log: s.log})
	}
	r.Get("/series/{id}/feed.atom", fh.SeriesActivity)
	api := &pw.API{Store: s.store, Log: s.log, Auth: tokenAuth{s}, Projects: func(context.Context) []string { return s.lists() }}
	for _, v := range []string{"1.0", "1.1", "1.2"} {
		r.Mount("/api/"+v, api.Handler())
	}
}

// reservedNames are the first path segments of the service's own pages,
// which a list name would shadow.
var reservedNames = []string{"api", "series", "patches", "messages", "upload", "rules", "status", "comments", "findings", "static", "feeds"}

var listNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// checkListName refuses a list name that cannot be one path segment or
// that would shadow the service's pages.
func checkListName(name string) error {
	if name == "" {
		return nil
	}
	if !listNameRE.MatchString(name) || slices.Contains(reservedNames, strings.ToLower(name)) {
		return fmt.Errorf("web: list name %q: want letters, digits, '.', '_' or '-', and none of %s", name, strings.Join(reservedNames, ", "))
	}
	return nil
}

// tokenAuth resolves git-pw's "Authorization: Token …" to the account
// whose personal API token it is (the same tokens as the JSON API's).
type tokenAuth struct{ s *Server }

func (a tokenAuth) Account(ctx context.Context, token string) (pw.Account, error) {
	u, err := a.s.store.APITokenUser(ctx, strings.TrimSpace(token))
	if errors.Is(err, storage.ErrBadToken) {
		return pw.Account{}, storage.ErrNotFound
	}
	if err != nil {
		return pw.Account{}, err
	}
	acc := storage.FaceAccountOf(u)
	return pw.Account{ID: acc.ID, Username: acc.Username, Name: acc.Name, Email: acc.Email}, nil
}

// b4Line is what the patch page's `b4 am` line needs: the patch's
// Message-ID and the b4.midmask that points b4 at this instance.
func b4Line(r *http.Request, p *storage.Patch) (msgID, midmask string) {
	if p.Message.Message == nil {
		return "", ""
	}
	return p.Message.Message.MessageID, feeds.BaseURL(r) + "/all/%s"
}
