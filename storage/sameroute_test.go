package storage

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"patchreview/review"
)

// The same mail arriving by two routes is stored once: as a public-inbox
// archive holds it (ending in one newline), as an mbox carries it (the
// separator's blank line kept), as the service's own mbox export gives it
// back, and with CRLF line ends. A different mail with that Message-ID is
// still kept under a derived id.
func TestSameMailByEveryRouteStoredOnce(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	raw := []byte("From: Ann Author <ann@example.org>\nSubject: [PATCH] f: add b\nMessage-ID: <same@x>\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n\n" +
		"A change.\n\nSigned-off-by: Ann Author <ann@example.org>\n---\ndiff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n")
	if _, err := s.IngestMessage(ctx, raw, "publicinbox"); err != nil {
		t.Fatal(err)
	}
	var export bytes.Buffer
	if err := review.WriteMbox(&export, [][]byte{raw}); err != nil {
		t.Fatal(err)
	}
	var exported []byte
	if err := review.SplitMbox(bytes.NewReader(export.Bytes()), func(m []byte) error { exported = m; return nil }); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	review.WriteMbox(&again, [][]byte{exported})
	if !bytes.Equal(again.Bytes(), export.Bytes()) {
		t.Errorf("an mbox round trip changes the mail:\n%q\n%q", export.Bytes(), again.Bytes())
	}
	for name, data := range map[string][]byte{
		"mbox":           []byte("From mboxrd@z Thu Jan  1 00:00:00 1970\n" + string(raw) + "\n"),
		"export":         export.Bytes(),
		"crlf":           bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n")),
		"trailing lines": append(append([]byte(nil), raw...), "\n\n\n"...),
	} {
		st, err := s.IngestBytes(ctx, data, name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st.New != 0 || st.Duplicates != 1 {
			t.Errorf("%s: %+v, want the one message as a duplicate", name, st)
		}
	}
	other := bytes.Replace(raw, []byte("-b\n+c\n"), []byte("-b\n+d\n"), 1)
	if st, err := s.IngestMessage(ctx, other, "test"); err != nil || st.New != 1 {
		t.Errorf("a different mail with the same Message-ID: %+v, %v", st, err)
	}
	if n := count(t, s, `SELECT count(*) FROM messages`); n != 2 {
		t.Errorf("%d messages stored, want 2", n)
	}
}

// A second mail reusing a Message-ID keeps its link to the first when its
// batch is written again after a rollback (writeBatch retries a failed
// batch message by message): the retry must not find the job already
// renamed to its derived id and skip the link.
func TestDuplicateLinkSurvivesRetry(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	first := "From: Jan <jack@example.org>\nSubject: [PATCH v3 0/2] x\nMessage-ID: <reused@x>\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n\nThird.\n"
	if _, err := s.IngestMessage(ctx, []byte(first), "test"); err != nil {
		t.Fatal(err)
	}
	second := strings.Replace(strings.Replace(first, "v3", "v4", 1), "Third.", "Fourth.", 1)
	j := &job{raw: []byte(second), source: "test"}
	s.prepare(ctx, j)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.writeJob(ctx, tx, j); err != nil {
		t.Fatal(err)
	}
	tx.Rollback() // as when another message of the batch failed
	if err := s.writeBatch(ctx, []*job{j}); err != nil || j.res.err != nil {
		t.Fatal(err, j.res.err)
	}
	if n := count(t, s, `SELECT count(*) FROM messages WHERE dup_of = (SELECT id FROM messages WHERE message_id = 'reused@x')`); n != 1 {
		t.Errorf("%d mails linked to the first after the retry, want 1", n)
	}
}
