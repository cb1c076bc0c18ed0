package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

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
	waitFor := func(what, js string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			// The page may be between two loads: an error means not yet.
			if browsertest.Get(b, chromedp.Evaluate[bool]("(() => { try { return !!("+js+"); } catch (e) { return false; } })()")) {
				return
			}
		}
		t.Fatalf("timed out waiting for %s", what)
	}

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
