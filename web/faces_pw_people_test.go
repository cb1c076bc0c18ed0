package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"patchreview/storage"
)

// pwMail is a plain-text mail; with a diff it is a patch.
func pwMail(from, subject, msgID, inReplyTo, body string) []byte {
	m := "From: " + from + "\nSubject: " + subject + "\nMessage-ID: <" + msgID + ">\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n"
	if inReplyTo != "" {
		m += "In-Reply-To: <" + inReplyTo + ">\nReferences: <" + inReplyTo + ">\n"
	}
	return []byte(m + "\n" + body + "\n")
}

func pwDiff(line string) string {
	return "Fix it.\n\nSigned-off-by: Jan Kara <jack@example.org>\n---\n" +
		"diff --git a/fs/ext2/inode.c b/fs/ext2/inode.c\n--- a/fs/ext2/inode.c\n+++ b/fs/ext2/inode.c\n@@ -1,3 +1,3 @@\n a\n-b\n+" + line + "\n d\n"
}

func ingestAll(t *testing.T, st *storage.Store, mails ...[]byte) {
	t.Helper()
	for _, m := range mails {
		if _, err := st.IngestMessage(context.Background(), m, "test"); err != nil {
			t.Fatal(err)
		}
	}
}

// The git-pw face shows the Message-ID a mail's header carries, as
// /api/v1, the pages and /raw do, also for a second mail that reused an
// id (stored under a derived key, review.DerivedMessageID); its
// list_archive_url still finds that very mail.
func TestPatchworkReusedMessageID(t *testing.T) {
	s, st := newTestServer(t, Options{})
	ingestAll(t, st,
		pwMail("Jan Kara <jack@example.org>", "[PATCH] ext2: fix a thing", "walk3-dup@example.org", "", pwDiff("first")),
		pwMail("Jan Kara <jack@example.org>", "[PATCH v2] ext2: fix a thing", "walk3-dup@example.org", "", pwDiff("second")),
		pwMail("Jan Kara <jack@example.org>", "[PATCH v3 0/1] ext2: things", "cover-dup@example.org", "", "The third posting."),
		pwMail("Jan Kara <jack@example.org>", "[PATCH v3 1/1] ext2: thing", "cover-dup-1@example.org", "cover-dup@example.org", pwDiff("third")),
		pwMail("Jan Kara <jack@example.org>", "[PATCH v4 0/1] ext2: things", "cover-dup@example.org", "", "The fourth posting."),
		pwMail("Jan Kara <jack@example.org>", "[PATCH v4 1/1] ext2: thing", "cover-dup-2@example.org", "cover-dup@example.org", pwDiff("fourth")),
	)
	var patches []struct {
		ID      int64  `json:"id"`
		Name    string `json:"name"`
		MsgID   string `json:"msgid"`
		Archive string `json:"list_archive_url"`
	}
	decode(t, get(t, s, "/api/1.2/patches/?per_page=100"), &patches)
	if len(patches) != 4 {
		t.Fatalf("want the 4 patches, got %+v", patches)
	}
	seen := map[string]int{}
	for _, p := range patches {
		seen[p.MsgID]++
		var detail struct {
			MsgID   string            `json:"msgid"`
			Headers map[string]string `json:"headers"`
		}
		decode(t, get(t, s, fmt.Sprintf("/api/1.2/patches/%d/", p.ID)), &detail)
		var v1 struct {
			MessageID string `json:"message_id"`
		}
		decode(t, get(t, s, fmt.Sprintf("/api/v1/patches/%d", p.ID)), &v1)
		if strings.Contains(p.MsgID, "#") || detail.MsgID != p.MsgID || detail.Headers["Message-Id"] != p.MsgID || p.MsgID != "<"+v1.MessageID+">" {
			t.Errorf("patch %d %q: msgid %q, detail %q, header %q, /api/v1 %q: want the header's id everywhere",
				p.ID, p.Name, p.MsgID, detail.MsgID, detail.Headers["Message-Id"], v1.MessageID)
		}
		// The archive link finds this mail, not the other one with its id.
		raw := get(t, s, strings.TrimPrefix(p.Archive, "http://example.com")+"raw")
		if raw.Code != http.StatusOK || !strings.Contains(raw.Body.String(), "Subject: "+p.Name+"\n") {
			t.Errorf("patch %d %q: list_archive_url %s raw: %d\n%s", p.ID, p.Name, p.Archive, raw.Code, raw.Body)
		}
	}
	if seen["<walk3-dup@example.org>"] != 2 {
		t.Errorf("msgids: %v, want <walk3-dup@example.org> twice", seen)
	}

	var covers []struct {
		MsgID   string `json:"msgid"`
		Name    string `json:"name"`
		Archive string `json:"list_archive_url"`
	}
	decode(t, get(t, s, "/api/1.2/covers/"), &covers)
	if len(covers) != 2 {
		t.Fatalf("want the v3 and v4 covers, got %+v", covers)
	}
	for _, c := range covers {
		if c.MsgID != "<cover-dup@example.org>" {
			t.Errorf("cover %q: msgid %q, want <cover-dup@example.org>", c.Name, c.MsgID)
		}
		if raw := get(t, s, strings.TrimPrefix(c.Archive, "http://example.com")+"raw"); !strings.Contains(raw.Body.String(), "Subject: "+c.Name+"\n") {
			t.Errorf("cover %q: list_archive_url %s does not find it:\n%s", c.Name, c.Archive, raw.Body)
		}
	}
	var series []struct {
		Name  string `json:"name"`
		Cover *struct {
			MsgID string `json:"msgid"`
		} `json:"cover_letter"`
		Patches []struct {
			MsgID string `json:"msgid"`
		} `json:"patches"`
	}
	decode(t, get(t, s, "/api/1.2/series/?per_page=100"), &series)
	for _, se := range series {
		if se.Cover != nil && strings.Contains(se.Cover.MsgID, "#") {
			t.Errorf("series %q: cover msgid %q is a storage key", se.Name, se.Cover.MsgID)
		}
		for _, p := range se.Patches {
			if strings.Contains(p.MsgID, "#") || p.MsgID == "" {
				t.Errorf("series %q: patch msgid %q is a storage key", se.Name, p.MsgID)
			}
		}
	}
}

type pwPerson struct {
	ID    int64  `json:"id"`
	URL   string `json:"url"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// resolves checks that a person the face shows has an id whose /people/N/
// answers that person.
func resolves(t *testing.T, s *Server, where string, p pwPerson) {
	t.Helper()
	w := get(t, s, strings.TrimPrefix(p.URL, "http://example.com"))
	var got pwPerson
	if w.Code == http.StatusOK {
		json.Unmarshal(w.Body.Bytes(), &got)
	}
	if p.ID == 0 || w.Code != http.StatusOK || !strings.EqualFold(got.Email, p.Email) || got.ID != p.ID {
		t.Errorf("%s: person %+v: %s answers %d %+v", where, p, p.URL, w.Code, got)
	}
}

// Every person the git-pw face shows, a reviewer who never sent a patch
// too, has an id whose /people/N/ resolves; the ids of patch authors stay
// the row of their first patch, cover, pull or code mail.
func TestPatchworkPeopleOfComments(t *testing.T) {
	s, st := newTestServer(t, Options{})
	ctx := context.Background()
	ingestAll(t, st,
		// Jan comments on something before he sends his first patch.
		pwMail("Jan Kara <jack@example.org>", "question", "q@example.org", "", "A question."),
		pwMail("Jan Kara <jack@example.org>", "[PATCH] ext2: fix a thing", "p1@example.org", "", pwDiff("first")),
		pwMail("Damien Le Moal <dlemoal@example.org>", "Re: [PATCH] ext2: fix a thing", "r1@example.org", "p1@example.org", "Looks good.\n\nReviewed-by: Damien Le Moal <dlemoal@example.org>"),
		pwMail("Damien Le Moal <DLeMoal@example.org>", "Re: [PATCH] ext2: fix a thing", "r2@example.org", "p1@example.org", "One more thing."),
	)
	row := func(mid string) int64 {
		m, err := st.MessageByMessageID(ctx, mid)
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	var patches []struct {
		ID        int64    `json:"id"`
		Submitter pwPerson `json:"submitter"`
	}
	decode(t, get(t, s, "/api/1.2/patches/"), &patches)
	if len(patches) != 1 {
		t.Fatalf("patches: %+v", patches)
	}
	if patches[0].Submitter.ID != row("p1@example.org") {
		t.Errorf("the patch author's id %d moved: want the row of the first patch, %d", patches[0].Submitter.ID, row("p1@example.org"))
	}
	resolves(t, s, "patch submitter", patches[0].Submitter)
	var comments []struct {
		Submitter pwPerson `json:"submitter"`
	}
	decode(t, get(t, s, fmt.Sprintf("/api/1.2/patches/%d/comments/", patches[0].ID)), &comments)
	if len(comments) != 2 {
		t.Fatalf("comments: %+v", comments)
	}
	for _, c := range comments {
		resolves(t, s, "comment submitter", c.Submitter)
		if c.Submitter.ID != row("r1@example.org") {
			t.Errorf("Damien's id %d, want his first mail's row %d for both comments", c.Submitter.ID, row("r1@example.org"))
		}
	}
	var people []pwPerson
	decode(t, get(t, s, "/api/1.2/people/?q=damien"), &people)
	if len(people) != 1 || people[0].ID != row("r1@example.org") {
		t.Errorf("people matching damien: %+v", people)
	}
	decode(t, get(t, s, "/api/1.2/people/"), &people)
	for _, p := range people {
		resolves(t, s, "people list", p)
	}
	if len(people) != 2 {
		t.Errorf("people: %+v, want Jan and Damien", people)
	}
	// The row of Jan's mail before his first patch names Jan, by his id.
	var jan pwPerson
	decode(t, get(t, s, fmt.Sprintf("/api/1.2/people/%d/", row("q@example.org"))), &jan)
	if jan.ID != row("p1@example.org") || jan.Email != "jack@example.org" {
		t.Errorf("people/<Jan's first mail>: %+v, want Jan with id %d", jan, row("p1@example.org"))
	}

	// Damien sends a patch: the id shown for him before still finds him.
	ingestAll(t, st, pwMail("Damien Le Moal <dlemoal@example.org>", "[PATCH] zonefs: fix a thing", "p2@example.org", "", pwDiff("damien")))
	var damien pwPerson
	if w := get(t, s, fmt.Sprintf("/api/1.2/people/%d/", row("r1@example.org"))); w.Code != http.StatusOK {
		t.Errorf("Damien's people id stopped resolving once he sent a patch: %d", w.Code)
	} else if decode(t, w, &damien); !strings.EqualFold(damien.Email, "dlemoal@example.org") {
		t.Errorf("Damien's old people id answers %+v", damien)
	}
}
