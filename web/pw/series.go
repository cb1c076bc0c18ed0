package pw

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"patchreview/storage"
	"patchreview/web/httpx"
	"patchreview/web/pi"
)

// submission is a patch or cover letter as a series lists it.
type submission struct {
	ID             int64  `json:"id"`
	URL            string `json:"url"`
	WebURL         string `json:"web_url"`
	MsgID          string `json:"msgid"`
	ListArchiveURL string `json:"list_archive_url"`
	Date           string `json:"date"`
	Name           string `json:"name"`
	Mbox           string `json:"mbox"`
}

type seriesJSON struct {
	ID            int64        `json:"id"`
	URL           string       `json:"url"`
	WebURL        string       `json:"web_url"`
	Project       project      `json:"project"`
	Name          string       `json:"name"`
	Date          string       `json:"date"`
	Submitter     person       `json:"submitter"`
	Version       int          `json:"version"`
	Total         int          `json:"total"`
	ReceivedTotal int          `json:"received_total"`
	ReceivedAll   bool         `json:"received_all"`
	Mbox          string       `json:"mbox"`
	CoverLetter   *submission  `json:"cover_letter"`
	Patches       []submission `json:"patches"`
}

// archiveURL is where the public-inbox face serves a message.
func archiveURL(r *http.Request, list, msgID string) string {
	return httpx.BaseURL(r) + "/" + list + "/" + pi.MidEscape(msgID) + "/"
}

func (a *API) series(r *http.Request, proj project, ss storage.SeriesSummary) (seriesJSON, error) {
	base := httpx.BaseURL(r)
	sub, err := a.person(r, ss.Author)
	if err != nil {
		return seriesJSON{}, err
	}
	out := seriesJSON{ID: ss.ID, URL: fmt.Sprintf("%s/series/%d/", api(r), ss.ID), WebURL: fmt.Sprintf("%s/series/%d", base, ss.ID),
		Project: proj, Name: ss.Title, Date: date(ss.Received), Submitter: sub, Version: ss.Version, Total: max(ss.Total, ss.Patches),
		ReceivedTotal: ss.Patches, ReceivedAll: ss.Total == 0 || ss.Patches >= ss.Total,
		Mbox: fmt.Sprintf("%s/series/%d/mbox/", api(r), ss.ID), Patches: []submission{}}
	ms, err := a.Store.SeriesFaceMessages(r.Context(), ss.ID)
	if err != nil {
		return out, err
	}
	for _, m := range ms {
		s := submission{MsgID: "<" + m.HeaderID + ">", ListArchiveURL: archiveURL(r, proj.LinkName, m.MessageID), Date: date(m.Date), Name: m.Subject}
		if m.PatchID != 0 {
			s.ID, s.URL, s.WebURL = m.PatchID, fmt.Sprintf("%s/patches/%d/", api(r), m.PatchID), fmt.Sprintf("%s/patches/%d", base, m.PatchID)
			s.Mbox = s.URL + "mbox/"
			out.Patches = append(out.Patches, s)
		} else {
			s.ID, s.URL, s.WebURL = m.ID, fmt.Sprintf("%s/covers/%d/", api(r), m.ID), fmt.Sprintf("%s/series/%d", base, ss.ID)
			s.Mbox = s.URL + "mbox/"
			out.CoverLetter = &s
		}
	}
	return out, nil
}

// seriesList lists series newest first (?order=date for oldest first),
// filtered by ?q= (name) and ?submitter= (people id or email).
func (a *API) seriesList(w http.ResponseWriter, r *http.Request) error {
	p, proj, ok, err := a.listOf(w, r)
	if err != nil || !ok {
		return err
	}
	q := r.URL.Query()
	var emails []string
	for _, sub := range q["submitter"] {
		if id, err := strconv.ParseInt(sub, 10, 64); err == nil {
			if x, err := a.Store.PersonByID(r.Context(), id); err == nil {
				sub = x.Email
			}
		}
		emails = append(emails, strings.ToLower(sub))
	}
	// The store's search matches the title, author and patch titles; the
	// name filter and the submitter filter are then applied exactly. Only
	// the page's series are turned into JSON.
	query := q.Get("q")
	if query == "" && len(emails) == 1 {
		query = emails[0]
	}
	oldest := q.Get("order") == "date" || q.Get("order") == "id"
	var match []storage.SeriesSummary
	filtered := oldest || len(emails) > 0 || q.Get("q") != ""
	batch, start := 500, 0
	if !filtered && p.offset()+p.per+1 <= 500 {
		batch, start = p.per+1, p.offset() // the page itself, nothing more
	}
	for off := start; oldest || len(match) < p.offset()-start+p.per+1; off += batch {
		ss, err := a.Store.ListSeries(r.Context(), storage.SeriesFilter{Query: query, List: proj.list, Limit: batch, Offset: off})
		if err != nil {
			return err
		}
		for _, s := range ss {
			if len(emails) > 0 && !slices.Contains(emails, strings.ToLower(s.Author.Email)) {
				continue
			}
			if n := q.Get("q"); n != "" && !strings.Contains(strings.ToLower(s.Title), strings.ToLower(n)) {
				continue
			}
			match = append(match, s)
		}
		if len(ss) < batch {
			break
		}
	}
	if oldest {
		slices.Reverse(match)
	}
	match = match[min(p.offset()-start, len(match)):]
	match = match[:min(p.per+1, len(match))]
	out := []seriesJSON{}
	for _, s := range match {
		js, err := a.series(r, proj, s)
		if err != nil {
			return err
		}
		out = append(out, js)
	}
	writePage(w, r, p, out)
	return nil
}

func (a *API) seriesShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	se, err := a.Store.SeriesByID(r.Context(), id)
	if err != nil {
		return err
	}
	proj, err := a.projectOf(r, se.Lists)
	if err != nil {
		return err
	}
	js, err := a.series(r, proj, se.SeriesSummary)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, js)
	return nil
}
