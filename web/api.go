package web

import (
	"encoding/json"
	"net/http"
	"time"

	"patchreview/review"
	"patchreview/storage"
	"patchreview/web/httpx"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// messageJSON is a mail as the API shows it.
type messageJSON struct {
	ID         int64     `json:"id"`
	MessageID  string    `json:"message_id"`
	Subject    string    `json:"subject"`
	Author     string    `json:"author"`
	Date       time.Time `json:"date"`
	Body       string    `json:"body,omitempty"`
	ParseError string    `json:"parse_error,omitempty"`
}

func toMessageJSON(sm storage.StoredMessage, withBody bool) messageJSON {
	j := messageJSON{ID: sm.ID, ParseError: sm.ParseError}
	if m := sm.Message; m != nil {
		j.MessageID, j.Subject, j.Author, j.Date = m.MessageID, m.Subject.Raw, m.From.String(), m.Date
		if withBody {
			j.Body = m.Body
		}
	}
	return j
}

// seriesSummaryJSON is a series list entry, its author written as
// "Name <email>" like everywhere else in the API.
type seriesSummaryJSON struct {
	storage.SeriesSummary
	Author string `json:"author"`
}

type seriesJSON struct {
	storage.SeriesSummary
	Author      string                 `json:"author"`
	Cover       *messageJSON           `json:"cover"`
	Patches     []storage.PatchSummary `json:"patches"`
	Replies     []messageJSON          `json:"replies"`
	PrevVersion int64                  `json:"prev_version,omitempty"`
	NextVersion int64                  `json:"next_version,omitempty"`
}

type commentJSON struct {
	ID      int64     `json:"id"`
	Source  string    `json:"source"`
	Author  string    `json:"author"`
	Path    string    `json:"path"`
	Line    int       `json:"line"`
	Side    string    `json:"side,omitempty"` // "old": Line numbers a removed line
	Code    string    `json:"code"`
	Body    string    `json:"body"`
	Created time.Time `json:"created"`
}

type findingJSON struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Path     string `json:"path"`
	Line     int    `json:"line"`
	Function string `json:"function"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	// Dismissed is the reviewer's reason when the finding was dismissed.
	Dismissed string `json:"dismissed,omitempty"`
}

func dismissedReason(f review.Finding) string {
	if f.Dismissal == nil {
		return ""
	}
	return f.Dismissal.Reason
}

type patchJSON struct {
	messageJSON
	ID            int64            `json:"id"`
	SeriesID      int64            `json:"series_id"`
	CommitMessage string           `json:"commit_message"`
	Trailers      []review.Trailer `json:"trailers"`
	// Collected are the trailers given in list replies and verdicts here,
	// what an am-ready mbox adds.
	Collected []review.Trailer `json:"collected_trailers"`
	// NotApplied are trailers replies gave for someone other than their
	// sender: b4 am refuses them, and so does the am-ready mbox.
	NotApplied []storage.NotApplied `json:"not_applied_trailers"`
	Diff       string               `json:"diff"`
	Findings   []findingJSON        `json:"findings"`
	Comments   []commentJSON        `json:"comments"`
	Replies    []messageJSON        `json:"replies"`
}

func (s *Server) handleAPIMbox(w http.ResponseWriter, r *http.Request) error {
	st, err := s.ingestUpload(w, r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// handleAPISearch answers GET /api/v1/search?q=…[&list=…][&limit=N]: the
// messages matching a lore-style query, best first.
func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r)
	if err != nil {
		return err
	}
	if err := s.resolveList(r.Context(), &f); err != nil {
		return err
	}
	if f.Query == "" {
		return httpx.Errorf(http.StatusBadRequest, "missing q: a search such as s:writepage, dfn:fs/nilfs2/segment.c or m:<message-id>")
	}
	hits, err := s.store.SearchFrom(r.Context(), f.Query, f.List, f.Limit+1, f.Offset)
	if err != nil {
		return err
	}
	hits, pg := pageOf(hits, f)
	writeJSON(w, http.StatusOK, pg.json("messages", hits))
	return nil
}

func (s *Server) handleAPISeriesList(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r)
	if err != nil {
		return err
	}
	if err := s.resolveList(r.Context(), &f); err != nil {
		return err
	}
	ask := f
	ask.Limit++ // one more: is there a next page?
	list, err := s.store.ListSeries(r.Context(), ask)
	if err != nil {
		return err
	}
	list, pg := pageOf(list, f)
	out := make([]seriesSummaryJSON, 0, len(list))
	for _, se := range list {
		out = append(out, seriesSummaryJSON{SeriesSummary: se, Author: se.Author.String()})
	}
	writeJSON(w, http.StatusOK, pg.json("series", out))
	return nil
}

func (s *Server) handleAPISeriesShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	se, err := s.store.SeriesByID(r.Context(), id)
	if err != nil {
		return err
	}
	j := seriesJSON{SeriesSummary: se.SeriesSummary, Author: se.Author.String(), Patches: se.PatchList,
		Replies: []messageJSON{}, PrevVersion: se.PrevVersion, NextVersion: se.NextVersion}
	if se.Cover != nil {
		c := toMessageJSON(*se.Cover, true)
		j.Cover = &c
	}
	for _, m := range se.Replies {
		j.Replies = append(j.Replies, toMessageJSON(m, true))
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

func (s *Server) handleAPIPatchShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.store.PatchByID(r.Context(), id)
	if err != nil {
		return err
	}
	j := patchJSON{messageJSON: toMessageJSON(p.Message, false), ID: p.ID, SeriesID: p.SeriesID,
		Trailers: []review.Trailer{}, Collected: p.AmTrailers(), NotApplied: append([]storage.NotApplied{}, p.NotApplied...), Findings: []findingJSON{}, Comments: []commentJSON{}, Replies: []messageJSON{}}
	if m := p.Message.Message; m != nil && m.Patch != nil {
		j.CommitMessage, j.Diff = m.Patch.CommitMessage, m.Patch.Diff
		if m.Patch.Trailers != nil {
			j.Trailers = m.Patch.Trailers
		}
	} else if m != nil {
		j.Body = m.Body
	}
	for _, f := range p.Findings {
		j.Findings = append(j.Findings, findingJSON{Rule: f.Rule, Severity: f.Severity, Path: f.Path, Line: f.Line,
			Function: f.Function, Code: f.Code, Message: f.Message, Dismissed: dismissedReason(f)})
	}
	for _, c := range p.Comments {
		j.Comments = append(j.Comments, commentJSON{ID: c.ID, Source: c.Source, Author: c.Author.String(), Path: c.Path,
			Line: c.Line, Side: oldSide(c.Side), Code: c.Code, Body: c.Body, Created: c.Created})
	}
	for _, m := range p.Replies {
		j.Replies = append(j.Replies, toMessageJSON(m, true))
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

func (s *Server) handleAPIStatus(w http.ResponseWriter, r *http.Request) error {
	q, err := s.store.QueueStatus(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"queue": q})
	return nil
}

// oldSide is "old" for a comment on a removed line, "" otherwise.
func oldSide(side string) string {
	if side == "old" {
		return "old"
	}
	return ""
}
