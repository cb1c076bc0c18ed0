package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"patchreview/storage"
)

type pwPatch struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	State    string `json:"state"`
	Archived bool   `json:"archived"`
	MsgID    string `json:"msgid"`
	Mbox     string `json:"mbox"`
	Delegate *struct {
		Username string `json:"username"`
	} `json:"delegate"`
}

func pwRequest(t *testing.T, s *Server, method, url, token, ctype, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Token "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	return do(t, s, req)
}

// pwIDs returns the v1 and v2 series ids and the v2 patches' ids.
func pwIDs(t *testing.T, st *storage.Store) (v1, v2 int64, v2patches []int64) {
	t.Helper()
	ctx := context.Background()
	list, err := st.ListSeries(ctx, storage.SeriesFilter{})
	if err != nil || len(list) != 2 {
		t.Fatalf("series: %+v %v", list, err)
	}
	se, err := st.SeriesByID(ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range se.PatchList {
		v2patches = append(v2patches, p.ID)
	}
	return list[1].ID, list[0].ID, v2patches
}

func TestPatchworkReads(t *testing.T) {
	s, st := facesServer(t)
	v1, v2, v2p := pwIDs(t, st)

	var index map[string]string
	decode(t, get(t, s, "/api/1.2/"), &index)
	if index["series"] != "http://example.com/api/1.2/series/" {
		t.Errorf("index: %v", index)
	}
	// Pagination by Link header, one series a page, newest first.
	w := get(t, s, "/api/1.2/series/?project=shadow&per_page=1")
	var page []struct {
		ID      int64  `json:"id"`
		Name    string `json:"name"`
		Version int    `json:"version"`
		Mbox    string `json:"mbox"`
		Patches []struct {
			ID int64 `json:"id"`
		} `json:"patches"`
		Cover *struct {
			MsgID string `json:"msgid"`
		} `json:"cover_letter"`
	}
	decode(t, w, &page)
	if len(page) != 1 || page[0].ID != v2 || page[0].Cover == nil || page[0].Cover.MsgID != "<20260112090000.0-ravi@example.org>" || len(page[0].Patches) != 2 {
		t.Fatalf("page 1: %+v", page)
	}
	if link, want := w.Header().Get("Link"), `<http://example.com/api/1.2/series/?page=2&per_page=1&project=shadow>; rel="next"`; link != want {
		t.Errorf("page 1 Link: %q, want %q", link, want)
	}
	w = get(t, s, "/api/1.2/series/?project=shadow&per_page=1&page=2")
	decode(t, w, &page)
	if len(page) != 1 || page[0].ID != v1 {
		t.Fatalf("page 2: %+v", page)
	}
	if link := w.Header().Get("Link"); !strings.Contains(link, `rel="prev"`) || strings.Contains(link, "next") {
		t.Errorf("page 2 Link: %q", link)
	}
	decode(t, get(t, s, "/api/1.2/series/?project=other"), &page)
	if len(page) != 0 {
		t.Errorf("another project's series: %+v", page)
	}

	// Filters git-pw sends: submitter by email or people id, name, order.
	var people []struct {
		ID int64 `json:"id"`
	}
	decode(t, get(t, s, "/api/1.2/people/?q=ravi"), &people)
	if len(people) != 1 {
		t.Fatalf("people matching ravi: %+v", people)
	}
	for q, want := range map[string][]int64{
		"submitter=ravi@example.org":              {v2, v1},
		"submitter=" + itoa(int(people[0].ID)):    {v2, v1},
		"submitter=nobody@example.org":            nil,
		"q=writepage+support":                     {v2},
		"order=date":                              {v1, v2},
		"submitter=ravi@example.org&order=date":   {v1, v2},
		"q=lookup+helper&submitter=x@example.org": nil,
	} {
		decode(t, get(t, s, "/api/1.2/series/?"+q), &page)
		var got []int64
		for _, x := range page {
			got = append(got, x.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("series ?%s: %v, want %v", q, got, want)
		}
	}
	var covers []struct {
		MsgID string `json:"msgid"`
		Mbox  string `json:"mbox"`
	}
	decode(t, get(t, s, "/api/1.2/covers/"), &covers)
	if len(covers) != 1 || covers[0].MsgID != "<20260112090000.0-ravi@example.org>" {
		t.Fatalf("covers: %+v", covers)
	}
	if ids := mboxIDs(t, get(t, s, covers[0].Mbox).Body.String()); len(ids) != 1 || ids[0] != "20260112090000.0-ravi@example.org" {
		t.Errorf("cover mbox: %v", ids)
	}

	// States derived from the review: v1 is superseded by v2; v2's 2/2
	// has a list reply (under review); v2's 1/2 is new.
	var p pwPatch
	for id, want := range map[int64]string{v2p[0]: "new", v2p[1]: "under-review"} {
		decode(t, get(t, s, "/api/1.2/patches/"+itoa(int(id))+"/"), &p)
		if p.State != want {
			t.Errorf("patch %d state %q, want %q", id, p.State, want)
		}
	}
	var ps []pwPatch
	decode(t, get(t, s, "/api/1.2/patches/?state=superseded"), &ps)
	if len(ps) != 2 || !strings.Contains(ps[0].Name, "[PATCH 2/2]") {
		t.Errorf("superseded patches: %+v", ps)
	}

	// The series mbox git-pw applies: the patches only, no cover letter.
	w = get(t, s, "/api/1.2/series/"+itoa(int(v2))+"/mbox/")
	if cd := w.Header().Get("Content-Disposition"); cd != "attachment; filename=series-"+itoa(int(v2))+".patch" {
		t.Errorf("Content-Disposition %q", cd)
	}
	if ids := mboxIDs(t, w.Body.String()); strings.Join(ids, " ") != "20260112090000.1-ravi@example.org 20260112090000.2-ravi@example.org" {
		t.Errorf("series mbox holds %v", ids)
	}
	if own := get(t, s, "/series/"+itoa(int(v2))+"/mbox?trailers=1").Body.String(); w.Body.String() != own {
		t.Errorf("git-pw's series mbox is not the series page's am-ready mbox with trailers")
	}
	w = get(t, s, "/api/1.2/patches/"+itoa(int(v2p[1]))+"/mbox/?series=*")
	if ids := mboxIDs(t, w.Body.String()); len(ids) != 2 {
		t.Errorf("patch mbox with its dependencies holds %v", ids)
	}
	// git-pw patch download --diff fetches the mbox URL with "mbox" made "raw".
	w = get(t, s, strings.Replace(p.Mbox, "mbox", "raw", 1))
	if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "diff --git a/") || !strings.Contains(w.Header().Get("Content-Disposition"), "filename=") {
		t.Errorf("patch raw: %d %q %.60q", w.Code, w.Header().Get("Content-Disposition"), w.Body)
	}
	var comments []struct {
		MsgID   string `json:"msgid"`
		Content string `json:"content"`
	}
	decode(t, get(t, s, "/api/1.2/patches/"+itoa(int(v2p[1]))+"/comments/"), &comments)
	if len(comments) != 1 || comments[0].MsgID != "<alpine.LSU.2.00.2601132030.1234@example.org>" || comments[0].Content == "" {
		t.Errorf("comments of v2 2/2: %+v", comments)
	}
	for url, code := range map[string]int{"/api/1.2/patches/999/": 404, "/api/1.2/patches/999/comments/": 404, "/api/1.2/patches/999/raw/": 404, "/api/1.2/series/x/": 404, "/api/1.2/nothing/": 404,
		"/api/1.2/series/?page=0": 404, "/api/1.2/series/?page=999999999999999999": 404, "/api/1.2/series/?page=1000000": 200, "/api/1.2/series/?per_page=-1": 400, "/api/1.2/people/": 200, "/api/1.2/projects/1/": 200} {
		if w := get(t, s, url); w.Code != code || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %s, want %d JSON", url, w.Code, w.Header().Get("Content-Type"), code)
		}
	}
}

func TestPatchworkWrites(t *testing.T) {
	s, st := facesServer(t)
	_, _, v2p := pwIDs(t, st)
	token, err := makeToken(context.Background(), st, "Mai Ntainer", "maint@example.org")
	if err != nil {
		t.Fatal(err)
	}
	url := "/api/1.2/patches/" + itoa(int(v2p[0])) + "/"
	form := "application/x-www-form-urlencoded"
	for _, c := range []struct {
		name, token, ctype, body string
		code                     int
	}{
		{"no token", "", form, "state=accepted", 401},
		{"bad token", "nope", form, "state=accepted", 401},
		{"unknown state", token, form, "state=merged", 400},
		{"unknown field", token, form, "name=x", 400},
		{"unknown delegate", token, form, "delegate=999", 400},
		{"bad archived", token, form, "archived=maybe", 400},
		{"bad JSON", token, "application/json", "{", 400},
	} {
		w := pwRequest(t, s, "PATCH", url, c.token, c.ctype, c.body)
		var e map[string]string
		if w.Code != c.code || json.Unmarshal(w.Body.Bytes(), &e) != nil || e["detail"] == "" {
			t.Errorf("%s: %d %s, want %d with a detail", c.name, w.Code, w.Body, c.code)
		}
	}
	var p pwPatch
	decode(t, get(t, s, url), &p)
	if p.State != "new" {
		t.Fatalf("refused writes changed the state to %q", p.State)
	}

	var users []struct {
		ID int64 `json:"id"`
	}
	if w := get(t, s, "/api/1.2/users/?q=maint"); w.Code != 401 {
		t.Errorf("the accounts listed without a token: %d", w.Code)
	}
	if w := get(t, s, "/api/1.2/users/1/"); w.Code != 401 {
		t.Errorf("an account shown without a token: %d", w.Code)
	}
	decode(t, pwRequest(t, s, "GET", "/api/1.2/users/?q=maint", token, "", ""), &users)
	if len(users) != 1 {
		t.Fatalf("users: %+v", users)
	}
	w := pwRequest(t, s, "PATCH", url, token, form, "state=accepted&delegate="+itoa(int(users[0].ID)))
	decode(t, w, &p)
	if w.Code != 200 || p.State != "accepted" || p.Delegate == nil || p.Delegate.Username != "maint" {
		t.Fatalf("update: %d %+v", w.Code, p)
	}
	w = pwRequest(t, s, "PATCH", url, token, "application/json", `{"archived": true}`)
	decode(t, w, &p)
	if w.Code != 200 || p.State != "accepted" || !p.Archived {
		t.Fatalf("JSON update: %d %+v", w.Code, p)
	}
	var ps []pwPatch
	decode(t, get(t, s, "/api/1.2/patches/?state=accepted&archived=true"), &ps)
	if len(ps) != 1 || ps[0].ID != v2p[0] {
		t.Errorf("accepted, archived patches: %+v", ps)
	}
	if page := get(t, s, "/series/"+itoa(int(pwMustSeries(t, st, v2p[0])))).Body.String(); !strings.Contains(page, `<td class="pw-state">accepted</td>`) {
		t.Errorf("the series page does not show the state")
	}
	if w := pwRequest(t, s, http.MethodDelete, url, token, "", ""); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d", w.Code)
	}
}

func pwMustSeries(t *testing.T, st *storage.Store, patchID int64) int64 {
	p, err := st.PWPatchByID(context.Background(), patchID)
	if err != nil {
		t.Fatal(err)
	}
	return p.SeriesID
}

// makeToken makes an account and a personal API token for it, as
// `patchreview user add` and `user token` do.
func makeToken(ctx context.Context, st *storage.Store, name, email string) (string, error) {
	u, err := st.AddUser(ctx, name, email, false)
	if err != nil {
		return "", err
	}
	return st.CreateAPIToken(ctx, u.ID, "git-pw")
}

// TestPatchworkConcurrentUpdates: git-pw from two shells, one setting a
// patch's state and the other its delegate, at once, many times. Each
// PATCH changes only its field: at the end of every round both are set.
func TestPatchworkConcurrentUpdates(t *testing.T) {
	s, st := facesServer(t)
	_, _, v2p := pwIDs(t, st)
	ctx := context.Background()
	token, err := makeToken(ctx, st, "Mai Ntainer", "maint@example.org")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, email := range []string{"d1@example.org", "d2@example.org"} {
		u, err := st.AddUser(ctx, "Delegate", email, false)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	url := "/api/1.2/patches/" + itoa(int(v2p[0])) + "/"
	form := "application/x-www-form-urlencoded"
	states := []string{"accepted", "rejected"}
	for round := range 20 {
		state, delegate := states[round%2], ids[round%2]
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for i, body := range []string{"state=" + state, "delegate=" + itoa(int(delegate))} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req := httptest.NewRequest("PATCH", url, strings.NewReader(body))
				req.Header.Set("Authorization", "Token "+token)
				req.Header.Set("Content-Type", form)
				w := httptest.NewRecorder()
				s.Handler().ServeHTTP(w, req)
				codes[i] = w.Code
			}()
		}
		wg.Wait()
		if codes[0] != 200 || codes[1] != 200 {
			t.Fatalf("round %d: PATCH answered %v", round, codes)
		}
		p, err := st.PWPatchByID(ctx, v2p[0])
		if err != nil {
			t.Fatal(err)
		}
		if p.State != state || p.Delegate == nil || p.Delegate.ID != delegate {
			t.Fatalf("round %d: state %q delegate %+v, want %q and user %d: one PATCH undid the other", round, p.State, p.Delegate, state, delegate)
		}
	}
}

// A list request naming a project this server does not have is an empty
// page, for every list of the face.
func TestPatchworkUnknownProjectIsEmpty(t *testing.T) {
	s, _ := facesServer(t)
	for _, path := range []string{"/api/1.2/series/", "/api/1.2/patches/", "/api/1.2/covers/"} {
		w := get(t, s, path+"?project=no-such-list")
		if w.Code != 200 || strings.TrimSpace(w.Body.String()) != "[]" {
			t.Errorf("%s?project=no-such-list: %d %q, want 200 []", path, w.Code, w.Body.String())
		}
		if w := get(t, s, path+"?project=shadow"); w.Code != 200 || strings.TrimSpace(w.Body.String()) == "[]" {
			t.Errorf("%s?project=shadow: %d, empty; want the list's entries", path, w.Code)
		}
	}
}
