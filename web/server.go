// Package web serves the pages, the JSON API, mbox uploads and the email-in
// webhook over chi.
package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"patchreview/storage"
	"patchreview/templates"
	"patchreview/web/diffview"
	"patchreview/web/httpx"
	"patchreview/web/inbound"
	"patchreview/web/pw"
)

// Options configure a Server.
type Options struct {
	MaxUpload     int64         // upload and webhook body limit in bytes; default 50 MiB
	WebhookSecret string        // PATCHREVIEW_WEBHOOK_SECRET
	InsecureHook  bool          // accept unauthenticated webhook posts (local testing)
	Kick          chan struct{} // signalled after the webhook accepts a message; may be nil
	// Private requires signing in to read anything (--private).
	Private bool
	// BehindProxy says a TLS-terminating proxy is in front (--behind-proxy):
	// X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-For are believed
	// (httpx.Forwarded) for the absolute links, whether cookies are Secure
	// and the client address the sign-in rate limit counts.
	BehindProxy bool
	// Mailer sends replies from the reply page; nil offers the .eml and a
	// mailto: link only.
	Mailer Mailer
}

// Server is the HTTP side of patchreview.
type Server struct {
	store   *storage.Store
	log     *slog.Logger
	opts    Options
	pages   map[string]*template.Template
	inbound *inbound.Receiver
	mux     http.Handler
	// draining is cancelled by Drain: in-flight uploads stop between two
	// messages and answer 503 with what they stored.
	draining context.Context
	Drain    context.CancelFunc
}

// NewServer builds a Server. It fails only if a template does not parse.
func NewServer(store *storage.Store, log *slog.Logger, opts Options) (*Server, error) {
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = 50 << 20
	}
	pages, err := parsePages(templates.FS)
	if err != nil {
		return nil, err
	}
	s := &Server{store: store, log: log, opts: opts, pages: pages,
		inbound: inbound.NewReceiver(inbound.Config{Secret: opts.WebhookSecret, Insecure: opts.InsecureHook, MaxBytes: opts.MaxUpload, Tokens: store})}
	s.draining, s.Drain = context.WithCancel(context.Background())
	s.mux = s.routes()
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

// parsePages parses each page template onto the base layout and partials.
func parsePages(fsys fs.FS) (map[string]*template.Template, error) {
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		if n == "base.html" || n == "partials.html" {
			continue
		}
		t, err := diffview.ParseTemplates(template.New(n).Funcs(funcs))
		if err == nil {
			t, err = t.ParseFS(fsys, "base.html", "partials.html", n)
		}
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		pages[strings.TrimSuffix(n, ".html")] = t
	}
	return pages, nil
}

var funcs = template.FuncMap{"mailtext": mailText}

// handle adapts a handler that returns an error; the error is answered in
// the format of the request's face (writeError).
func (s *Server) handle(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return httpx.Handler(s.log, s.writeError, h)
}

// renderError answers an error (httpx.Fail: status, logging) outside a
// handler, in the middleware.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	httpx.Fail(w, r, s.log, s.writeError, err)
}

// writeError is the error format of the request's face: plain text for
// every Atom feed (a path ending in .atom), patchwork's {"detail"} under
// /api/1.x (git-pw prints it), {"error"} JSON on the rest of the API (with
// the error's httpx.FieldsOf: "stored", for an upload a shutdown stopped;
// a 401 there challenges for a Bearer token), and a page otherwise.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, status int, msg string, err error) {
	if strings.HasSuffix(r.URL.Path, ".atom") {
		httpx.Text(w, r, status, msg, err)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/api/1.") {
		pw.WriteError(w, r, status, msg, err)
		return
	}
	if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
		}
		body := map[string]any{"error": msg}
		for k, v := range httpx.FieldsOf(err) {
			if k != "error" {
				body[k] = v
			}
		}
		writeJSON(w, status, body)
		return
	}
	page := errorPage{Status: status, Title: http.StatusText(status), Message: msg}
	if status == http.StatusUnauthorized {
		next := r.URL.RequestURI()
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next = r.Referer()
			if u, err := url.Parse(next); err == nil && (u.Host == "" || u.Host == r.Host) {
				next = u.RequestURI()
			}
		}
		page.SigninURL = "/signin?next=" + url.QueryEscape(safeNext(next))
	}
	if e := s.renderStatus(w, r, status, "error", page); errors.Is(e, errNotRendered) {
		http.Error(w, msg, status) // nothing was written yet
	}
}

type errorPage struct {
	Status         int
	Title, Message string
	SigninURL      string // for a 401: sign in and come back
}

// pageData is what the base layout gets: the signed-in account for the
// header, and the page's own data, which the page's blocks get as ".".
type pageData struct {
	Viewer *storage.User
	Page   any
}

// render executes a page into a buffer first, so a template error is a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, page string, data any) error {
	return s.renderStatus(w, r, http.StatusOK, page, data)
}

// errNotRendered starts the error of a page that did not render: nothing
// of it was written.
var errNotRendered = errors.New("render")

// renderStatus renders a page into a buffer and, only once that worked,
// writes it with the given status.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, page string, data any) error {
	buf := renderBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 { // a huge page's buffer is not kept
			buf.Reset()
			renderBufs.Put(buf)
		}
	}()
	if err := s.pages[page].ExecuteTemplate(buf, "base", pageData{Viewer: viewer(r), Page: data}); err != nil {
		return fmt.Errorf("%w %s: %w", errNotRendered, page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// renderBufs are the buffers pages render into before their status is
// sent (a template error is then still a clean error page): growing a fresh
// one for every page was the series page's largest allocation.
var renderBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// requestLogger logs each request at debug level with its status and time.
func (s *Server) requestLogger(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		start := time.Now()
		next.ServeHTTP(ww, r)
		s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", ww.Status(), "bytes", ww.BytesWritten(),
			"duration", time.Since(start), "id", middleware.GetReqID(r.Context()))
	})
}

// contentSecurityPolicy allows only this site's own scripts, styles and
// images: no inline script or style, no framing, no plugin, no <base>.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders sets the headers every answer gets.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// staticFiles serves the files of fsys under prefix, never a directory
// listing: a directory is a 404.
func staticFiles(fsys fs.FS) http.Handler {
	fileServer := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean("/"+chi.URLParam(r, "*")), "/")
		if st, err := fs.Stat(fsys, name); err != nil || st.IsDir() || name == "." {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=300")
		r.URL.Path = "/" + name
		fileServer.ServeHTTP(w, r)
	})
}

func staticHandler() http.Handler {
	sub, _ := fs.Sub(templates.FS, "static")
	return staticFiles(sub)
}
