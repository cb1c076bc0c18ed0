package review

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files instead of comparing with them")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "reply", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

var jan = Address{Name: "Jan Kára", Email: "jack@example.org"}

// patchMail is patch 2/2 of the shadowfs v2 series in storage's fixture.
func patchMail(t *testing.T) *Message {
	t.Helper()
	ms := splitAll(t, "../../storage/testdata/shadowfs-v1-v2.mbox")
	return ms[4]
}

func replyInput(m *Message) ReplyInput {
	return ReplyInput{
		Original: m, Reviewer: jan,
		Date:      time.Date(2026, 1, 14, 10, 0, 0, 0, time.UTC),
		MessageID: "20260114100000.review-1@example.org",
		Comments: []Comment{
			{Path: "fs/shadowfs/aops.c", Line: 28, Body: "The page is still locked when you return here: a ->writepage must unlock its page on every path, and redirty it with redirty_page_for_writepage() if it is not written."},
			{Path: "fs/shadowfs/aops.c", Line: 33, Body: "lower_page is already unlocked by the lower ->writepage, on success or failure."},
			{Body: "Otherwise this looks like the right direction."},
		},
		Findings: []Finding{{Rule: "writepage-activate-not-propagated", Severity: "error", Path: "fs/shadowfs/aops.c", Line: 36,
			Message: "this return may pass the lower writepage's AOP_WRITEPAGE_ACTIVATE up: if (err == AOP_WRITEPAGE_ACTIVATE) { unlock the lower page; err = 0; }"}},
		Verdicts: []Verdict{{Kind: "Reviewed-by", Author: jan}},
	}
}

func TestFormatReply(t *testing.T) {
	m := patchMail(t)
	eml, body, err := formatReply(replyInput(m))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "patch.eml", string(eml))
	if strings.Contains(string(eml), "\r") {
		t.Error("mixed line endings")
	}
	for _, l := range strings.Split(body, "\n") {
		if !strings.HasPrefix(l, ">") && len([]rune(l)) > replyWidth && !strings.Contains(l, "://") {
			t.Errorf("prose line over %d columns: %q", replyWidth, l)
		}
	}
	parsed, err := ParseMessage(eml)
	if err != nil {
		t.Fatal(err)
	}
	if parsed.Subject.Raw != "Re: [PATCH v2 2/2] shadowfs: implement ->writepage" || parsed.InReplyTo != m.MessageID ||
		parsed.From != jan || len(parsed.To) != 1 || parsed.To[0].Email != "ravi@example.org" {
		t.Errorf("headers: subject %q in-reply-to %q from %+v to %+v", parsed.Subject.Raw, parsed.InReplyTo, parsed.From, parsed.To)
	}
	if refs := parsed.References; len(refs) != 2 || refs[1] != m.MessageID {
		t.Errorf("references %v", refs)
	}
	if !strings.HasSuffix(body, "Reviewed-by: Jan Kára <jack@example.org>\n") {
		t.Errorf("body does not end with the trailer:\n%s", body)
	}
}

func TestFormatReplyToCode(t *testing.T) {
	code := parseFile(t, codeMailFile)
	var dirty int
	for i, l := range strings.Split(code.Body, "\n") {
		if strings.Contains(l, "set_page_dirty(page);") {
			dirty = i + 1
		}
	}
	_, body, err := formatReply(ReplyInput{Original: code, Reviewer: Address{Name: "Hugh Dickins", Email: "hugh@veritas.com"},
		Date: time.Date(2007, 10, 29, 20, 33, 45, 0, time.UTC), MessageID: "x@example.org",
		Comments: []Comment{{Path: BodyPath, Line: dirty, Body: "You need to unlock_page, don't you?"}}})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "code.txt", body)
}

// TestReplyRoundTrip: our own reply, parsed back as a list reply, anchors
// every comment on the line it was written for.
func TestReplyRoundTrip(t *testing.T) {
	m := patchMail(t)
	in := replyInput(m)
	in.Findings = nil
	_, body, err := formatReply(in)
	if err != nil {
		t.Fatal(err)
	}
	got := Anchor(ParseReply(body), DiffTargets(m.Patch.Files))
	for _, want := range in.Comments {
		found := false
		for _, c := range got {
			if strings.Join(strings.Fields(c.Body), " ") == strings.Join(strings.Fields(want.Body), " ") {
				found = c.Line == want.Line && c.Path == want.Path
				if !found {
					t.Errorf("%q came back on %s:%d, want %s:%d", want.Body, c.Path, c.Line, want.Path, want.Line)
				}
			}
		}
		if !found && want.Line > 0 {
			t.Errorf("%q did not come back anchored", want.Body)
		}
	}
}
