package web

import (
	"bytes"
	"fmt"
	"net/http"

	"patchreview/review"
	"patchreview/storage"
)

// trailersFor are the trailers an am-ready mbox adds to a patch: those
// collected from list replies, then the verdicts given here.
func trailersFor(p *storage.Patch) []review.Trailer {
	out := append([]review.Trailer{}, p.Trailers...)
	for _, v := range p.Verdicts {
		if t := v.Trailer(); t != "" {
			out = append(out, review.Trailer{Key: v.Kind, Value: v.Author.String()})
		}
	}
	return out
}

// handlePatchMbox downloads a patch's original mail as an mbox, or with
// ?trailers=1 with the collected trailers applied as b4 am would.
func (s *Server) handlePatchMbox(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	raw, err := s.mboxEntry(r, id)
	if err != nil {
		return err
	}
	return writeMbox(w, fmt.Sprintf("patch-%d.mbox", id), [][]byte{raw})
}

// handleSeriesMbox downloads a series as git am takes it: its patches in
// order (the cover letter first only with ?cover=1), with ?trailers=1 the
// collected trailers applied.
func (s *Server) handleSeriesMbox(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := s.store.SeriesByID(r.Context(), id); err != nil {
		return err
	}
	msgs, err := s.store.SeriesMboxMessages(r.Context(), id, r.URL.Query().Get("cover") != "")
	if err != nil {
		return err
	}
	var raws [][]byte
	for _, m := range msgs {
		raw, err := s.store.MessageRaw(r.Context(), m)
		if err != nil {
			return err
		}
		if r.URL.Query().Get("trailers") != "" {
			raw = s.withTrailers(r, m, raw)
		}
		raws = append(raws, raw)
	}
	return writeMbox(w, fmt.Sprintf("series-%d.mbox", id), raws)
}

// mboxEntry is a patch's raw mail, with trailers applied when asked.
func (s *Server) mboxEntry(r *http.Request, patchID int64) ([]byte, error) {
	p, err := s.store.PatchByID(r.Context(), patchID)
	if err != nil {
		return nil, err
	}
	raw, err := s.store.MessageRaw(r.Context(), p.Message.ID)
	if err != nil || r.URL.Query().Get("trailers") == "" {
		return raw, err
	}
	if out, err := review.AmReady(raw, trailersFor(p)); err == nil {
		return out, nil
	}
	return raw, nil // a mail AmReady cannot rewrite goes out as it came
}

// withTrailers applies a series member's trailers when it is a patch.
func (s *Server) withTrailers(r *http.Request, msgID int64, raw []byte) []byte {
	id, err := s.store.PatchIDByMessage(r.Context(), msgID)
	if err != nil {
		return raw // the cover letter
	}
	p, err := s.store.PatchByID(r.Context(), id)
	if err != nil {
		return raw
	}
	if out, err := review.AmReady(raw, trailersFor(p)); err == nil {
		return out
	}
	return raw
}

func writeMbox(w http.ResponseWriter, name string, raws [][]byte) error {
	var buf bytes.Buffer
	if err := review.WriteMbox(&buf, raws); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/mbox")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err := buf.WriteTo(w)
	return err
}
