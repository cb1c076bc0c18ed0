package pw

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"patchreview/storage"
	"patchreview/web/httpx"
)

type patchJSON struct {
	ID             int64             `json:"id"`
	URL            string            `json:"url"`
	WebURL         string            `json:"web_url"`
	Project        project           `json:"project"`
	MsgID          string            `json:"msgid"`
	ListArchiveURL string            `json:"list_archive_url"`
	Date           string            `json:"date"`
	Name           string            `json:"name"`
	CommitRef      *string           `json:"commit_ref"`
	PullURL        *string           `json:"pull_url"`
	State          string            `json:"state"`
	Archived       bool              `json:"archived"`
	Hash           *string           `json:"hash"`
	Submitter      person            `json:"submitter"`
	Delegate       *user             `json:"delegate"`
	Mbox           string            `json:"mbox"`
	Series         []seriesRef       `json:"series"`
	Comments       string            `json:"comments"`
	Check          string            `json:"check"`
	Checks         string            `json:"checks"`
	Tags           map[string]int    `json:"tags"`
	Related        []any             `json:"related"`
	Headers        map[string]string `json:"headers,omitempty"`
	Content        *string           `json:"content,omitempty"`
	Diff           *string           `json:"diff,omitempty"`
	Prefixes       []string          `json:"prefixes,omitempty"`
}

type seriesRef struct {
	ID      int64  `json:"id"`
	URL     string `json:"url"`
	WebURL  string `json:"web_url"`
	Date    string `json:"date"`
	Name    string `json:"name"`
	Version int    `json:"version"`
	Mbox    string `json:"mbox"`
}

func (a *API) patch(r *http.Request, proj project, p storage.PWPatch, detail bool) (patchJSON, error) {
	sub, err := a.person(r, p.From)
	if err != nil {
		return patchJSON{}, err
	}
	se, err := a.seriesSummary(r, p.SeriesID)
	if err != nil {
		return patchJSON{}, err
	}
	base := httpx.BaseURL(r)
	out := patchJSON{ID: p.ID, URL: fmt.Sprintf("%s/patches/%d/", api(r), p.ID), WebURL: fmt.Sprintf("%s/patches/%d", base, p.ID),
		Project: proj, MsgID: "<" + p.HeaderID + ">", ListArchiveURL: archiveURL(r, proj.LinkName, p.MessageID),
		Date: date(p.Date), Name: p.Subject, State: p.State, Archived: p.Archived, Submitter: sub,
		Mbox: fmt.Sprintf("%s/patches/%d/mbox/", api(r), p.ID), Check: "pending",
		Comments: fmt.Sprintf("%s/patches/%d/comments/", api(r), p.ID), Checks: fmt.Sprintf("%s/patches/%d/checks/", api(r), p.ID),
		Tags: map[string]int{}, Related: []any{},
		Series: []seriesRef{{ID: se.ID, URL: fmt.Sprintf("%s/series/%d/", api(r), se.ID), WebURL: fmt.Sprintf("%s/series/%d", base, se.ID),
			Date: date(se.Received), Name: se.Title, Version: se.Version, Mbox: fmt.Sprintf("%s/series/%d/mbox/", api(r), se.ID)}}}
	if p.CommitRef != "" {
		out.CommitRef = &p.CommitRef
	}
	if p.Delegate != nil {
		u := toUser(r, *p.Delegate)
		out.Delegate = &u
	}
	if detail {
		out.Diff = &p.Diff
		full, err := a.Store.PatchByID(r.Context(), p.ID)
		if err != nil {
			return out, err
		}
		content := ""
		out.Headers = map[string]string{}
		if m := full.Message.Message; m != nil {
			content = m.Body
			if m.Patch != nil {
				content = m.Patch.CommitMessage
			}
			out.Headers["Message-Id"] = "<" + m.MessageID + ">"
			out.Headers["Subject"] = m.Subject.Raw
			out.Headers["From"] = m.From.String()
			out.Prefixes = m.Subject.Tags
		}
		out.Content = &content
	}
	return out, nil
}

// patchList lists patches newest first (?order=date for oldest first),
// filtered by ?state= (repeatable), ?q=, ?series=, ?archived=.
func (a *API) patchList(w http.ResponseWriter, r *http.Request) error {
	p, proj, ok, err := a.listOf(w, r)
	if err != nil || !ok {
		return err
	}
	q := r.URL.Query()
	f := storage.PWPatchFilter{List: proj.list, Query: q.Get("q"), Limit: p.per + 1, Offset: p.offset(), Oldest: q.Get("order") == "date" || q.Get("order") == "id"}
	for _, st := range q["state"] {
		if st = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(st)), " ", "-"); st != "" {
			f.States = append(f.States, st)
		}
	}
	if v := q.Get("series"); v != "" {
		if f.SeriesID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return httpx.Errorf(http.StatusBadRequest, "Invalid series %q: want an id.", v)
		}
	}
	ps, err := a.Store.PWPatches(r.Context(), f)
	if err != nil {
		return err
	}
	var out []patchJSON
	archived := q.Get("archived")
	for _, x := range ps {
		if archived != "" && strconv.FormatBool(x.Archived) != strings.ToLower(archived) {
			continue
		}
		js, err := a.patch(r, proj, x, false)
		if err != nil {
			return err
		}
		out = append(out, js)
	}
	writePage(w, r, p, out)
	return nil
}

func (a *API) patchShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.Store.PWPatchByID(r.Context(), id)
	if err != nil {
		return err
	}
	proj, err := a.projectOfSeries(r, p.SeriesID)
	if err != nil {
		return err
	}
	js, err := a.patch(r, proj, p, true)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, js)
	return nil
}

// account is the account of the request's personal API token, or a 401
// asking for one (the server already answered a bad token).
func (a *API) account(r *http.Request) (storage.FaceAccount, error) {
	var u *storage.User
	if a.Viewer != nil {
		u = a.Viewer(r)
	}
	if u == nil {
		return storage.FaceAccount{}, httpx.Errorf(http.StatusUnauthorized, "Authentication credentials were not provided: send \"Authorization: Token …\" (git config pw.token).")
	}
	return storage.FaceAccountOf(u), nil
}

// patchUpdate changes a patch's state, delegate, archived flag or commit
// ref, from a form (git-pw) or a JSON body, and answers the patch.
func (a *API) patchUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	acc, err := a.account(r)
	if err != nil {
		return err
	}
	fields, err := readFields(w, r)
	if err != nil {
		return err
	}
	var u storage.PatchUpdate
	for k, v := range fields {
		switch k {
		case "state":
			st := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(v)), " ", "-")
			u.State = &st
		case "archived":
			b, err := strconv.ParseBool(strings.ToLower(v))
			if err != nil {
				return httpx.Errorf(http.StatusBadRequest, "archived: %q is not a boolean.", v)
			}
			u.Archived = &b
		case "commit_ref":
			u.CommitRef = &v
		case "delegate":
			var d int64
			if v != "" {
				if d, err = strconv.ParseInt(v, 10, 64); err != nil {
					return httpx.Errorf(http.StatusBadRequest, "delegate: %q is not a user id.", v)
				}
			}
			u.Delegate = &d
		default:
			return httpx.Errorf(http.StatusBadRequest, "%s: this field cannot be changed here (state, delegate, archived, commit_ref can).", k)
		}
	}
	if err := a.Store.UpdatePatchState(r.Context(), id, acc, u); err != nil {
		return err
	}
	return a.patchShow(w, r)
}

// readFields reads a form or a JSON object of strings (JSON numbers,
// booleans and null are turned into their text; null clears).
func readFields(w http.ResponseWriter, r *http.Request) (map[string]string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	out := map[string]string{}
	if ct == "application/json" {
		var raw map[string]any
		if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
			return nil, httpx.Errorf(http.StatusBadRequest, "JSON parse error: %v", err)
		}
		for k, v := range raw {
			switch v := v.(type) {
			case nil:
				out[k] = ""
			case string:
				out[k] = v
			case float64:
				out[k] = strconv.FormatFloat(v, 'f', -1, 64)
			case bool:
				out[k] = strconv.FormatBool(v)
			default:
				return nil, httpx.Errorf(http.StatusBadRequest, "%s: want a string, number or boolean.", k)
			}
		}
		return out, nil
	}
	if err := r.ParseForm(); err != nil {
		return nil, httpx.Errorf(http.StatusBadRequest, "bad form: %v", err)
	}
	for k, vs := range r.PostForm {
		out[k] = vs[len(vs)-1]
	}
	return out, nil
}

func (a *API) patchOf(r *http.Request) (storage.PWPatch, error) {
	id, err := pathID(r)
	if err != nil {
		return storage.PWPatch{}, err
	}
	return a.Store.PWPatchByID(r.Context(), id)
}

// patchRaw is the patch's diff (git-pw patch download --diff).
func (a *API) patchRaw(w http.ResponseWriter, r *http.Request) error {
	p, err := a.patchOf(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/x-patch; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=patch-%d.diff", p.ID))
	_, err = io.WriteString(w, p.Diff)
	return err
}

// patchComments lists the list replies to a patch as patchwork comments.
func (a *API) patchComments(w http.ResponseWriter, r *http.Request) error {
	p, err := a.patchOf(r)
	if err != nil {
		return err
	}
	full, err := a.Store.PatchByID(r.Context(), p.ID)
	if err != nil {
		return err
	}
	proj, err := a.projectOfSeries(r, p.SeriesID)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, m := range full.Replies {
		if m.Message == nil {
			continue
		}
		sub, err := a.person(r, m.Message.From)
		if err != nil {
			return err
		}
		out = append(out, map[string]any{"id": m.ID, "web_url": fmt.Sprintf("%s/patches/%d", httpx.BaseURL(r), p.ID),
			"msgid": "<" + m.Message.MessageID + ">", "list_archive_url": archiveURL(r, proj.LinkName, m.Message.MessageID),
			"date": date(m.Message.Date), "subject": m.Message.Subject.Raw, "submitter": sub, "content": m.Message.Body})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
