package web

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"patchreview/web/diffview"
	"patchreview/web/httpx"
)

// routes lists every route in one place.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(headAsGet)
	r.Use(middleware.RequestID, middleware.Recoverer, s.requestLogger, securityHeaders, httpx.Forwarded(s.opts.BehindProxy), s.identify, s.private)
	r.Handle("/static/diffview/*", staticFiles(diffview.Static()))
	r.Handle("/static/*", staticHandler())

	// Browser forms are protected from cross-site posts; the API and the
	// webhook are not browser targets (the webhook has its own secret).
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return httpx.Errorf(http.StatusForbidden, "cross-origin POST refused: post from this site's own pages, or from a client that sends neither Origin nor Sec-Fetch-Site (curl does not)")
	}))
	r.Group(func(r chi.Router) {
		r.Use(csrf.Handler)
		r.Get("/", s.handle(s.handleSeriesList))
		r.Get("/series/{id}", s.handle(s.handleSeriesShow))
		r.Get("/patches/{id}", s.handle(s.handlePatchShow))
		r.Get("/messages/{id}/raw", s.handle(s.handleMessageRaw))
		r.Get("/upload", s.handle(s.handleUploadForm))
		r.Post("/upload", s.handle(s.handleUploadPost))
		r.Get("/rules", s.handle(s.handleRuleList))
		r.Get("/rules/{id}", s.handle(s.handleRuleShow))
		r.Get("/contracts", s.handle(s.handleContracts))
		r.Get("/status", s.handle(s.handleStatusPage))
		r.Get("/patches/{id}/reply", s.handle(s.handleReplyPage))
		r.Get("/patches/{id}/reply.eml", s.handle(s.handleReplyEml))
		r.Post("/patches/{id}/reply/send", s.handle(s.handleReplySend))
		r.Get("/patches/{id}/mbox", s.handle(s.handlePatchMbox))
		r.Get("/patches/{id}/interdiff", s.handle(s.handleInterdiff))
		r.Get("/series/{id}/mbox", s.handle(s.handleSeriesMbox))
		r.Post("/patches/{id}/comments", s.handle(s.handleCommentCreate))
		r.Post("/patches/{id}/verdict", s.handle(s.handleVerdict(false)))
		r.Post("/series/{id}/verdict", s.handle(s.handleVerdict(true)))
		r.Post("/comments/{id}/edit", s.handle(s.handleCommentEdit))
		r.Post("/comments/{id}/delete", s.handle(s.handleCommentDelete))
		r.Post("/findings/{id}/dismiss", s.handle(s.handleFindingDismiss))
		r.Post("/findings/{id}/restore", s.handle(s.handleFindingRestore))
		r.Post("/verdicts/{id}/delete", s.handle(s.handleVerdictDelete))
		r.Get("/signin", s.handle(s.handleSigninForm))
		r.Post("/signin", s.handle(s.handleSigninPost))
		r.Post("/signout", s.handle(s.handleSignout))
		r.Get("/invite/{token}", s.handle(s.handleInviteForm))
		r.Post("/invite/{token}", s.handle(s.handleInvitePost))
		r.Get("/account", s.handle(s.handleAccount))
		r.Post("/account/tokens", s.handle(s.handleTokenCreate))
		r.Post("/account/password", s.handle(s.handlePasswordChange))
		r.Post("/account/tokens/{id}/revoke", s.handle(s.handleTokenRevoke))
		r.Post("/admin/invites", s.handle(s.handleInviteCreate))
	})
	r.Route("/api/v1", func(r chi.Router) {
		r.With(csrf.Handler).Post("/mbox", s.handle(s.handleAPIMbox))
		r.Post("/inbound", s.handle(s.handleInbound))
		r.Get("/series", s.handle(s.handleAPISeriesList))
		r.Get("/search", s.handle(s.handleAPISearch))
		r.Get("/series/{id}", s.handle(s.handleAPISeriesShow))
		r.Get("/patches/{id}", s.handle(s.handleAPIPatchShow))
		r.Get("/status", s.handle(s.handleAPIStatus))
	})
	s.mountFaces(r) // public-inbox (b4), patchwork (git-pw), Atom feeds
	r.NotFound(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return httpx.Errorf(http.StatusNotFound, "no page at %s", r.URL.Path)
	}))
	r.MethodNotAllowed(s.handle(func(w http.ResponseWriter, req *http.Request) error {
		return methodNotAllowed(w, req, allowedMethods(r, req))
	}))
	return r
}

// headAsGet routes a HEAD request as a GET: every GET route answers HEAD
// (net/http's server drops the body). No route registers HEAD itself; the
// handlers still see the HEAD method (the public-inbox face's redirect).
func headAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			if rctx := chi.RouteContext(r.Context()); rctx != nil {
				rctx.RouteMethod = http.MethodGet
			}
		}
		next.ServeHTTP(w, r)
	})
}

// isListRoute tells the faces' routes under a list's name (its feed and,
// for every method, its public-inbox pages), which also catch a page's
// path under a method the page does not take.
func isListRoute(pattern string) bool {
	return strings.HasPrefix(pattern, "/{list}")
}

// allowedMethods lists the methods a route other than the faces' routes
// under a list's name takes at the request's path (HEAD wherever GET is), in the
// order of an Allow header; none when no route has the path.
func allowedMethods(root chi.Routes, r *http.Request) []string {
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if p := root.Find(chi.NewRouteContext(), m, path); p != "" && !isListRoute(p) {
			out = append(out, m)
			if m == http.MethodGet {
				out = append(out, http.MethodHead)
			}
		}
	}
	return out
}

// methodNotAllowed answers 405 with an Allow header.
func methodNotAllowed(w http.ResponseWriter, r *http.Request, allow []string) error {
	w.Header().Set("Allow", strings.Join(allow, ", "))
	return httpx.Errorf(http.StatusMethodNotAllowed, "%s is not allowed on %s (only %s)", r.Method, r.URL.Path, strings.Join(allow, ", "))
}
