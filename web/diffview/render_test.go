package diffview

import (
	"bytes"
	"html/template"
	"regexp"
	"strings"
	"testing"

	"patchreview/review"
)

// render executes one named partial on a view built from the test patch.
func render(t testing.TB, name string, v *View) string {
	t.Helper()
	tmpl, err := ParseTemplates(template.New("page"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, name, v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

const evilName = `evil/"><img onerror=x>.c`

// xssFiles is the test patch plus a file whose name and line carry markup.
func xssFiles(t testing.TB) []*review.File {
	return append(loadPatch(t), &review.File{NewName: evilName, IsNew: true, Hunks: []*review.Hunk{{
		NewStart: 1, NewLines: 1, Lines: []review.Line{{Kind: review.LineAdd, New: 1, Text: `char *s = "<script>alert(1)</script>";`}},
	}}})
}

// xssNotes are testNotes plus a finding with markup in its message.
func xssNotes() ([]review.Finding, []review.Comment) {
	findings, comments := testNotes()
	findings = append(findings, review.Finding{Rule: "r", Severity: "error", Path: evilName, Line: 1, Message: `"><img onerror=x>`})
	return findings, comments
}

// xssView builds the view of xssFiles with xssNotes.
func xssView(t testing.TB, split bool) *View {
	findings, comments := xssNotes()
	return Build(xssFiles(t), findings, comments, Options{PageURL: "/patches/7", Rules: ruleLookup, Split: split, CommentURL: "/patches/7/comments"})
}

func TestRenderUnified(t *testing.T) {
	out := render(t, "diffview", xssView(t, false))
	for _, want := range []string{
		`id="f1"`, `id="f1-n58"`, `id="f1-o56"`, `id="finding-1"`, `id="comment-1"`,
		`<a href="#f1-n58" class="dv-where">fs/shadowfs/aops.c:58</a>`,
		`data-unfold="f1-x1"`, `hidden data-fold="f1-x1"`,
		`href="/patches/7?view=split"`, `action="/patches/7/comments"`, `data-comment-url="/patches/7/comments"`,
		`<a href="/rules/writepage-unlock-all-paths" class="dv-rule">`,
		`<span class="cm">/*</span>`, `<span class="k">return</span>`,
		`<section class="dv-general">`, `general remark`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("unified page lacks %s", want)
		}
	}
	assertEscaped(t, out)
	if n := strings.Count(out, `<tr class="dv-add"`); n != 8 {
		t.Errorf("added rows = %d, want 8 (6 C, 1 Makefile, 1 evil file)", n)
	}
	if strings.Contains(out, "dv-r-add") {
		t.Error("unified page has side-by-side cells")
	}
}

func TestRenderSplit(t *testing.T) {
	out := render(t, "diffview", xssView(t, true))
	for _, want := range []string{`class="dv-files dv-split"`, `id="f1-o56"`, `id="f1-n58"`, `dv-l-del`, `dv-r-add`, `data-view="split"`} {
		if !strings.Contains(out, want) {
			t.Errorf("split page lacks %s", want)
		}
	}
	assertEscaped(t, out)
}

// assertEscaped checks that no markup from file names, code, messages,
// comment bodies or rule docs reached the page as markup.
func assertEscaped(t *testing.T, out string) {
	t.Helper()
	for _, bad := range []string{"<script>", "<img", "onerror=x>", "raw HTML omitted"} {
		if strings.Contains(out, bad) {
			i := strings.Index(out, bad)
			t.Errorf("page contains raw %q: …%s…", bad, out[max(0, i-80):min(len(out), i+40)])
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img onerror=x&gt;"} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks the escaped text %q", want)
		}
	}
	ids := regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(out, -1)
	seen := map[string]bool{}
	for _, m := range ids {
		if seen[m[1]] {
			t.Errorf("id %q appears twice", m[1])
		}
		seen[m[1]] = true
	}
}

func TestRenderSummaryAlone(t *testing.T) {
	out := render(t, "diffview-findings-summary", xssView(t, false))
	if !strings.Contains(out, "Findings: 2 errors, 1 warning, 1 info") || !strings.Contains(out, "Not on a line of this diff") {
		t.Errorf("summary = %s", out)
	}
	if strings.Count(out, "<li class=\"dv-sev-") != 3 {
		t.Errorf("summary lists %d placed findings, want 3", strings.Count(out, "<li class=\"dv-sev-"))
	}
}
