package diffview

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"patchreview/web/browsertest"
)

const testPage = `{{define "page"}}<!doctype html><html><head><meta charset="utf-8"><title>patch</title>
<link rel="stylesheet" href="/static/diffview.css"><link rel="stylesheet" href="/static/chroma.css">
<style>body{margin:0;padding:8px 16px}@media (prefers-color-scheme: dark){body{background:#0d1117}}</style>
</head><body>{{template "diffview" .}}<script src="/static/review.js"></script></body></html>{{end}}`

// testServer serves the test patch the way the web layer should: the
// layout from ?view= or the cookie, the context from ?context=.
func testServer(t *testing.T) *httptest.Server {
	tmpl := template.Must(ParseTemplates(template.Must(template.New("x").Parse(testPage))))
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServerFS(Static())))
	mux.HandleFunc("/patches/7", func(w http.ResponseWriter, r *http.Request) {
		split, cookie := SplitFromRequest(r)
		if cookie != nil {
			http.SetCookie(w, cookie)
		}
		opts := Options{PageURL: "/patches/7", Rules: CheckRules, Split: split, ExpandAll: ExpandFromRequest(r),
			CommentURL: "/patches/7/comments", CommentAt: CommentAtFromRequest(r)}
		findings, comments := xssNotes()
		v := Build(xssFiles(t), findings, comments, opts)
		var b bytes.Buffer
		if err := tmpl.ExecuteTemplate(&b, "page", v); err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
		w.Write(b.Bytes())
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func eval[T any](b *browsertest.Browser, js string) T {
	return browsertest.Get(b, chromedp.Evaluate[T](js))
}

func TestBrowserKeyboard(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	srv := testServer(t)
	b := browsertest.New(t)
	b.Do(chromedp.Navigate(srv.URL+"/patches/7"), chromedp.WaitReady(chromedp.CSS("#dv")))
	active := func() string { return eval[string](b, "document.activeElement.id") }
	focusLine := func() string {
		return eval[string](b, "(document.querySelector('tr.dv-focus') || {dataset: {}}).dataset.new || ''")
	}

	b.Do(chromedp.KeyEvent("j"))
	if a, l := active(), focusLine(); a != "comment-1" || l != "29" {
		t.Errorf("after j: focus %q on line %q, want comment-1 on 29", a, l)
	}
	b.Do(chromedp.KeyEvent("j"), chromedp.KeyEvent("j"))
	if a, l := active(), focusLine(); a != "finding-2" || l != "60" {
		t.Errorf("after j j j: focus %q on line %q, want finding-2 on 60", a, l)
	}
	b.Do(chromedp.KeyEvent("k"))
	if a := active(); a != "finding-1" {
		t.Errorf("after k: focus %q, want finding-1", a)
	}
	b.Do(chromedp.KeyEvent("c"))
	if got := eval[string](b, `(() => { const f = document.getElementById('dv-comment-form');
		return [f.closest('tr') ? 'inline' : 'bottom', f.elements.path.value, f.elements.line.value,
		document.activeElement.name, f.elements.body.value].join('|'); })()`); got != "inline|fs/shadowfs/aops.c|58|body|" {
		t.Errorf("after c: form %q, want inline|fs/shadowfs/aops.c|58|body|", got)
	}
	b.Do(chromedp.KeyEvent(kb.Escape))
	if got := eval[string](b, "document.getElementById('dv-comment-form').parentNode.className + '|' + document.getElementById('dv-comment-form').elements.line.value"); got != "dv-general|" {
		t.Errorf("after Escape the form sits in %q, want back in the general section, emptied", got)
	}
	// Clicking a new-side line number opens the form there too.
	b.Do(chromedp.Click(chromedp.CSS(`#f1-n29 a`)))
	if got := eval[string](b, "document.getElementById('dv-comment-form').elements.line.value + '|' + location.search"); got != "29|" {
		t.Errorf("clicking line 29: form line|query = %q, want 29 and no reload", got)
	}
	b.Do(chromedp.KeyEvent(kb.Escape))

	// n and p move from where the reader is: line 29 of file 1.
	b.Do(chromedp.KeyEvent("n"), chromedp.KeyEvent("n"))
	if a := active(); a != "f3" {
		t.Errorf("after n n from a line of f1: focus %q, want f3", a)
	}
	b.Do(chromedp.KeyEvent("p"))
	if a := active(); a != "f2" {
		t.Errorf("after p: focus %q, want f2", a)
	}
	// j after n goes to the first note after that file's header, not back to file 1.
	b.Do(chromedp.KeyEvent("j"))
	if after := eval[bool](b, "!!(document.getElementById('f2').compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING) && document.activeElement.hasAttribute('data-note')"); !after {
		t.Errorf("j after n focused %q, not a note after file 2's header", active())
	}
	// p from a note goes to the header of its file.
	want := eval[string](b, "(() => { const hs = [...document.querySelectorAll('[data-file]')]; let h = null; for (const x of hs) { if (x.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING) h = x; } return h ? h.id : ''; })()")
	b.Do(chromedp.KeyEvent("p"))
	if a := active(); a != want || want == "" {
		t.Errorf("p from a note: focus %q, want its file's header %q", a, want)
	}
	helpShown := func() bool {
		return eval[bool](b, "getComputedStyle(document.getElementById('dv-help')).display !== 'none'")
	}
	b.Do(chromedp.KeyEvent("?"))
	if !helpShown() {
		t.Error("? did not show the help")
	}
	b.Screenshot("help")
	b.Do(chromedp.KeyEvent("?"))
	if helpShown() {
		t.Error("a second ? did not hide the help")
	}

	hiddenRows := "document.querySelectorAll('tr[data-fold]:not([hidden])').length"
	if n := eval[int](b, hiddenRows); n != 0 {
		t.Errorf("%d folded rows visible before unfolding", n)
	}
	b.Do(chromedp.Click(chromedp.CSS("a[data-unfold]")))
	if n := eval[int](b, hiddenRows); n != 13 {
		t.Errorf("unfolding showed %d rows, want 13", n)
	}
	b.Do(chromedp.Click(chromedp.CSS("#finding-1 summary")))
	b.Screenshot("unified-light")
	screenshotDark(b, "unified-dark")
}

// TestBrowserWithoutJavaScript: with scripts off, the line number link
// reloads the page with the form open under that line.
func TestBrowserWithoutJavaScript(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	srv := testServer(t)
	b := browsertest.New(t)
	b.Do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	b.Do(chromedp.Navigate(srv.URL+"/patches/7"), chromedp.WaitReady(chromedp.CSS("#dv")))
	b.Do(chromedp.Click(chromedp.CSS(`#f1-n56 a`)), chromedp.WaitReady(chromedp.CSS("#dv-line-form")))
	got := browsertest.Get(b, chromedp.Evaluate[string](`document.querySelector('#dv-line-form input[name=line]').value + '|' + location.search`))
	if got != "56|?view=unified&comment=f1-n56" {
		t.Errorf("form line|query = %q", got)
	}
	b.Screenshot("nojs-form")
	// Line 45 is folded; a form opened on it (a link from elsewhere) shows it.
	b.Do(chromedp.Navigate(srv.URL+"/patches/7?comment=f1-n45"), chromedp.WaitReady(chromedp.CSS("#dv-line-form")))
	if hidden := browsertest.Get(b, chromedp.Evaluate[bool](`document.getElementById('f1-n45').closest('tr').hidden`)); hidden {
		t.Error("the line with the open form is folded away")
	}
}

func TestBrowserLayoutToggleRemembered(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	srv := testServer(t)
	b := browsertest.New(t)
	b.Do(chromedp.Navigate(srv.URL+"/patches/7"), chromedp.WaitReady(chromedp.CSS(".dv-unified")))
	b.Do(chromedp.Click(chromedp.CSS(`a[data-set-view="split"]`)), chromedp.WaitReady(chromedp.CSS(".dv-split")))
	if got := eval[string](b, "localStorage.getItem('dv-view')"); got != "split" {
		t.Errorf("localStorage dv-view = %q, want split", got)
	}
	// A plain visit now gets the side-by-side page from the cookie.
	b.Do(chromedp.Navigate(srv.URL+"/patches/7"), chromedp.WaitReady(chromedp.CSS("#dv")))
	if got := eval[string](b, "document.getElementById('dv').dataset.view"); got != "split" {
		t.Errorf("revisit shows %q, want split", got)
	}
	b.Do(chromedp.KeyEvent("j"))
	if a := eval[string](b, "document.activeElement.id"); a != "comment-1" {
		t.Errorf("j in the split view focused %q, want comment-1", a)
	}
	b.Screenshot("split-light")
	screenshotDark(b, "split-dark")
}

// screenshotDark saves a screenshot with prefers-color-scheme: dark.
func screenshotDark(b *browsertest.Browser, name string) {
	b.Do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
		})
		return err
	}))
	b.Screenshot(name)
}

// brokenTokens is JavaScript that lists the C tokens (runs of word
// characters and ->) in side-by-side code cells that the browser wrapped
// across two lines.
const brokenTokens = `(() => {
  const out = [];
  for (const td of document.querySelectorAll('.dv-split td.dv-code')) {
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    const chars = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (let i = 0; i < n.data.length; i++) chars.push([n, i]);
    }
    const text = chars.map(([n, i]) => n.data[i]).join('');
    const re = /[A-Za-z0-9_]+(?:->[A-Za-z0-9_]+)*/g;
    let m;
    while ((m = re.exec(text))) {
      const tops = new Set();
      for (let k = m.index; k < m.index + m[0].length; k++) {
        const r = document.createRange();
        r.setStart(chars[k][0], chars[k][1]); r.setEnd(chars[k][0], chars[k][1] + 1);
        const rect = r.getClientRects()[0];
        if (rect) tops.add(Math.round(rect.top));
      }
      if (tops.size > 1) out.push(m[0]);
    }
  }
  return out.join(' ');
})()`

// TestSplitViewKeepsTokensWhole: at 1024 px the side-by-side view wraps
// long lines between tokens, never inside one (page->mapping, names).
func TestSplitViewKeepsTokensWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	srv := testServer(t)
	b := browsertest.New(t)
	for _, width := range []int64{1024, 800} {
		b.Do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: width, Height: 900, DeviceScaleFactor: 1})
			return err
		}))
		b.Do(chromedp.Navigate(srv.URL+"/patches/7?view=split"), chromedp.WaitReady(chromedp.CSS(".dv-split")))
		if got := eval[string](b, brokenTokens); got != "" {
			t.Errorf("at %d px these tokens are broken across lines: %s", width, got)
		}
		if wrapped := eval[bool](b, `[...document.querySelectorAll('.dv-split td.dv-code')].some(td => td.getClientRects()[0].height > 20)`); !wrapped && width == 800 {
			t.Logf("no line wrapped at %d px: the test patch has no long line", width)
		}
	}
	b.Screenshot("split-1024")
}
