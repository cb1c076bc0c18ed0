package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"patchreview/review"
	"patchreview/web/browsertest"
)

// TestReviewInBrowser drives the real server in headless Chromium the way
// a reviewer works: open a patch, j to the first finding, c to comment on
// its line, dismiss a finding, then write the reply by email and download
// it. Screenshots of each page go to testoutput/screenshots; any console
// error or uncaught exception fails the test.
func TestReviewInBrowser(t *testing.T) {
	s, st := newTestServer(t, Options{})
	if _, err := st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	b := browsertest.New(t)
	eval := func(js string) string { return browsertest.Get(b, chromedp.Evaluate[string](js)) }
	waitFor := b.WaitFor // a page between two loads is "not yet", not a failure

	u, err := st.AddUser(context.Background(), "Jan Kara", "jack@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPassword(context.Background(), u.ID, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	// Signed out, the patch page offers sign-in; the sign-in page brings the reviewer back.
	b.Do(chromedp.Navigate(srv.URL+"/patches/4"), chromedp.WaitReady(chromedp.CSS("#dv")))
	if eval(`document.querySelectorAll('#dv-comment-form').length + ''`) != "0" {
		t.Errorf("a signed-out reader gets a comment form")
	}
	b.Do(chromedp.Navigate(srv.URL+"/signin?next=/patches/4"), chromedp.WaitReady(chromedp.CSS("form.signin")))
	b.Do(
		chromedp.SetValue(chromedp.CSS("form.signin input[name=email]"), "jack@example.org"),
		chromedp.SetValue(chromedp.CSS("form.signin input[name=password]"), "a long enough password"),
		chromedp.Click(chromedp.CSS("form.signin button[type=submit]")),
	)
	waitFor("the patch page, signed in", `location.pathname === '/patches/4' && document.getElementById('account-link').innerText === 'Jan Kara'`)
	b.Screenshot("patch")
	// j walks the notes in page order: Hugh's list comment on line 28,
	// then the finding on line 32.
	var seen []string
	for len(seen) < 5 && (len(seen) == 0 || !strings.HasPrefix(seen[len(seen)-1], "finding-")) {
		b.Do(chromedp.KeyEvent("j"))
		seen = append(seen, eval("document.activeElement.id"))
	}
	if strings.Join(seen, " ") != "comment-1 finding-1" {
		t.Fatalf("j focused %q, want the list comment, then the finding", seen)
	}
	b.Do(chromedp.KeyEvent("c"))
	waitFor("the comment form under the finding's line", `(() => { const f = document.getElementById('dv-comment-form');
		return !!f && f.elements.line.value !== '' && f.closest('.dv-general') === null; })()`)
	line := eval(`document.getElementById('dv-comment-form').elements.line.value`)
	b.Do(
		chromedp.SetValue(chromedp.CSS("#dv-comment-form textarea[name=body]"), "Unlock the page before this return."),
		chromedp.Click(chromedp.CSS("#dv-comment-form button[type=submit]")),
	)
	waitFor("the new comment on the page", `document.body.innerText.includes('Unlock the page before this return.')`)
	if got := eval(`(() => { const n = [...document.querySelectorAll('.dv-comment')].find(e => e.innerText.includes('Unlock the page'));
		return n ? n.closest('tr').previousElementSibling.getAttribute('data-new') || '' : ''; })()`); got != line {
		t.Errorf("the comment sits under line %q, want %q", got, line)
	}
	b.Screenshot("commented")

	b.Do(chromedp.Click(chromedp.CSS(".dv-finding form.dismiss button[type=submit]")))
	waitFor("the dismissed finding", `document.body.innerText.includes('Dismissed as false-positive by Jan Kara')`)
	b.Screenshot("dismissed")

	b.Do(chromedp.Click(chromedp.CSS("#reply-link")))
	waitFor("the reply page", `!!document.getElementById('reply-body')`)
	body := eval(`document.getElementById('reply-body').value`)
	for _, want := range []string{"Ravi Iyer wrote:", "Unlock the page before this return.", "> +"} {
		if !strings.Contains(body, want) {
			t.Errorf("reply lacks %q:\n%s", want, body)
		}
	}
	b.Screenshot("reply")
	eml := browsertest.Get(b, chromedp.Evaluate[string](`fetch(document.getElementById('eml').href).then(r => r.text())`,
		chromedp.EvalAwaitPromise))
	if !strings.Contains(eml, "In-Reply-To: <20260112090000.2-ravi@example.org>") || !strings.Contains(eml, "Unlock the page before this return.") {
		t.Errorf("downloaded .eml is not the threaded reply:\n%s", eml)
	}
}

// oldSidePatch is a patch mail that removes a line.
const oldSidePatch = "From: Eric Biggers <ebiggers@example.org>\nTo: linux-nilfs@vger.kernel.org\nCc: linux-fsdevel@vger.kernel.org\n" +
	"Subject: [PATCH] nilfs2: only call unlock_new_inode() if I_NEW\nMessage-ID: <old-side-1@example.org>\n" +
	"Date: Sun, 28 Jun 2020 00:01:52 -0700\n\nOnly unlock a new inode.\n\nSigned-off-by: Eric Biggers <ebiggers@example.org>\n---\n" +
	"diff --git a/fs/nilfs2/inode.c b/fs/nilfs2/inode.c\n--- a/fs/nilfs2/inode.c\n+++ b/fs/nilfs2/inode.c\n" +
	"@@ -388,7 +388,8 @@ struct inode *nilfs_new_inode(struct inode *dir, umode_t mode)\n \n  failed_after_creation:\n \tclear_nlink(inode);\n" +
	"-\tunlock_new_inode(inode);\n+\tif (inode->i_state & I_NEW)\n+\t\tunlock_new_inode(inode);\n \tiput(inode);\n \treturn ERR_PTR(err);\n }\n"

// TestOldSideCommentAndSendInBrowser: signed in, a reviewer comments on a
// removed line (old side) in both layouts, the comment shows under it, and
// the reply is sent to an SMTP server the test runs, quoting the removed line.
func TestOldSideCommentAndSendInBrowser(t *testing.T) {
	relay := startSMTP(t, "jack", "relay pass")
	mailer, err := NewMailer(relay.url(), "")
	if err != nil {
		t.Fatal(err)
	}
	s, st := newTestServer(t, Options{Mailer: mailer})
	if _, err := st.IngestBytes(context.Background(), []byte(oldSidePatch), "test", nil); err != nil {
		t.Fatal(err)
	}
	u, _ := st.AddUser(context.Background(), "Jan Kara", "jack@example.org", false)
	st.SetPassword(context.Background(), u.ID, "a long enough password")
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	b := browsertest.New(t)
	eval := func(js string) string { return browsertest.Get(b, chromedp.Evaluate[string](js)) }
	waitFor := b.WaitFor
	b.Do(chromedp.Navigate(srv.URL+"/signin?next=/patches/1"), chromedp.WaitReady(chromedp.CSS("form.signin")))
	b.Do(
		chromedp.SetValue(chromedp.CSS("form.signin input[name=email]"), "jack@example.org"),
		chromedp.SetValue(chromedp.CSS("form.signin input[name=password]"), "a long enough password"),
		chromedp.Click(chromedp.CSS("form.signin button[type=submit]")),
	)
	waitFor("the patch page", `location.pathname === '/patches/1' && !!document.getElementById('dv')`)
	for _, view := range []string{"unified", "split"} {
		b.Do(chromedp.Navigate(srv.URL+"/patches/1?view="+view), chromedp.WaitReady(chromedp.CSS("#dv")))
		// The removed line 391 has its old-side number as a comment link.
		b.Do(chromedp.Click(chromedp.CSS(`#f1-o391 a[data-side=old]`)))
		waitFor("the old-side form", `document.getElementById('dv-comment-form').elements.side.value === 'old'`)
		if got := eval(`(() => { const f = document.getElementById('dv-comment-form'); return [f.elements.line.value, f.closest('tr').previousElementSibling.dataset.old || f.closest('tr').previousElementSibling.previousElementSibling.dataset.old].join('|'); })()`); got != "391|391" {
			t.Errorf("%s: form on %q, want line 391 under the removed line", view, got)
		}
		body := "The old unconditional unlock (" + view + ")."
		b.Do(
			chromedp.SetValue(chromedp.CSS("#dv-comment-form textarea[name=body]"), body),
			chromedp.Click(chromedp.CSS("#dv-comment-form button[type=submit]")),
		)
		waitFor("the comment under the removed line", `(() => { const n = [...document.querySelectorAll('.dv-comment')].find(e => e.innerText.includes('`+body+`'));
			if (!n) return false; let tr = n.closest('tr').previousElementSibling; return tr.dataset.old === '391'; })()`)
		b.Screenshot("old-side-" + view)
	}
	b.Do(chromedp.Navigate(srv.URL+"/patches/1/reply"), chromedp.WaitReady(chromedp.CSS("#send")))
	if h := eval(`document.getElementById('reply-headers').innerText`); !strings.Contains(h, "ebiggers@example.org") || !strings.Contains(h, "linux-nilfs@vger.kernel.org") || !strings.Contains(h, "<old-side-1@example.org>") {
		t.Errorf("reply headers shown: %q", h)
	}
	b.Do(chromedp.Click(chromedp.CSS("#send")))
	waitFor("the sent confirmation", `!!document.getElementById('sent')`)
	b.Screenshot("sent")
	sent := relay.sent()
	if len(sent) != 1 {
		t.Fatalf("the relay got %d mails", len(sent))
	}
	if !strings.Contains(sent[0].data, "> -\tunlock_new_inode(inode);\r\n\r\nThe old unconditional unlock (unified).") {
		t.Errorf("the sent reply does not quote the removed line above the remark:\n%s", sent[0].data)
	}
	if sent[0].from != "jack@example.org" || len(sent[0].to) != 3 {
		t.Errorf("envelope from %q to %v", sent[0].from, sent[0].to)
	}
}

// TestOwnershipInBrowser: Mallory, signed in, sees Jan's comment without
// edit or delete, and a delete forged from her page is refused; Jan, in
// his own session, deletes it with the visible delete button.
func TestOwnershipInBrowser(t *testing.T) {
	s, st := newTestServer(t, Options{})
	ctx := context.Background()
	if _, err := st.IngestBytes(ctx, readFixture(t, fixture), "test", nil); err != nil {
		t.Fatal(err)
	}
	for _, who := range [][2]string{{"Jan Kara", "jack@example.org"}, {"Mallory", "mallory@example.org"}} {
		u, _ := st.AddUser(ctx, who[0], who[1], false)
		st.SetPassword(ctx, u.ID, "a long enough password")
	}
	jan, _ := st.UserByEmail(ctx, "jack@example.org")
	cid, err := st.AddComment(ctx, review.Comment{PatchID: 4, Author: jan.Address(), UserID: jan.ID, Path: "fs/shadowfs/aops.c", Line: 26, Body: "Jan's words."})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	signInAs := func(b *browsertest.Browser, email string) {
		b.Do(chromedp.Navigate(srv.URL+"/signin?next=/patches/4"), chromedp.WaitReady(chromedp.CSS("form.signin")))
		b.Do(
			chromedp.SetValue(chromedp.CSS("form.signin input[name=email]"), email),
			chromedp.SetValue(chromedp.CSS("form.signin input[name=password]"), "a long enough password"),
			chromedp.Click(chromedp.CSS("form.signin button[type=submit]")),
			chromedp.WaitReady(chromedp.CSS("#dv")),
		)
	}
	id := strconv.FormatInt(cid, 10)
	mallory := browsertest.New(t)
	signInAs(mallory, "mallory@example.org")
	if n := browsertest.Get(mallory, chromedp.Evaluate[int](`document.querySelectorAll('#comment-`+id+` form').length`)); n != 0 {
		t.Errorf("Mallory is offered %d forms on Jan's comment", n)
	}
	status := browsertest.Get(mallory, chromedp.Evaluate[int](`fetch('/comments/`+id+`/delete', {method: 'POST'}).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if status != http.StatusForbidden {
		t.Errorf("Mallory's forged delete: %d, want 403", status)
	}
	if c, err := st.CommentByID(ctx, cid); err != nil || c.Body != "Jan's words." {
		t.Fatalf("Jan's comment after Mallory's try: %v %+v", err, c)
	}
	mallory.Screenshot("mallory")

	janB := browsertest.New(t)
	signInAs(janB, "jack@example.org")
	janB.Do(chromedp.Click(chromedp.CSS(`#comment-` + id + ` form.dv-delete button`)))
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := st.CommentByID(ctx, cid); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Jan's visible delete button did not delete his comment")
		}
	}
}
