package browsertest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const page = `<!doctype html><title>t</title><p id=out>none</p>
<script>document.addEventListener('keydown', e => { document.getElementById('out').textContent = 'key ' + e.key; });</script>`

func TestKeyboardAndScreenshot(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, page) }))
	defer srv.Close()
	t.Setenv("PATCHREVIEW_SCREENSHOTS", t.TempDir())
	b := New(t)
	b.Do(chromedp.Navigate(srv.URL), chromedp.WaitReady(chromedp.CSS("#out")), chromedp.KeyEvent("j"))
	out := Get(b, chromedp.Text(chromedp.CSS("#out")))
	if out != "key j" {
		t.Errorf("after pressing j the page says %q, want %q", out, "key j")
	}
	if errs := b.Errors(); len(errs) != 0 {
		t.Errorf("a clean page reported errors: %q", errs)
	}
	png, err := os.ReadFile(b.Screenshot("page"))
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
}

func TestConsoleErrorsAreRecorded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><script>console.error("boom"); undefinedFunction();</script>`)
	}))
	defer srv.Close()
	// A sub-test's browser would fail this test at cleanup; inspect Errors
	// directly through a fake TB instead.
	ft := &fakeTB{TB: t}
	b := New(ft)
	b.Do(chromedp.Navigate(srv.URL), chromedp.WaitReady(chromedp.CSS("body")))
	errs := strings.Join(b.Errors(), "\n")
	if !strings.Contains(errs, "boom") || !strings.Contains(errs, "undefinedFunction") {
		t.Errorf("errors = %q, want the console.error and the ReferenceError", errs)
	}
}

// fakeTB swallows Errorf so the deliberate page errors do not fail the test.
type fakeTB struct{ testing.TB }

func (f *fakeTB) Errorf(format string, args ...any) {}
