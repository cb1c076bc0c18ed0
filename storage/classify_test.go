package storage

import (
	"database/sql"
	"strings"
	"testing"
)

// TestBracketedDiscussionIsNotASeries: "[RFC] Sending NILFS2 patches into
// upstream" carries no diff and no numbered patches answer it: it is a
// discussion, stored as plain mail that still threads its replies, not a
// 0-patch "incomplete" series. With numbered children it is their cover.
func TestBracketedDiscussionIsNotASeries(t *testing.T) {
	s, _ := openTest(t, Options{})
	ingestRaw(t, s, threadMail("rfc@x", "Ryusuke <ryusuke@example.org>", "[RFC] Sending NILFS2 patches into upstream", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, "Shall we send these upstream?\n"))
	ingestRaw(t, s, threadMail("re@x", "Andrew <akpm@example.org>", "Re: [RFC] Sending NILFS2 patches into upstream", "Mon, 5 Jan 2026 11:00:00 +0000", "rfc@x", []string{"rfc@x"}, "Yes.\n"))
	if n := count(t, s, `SELECT count(*) FROM series`); n != 0 {
		t.Errorf("%d series for a discussion, want 0", n)
	}
	if n := count(t, s, `SELECT count(*) FROM messages WHERE message_id = 'rfc@x' AND kind = 'other' AND state = 'done'`); n != 1 {
		t.Errorf("the discussion is not stored as plain mail")
	}
	if n := count(t, s, `SELECT count(*) FROM messages WHERE message_id = 're@x' AND in_reply_to = 'rfc@x'`); n != 1 {
		t.Errorf("the reply does not thread under the discussion")
	}

	// The same kind of subject with numbered patches answering it is a cover letter.
	cover := threadMail("c@x", "Ann <ann@example.org>", "[RFC PATCH] f: things", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, "Things.\n")
	p1 := threadMail("p1@x", "Ann <ann@example.org>", "[RFC PATCH 1/1] f: add b", "Mon, 5 Jan 2026 10:00:01 +0000", "c@x", []string{"c@x"}, patchBody)
	for name, order := range map[string][][]byte{"cover first": {cover, p1}, "cover last": {p1, cover}} {
		t.Run(name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			for _, raw := range order {
				ingestRaw(t, s, raw)
			}
			var c sql.NullString
			s.r.QueryRow(`SELECT m.message_id FROM series s JOIN messages m ON m.id = s.cover_id`).Scan(&c)
			if n := count(t, s, `SELECT count(*) FROM series`); n != 1 || c.String != "c@x" {
				t.Errorf("%d series, cover %q: want 1 with cover c@x", n, c.String)
			}
		})
	}
}

// TestUndecodablePatchMarkedFailed: a [PATCH] mail whose base64 body
// cannot be decoded is kept raw and marked failed with the reason, not
// stored as a cover letter.
func TestUndecodablePatchMarkedFailed(t *testing.T) {
	s, _ := openTest(t, Options{})
	raw := "From: Ann <ann@example.org>\nSubject: [PATCH] f: add b\nMessage-ID: <b64@x>\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n" +
		"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" +
		"Rml4IGl0Lgo=\n!!!! this is not base64 at all ????\n"
	ingestRaw(t, s, []byte(raw))
	var state, kind, reason string
	var stored []byte
	if err := s.r.QueryRow(`SELECT state, kind, coalesce(error, ''), raw FROM messages WHERE message_id = 'b64@x'`).Scan(&state, &kind, &reason, &stored); err != nil {
		t.Fatal(err)
	}
	if state != "failed" || !strings.Contains(reason, "base64") || string(stored) != raw {
		t.Errorf("state %q kind %q reason %q (raw kept: %v), want failed naming base64", state, kind, reason, string(stored) == raw)
	}
	if n := count(t, s, `SELECT count(*) FROM series`); n != 0 {
		t.Errorf("the undecodable mail made %d series", n)
	}
}
