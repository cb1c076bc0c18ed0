package web

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

const resendDiff = "Fix it.\n\nSigned-off-by: Ann <ann@example.org>\n---\n f.c | 1 +\n\ndiff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,3 @@\n int a;\n+int b;\n int c;\n"

func resendMail(id, subject, date string) []byte {
	return []byte("From: Ann <ann@example.org>\nSubject: " + subject + "\nMessage-ID: <" + id + ">\nDate: " + date + "\n\n" + resendDiff)
}

// TestResendShownAsResend: the list and the series page say RESEND, and
// the versions read v2 -> v3 with the resend beside v3; the download links
// follow the versions nav as one line; times carry their zone.
func TestResendShownAsResend(t *testing.T) {
	s, st := newTestServer(t, Options{})
	ctx := context.Background()
	for _, m := range [][]byte{
		resendMail("v2@x", "[PATCH v2] vfs: add b", "Mon, 5 Jan 2026 10:00:00 +0100"),
		resendMail("v3@x", "[PATCH v3] vfs: add b", "Tue, 6 Jan 2026 10:00:00 +0100"),
		resendMail("v3r@x", "[PATCH RESEND v3] vfs: add b", "Tue, 20 Jan 2026 10:00:00 +0100"),
	} {
		if _, err := st.IngestMessage(ctx, m, "test"); err != nil {
			t.Fatal(err)
		}
	}
	list := get(t, s, "/").Body.String()
	if n := strings.Count(list, "RESEND"); n != 1 {
		t.Errorf("the series list shows RESEND %d times, want once:\n%s", n, list)
	}
	if !strings.Contains(list, "2026-01-20 09:00 UTC") {
		t.Errorf("the list's received time does not say UTC:\n%s", list)
	}
	ids := regexp.MustCompile(`href="/series/(\d+)">vfs: add b</a>`).FindAllStringSubmatch(list, -1)
	if len(ids) != 3 {
		t.Fatalf("want 3 series in the list, got %v", ids)
	}
	resend, orig := ids[0][1], ids[1][1] // newest first
	page := get(t, s, "/series/"+resend).Body.String()
	if !strings.Contains(page, "RESEND") || !strings.Contains(page, `resend of <a href="/series/`+orig+`">v3</a>`) {
		t.Errorf("the resend's page does not say it resends v3 (series %s):\n%s", orig, page)
	}
	nav := regexp.MustCompile(`(?s)<nav class="versions"[^>]*>(.*?)</nav>`).FindStringSubmatch(page)
	if nav == nil {
		t.Fatalf("no versions nav:\n%s", page)
	}
	text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(nav[1], "")
	if text != "Versions: v2 → v3 (resend: v3 RESEND)" {
		t.Errorf("versions nav reads %q", text)
	}
	// The nav is a block: it must not sit inside the <p> (which the parser
	// would close before it, leaving "· mbox" on a line of its own).
	if i, j := strings.Index(page, `<nav class="versions"`), strings.Index(page, `mbox (git am)`); i < 0 || j < i {
		t.Fatalf("no mbox link after the nav")
	} else if seg := page[i:j]; !strings.Contains(seg, "</nav>") || strings.Contains(seg, "· <a") && !strings.Contains(seg, "<p") {
		t.Errorf("the download links are not a line of their own after the nav:\n%s", seg)
	}
	if p := regexp.MustCompile(`(?s)<p[^>]*>((?:[^<]|<[^/p]|</[^p])*?)<nav`).FindString(page); p != "" {
		t.Errorf("the versions nav opens inside a paragraph: %s", p)
	}
	if strings.Contains(page, "</nav>\n · ") {
		t.Errorf("the links after the nav start with a dangling ·")
	}
}
