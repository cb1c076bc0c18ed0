package storage

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// TestMalformedHeaderKeepsMessageID: a mail with one malformed header line
// is stored raw and marked, under its real Message-ID (issue 11).
func TestMalformedHeaderKeepsMessageID(t *testing.T) {
	s, _ := openTest(t, Options{})
	raw := "From: Ravi Iyer <ravi@example.org>\nthis header line has no colon\nMessage-ID: <real-42@example.org>\nSubject: [PATCH] x\n\nbody\n"
	if _, err := s.IngestBytes(context.Background(), []byte(raw), "test", nil); err != nil {
		t.Fatal(err)
	}
	var id string
	if err := s.r.QueryRow(`SELECT message_id FROM messages`).Scan(&id); err != nil || id != "real-42@example.org" {
		t.Errorf("stored as %q (%v), want the real Message-ID", id, err)
	}
}

// A page shows a stored message as parsing its raw bytes shows it, whether
// the parse cache holds it (the writer cached it) or not (after a restart):
// a second mail reusing a Message-ID is stored under a derived id, but its
// Message-ID, which replies must name, is still the header's.
func TestStoredMessageSameWarmAndCold(t *testing.T) {
	s, path := openTest(t, Options{})
	ctx := context.Background()
	mail := func(v int) []byte {
		return []byte(fmt.Sprintf("From: Ann <ann@example.org>\nSubject: [PATCH v%d] fs: fix it\nMessage-ID: <same@example.org>\n"+
			"Date: Mon, %d Feb 2026 10:00:00 +0000\n\nFix v%d.\n---\ndiff --git a/fs/x.c b/fs/x.c\n--- a/fs/x.c\n+++ b/fs/x.c\n"+
			"@@ -1,3 +1,3 @@\n a\n-b\n+c%d\n d\n", v, v, v, v))
	}
	for _, v := range []int{3, 4} {
		if _, err := s.IngestMessage(ctx, mail(v), "test"); err != nil {
			t.Fatal(err)
		}
	}
	var ids []int64
	rows, err := s.r.Query(`SELECT id FROM patches ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) != 2 {
		t.Fatalf("patches: %v", ids)
	}
	seen := func(st *Store) []string {
		var out []string
		for _, id := range ids {
			p, err := st.PatchByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, p.Message.Message.MessageID)
		}
		return out
	}
	warm := seen(s)
	s.Close()
	cold, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cold.Close()
	if got := seen(cold); !slices.Equal(warm, got) || got[0] != "same@example.org" || got[1] != "same@example.org" {
		t.Errorf("Message-IDs as pages see them: warm %q, cold %q; want the header's, same@example.org", warm, got)
	}
}

// Two different mails with one Message-ID and no version: a reply goes to
// the one whose subject it answers, not always the first.
func TestReplyToTheReusedIDCopyItsSubjectNames(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	patch := func(title, body string) string {
		return "From: Ann <ann@example.org>\nSubject: [PATCH] " + title + "\nMessage-ID: <dup@example.org>\n" +
			"Date: Mon, 2 Feb 2026 10:00:00 +0000\n\n" + body + "\n---\ndiff --git a/fs/x.c b/fs/x.c\n--- a/fs/x.c\n+++ b/fs/x.c\n" +
			"@@ -1,3 +1,3 @@\n a\n-b\n+" + body + "\n d\n"
	}
	reply := "From: Rev <rev@example.org>\nSubject: Re: [PATCH] fs: second fix\nMessage-ID: <r1@example.org>\n" +
		"In-Reply-To: <dup@example.org>\nDate: Tue, 3 Feb 2026 10:00:00 +0000\n\n> second\n\nReviewed-by: Rev <rev@example.org>\n"
	for _, raw := range []string{patch("fs: first fix", "first"), patch("fs: second fix", "second"), reply} {
		if _, err := s.IngestMessage(ctx, []byte(raw), "test"); err != nil {
			t.Fatal(err)
		}
	}
	replies := map[string]int{}
	rows, err := s.r.Query(`SELECT p.id, m.subject FROM patches p JOIN messages m ON m.id = p.message_id ORDER BY p.id`)
	if err != nil {
		t.Fatal(err)
	}
	type pt struct {
		id      int64
		subject string
	}
	var ps []pt
	for rows.Next() {
		var p pt
		rows.Scan(&p.id, &p.subject)
		ps = append(ps, p)
	}
	rows.Close()
	for _, p := range ps {
		full, err := s.PatchByID(ctx, p.id)
		if err != nil {
			t.Fatal(err)
		}
		replies[p.subject] = len(full.Replies)
	}
	if replies["[PATCH] fs: first fix"] != 0 || replies["[PATCH] fs: second fix"] != 1 {
		t.Errorf("replies per patch: %v; want the reply on the second fix only", replies)
	}
}
