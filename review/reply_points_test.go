package review

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"patchreview/internal/nilfs"
)

// nilfsMessage returns the message with that Message-ID from the real
// archive, or skips the test when the archive (or xz) is absent.
func nilfsMessage(t *testing.T, id string) *Message {
	t.Helper()
	out := nilfs.Open(t)
	found := errors.New("found")
	var m *Message
	err := SplitMbox(out, func(raw []byte) error {
		if !bytes.Contains(raw, []byte(id)) {
			return nil
		}
		if pm, err := ParseMessage(raw); err == nil && pm.MessageID == id {
			m = pm
			return found
		}
		return nil
	})
	if m == nil {
		t.Fatalf("message %s not in the archive (%v)", id, err)
	}
	return m
}

// TestReplyGoldenNilfs: a review of a real nilfs patch (Eric Biggers,
// "nilfs2: only call unlock_new_inode() if I_NEW"): a remark on the
// removed line, one on the added line, a finding that names a line and
// starts with an identifier, a whole-patch remark, and an ack with a note.
func TestReplyGoldenNilfs(t *testing.T) {
	m := nilfsMessage(t, "20200628070152.820311-1-ebiggers@kernel.org")
	ryusuke := Address{Name: "Ryusuke Konishi", Email: "konishi.ryusuke@gmail.com"}
	eml, body, err := formatReply(ReplyInput{Original: m, Reviewer: ryusuke,
		Date: time.Date(2020, 6, 29, 1, 0, 0, 0, time.UTC), MessageID: "review-1@example.org",
		Comments: []Comment{
			{Path: "fs/nilfs2/inode.c", Line: 391, Side: "old", Body: "This warned when nilfs_new_inode() failed before insert_inode_locked()."},
			{Path: "fs/nilfs2/inode.c", Line: 391, Body: "I_NEW is set only once the inode is in the hash table, so this check is the right one."},
			{Body: "Thanks for the fix."},
		},
		Findings: []Finding{{Rule: "example-rule", Severity: "warning", Path: "fs/nilfs2/inode.c", Line: 393,
			Code: "\tiput(inode);  /*", Message: "iput() after the failed creation at line 391 drops the last reference: if (inode->i_state & I_NEW) { unlock_new_inode(inode); }"}},
		Verdicts: []Verdict{{Kind: "Acked-by", Author: ryusuke, Note: "I will send this to Andrew."}},
	})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "nilfs-unlock-new-inode.eml", string(eml))
	for _, want := range []string{"> -\tunlock_new_inode(inode);\n\nThis warned", "\n\tif (inode->i_state & I_NEW) { unlock_new_inode(inode); }\n", "iput() after",
		"I will send this to Andrew.\n\nAcked-by: Ryusuke Konishi <konishi.ryusuke@gmail.com>\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("reply lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "line 391") || strings.Contains(body, "Iput()") {
		t.Errorf("a line number instead of the code, or a capitalised identifier:\n%s", body)
	}
}

func newFilePatch(t *testing.T) *Message {
	t.Helper()
	raw := "From: Ravi Iyer <ravi@example.org>\nTo: list@example.org\nSubject: [PATCH] shadowfs: add a file\n" +
		"Message-ID: <new-file@example.org>\nDate: Mon, 12 Jan 2026 09:00:00 +0000\n\nAdd it.\n\nSigned-off-by: Ravi Iyer <ravi@example.org>\n---\n" +
		"diff --git a/fs/shadowfs/new.c b/fs/shadowfs/new.c\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/fs/shadowfs/new.c\n" +
		"@@ -0,0 +1,3 @@\n+int lower_page;\n+static int mapping_set(void)\n+{ return 0; }\n"
	m, err := ParseMessage([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestReplyPoints: each rough edge of the reply mail in issue 11.
func TestReplyPoints(t *testing.T) {
	m := newFilePatch(t)
	base := ReplyInput{Original: m, Reviewer: jan, Date: time.Date(2026, 1, 14, 10, 0, 0, 0, time.UTC), MessageID: "r@example.org"}
	reply := func(mod func(*ReplyInput)) (string, string) {
		in := base
		mod(&in)
		eml, body, err := formatReply(in)
		if err != nil {
			t.Fatal(err)
		}
		return string(eml), body
	}
	t.Run("identifiers keep their case", func(t *testing.T) {
		_, body := reply(func(in *ReplyInput) {
			in.Findings = []Finding{
				{Rule: "a", Path: "fs/shadowfs/new.c", Line: 1, Code: "int lower_page;", Message: "lower_page is unused"},
				{Rule: "b", Path: "fs/shadowfs/new.c", Line: 2, Code: "static int mapping_set(void)", Message: "mapping_set_gfp_mask() at runtime is racy"},
				{Rule: "c", Path: "fs/shadowfs/new.c", Line: 3, Code: "{ return 0; }", Message: "kmap is deprecated"},
				{Rule: "d", Path: "fs/shadowfs/new.c", Line: 3, Code: "{ return 0; }", Message: "this returns early"},
			}
		})
		for _, want := range []string{"lower_page is unused.", "mapping_set_gfp_mask() at runtime", "This returns early."} {
			if !strings.Contains(body, want) {
				t.Errorf("lacks %q:\n%s", want, body)
			}
		}
		if strings.Contains(body, "Lower_page") || strings.Contains(body, "Mapping_set") {
			t.Errorf("capitalised identifier:\n%s", body)
		}
	})
	t.Run("two remarks on one line", func(t *testing.T) {
		_, body := reply(func(in *ReplyInput) {
			in.Comments = []Comment{{Path: "fs/shadowfs/new.c", Line: 2, Body: "First."}, {Path: "fs/shadowfs/new.c", Line: 2, Body: "Second."}}
		})
		if !strings.Contains(body, "> +static int mapping_set(void)\n\nFirst.\n\nSecond.\n") {
			t.Errorf("two remarks on one line:\n%s", body)
		}
	})
	t.Run("new file header", func(t *testing.T) {
		_, body := reply(func(in *ReplyInput) {
			in.Comments = []Comment{{Path: "fs/shadowfs/new.c", Line: 2, Body: "Why static?"}}
		})
		if !strings.Contains(body, "> diff --git a/fs/shadowfs/new.c b/fs/shadowfs/new.c\n") || strings.Contains(body, "a/ b/") {
			t.Errorf("new file header:\n%s", body)
		}
	})
	t.Run("changes requested closes the mail", func(t *testing.T) {
		_, body := reply(func(in *ReplyInput) {
			in.Comments = []Comment{{Path: "fs/shadowfs/new.c", Line: 2, Body: "Why static?"}, {Body: "General remark."}}
			in.Verdicts = []Verdict{{Kind: "changes-requested", Author: jan, Note: "Please make the helper non-static and resend."}}
		})
		if !strings.HasSuffix(body, "General remark.\n\nPlease make the helper non-static and resend.\n") {
			t.Errorf("the verdict's note does not close the mail:\n%s", body)
		}
		_, body = reply(func(in *ReplyInput) {
			in.Verdicts = []Verdict{{Kind: "changes-requested", Author: jan}}
		})
		if !strings.Contains(body, "Please address these in the next version.") {
			t.Errorf("changes requested without a note says nothing:\n%s", body)
		}
	})
	t.Run("no empty attribution", func(t *testing.T) {
		_, body := reply(func(in *ReplyInput) {
			in.Comments = []Comment{{Body: "Looks fine overall."}}
			in.Verdicts = []Verdict{{Kind: "Acked-by", Author: jan}}
		})
		if strings.Contains(body, "wrote:") || body != "Looks fine overall.\n\nAcked-by: Jan Kára <jack@example.org>\n" {
			t.Errorf("whole-patch remark and ack:\n%s", body)
		}
	})
	t.Run("code in the fix kept verbatim", func(t *testing.T) {
		_, body := reply(func(in *ReplyInput) {
			in.Findings = []Finding{{Rule: "r", Path: "fs/shadowfs/new.c", Line: 3, Code: "{ return 0; }",
				Message: "this may pass AOP_WRITEPAGE_ACTIVATE up to a caller that does not know it, and every caller must handle it: if (err == AOP_WRITEPAGE_ACTIVATE) { unlock_page(lower_page); err = 0; }"}}
		})
		if !strings.Contains(body, "\n\tif (err == AOP_WRITEPAGE_ACTIVATE) { unlock_page(lower_page); err = 0; }\n") {
			t.Errorf("code re-wrapped:\n%s", body)
		}
	})
	t.Run("code quoted, not line numbers", func(t *testing.T) {
		_, body := reply(func(in *ReplyInput) {
			in.Findings = []Finding{{Rule: "r", Path: "fs/shadowfs/new.c", Line: 3, Code: "{ return 0; }",
				Message: "the reference taken at line 1 is not dropped on this path"}}
		})
		if strings.Contains(body, "line 1") || !strings.Contains(body, `taken at "int lower_page;" is not dropped`) {
			t.Errorf("line number instead of the code:\n%s", body)
		}
	})
	t.Run("no invented In-Reply-To", func(t *testing.T) {
		raw := []byte("From: Ravi Iyer <ravi@example.org>\nSubject: [PATCH] x\nDate: Mon, 12 Jan 2026 09:00:00 +0000\n\nbody\n")
		nm, err := ParseMessage(raw)
		if err != nil {
			t.Fatal(err)
		}
		if nm.MessageID == "" {
			nm.MessageID = SyntheticMessageID(raw) // as storage names it
		}
		eml, _, err := formatReply(ReplyInput{Original: nm, Reviewer: jan, Date: base.Date, MessageID: "r@example.org", Comments: []Comment{{Body: "x"}}})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(eml), "In-Reply-To") || strings.Contains(string(eml), "References") || strings.Contains(string(eml), "patchreview.invalid") {
			t.Errorf("invented threading headers:\n%s", eml)
		}
	})
}

// TestReplyGoldenReference: the reply on the reference review's code (Erez
// Zadok's unionfs_writepage, 2007, that Hugh Dickins answered), with the
// findings today's checker reports on it (its messages as input, copied
// from 'patchreview check'), Hugh's remark, and changes requested. Every
// point of issue 11 shows: identifiers keep their case, "line N" becomes
// the code, the fix's code stands verbatim, the verdict's note closes.
func TestReplyGoldenReference(t *testing.T) {
	code := parseFile(t, codeMailFile)
	lineOf := func(text string) int {
		for i, l := range strings.Split(code.Body, "\n") {
			if strings.Contains(l, text) {
				return i + 1
			}
		}
		t.Fatalf("no line %q in the reference mail", text)
		return 0
	}
	hugh := Address{Name: "Hugh Dickins", Email: "hugh@veritas.com"}
	findings := []Finding{
		{Rule: "mapping-set-gfp-mask-at-runtime", Severity: "error", Path: BodyPath, Line: 42, Code: "mapping_set_gfp_mask(lower_inode->i_mapping, mask & ~__GFP_FS);",
			Message: "mapping_set_gfp_mask() is non-atomic and only for a mapping not yet in use: flipping it at run time races with other users, can leave the mask off for good and (before v4.9) loses AS_EIO/AS_ENOSPC; pass the mask to the lookup instead: find_or_create_page(m, index, mapping_gfp_mask(m) & ~__GFP_FS)"},
		{Rule: "lower-writepage-double-unlock", Severity: "error", Path: BodyPath, Line: 70, Code: "unlock_page(lower_page);",
			Message: "lower_page was already unlocked by the writepage call at line 66, on success or failure; only AOP_WRITEPAGE_ACTIVATE leaves it locked: unlock it only inside if (err == AOP_WRITEPAGE_ACTIVATE)"},
		{Rule: "writepage-unlock-all-paths", Severity: "error", Path: BodyPath, Line: 76, Code: "goto out;",
			Message: "unionfs_writepage returns with page still locked on this path; a ->writepage must unlock its page on every path except return AOP_WRITEPAGE_ACTIVATE: call unlock_page(page) before this jump, or move its label above the unlock (the return at line 101 is reached with the page locked)"},
	}
	eml, body, err := formatReply(ReplyInput{Original: code, Reviewer: hugh,
		Date: time.Date(2007, 10, 29, 20, 33, 45, 0, time.UTC), MessageID: "reference-review@veritas.com",
		Comments: []Comment{{Path: BodyPath, Line: lineOf("set_page_dirty(page);"), Body: "You need to unlock_page, don't you?"}},
		Findings: findings,
		Verdicts: []Verdict{{Kind: "changes-requested", Author: hugh, Note: "Please look again at the error paths and send a new version."}},
	})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "reference.eml", string(eml))
	for _, bad := range []string{"Mapping_set_gfp_mask", "Lower_page", "Unionfs_writepage", "line 66", "line 101", "\n(err =="} {
		if strings.Contains(body, bad) {
			t.Errorf("reply contains %q:\n%s", bad, body)
		}
	}
	if !strings.HasSuffix(body, "Please look again at the error paths and send a new version.\n") {
		t.Errorf("the verdict's note does not close the mail:\n%s", body)
	}
}
