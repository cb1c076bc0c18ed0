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
