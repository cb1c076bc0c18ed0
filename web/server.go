// Package web serves the pages, the JSON API, mbox uploads and the email-in
// webhook over chi.
package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"patchreview/review"
	"patchreview/storage"
	"patchreview/templates"
	"patchreview/web/diffview"
	"patchreview/web/inbound"
)

// Options configure a Server.
type Options struct {
	MaxUpload     int64         // upload and webhook body limit in bytes; default 50 MiB
	WebhookSecret string        // PATCHREVIEW_WEBHOOK_SECRET
	InsecureHook  bool          // accept unauthenticated webhook posts (local testing)
	Kick          chan struct{} // signalled after the webhook accepts a message; may be nil
	ListName      string        // the list (patchwork project) name in the faces' URLs; default "all"
}

// Server is the HTTP side of patchreview.
type Server struct {
	store   *storage.Store
	log     *slog.Logger
	opts    Options
	pages   map[string]*template.Template
	inbound *inbound.Receiver
	mux     http.Handler
}

// NewServer builds a Server. It fails if a template does not parse or the
// list name is not a usable path segment.
func NewServer(store *storage.Store, log *slog.Logger, opts Options) (*Server, error) {
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = 50 << 20
	}
	if err := checkListName(opts.ListName); err != nil {
		return nil, err
	}
	pages, err := parsePages(templates.FS)
	if err != nil {
		return nil, err
	}
	s := &Server{store: store, log: log, opts: opts, pages: pages,
		inbound: inbound.NewReceiver(inbound.Config{Secret: opts.WebhookSecret, Insecure: opts.InsecureHook, MaxBytes: opts.MaxUpload})}
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

var funcs = template.FuncMap{}

// httpError is an error with a status and a message safe to show.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) error {
	return &httpError{status: status, msg: fmt.Sprintf(format, args...)}
}

// handle adapts a handler that returns an error.
func (s *Server) handle(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	}
}

// renderError maps an error to a status and renders it as JSON for the API
// and as a page otherwise. Only 5xx errors are logged; their text is not shown.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, "something went wrong; it has been logged"
	var he *httpError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		status, msg = he.status, he.msg
	case errors.Is(err, storage.ErrNotFound):
		status, msg = http.StatusNotFound, err.Error()
	case errors.As(err, &tooBig):
		status, msg = http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than the %d-byte limit", tooBig.Limit)
	case errors.Is(err, review.ErrInvalid):
		status, msg = http.StatusBadRequest, err.Error()
	}
	if status >= 500 {
		s.log.Error("request failed", "error", err, "method", r.Method, "uri", r.RequestURI)
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var buf bytes.Buffer
	if e := s.pages["error"].ExecuteTemplate(&buf, "base", errorPage{status, http.StatusText(status), msg}); e != nil {
		http.Error(w, msg, status)
		return
	}
	w.WriteHeader(status)
	buf.WriteTo(w)
}

type errorPage struct {
	Status         int
	Title, Message string
}

// render executes a page into a buffer first, so a template error is a clean 500.
func (s *Server) render(w http.ResponseWriter, page string, data any) error {
	return s.renderStatus(w, http.StatusOK, page, data)
}

// renderStatus renders a page into a buffer and, only once that worked,
// writes it with the given status.
func (s *Server) renderStatus(w http.ResponseWriter, status int, page string, data any) error {
	var buf bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&buf, "base", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

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

func staticHandler() http.Handler {
	sub, _ := fs.Sub(templates.FS, "static")
	fileServer := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		r.URL.Path = "/" + path.Clean(chi.URLParam(r, "*"))
		fileServer.ServeHTTP(w, r)
	})
}
