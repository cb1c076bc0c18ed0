package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// listMail is a one-patch series (or, with inReplyTo, a reply) that came
// through the given lists.
func listMail(id, subject, inReplyTo string, lists ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "From: Ann Author <ann@example.org>\nTo: someone@example.org\nSubject: %s\nDate: Mon, 19 Jan 2026 10:00:00 +0000\nMessage-ID: <%s>\n", subject, id)
	for _, l := range lists {
		fmt.Fprintf(&b, "List-Id: The list <%s>\n", l)
	}
	if inReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\nReferences: <%s>\n\nLooks good, sharedword.\n", inReplyTo, inReplyTo)
		return b.String()
	}
	fmt.Fprintf(&b, "\nFix the %s, sharedword.\n\nSigned-off-by: Ann Author <ann@example.org>\n---\n"+
		"diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@\n int x;\n-int y;\n+int z;\n", id)
	return b.String()
}

const (
	nilfsID = "linux-nilfs.vger.kernel.org"
	mmID    = "linux-mm.kvack.org"
)

// listsServer holds a patch on linux-nilfs, one on linux-mm, one
// cross-posted to both, a reply without List-Id to the nilfs patch, and
// lists whose names the faces must not or cannot shorten.
func listsServer(t *testing.T) *Server {
	t.Helper()
	s, st := newTestServer(t, Options{})
	ctx := context.Background()
	for _, m := range []string{
		listMail("nilfs@x", "[PATCH] nilfs2: fix the segment writer", "", nilfsID),
		listMail("mm@x", "[PATCH] mm: fix the page cache", "", mmID),
		listMail("cross@x", "[PATCH] mm, nilfs2: fix both", "", nilfsID, mmID),
		listMail("reply@x", "Re: [PATCH] nilfs2: fix the segment writer", "nilfs@x"),
		listMail("reserved@x", "[PATCH] series: a list named like a page", "", "series.example.org"),
		listMail("foo1@x", "[PATCH] foo: one", "", "foo.vger.kernel.org"),
		listMail("foo2@x", "[PATCH] foo: two", "", "foo.lists.linux.dev"),
	} {
		if _, err := st.IngestMessage(ctx, []byte(m), "test"); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestFacesServeEveryList(t *testing.T) {
	s := listsServer(t)
	for url, code := range map[string]int{
		"/linux-nilfs/nilfs@x/raw":                 200,
		"/" + nilfsID + "/nilfs@x/raw":             200,
		"/linux-nilfs/mm@x/raw":                    404, // not on that list
		"/linux-mm/mm@x/raw":                       200,
		"/linux-nilfs/cross@x/raw":                 200, // cross-posted: on both
		"/linux-mm/cross@x/raw":                    200,
		"/all/mm@x/raw":                            200,
		"/all/reply@x/raw":                         200,
		"/linux-nilfs/reply@x/raw":                 404, // came through no list
		"/series.example.org/reserved@x/raw":       200, // by its List-Id only:
		"/series/reserved@x/raw":                   404, // "series" is reserved: never a list
		"/foo/foo1@x/raw":                          404, // two lists are "foo": neither is
		"/foo.vger.kernel.org/foo1@x/raw":          200,
		"/foo.lists.linux.dev/foo2@x/raw":          200,
		"/foo.lists.linux.dev/foo1@x/raw":          404,
		"/linux-nilfs.vger.kernel.org.x/nilfs@x/":  404,
		"/linux-nilfs/":                            302, // a browser's search: to the series list
		"/linux-nilfs/?x=m&q=nothing-has-this-yet": 404,
	} {
		if w := get(t, s, url); w.Code != code {
			t.Errorf("%s: %d, want %d (%s)", url, w.Code, code, strings.TrimSpace(w.Body.String()))
		}
	}

	search := func(u string) []string {
		t.Helper()
		w := do(t, s, httptest.NewRequest("POST", u, nil))
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", u, w.Code, w.Body)
		}
		ids := mboxIDs(t, gunzip(t, w.Body.Bytes()))
		slices.Sort(ids)
		return ids
	}
	for u, want := range map[string][]string{
		"/linux-nilfs/?x=m&q=sharedword":     {"cross@x", "nilfs@x"},
		"/linux-mm/?x=m&q=sharedword":        {"cross@x", "mm@x"},
		"/all/?x=m&q=b:sharedword+f:ann":     {"cross@x", "foo1@x", "foo2@x", "mm@x", "nilfs@x", "reply@x", "reserved@x"},
		"/linux-nilfs/?x=m&t=1&q=s:segment":  {"nilfs@x"}, // the thread as the list holds it
		"/all/?x=m&t=1&q=s:segment":          {"nilfs@x", "reply@x"},
		"/" + mmID + "/?x=m&q=s:fix":         {"cross@x", "mm@x"},
		"/linux-nilfs/nilfs@x/t.mbox.gz":     {"nilfs@x"},
		"/all/nilfs@x/t.mbox.gz":             {"nilfs@x", "reply@x"},
		"/linux-mm/?x=m&q=" + "m:nilfs@x":    nil,
		"/linux-nilfs/?x=m&q=" + "m:nilfs@x": {"nilfs@x"},
	} {
		if want == nil {
			if w := do(t, s, httptest.NewRequest("POST", u, nil)); w.Code != 404 {
				t.Errorf("%s: %d, want 404", u, w.Code)
			}
			continue
		}
		if strings.Contains(u, "t.mbox.gz") {
			w := get(t, s, u)
			ids := mboxIDs(t, gunzip(t, w.Body.Bytes()))
			slices.Sort(ids)
			if !slices.Equal(ids, want) {
				t.Errorf("%s: %v, want %v", u, ids, want)
			}
			continue
		}
		if got := search(u); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", u, got, want)
		}
	}

	titles := func(u string) []string {
		t.Helper()
		var out []string
		for _, e := range readAtom(t, get(t, s, u)).Entries {
			out = append(out, e.Title)
		}
		slices.Sort(out)
		return out
	}
	for u, want := range map[string][]string{
		"/linux-nilfs/new.atom":     {"[PATCH] mm, nilfs2: fix both", "[PATCH] nilfs2: fix the segment writer"},
		"/linux-mm/new.atom":        {"[PATCH] mm, nilfs2: fix both", "[PATCH] mm: fix the page cache"},
		"/linux-nilfs/series.atom":  {"[v1] mm, nilfs2: fix both", "[v1] nilfs2: fix the segment writer"},
		"/" + mmID + "/series.atom": {"[v1] mm, nilfs2: fix both", "[v1] mm: fix the page cache"},
	} {
		if got := titles(u); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", u, got, want)
		}
	}
	if n := len(readAtom(t, get(t, s, "/all/new.atom")).Entries); n != 7 {
		t.Errorf("/all/new.atom has %d entries, want all 7 messages", n)
	}
}

func TestPatchworkProjectPerList(t *testing.T) {
	s := listsServer(t)
	var projects []struct {
		ID       int64  `json:"id"`
		LinkName string `json:"link_name"`
		ListID   string `json:"list_id"`
		Archive  string `json:"list_archive_url"`
	}
	decode(t, get(t, s, "/api/1.2/projects/"), &projects)
	var got []string
	for _, p := range projects {
		got = append(got, fmt.Sprintf("%d %s %s %s", p.ID, p.LinkName, p.ListID, p.Archive))
	}
	want := []string{
		"1 all all http://example.com/all/",
		"2 linux-nilfs linux-nilfs.vger.kernel.org http://example.com/linux-nilfs/",
		"3 linux-mm linux-mm.kvack.org http://example.com/linux-mm/",
		"4 series.example.org series.example.org http://example.com/series.example.org/",
		"5 foo.vger.kernel.org foo.vger.kernel.org http://example.com/foo.vger.kernel.org/",
		"6 foo.lists.linux.dev foo.lists.linux.dev http://example.com/foo.lists.linux.dev/",
	}
	if !slices.Equal(got, want) {
		t.Errorf("projects:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	names := func(u string) []string {
		t.Helper()
		var items []struct {
			Name    string `json:"name"`
			Project struct {
				LinkName string `json:"link_name"`
			} `json:"project"`
		}
		decode(t, get(t, s, u), &items)
		var out []string
		for _, it := range items {
			out = append(out, it.Name+" @"+it.Project.LinkName)
		}
		slices.Sort(out)
		return out
	}
	for u, want := range map[string][]string{
		"/api/1.2/series/?project=linux-mm":            {"mm, nilfs2: fix both @linux-mm", "mm: fix the page cache @linux-mm"},
		"/api/1.2/series/?project=" + nilfsID:          {"mm, nilfs2: fix both @linux-nilfs", "nilfs2: fix the segment writer @linux-nilfs"},
		"/api/1.2/series/?project=5":                   {"foo: one @foo.vger.kernel.org"},
		"/api/1.2/patches/?project=linux-nilfs":        {"[PATCH] mm, nilfs2: fix both @linux-nilfs", "[PATCH] nilfs2: fix the segment writer @linux-nilfs"},
		"/api/1.2/patches/?project=linux-mm&state=new": {"[PATCH] mm, nilfs2: fix both @linux-mm", "[PATCH] mm: fix the page cache @linux-mm"},
		"/api/1.2/series/?project=linux-nfs":           nil,
		"/api/1.2/patches/?project=foo":                nil,
	} {
		if got := names(u); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", u, got, want)
		}
	}
	if n := len(names("/api/1.2/series/?project=all")); n != 6 {
		t.Errorf("project all has %d series, want all 6", n)
	}
}
