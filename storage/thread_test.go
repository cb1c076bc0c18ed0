package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"
)

// mail builds a raw message; refs are In-Reply-To's id first (may be
// ""), then References (oldest first).
func threadMail(id, from, subject, date, inReplyTo string, refs []string, body string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\nSubject: %s\nMessage-ID: <%s>\nDate: %s\n", from, subject, id, date)
	if inReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\n", inReplyTo)
	}
	if len(refs) > 0 {
		b.WriteString("References:")
		for _, r := range refs {
			fmt.Fprintf(&b, " <%s>", r)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n" + body)
	return []byte(b.String())
}

const patchBody = "Fix it.\n\nSigned-off-by: Ann <ann@example.org>\n---\n f.c | 1 +\n\ndiff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,3 @@\n int a;\n+int b;\n int c;\n"

const suggestion = "> +int b;\n\nBetter:\n\ndiff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,3 @@\n int a;\n+long b;\n int c;\n"

// parentOf returns the message_id of a message's parent, or "".
func parentOf(t *testing.T, s *Store, msgID string) string {
	t.Helper()
	var p sql.NullString
	err := s.r.QueryRow(`SELECT p.message_id FROM messages m LEFT JOIN messages p ON p.id = m.parent_id WHERE m.message_id = ?`, msgID).Scan(&p)
	if err != nil {
		t.Fatalf("%s: %v", msgID, err)
	}
	return p.String
}

func count(t *testing.T, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.r.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A reply that carries a diff is a reply: it is attached to the patch it
// answers, starts no series and takes no slot in one.
func TestReplyWithDiffIsAReply(t *testing.T) {
	s, _ := openTest(t, Options{})
	ingestRaw(t, s, threadMail("p1@x", "Ann <ann@example.org>", "[PATCH] f: add b", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, patchBody))
	ingestRaw(t, s, threadMail("r1@x", "Bob <bob@example.org>", "Re: [PATCH] f: add b", "Mon, 5 Jan 2026 11:00:00 +0000", "p1@x", []string{"p1@x"}, suggestion))
	if n := count(t, s, `SELECT count(*) FROM series`); n != 1 {
		t.Errorf("%d series, want 1 (the reply must not start one)", n)
	}
	if n := count(t, s, `SELECT count(*) FROM patches`); n != 1 {
		t.Errorf("%d patches, want 1", n)
	}
	if p := parentOf(t, s, "r1@x"); p != "p1@x" {
		t.Errorf("the reply with a diff is attached to %q, want p1@x", p)
	}
}

// Replies of replies reach the patch through In-Reply-To alone, in any
// arrival order.
func TestReplyOfReplyThroughInReplyTo(t *testing.T) {
	p := threadMail("p1@x", "Ann <ann@example.org>", "[PATCH] f: add b", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, patchBody)
	r1 := threadMail("r1@x", "Bob <bob@example.org>", "Re: [PATCH] f: add b", "Mon, 5 Jan 2026 11:00:00 +0000", "p1@x", nil, "> +int b;\n\nWhy?\n")
	r2 := threadMail("r2@x", "Ann <ann@example.org>", "Re: [PATCH] f: add b", "Mon, 5 Jan 2026 12:00:00 +0000", "r1@x", nil, "> Why?\n\nBecause.\n")
	r3 := threadMail("r3@x", "Cid <cid@example.org>", "Re: [PATCH] f: add b", "Mon, 5 Jan 2026 13:00:00 +0000", "r2@x", nil, "Tested-by: Cid <cid@example.org>\n")
	for name, order := range map[string][][]byte{
		"in order":     {p, r1, r2, r3},
		"reversed":     {r3, r2, r1, p},
		"patch last":   {r1, r2, r3, p},
		"replies last": {p, r3, r2, r1},
	} {
		t.Run(name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			for _, raw := range order {
				ingestRaw(t, s, raw)
			}
			for _, id := range []string{"r1@x", "r2@x", "r3@x"} {
				if got := parentOf(t, s, id); got != "p1@x" {
					t.Errorf("%s attached to %q, want p1@x", id, got)
				}
			}
			if n := count(t, s, `SELECT count(*) FROM collected_trailers WHERE key = 'Tested-by'`); n != 1 {
				t.Errorf("the Tested-by given in a reply to a reply was collected %d times, want 1", n)
			}
		})
	}
}

// The threading lookups run by index: none scans the messages or
// comments table (adoptOrphans once scanned messages for every mail).
func TestReplyThreadingQueriesUseIndexes(t *testing.T) {
	s, _ := openTest(t, Options{})
	for _, q := range []string{
		`UPDATE messages SET parent_id = 1 WHERE in_reply_to = 'x' AND kind IN ('reply', 'other') AND id != 1 AND parent_id IS NOT 1`,
		`UPDATE messages SET parent_id = 1 WHERE id IN (SELECT message FROM message_refs WHERE ref = 'x') AND parent_id IS NULL AND kind IN ('reply', 'other') AND id != 1`,
		`SELECT id, parent_id, in_reply_to, kind, series_id FROM messages WHERE message_id = 'x'`,
		`DELETE FROM comments WHERE source = 'list' AND message_id = 'x'`,
		`DELETE FROM collected_trailers WHERE message_id = 'x'`,
	} {
		rows, err := s.r.Query(`EXPLAIN QUERY PLAN ` + q)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		for _, d := range plan {
			if strings.HasPrefix(d, "SCAN ") {
				t.Errorf("%s\n  plan: %q", q, plan)
			}
		}
	}
}

// Code pasted in a reply to a patch is a comment on the patch, not a
// series of its own.
func TestCodeInReplyToPatchIsAReply(t *testing.T) {
	s, _ := openTest(t, Options{})
	ingestRaw(t, s, threadMail("p1@x", "Ann <ann@example.org>", "[PATCH] f: add b", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, patchBody))
	code := "> +int b;\n\nHow about:\n\nstatic int f(int a)\n{\n\tint b = a;\n\tb++;\n\tb--;\n\tb *= 2;\n\treturn b;\n}\n"
	ingestRaw(t, s, threadMail("r1@x", "Bob <bob@example.org>", "Re: [PATCH] f: add b", "Mon, 5 Jan 2026 11:00:00 +0000", "p1@x", nil, code))
	if n := count(t, s, `SELECT count(*) FROM series`); n != 1 {
		t.Errorf("%d series, want 1", n)
	}
	if p := parentOf(t, s, "r1@x"); p != "p1@x" {
		t.Errorf("the reply with code is attached to %q, want p1@x", p)
	}
}

// Collected trailers come in b4's order: the patch's own follow-ups
// first, then those given on the cover letter, whatever the arrival order.
func TestCollectedTrailerOrder(t *testing.T) {
	s, _ := openTest(t, Options{})
	cover := threadMail("c@x", "Ann <ann@example.org>", "[PATCH 0/1] f: things", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, "Things.\n")
	p1 := threadMail("p1@x", "Ann <ann@example.org>", "[PATCH 1/1] f: add b", "Mon, 5 Jan 2026 10:00:01 +0000", "c@x", []string{"c@x"}, patchBody)
	ingestRaw(t, s, cover)
	ingestRaw(t, s, p1)
	ingestRaw(t, s, threadMail("r1@x", "Cid <cid@example.org>", "Re: [PATCH 0/1] f: things", "Mon, 5 Jan 2026 11:00:00 +0000", "c@x", []string{"c@x"}, "Acked-by: Cid <cid@example.org>\n"))
	ingestRaw(t, s, threadMail("r2@x", "Bob <bob@example.org>", "Re: [PATCH 1/1] f: add b", "Mon, 5 Jan 2026 12:00:00 +0000", "p1@x", []string{"c@x", "p1@x"}, "Reviewed-by: Bob <bob@example.org>\n"))
	id, err := s.PatchIDByMessage(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.PatchByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range p.Trailers {
		got = append(got, tr.Key)
	}
	if strings.Join(got, ",") != "Reviewed-by,Acked-by" {
		t.Errorf("trailer order %v, want the patch's Reviewed-by before the cover's Acked-by", got)
	}
}

func seriesOf(t *testing.T, s *Store, msgID string) int64 {
	t.Helper()
	var id sql.NullInt64
	if err := s.r.QueryRow(`SELECT series_id FROM messages WHERE message_id = ?`, msgID).Scan(&id); err != nil {
		t.Fatalf("%s: %v", msgID, err)
	}
	return id.Int64
}

// A cover letter without "[PATCH 0/N]" that the numbered patches answer
// is their series' cover, whether it arrives first or last.
func TestNakedCoverRecognisedByItsChildren(t *testing.T) {
	cover := threadMail("c@x", "Ann <ann@example.org>", "fiemap cleanups v4", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, "This series cleans up fiemap.\n")
	p1 := threadMail("p1@x", "Ann <ann@example.org>", "[PATCH 1/2] f: add b", "Mon, 5 Jan 2026 10:00:01 +0000", "c@x", []string{"c@x"}, patchBody)
	p2 := threadMail("p2@x", "Ann <ann@example.org>", "[PATCH 2/2] f: add c", "Mon, 5 Jan 2026 10:00:02 +0000", "c@x", []string{"c@x"}, strings.Replace(patchBody, "int b", "int c", 1))
	r := threadMail("r@x", "Bob <bob@example.org>", "Re: fiemap cleanups v4", "Mon, 5 Jan 2026 12:00:00 +0000", "c@x", []string{"c@x"}, "Acked-by: Bob <bob@example.org>\n")
	for name, order := range map[string][][]byte{"cover first": {cover, r, p1, p2}, "cover last": {p1, p2, r, cover}, "cover between": {p1, cover, r, p2}} {
		t.Run(name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			for _, raw := range order {
				ingestRaw(t, s, raw)
			}
			if n := count(t, s, `SELECT count(*) FROM series`); n != 1 {
				t.Errorf("%d series, want 1", n)
			}
			var cover sql.NullString
			s.r.QueryRow(`SELECT m.message_id FROM series s JOIN messages m ON m.id = s.cover_id`).Scan(&cover)
			if cover.String != "c@x" {
				t.Errorf("series cover %q, want c@x", cover.String)
			}
			if p := parentOf(t, s, "r@x"); p != "c@x" {
				t.Errorf("the cover's reply is attached to %q", p)
			}
			if n := count(t, s, `SELECT count(*) FROM collected_trailers WHERE key = 'Acked-by'`); n != 2 {
				t.Errorf("the cover reply's Acked-by is on %d patches, want 2", n)
			}
		})
	}
}

// The fallback for unthreaded patches (same author, same n/N) joins only
// mail sent close in time, and never stable batches for different kernels.
func TestUnthreadedFallbackBounded(t *testing.T) {
	s, _ := openTest(t, Options{})
	ingestRaw(t, s, threadMail("a1@x", "Sasha <sasha@example.org>", "[PATCH AUTOSEL 5.10 1/2] f: add b", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, patchBody))
	ingestRaw(t, s, threadMail("b2@x", "Sasha <sasha@example.org>", "[PATCH AUTOSEL 5.4 2/2] f: add c", "Mon, 5 Jan 2026 10:00:05 +0000", "", nil, patchBody))
	ingestRaw(t, s, threadMail("a2@x", "Sasha <sasha@example.org>", "[PATCH AUTOSEL 5.10 2/2] f: add c", "Mon, 5 Jan 2026 10:00:06 +0000", "", nil, patchBody))
	ingestRaw(t, s, threadMail("old@x", "Sasha <sasha@example.org>", "[PATCH AUTOSEL 5.10 1/2] f: add b", "Mon, 5 Jan 2022 10:00:00 +0000", "", nil, patchBody))
	if seriesOf(t, s, "a1@x") != seriesOf(t, s, "a2@x") {
		t.Errorf("the 5.10 batch is split")
	}
	if seriesOf(t, s, "b2@x") == seriesOf(t, s, "a1@x") {
		t.Errorf("the 5.4 batch joined the 5.10 batch")
	}
	if seriesOf(t, s, "old@x") == seriesOf(t, s, "a1@x") {
		t.Errorf("a batch four years older joined")
	}
}

// Versions link by b4's rules: the cover letter's change-id first, then
// the subjects of the patches, same author only; the chain is listed.
func TestVersionLinks(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	// v1: cover "f: things", patch "f: add b"
	ingestRaw(t, s, threadMail("v1c@x", "Ann <ann@example.org>", "[PATCH 0/1] f: things", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, "Things.\n\n---\nchange-id: 20260105-things-0123abcd\n"))
	ingestRaw(t, s, threadMail("v1p@x", "Ann <ann@example.org>", "[PATCH 1/1] f: add b", "Mon, 5 Jan 2026 10:00:01 +0000", "v1c@x", []string{"v1c@x"}, patchBody))
	// someone else's v2 of a patch with the same subject: not a version of Ann's
	ingestRaw(t, s, threadMail("o2@x", "Oz <oz@example.org>", "[PATCH v2] f: add b", "Tue, 6 Jan 2026 10:00:00 +0000", "", nil, patchBody))
	// v2: the cover's title changed; its patch keeps the subject
	ingestRaw(t, s, threadMail("v2c@x", "Ann <ann@example.org>", "[PATCH v2 0/1] f: other things", "Wed, 7 Jan 2026 10:00:00 +0000", "", nil, "Other things.\n"))
	ingestRaw(t, s, threadMail("v2p@x", "Ann <ann@example.org>", "[PATCH v2 1/1] f: add b", "Wed, 7 Jan 2026 10:00:01 +0000", "v2c@x", []string{"v2c@x"}, patchBody))
	// v3: everything renamed, but the same change-id
	ingestRaw(t, s, threadMail("v3c@x", "Ann <ann@example.org>", "[PATCH v3 0/1] g: all new", "Thu, 8 Jan 2026 10:00:00 +0000", "", nil, "New.\n\n---\nchange-id: 20260105-things-0123abcd\n"))
	ingestRaw(t, s, threadMail("v3p@x", "Ann <ann@example.org>", "[PATCH v3 1/1] g: add b", "Thu, 8 Jan 2026 10:00:01 +0000", "v3c@x", []string{"v3c@x"}, patchBody))
	v1, o2, v2, v3 := seriesOf(t, s, "v1p@x"), seriesOf(t, s, "o2@x"), seriesOf(t, s, "v2p@x"), seriesOf(t, s, "v3p@x")
	prev := func(id int64) int64 {
		var p sql.NullInt64
		s.r.QueryRow(`SELECT prev_id FROM series WHERE id = ?`, id).Scan(&p)
		return p.Int64
	}
	if prev(o2) != 0 {
		t.Errorf("another author's v2 is linked to series %d", prev(o2))
	}
	if prev(v2) != v1 {
		t.Errorf("v2 (cover title changed) links to %d, want v1 %d", prev(v2), v1)
	}
	if prev(v3) != v2 {
		t.Errorf("v3 (same change-id, all renamed) links to %d, want v2 %d", prev(v3), v2)
	}
	chain, err := s.VersionChain(ctx, v2)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range chain {
		got = append(got, fmt.Sprintf("v%d:%v", c.Version, c.Current))
	}
	if strings.Join(got, " ") != "v1:false v2:true v3:false" {
		t.Errorf("version chain %v", got)
	}
}

// Two different mails with one Message-ID (a v3 and a v4 cover sent with
// the same id) are both kept: the second under a derived id linked to the
// first, as public-inbox does. The same mail twice is stored once.
func TestDuplicateMessageIDKept(t *testing.T) {
	s, _ := openTest(t, Options{})
	v3 := threadMail("c@x", "Jan <jan@example.org>", "[PATCH v3 0/2] block: handles", "Fri, 18 Aug 2023 14:00:00 +0200", "", nil, "v3 cover\n")
	v4 := threadMail("c@x", "Jan <jan@example.org>", "[PATCH v4 0/2] block: handles", "Wed, 27 Sep 2023 11:00:00 +0200", "", nil, "v4 cover\n")
	ingestRaw(t, s, v3)
	ingestRaw(t, s, v4)
	ingestRaw(t, s, append([]byte("Received: from relay\n"), v4...)) // the same v4, by another route
	if n := count(t, s, `SELECT count(*) FROM messages`); n != 2 {
		t.Fatalf("%d messages stored, want 2", n)
	}
	var derived string
	var dupOf int64
	if err := s.r.QueryRow(`SELECT message_id, dup_of FROM messages WHERE dup_of IS NOT NULL`).Scan(&derived, &dupOf); err != nil {
		t.Fatal(err)
	}
	var first string
	s.r.QueryRow(`SELECT message_id FROM messages WHERE id = ?`, dupOf).Scan(&first)
	if first != "c@x" || derived == "c@x" || !strings.Contains(derived, "c@x") {
		t.Errorf("second mail stored as %q, linked to %q", derived, first)
	}
	if n := count(t, s, `SELECT count(*) FROM series`); n != 2 {
		t.Errorf("%d series, want the v3 and the v4 cover each in its own", n)
	}
}

// A v2 that drops, reorders and retitles patches is paired with v1 by
// subject, then patch-id, never by number.
func TestVersionMatchesByContent(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	body := func(line string) string { return strings.Replace(patchBody, "+int b;", "+"+line, 1) }
	ingestRaw(t, s, threadMail("a0@x", "Ann <ann@example.org>", "[PATCH 0/3] f: things", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, "Things.\n"))
	ingestRaw(t, s, threadMail("a1@x", "Ann <ann@example.org>", "[PATCH 1/3] f: add a", "Mon, 5 Jan 2026 10:00:01 +0000", "a0@x", []string{"a0@x"}, body("int a;")))
	ingestRaw(t, s, threadMail("a2@x", "Ann <ann@example.org>", "[PATCH 2/3] f: add b", "Mon, 5 Jan 2026 10:00:02 +0000", "a0@x", []string{"a0@x"}, body("int b;")))
	ingestRaw(t, s, threadMail("a3@x", "Ann <ann@example.org>", "[PATCH 3/3] f: add x", "Mon, 5 Jan 2026 10:00:03 +0000", "a0@x", []string{"a0@x"}, body("int x;")))
	ingestRaw(t, s, threadMail("b0@x", "Ann <ann@example.org>", "[PATCH v2 0/2] f: things", "Tue, 6 Jan 2026 10:00:00 +0000", "", nil, "Things.\n"))
	ingestRaw(t, s, threadMail("b1@x", "Ann <ann@example.org>", "[PATCH v2 1/2] f: add b", "Tue, 6 Jan 2026 10:00:01 +0000", "b0@x", []string{"b0@x"}, body("long b;")))
	ingestRaw(t, s, threadMail("b2@x", "Ann <ann@example.org>", "[PATCH v2 2/2] f: add x properly", "Tue, 6 Jan 2026 10:00:02 +0000", "b0@x", []string{"b0@x"}, body("int x;")))
	patchOf := func(msgID string) int64 {
		var id int64
		s.r.QueryRow(`SELECT p.id FROM patches p JOIN messages m ON m.id = p.message_id WHERE m.message_id = ?`, msgID).Scan(&id)
		return id
	}
	vm, err := s.VersionMatches(ctx, seriesOf(t, s, "b1@x"))
	if err != nil {
		t.Fatal(err)
	}
	if vm.Prev[patchOf("b1@x")] != patchOf("a2@x") || vm.Prev[patchOf("b2@x")] != patchOf("a3@x") {
		t.Errorf("pairs %v: want v2 1/2 → v1 2/3 (subject), v2 2/2 → v1 3/3 (patch-id)", vm.Prev)
	}
	if len(vm.Dropped) != 1 || vm.Dropped[0].ID != patchOf("a1@x") {
		t.Errorf("dropped %+v, want v1 1/3", vm.Dropped)
	}
}

// A "[PATCH 0/N]" cover that arrives after its patches joins their series.
func TestLateCoverJoins(t *testing.T) {
	s, _ := openTest(t, Options{})
	ingestRaw(t, s, threadMail("p1@x", "Ann <ann@example.org>", "[PATCH v3 1/2] f: add b", "Mon, 5 Jan 2026 10:00:01 +0000", "c@x", []string{"c@x"}, patchBody))
	ingestRaw(t, s, threadMail("p2@x", "Ann <ann@example.org>", "[PATCH v3 2/2] f: add c", "Mon, 5 Jan 2026 10:00:02 +0000", "c@x", []string{"c@x"}, patchBody))
	ingestRaw(t, s, threadMail("c@x", "Ann <ann@example.org>", "[PATCH v3 0/2] f: things", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, "Things.\n"))
	if n := count(t, s, `SELECT count(*) FROM series`); n != 1 || seriesOf(t, s, "c@x") != seriesOf(t, s, "p1@x") {
		t.Errorf("%d series; the late cover is in series %d, the patches in %d", n, seriesOf(t, s, "c@x"), seriesOf(t, s, "p1@x"))
	}
}

// The unthreaded fallback stays within a list.
func TestUnthreadedFallbackByList(t *testing.T) {
	s, _ := openTest(t, Options{})
	withList := func(raw []byte, list string) []byte { return append([]byte("List-Id: <"+list+">\n"), raw...) }
	ingestRaw(t, s, withList(threadMail("a1@x", "Ann <ann@example.org>", "[PATCH 1/2] f: add b", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, patchBody), "linux-nilfs.vger.kernel.org"))
	ingestRaw(t, s, withList(threadMail("b2@x", "Ann <ann@example.org>", "[PATCH 2/2] g: add c", "Mon, 5 Jan 2026 10:00:01 +0000", "", nil, patchBody), "linux-ext4.vger.kernel.org"))
	ingestRaw(t, s, withList(threadMail("a2@x", "Ann <ann@example.org>", "[PATCH 2/2] f: add c", "Mon, 5 Jan 2026 10:00:02 +0000", "", nil, patchBody), "linux-nilfs.vger.kernel.org"))
	if seriesOf(t, s, "a2@x") != seriesOf(t, s, "a1@x") || seriesOf(t, s, "b2@x") == seriesOf(t, s, "a1@x") {
		t.Errorf("series: a1 %d, a2 %d, b2 (other list) %d", seriesOf(t, s, "a1@x"), seriesOf(t, s, "a2@x"), seriesOf(t, s, "b2@x"))
	}
}

// A partial reroll (v3 resends only 2/2, in reply to v2's 2/2) makes a
// complete am-ready mbox with v2's 1/2, as b4 am completes it.
func TestPartialRerollMbox(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	ingestRaw(t, s, threadMail("c@x", "Ann <ann@example.org>", "[PATCH v2 0/2] f: things", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, "Things.\n"))
	ingestRaw(t, s, threadMail("p1@x", "Ann <ann@example.org>", "[PATCH v2 1/2] f: add b", "Mon, 5 Jan 2026 10:00:01 +0000", "c@x", []string{"c@x"}, patchBody))
	ingestRaw(t, s, threadMail("p2@x", "Ann <ann@example.org>", "[PATCH v2 2/2] f: add c", "Mon, 5 Jan 2026 10:00:02 +0000", "c@x", []string{"c@x"}, patchBody))
	ingestRaw(t, s, threadMail("q2@x", "Ann <ann@example.org>", "[PATCH v3 2/2] f: add c", "Tue, 6 Jan 2026 10:00:00 +0000", "p2@x", []string{"c@x", "p2@x"}, patchBody))
	ids, err := s.SeriesMboxMessages(ctx, seriesOf(t, s, "q2@x"), false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, id := range ids {
		var mid string
		s.r.QueryRow(`SELECT message_id FROM messages WHERE id = ?`, id).Scan(&mid)
		got = append(got, mid)
	}
	if strings.Join(got, " ") != "p1@x q2@x" {
		t.Errorf("v3 mbox %v, want v2's 1/2 then v3's 2/2", got)
	}
	// a full v2 is never completed from elsewhere
	if ids, _ := s.SeriesMboxMessages(ctx, seriesOf(t, s, "p1@x"), false); len(ids) != 2 {
		t.Errorf("v2 mbox has %d mails", len(ids))
	}
}

// A patch without references joins its author's series sent within a day
// of it either way, the bounds included; mail without a usable date joins
// none (its time is unknown, not the year 1).
func TestUnthreadedPatchWindow(t *testing.T) {
	const layout = "Mon, 02 Jan 2006 15:04:05 -0700"
	first := time.Date(2019, 5, 20, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name         string
		date1, date2 string
		sameSeries   bool
	}{
		{"a day later", first.Format(layout), first.Add(24 * time.Hour).Format(layout), true},
		{"a day and a second later", first.Format(layout), first.Add(24*time.Hour + time.Second).Format(layout), false},
		{"a day earlier", first.Format(layout), first.Add(-24 * time.Hour).Format(layout), true},
		{"a day and a second earlier", first.Format(layout), first.Add(-24*time.Hour - time.Second).Format(layout), false},
		{"no dates", "not a date", "not a date either", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			ingestRaw(t, s, threadMail("p1@x", "Ann <ann@example.org>", "[PATCH 1/2] first thing", c.date1, "", nil, patchBody))
			ingestRaw(t, s, threadMail("p2@x", "Ann <ann@example.org>", "[PATCH 2/2] unrelated later thing", c.date2, "", nil, patchBody))
			var n int
			s.r.QueryRow(`SELECT count(*) FROM series`).Scan(&n)
			if got := n == 1; got != c.sameSeries {
				t.Errorf("%d series; want the two patches in one: %v", n, c.sameSeries)
			}
		})
	}
}
