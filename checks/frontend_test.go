package checks

import (
	"strconv"
	"strings"
	"testing"
)

func lines(src string) []srcLine {
	var out []srcLine
	for i, l := range strings.Split(src, "\n") {
		out = append(out, srcLine{num: i + 1, text: l, added: true})
	}
	return out
}

// TestLex checks comments, strings, character literals, preprocessor
// continuations and multi-character punctuators.
func TestLex(t *testing.T) {
	src := "#define X(a) \\\n\tfoo(a)\nint a = b->c; /* x\n y */ s = \"a;b\"; c = 'x'; // tail\nd <<= 2; e = \"open\nf++;"
	var got []string
	for _, tk := range lexLines(lines(src)) {
		got = append(got, tk.text)
	}
	want := "int a = b -> c ; s = \"a;b\" ; c = 'x' ; d <<= 2 ; e = \"open f ++ ;"
	if strings.Join(got, " ") != want {
		t.Errorf("tokens\n got %q\nwant %q", strings.Join(got, " "), want)
	}
}

// TestExtractFunctions checks signatures, attributes, initialisers and
// column-0 resynchronisation after an unbalanced brace.
func TestExtractFunctions(t *testing.T) {
	src := `static const struct address_space_operations a_ops = {
	.writepage = foo_writepage,
};
static int foo_writepage(struct page *page, struct writeback_control *wbc)
	__releases(x)
{
	if (x) {
		y();
}
static void
bar(void)
{
	list_for_each_entry(p, &l, lru) {
		z(p);
	}
}`
	fs := extractFunctions(lexLines(lines(src)))
	if len(fs) != 2 {
		t.Fatalf("got %d functions", len(fs))
	}
	if fs[0].name != "foo_writepage" || len(fs[0].params) != 2 || fs[0].params[1].name != "wbc" ||
		!strings.Contains(fs[0].params[0].typ, "struct page") {
		t.Errorf("first function %+v", fs[0])
	}
	if fs[1].name != "bar" || len(fs[1].params) != 0 || !fs[1].startKnown || !fs[1].endKnown {
		t.Errorf("second function %+v", fs[1])
	}
}

// TestParseStatements checks the statement tree of the odd constructs.
func TestParseStatements(t *testing.T) {
	src := "if (a) b(); else { c(); } switch (x) { case 1: d(); break; default: e(); } " +
		"do { f(); } while (g); for (;;) break; out: return 1; goto out; list_for_each(p, h) q(p); BUG();"
	body := parseBody(lexLines(lines(src)))
	var kinds []stmtKind
	for _, s := range body.list {
		kinds = append(kinds, s.kind)
	}
	want := []stmtKind{sIf, sSwitch, sDo, sFor, sLabel, sReturn, sGoto, sWhile, sDead}
	if len(kinds) != len(want) {
		t.Fatalf("kinds %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Errorf("statement %d: kind %d, want %d", i, kinds[i], want[i])
		}
	}
}

// TestParseDiff checks multi-file diffs, hunk gaps, deletions and
// new-side line numbers, and that a mail signature is not a deletion.
func TestParseDiff(t *testing.T) {
	diff := `Subject: x

--- a/fs/a.c
+++ b/fs/a.c
@@ -10,3 +10,3 @@ static int f(void)
 	a();
-	b();
+	c();
 	d();
@@ -30,2 +30,3 @@ static int f(void)
 	e();
+	g();
 	h();
--- a/Makefile
+++ b/Makefile
@@ -1 +1 @@
-x
+y
--- a/fs/b.h
+++ /dev/null
@@ -1 +0,0 @@
-gone
-- 
2.40.0
`
	us := parseDiff(diff)
	if len(us) != 1 || us[0].path != "fs/a.c" {
		t.Fatalf("units %+v", us)
	}
	var b strings.Builder
	for _, l := range us[0].lines {
		switch {
		case l.gap:
			b.WriteString("gap ")
		case l.added:
			b.WriteString("+")
			fallthrough
		default:
			b.WriteString(strings.TrimSpace(l.text) + "@" + strconv.Itoa(l.num))
			if l.touched {
				b.WriteString("!")
			}
			b.WriteString(" ")
		}
	}
	want := "gap a();@10 +c();@11! d();@12 gap e();@30 +g();@31 h();@32 "
	if b.String() != want {
		t.Errorf("post-image\n got %q\nwant %q", b.String(), want)
	}
}

// TestCodeUnitProse checks that prose in a pasted body is blanked and that
// quoted code in a reply is what gets analysed, with body line numbers.
func TestCodeUnitProse(t *testing.T) {
	body := "Hi Hugh, here's the code (and it would need updating to a loop over several pages (or better,\n\n> static int f(struct page *page, struct writeback_control *wbc)\n> {\n>\tunlock_page(page);\n>\treturn 0;\n> }\nLooks right to me, doesn't it?"
	u := codeUnit("x.c", body)
	if u.lines[0].text != "" || u.lines[7].text != "" {
		t.Errorf("prose kept: %q / %q", u.lines[0].text, u.lines[7].text)
	}
	if u.lines[4].text != "\tunlock_page(page);" || u.lines[4].num != 5 {
		t.Errorf("quoted code line %+v", u.lines[4])
	}
	if fs := extractFunctions(lexLines(u.lines)); len(fs) != 1 || fs[0].name != "f" {
		t.Errorf("functions %+v", fs)
	}
}

// TestEra checks explicit versions and inference from the code.
func TestEra(t *testing.T) {
	cases := []struct {
		src, opt       string
		atLeast, older int
		want           bool
	}{
		{"x = PAGE_CACHE_SIZE;", "", 0, v46, true},
		{"folio_unlock(f); y = PAGE_CACHE_SIZE;", "", v516, 0, true},
		{"kmap_local_page(p);", "", v511, 0, true},
		{"", "2.6.23", 0, v2639, true},
		{"", "v6.12-rc1", v612, 0, true},
		{"x();", "", v46, 0, false},
	}
	for _, c := range cases {
		e := inferEra(lexLines(lines(c.src)), c.opt)
		got := (c.atLeast == 0 || e.atLeast(c.atLeast)) && (c.older == 0 || e.before(c.older))
		if got != c.want {
			t.Errorf("%q %q: era %+v", c.src, c.opt, e)
		}
	}
}

// TestFindingsSortedAndAnchored checks CheckDiff's order, dedup, function
// names, code and line numbers on a two-file diff.
func TestFindingsSortedAndAnchored(t *testing.T) {
	diff := `--- a/fs/b.c
+++ b/fs/b.c
@@ -1,0 +1,3 @@
+static void b(struct page *p) {
+	x = PAGE_CACHE_SIZE;
+}
--- a/fs/a.c
+++ b/fs/a.c
@@ -5,0 +5,3 @@
+static void a(struct page *p) {
+	y = PAGE_CACHE_SIZE + PAGE_CACHE_SHIFT;
+}
`
	fs := CheckDiff(diff, Options{KernelVersion: "5.10"})
	if len(fs) != 2 {
		t.Fatalf("findings %+v", fs)
	}
	if fs[0].Path != "fs/a.c" || fs[0].Line != 6 || fs[0].Function != "a" || fs[0].Code != "\ty = PAGE_CACHE_SIZE + PAGE_CACHE_SHIFT;" {
		t.Errorf("first %+v", fs[0])
	}
	if fs[1].Path != "fs/b.c" || fs[1].Line != 2 || fs[1].Severity != Error {
		t.Errorf("second %+v", fs[1])
	}
}
