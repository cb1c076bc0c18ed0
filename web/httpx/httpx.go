// Package httpx is what the server and its faces (web/pw, web/pi,
// web/feeds) share about HTTP: how a handler's error becomes an answer,
// and, decided once per request by Forwarded, what the forwarded headers
// are believed to say: the base URL of the absolute links they write,
// whether the request is https (Secure cookies) and the client's address.
//
// An error is answered by one mechanism, Fail: StatusOf decides the status
// and the text the client may see, a 5xx is logged as an error (the text
// is not shown) and a 4xx at debug level, with the same request context
// for every face; only the body's format differs per face (a Format: the
// web's HTML page or {"error"} JSON, patchwork's {"detail"}, plain text
// for public-inbox and the feeds).
package httpx

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5/middleware"

	"patchreview/review"
	"patchreview/storage"
)

// A StatusError decides its own answer: its status, its text (Error) as
// the message the client sees, and the fields a JSON answer carries next
// to that message (nil for none). *Error is one; an upload stopped by a
// shutdown (503, with what it stored) is another.
type StatusError interface {
	error
	HTTPStatus() int
	Fields() map[string]any
}

// Error is an error with a status and a message safe to show.
type Error struct {
	Status int
	Msg    string
}

func (e *Error) Error() string          { return e.Msg }
func (e *Error) HTTPStatus() int        { return e.Status }
func (e *Error) Fields() map[string]any { return nil }

// Errorf makes an *Error.
func Errorf(status int, format string, args ...any) error {
	return &Error{Status: status, Msg: fmt.Sprintf(format, args...)}
}

// busyMsg is what a 503 for a busy database says.
const busyMsg = "the database is busy (another process is writing to it); try again"

// retryAfter is the Retry-After of a 503 that did not set its own, in
// seconds.
const retryAfter = "5"

// internalMsg is what a 5xx answer says instead of the error's text.
const internalMsg = "something went wrong; it has been logged"

// StatusOf maps an error to the status of its answer and the message the
// client may see: a StatusError's own status and text (its own, not that
// of the errors wrapping it, which may hold internal context);
// storage.ErrNotFound 404; a body past http.MaxBytesReader's limit 413;
// review.ErrInvalid 400; the database held by another connection or
// process past the busy timeout (storage.IsBusy) 503; anything else 500
// with a message that hides it.
func StatusOf(err error) (status int, msg string) {
	var se StatusError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &se):
		return se.HTTPStatus(), se.Error()
	case errors.Is(err, storage.ErrNotFound):
		return http.StatusNotFound, err.Error()
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than the %d-byte limit", tooBig.Limit)
	case errors.Is(err, review.ErrInvalid):
		return http.StatusBadRequest, err.Error()
	case storage.IsBusy(err):
		return http.StatusServiceUnavailable, busyMsg
	}
	return http.StatusInternalServerError, internalMsg
}

// FieldsOf is what a JSON answer to err carries next to its message: the
// Fields of the StatusError it wraps, nil for none.
func FieldsOf(err error) map[string]any {
	var se StatusError
	if errors.As(err, &se) {
		return se.Fields()
	}
	return nil
}

// A Format writes an error answer (status and message, from StatusOf) in
// one face's format; err is the error itself, for a format that says more
// about some errors.
type Format func(w http.ResponseWriter, r *http.Request, status int, msg string, err error)

// Text answers in plain text, as public-inbox and the feeds do. The body
// is declared UTF-8: a byte of msg that is not (a path's %ff echoed back)
// is written as \xff.
func Text(w http.ResponseWriter, r *http.Request, status int, msg string, err error) {
	http.Error(w, escapeInvalidUTF8(msg), status)
}

// escapeInvalidUTF8 writes each byte of s that is not part of valid UTF-8
// as \xNN.
func escapeInvalidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Fail answers err in format. A 5xx is logged at error level (a 503, a
// shutdown or a busy database, at warning level), a 4xx at debug level,
// each with the request's method, URI and id. Every 503 carries a
// Retry-After (retryAfter unless the handler set one).
func Fail(w http.ResponseWriter, r *http.Request, log *slog.Logger, format Format, err error) {
	status, msg := StatusOf(err)
	if log != nil {
		attrs := []any{"status", status, "error", err, "method", r.Method, "uri", r.RequestURI, "id", middleware.GetReqID(r.Context())}
		switch {
		case status == http.StatusServiceUnavailable:
			log.Warn("request failed", attrs...)
		case status >= 500:
			log.Error("request failed", attrs...)
		default:
			log.Debug("request refused", attrs...)
		}
	}
	if status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	format(w, r, status, msg, err)
}

// Handler adapts a handler that returns an error: the error is answered
// by Fail in format.
func Handler(log *slog.Logger, format Format, h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			Fail(w, r, log, format, err)
		}
	}
}
