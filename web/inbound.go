package web

import (
	"context"
	"errors"
	"net/http"

	"patchreview/web/httpx"
	"patchreview/web/inbound"
)

// handleInbound is the email-in webhook: it authenticates the request,
// stores the raw message durably, and answers 202 (or 200 for a message
// already stored). Parsing and checking run from the queue, not here.
func (s *Server) handleInbound(w http.ResponseWriter, r *http.Request) error {
	stop := s.stopReadOnDrain(w)
	d, err := s.inbound.Read(w, r)
	stop()
	switch {
	case readCut(err) && s.draining.Err() != nil:
		// The read was cut by a shutdown (stopReadOnDrain).
		w.Header().Set("Retry-After", drainRetryAfter)
		return httpx.Errorf(http.StatusServiceUnavailable, "the server is shutting down: the message was stopped while it was still being received; nothing was stored. Send it again when the server is back.")
	case errors.Is(err, inbound.ErrDisabled):
		return httpx.Errorf(http.StatusForbidden, "%v", err)
	case errors.Is(err, inbound.ErrUnauthorized):
		return httpx.Errorf(http.StatusUnauthorized, "%v", err)
	case errors.Is(err, inbound.ErrTooLarge):
		return httpx.Errorf(http.StatusRequestEntityTooLarge, "%v", err)
	case errors.Is(err, inbound.ErrNotMail):
		return httpx.Errorf(http.StatusBadRequest, "%v", err)
	case err != nil:
		return err
	}
	id, isNew, err := s.store.Accept(r.Context(), d.Raw, "webhook:"+d.Provider)
	if err != nil {
		// Not stored: the sender's retry of this request must be
		// taken, not refused as a replay of its one-time token.
		if rerr := s.inbound.Release(context.WithoutCancel(r.Context()), d); rerr != nil {
			s.log.Error("webhook: could not give back the token of a message not stored", "error", rerr)
		}
		return err
	}
	if !isNew {
		writeJSON(w, http.StatusOK, map[string]any{"status": "duplicate", "id": id})
		return nil
	}
	if s.opts.Kick != nil {
		select {
		case s.opts.Kick <- struct{}{}:
		default: // a kick is already pending
		}
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"status": "accepted", "id": id})
	return nil
}
