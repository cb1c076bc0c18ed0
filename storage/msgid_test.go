package storage

import (
	"context"
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
