package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"time"

	"patchreview/storage"
	"patchreview/web/httpx"
)

// uploadResult is what an upload did: the counts, and the messages that
// were not mail at all, not stored.
type uploadResult struct {
	storage.IngestStats
	Rejected []storage.Rejected `json:"rejected,omitempty"` // only when some were
}

// ingestUpload reads an mbox from a multipart form field "mbox" or from the
// raw body (application/mbox, text/plain, message/rfc822), within the size
// limit, and ingests it. A body that is not mail at all ("hello", a PNG)
// is a 400 with the reason, and nothing is stored; in an mbox, the
// messages that are not mail are reported and the others stored.
func (s *Server) ingestUpload(w http.ResponseWriter, r *http.Request) (uploadResult, error) {
	if _, err := signedIn(r, "upload mail"); err != nil {
		return uploadResult{}, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxUpload)
	stop := s.stopReadOnDrain(w)
	data, err := readUpload(r)
	stop()
	if err != nil {
		if readCut(err) && s.draining.Err() != nil {
			w.Header().Set("Retry-After", drainRetryAfter)
			return uploadResult{}, &drainError{}
		}
		return uploadResult{}, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return uploadResult{}, httpx.Errorf(http.StatusBadRequest, "empty upload: send an mbox file")
	}
	// A shutdown that cannot wait for the upload stops it between two
	// messages: what was stored stays, and the client is told how far it got.
	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	defer context.AfterFunc(s.draining, func() { cancel(errDraining) })()
	st, rejected, err := s.store.IngestUpload(ctx, bytes.NewReader(data), "upload", nil)
	res := uploadResult{st, rejected}
	if err != nil && errors.Is(context.Cause(ctx), errDraining) {
		w.Header().Set("Retry-After", drainRetryAfter)
		return res, &drainError{st}
	}
	if err == nil && st.Messages == 0 && len(rejected) > 0 {
		if len(rejected) == 1 {
			return res, httpx.Errorf(http.StatusBadRequest, "the upload is %s; nothing was stored. Send an mbox file or a mail message", rejected[0].Reason)
		}
		return res, httpx.Errorf(http.StatusBadRequest, "none of the %d messages of the upload is a mail (the first: %s); nothing was stored", len(rejected), rejected[0].Reason)
	}
	return res, err
}

// stopReadOnDrain makes a shutdown that cannot wait stop the reading of
// the request's body at once, however slowly the client sends it (a read
// deadline in the past: the read fails and the handler answers 503). The
// returned func disarms it once the body is read.
func (s *Server) stopReadOnDrain(w http.ResponseWriter) (stop func() bool) {
	rc := http.NewResponseController(w)
	return context.AfterFunc(s.draining, func() { rc.SetReadDeadline(time.Now()) })
}

// readCut says whether a body read failed because stopReadOnDrain cut it
// (and not because the body was too large or not mail, which a shutdown
// does not change).
func readCut(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// drainRetryAfter is the Retry-After of an answer cut by a shutdown: the
// time a restart takes.
const drainRetryAfter = "30"

// errDraining cancels uploads when the server shuts down.
var errDraining = errors.New("server shutting down")

// drainError is an upload stopped by a shutdown, with what it stored.
type drainError struct{ stats storage.IngestStats }

// HTTPStatus makes a stopped upload a 503 (an httpx.StatusError).
func (e *drainError) HTTPStatus() int { return http.StatusServiceUnavailable }

// Fields tell the API client what was stored: {"error", "stored"}.
func (e *drainError) Fields() map[string]any { return map[string]any{"stored": e.stats} }

func (e *drainError) Error() string {
	if e.stats.Messages == 0 {
		return "the server is shutting down: this upload was stopped before any message of it was stored; nothing was stored. " +
			"Send it again when the server is back."
	}
	return fmt.Sprintf("the server is shutting down: this upload was stopped after %d messages (%d new and stored, %d duplicates, %d stored unparsed); "+
		"nothing after them was stored. Send the same mbox again when the server is back: stored messages are skipped as duplicates.",
		e.stats.Messages, e.stats.New, e.stats.Duplicates, e.stats.Failed)
}

func readUpload(r *http.Request) ([]byte, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return io.ReadAll(r.Body)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, httpx.Errorf(http.StatusBadRequest, "bad multipart form: %v", err)
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, httpx.Errorf(http.StatusBadRequest, `multipart form has no "mbox" file field`)
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) || readCut(err) {
				return nil, err
			}
			return nil, httpx.Errorf(http.StatusBadRequest, "bad multipart form: %v", err)
		}
		if part.FormName() == "mbox" {
			return io.ReadAll(part)
		}
	}
}

// flashCookie carries a one-time message from a form POST to the page it
// redirects to. A cookie, not a query parameter, so that nobody can put
// words on the page with a crafted link.
const flashCookie = "patchreview_flash"

func setFlash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/",
		MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// takeFlash returns the pending flash message, if any, and clears it.
func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	msg, err := url.QueryUnescape(c.Value)
	if err != nil {
		return ""
	}
	return msg
}
