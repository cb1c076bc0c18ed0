package web

import (
	"bytes"
	"fmt"
	"net/http"

	"patchreview/review"
)

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
		read := s.store.MessageRaw
		if r.URL.Query().Get("trailers") != "" {
			read = s.store.AmReady
		}
		raw, err := read(r.Context(), m)
		if err != nil {
			return err
		}
		raws = append(raws, raw)
	}
	return writeMbox(w, fmt.Sprintf("series-%d.mbox", id), raws)
}

// mboxEntry is a patch's raw mail, am-ready with its trailers when asked.
func (s *Server) mboxEntry(r *http.Request, patchID int64) ([]byte, error) {
	p, err := s.store.PatchByID(r.Context(), patchID)
	if err != nil {
		return nil, err
	}
	if r.URL.Query().Get("trailers") != "" {
		return s.store.AmReady(r.Context(), p.Message.ID)
	}
	return s.store.MessageRaw(r.Context(), p.Message.ID)
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
