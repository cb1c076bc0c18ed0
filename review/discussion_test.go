package review

import (
	"strings"
	"testing"
)

const (
	codeMailFile   = "real-mail/linux-mm-2007-aop-writepage-activate/2007-10-28_ezk_unionfs_writepage_v_buggy.eml"
	reviewMailFile = "real-mail/linux-mm-2007-aop-writepage-activate/2007-10-29_hugh_review_of_unionfs_writepage.eml"
)

// lineOf returns the body line (1-based) of the first line containing text
// after the first line containing after ("" for the start).
func lineOf(t *testing.T, body, after, text string) int {
	t.Helper()
	lines := strings.Split(body, "\n")
	i := 0
	if after != "" {
		for i < len(lines) && !strings.Contains(lines[i], after) {
			i++
		}
		i++
	}
	for ; i < len(lines); i++ {
		if strings.Contains(lines[i], text) {
			return i + 1
		}
	}
	t.Fatalf("%q after %q not in the code mail", text, after)
	return 0
}

// TestReferenceReviewAnchors parses Hugh Dickins' review of 29 Oct 2007 as
// a reply to Erez Zadok's mail of 28 Oct with the pasted functions; each of
// Hugh's paragraphs must anchor on the code line it follows in the review.
func TestReferenceReviewAnchors(t *testing.T) {
	code := parseFile(t, codeMailFile)
	rev := parseFile(t, reviewMailFile)
	r := ParseReply(rev.Body)
	if r.Attribution != "On Sun, 28 Oct 2007, Erez Zadok wrote:" {
		t.Errorf("attribution %q", r.Attribution)
	}
	comments := Anchor(r, CodeTargets("", code.Body))
	want := []struct{ para, after, line string }{
		{"On reflection, I think I went too far", "", "* We turn off __GFP_IO|__GFP_FS so as to prevent a deadlock under"},
		{"Hmm, several points on that.", "lower_page = grab_cache_page(mapping, page->index);", "mapping_set_gfp_mask(mapping, old_gfp_mask);"},
		{"You need to unlock_page, don't you?", "if (!lower_page) {", "set_page_dirty(page);"},
		{"Better to use kmap_atomic.", "memcpy(lower_kaddr, kaddr, PAGE_CACHE_SIZE);", "kunmap(lower_page);"},
		{"Another instance of that confusion", "err = mapping->a_ops->writepage(lower_page, wbc);", "unlock_page(lower_page);"},
		{"Page needs to be unlocked", "if (err < 0) {", "ClearPageUptodate(page);"},
		{"Right (once you've got the locking right).", "if (err == AOP_WRITEPAGE_ACTIVATE)", "err = 0;"},
		{"I'm not going to comment much on your unionfs_sync_page", "static void unionfs_sync_page(struct page *page)", "{"},
	}
	for _, w := range want {
		wantLine := lineOf(t, code.Body, w.after, w.line)
		var got *Comment
		for i := range comments {
			if strings.HasPrefix(comments[i].Body, w.para) {
				got = &comments[i]
			}
		}
		if got == nil {
			t.Errorf("no comment starts with %q", w.para)
			continue
		}
		if got.Line != wantLine || !strings.Contains(got.Code, strings.TrimSpace(w.line)) {
			t.Errorf("%q anchors on line %d %q; want line %d %q", w.para, got.Line, got.Code, wantLine, w.line)
		}
	}
	// The opening remarks answer Erez's prose, which is in the same body:
	// they anchor there, not on code; and nothing is lost.
	var all strings.Builder
	for _, c := range comments {
		all.WriteString(c.Body + "\n")
	}
	for _, s := range []string{"That's very encouraging", "The greatest problem is a tmpfs one", "So, stop flipping", "Hugh"} {
		if !strings.Contains(all.String(), s) {
			t.Errorf("the reviewer's text %q was lost", s)
		}
	}
	if strings.Contains(all.String(), "To unsubscribe") || strings.Contains(all.String(), "wrote:") {
		t.Errorf("footer or attribution leaked into comments")
	}
}

func TestParseReplyForms(t *testing.T) {
	body := "Hi Ravi,\n\nOn Mon, 12 Jan 2026 at 09:00, Ravi Iyer <ravi@example.org>\nwrote:\n> +\tif (!lower_page) {\n> > older quote\n>\n> [...]\n> +\t\treturn 0;\n\nUnlock first.\n\nReviewed-by: Jan Kara <jack@example.org>\n> Reviewed-by: Quoted Person <q@example.org>\n-- \nJan\n"
	r := ParseReply(body)
	if r.Attribution != "On Mon, 12 Jan 2026 at 09:00, Ravi Iyer <ravi@example.org> wrote:" {
		t.Errorf("wrapped attribution %q", r.Attribution)
	}
	if len(r.Blocks) != 4 || r.Blocks[0].Text() != "Hi Ravi," || !r.Blocks[1].Quote || r.Blocks[2].Text() != "Unlock first.\n\nReviewed-by: Jan Kara <jack@example.org>" {
		for _, b := range r.Blocks {
			t.Logf("%v %q", b.Quote, b.Text())
		}
		t.Fatalf("blocks wrong")
	}
	if q := r.Blocks[1].Lines; len(q) != 4 || q[1] != "older quote" {
		t.Errorf("quote lines %q (nested quote unwrapped, trim dropped)", q)
	}
	if len(r.Trailers) != 1 || r.Trailers[0] != (Trailer{Key: "Reviewed-by", Value: "Jan Kara <jack@example.org>"}) {
		t.Errorf("trailers %+v (quoted trailers must not count)", r.Trailers)
	}
}

func TestAnchorOnDiff(t *testing.T) {
	files, err := ParseDiff("diff --git a/fs/x.c b/fs/x.c\n--- a/fs/x.c\n+++ b/fs/x.c\n@@ -10,6 +10,7 @@ static int x_writepage(struct page *page)\n \tlower = grab(page);\n \tif (!lower) {\n-\t\tgoto out;\n+\t\tset_page_dirty(page);\n+\t\treturn 0;\n \t}\n \tcopy_highpage(lower, page);\n \tput_page(lower);\n")
	if err != nil {
		t.Fatal(err)
	}
	reply := "On Tue, X wrote:\n> @@ -10,6 +10,7 @@ static int x_writepage(struct page *page)\n>  \tlower = grab(page);\n>  \tif (!lower) {\n> -\t\tgoto out;\n> +        set_page_dirty(page);\n\nThis needs a redirty helper.\n\n> +\t\treturn\n> 0;\n\nStill locked here.\n\n> something the patch never said\n\nGeneral remark.\n"
	cs := Anchor(ParseReply(reply), DiffTargets(files))
	want := []struct {
		line int
		body string
	}{{12, "This needs a redirty helper."}, {13, "Still locked here."}, {0, "General remark."}}
	if len(cs) != len(want) {
		t.Fatalf("comments %+v", cs)
	}
	for i, w := range want {
		if cs[i].Line != w.line || cs[i].Body != w.body || (w.line > 0 && cs[i].Path != "fs/x.c") {
			t.Errorf("comment %d: %+v, want line %d %q", i, cs[i], w.line, w.body)
		}
	}
}

func FuzzParseReply(f *testing.F) {
	f.Add("On X wrote:\n> a\n> > b\nc\n-- \nsig")
	f.Add(">\n>>\n> [...]\n\n")
	f.Fuzz(func(t *testing.T, body string) {
		r := ParseReply(body)
		Anchor(r, CodeTargets("p", body))
	})
}

// A remark under a quoted removed line anchors on that line, on the old
// side: the line it names is gone from the new file.
func TestAnchorRemovedLineOldSide(t *testing.T) {
	p := SplitPatch("Fix.\n---\ndiff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -10,4 +10,2 @@\n int a;\n-int gone;\n-int also_gone;\n int c;\n")
	if p == nil {
		t.Fatal("patch did not parse")
	}
	r := ParseReply("On Mon, Ann wrote:\n> -int gone;\n\nWhy remove this?\n\n> -int also_gone;\n>  int c;\n\nFine.\n")
	cs := Anchor(r, DiffTargets(p.Files))
	if len(cs) != 2 {
		t.Fatalf("%d comments: %+v", len(cs), cs)
	}
	if c := cs[0]; c.Path != "f.c" || c.Line != 11 || c.Side != SideOld || c.Code != "int gone;" {
		t.Errorf("remark on a removed line: %+v, want f.c old line 11", c)
	}
	if c := cs[1]; c.Line != 11 || c.Side != "" {
		t.Errorf("remark on a context line: %+v, want new-side line 11", c)
	}
}

// A reply that quotes the whole mail, commit message and diffstat
// included, anchors each remark on the diff line quoted right above it.
func TestAnchorWholeMailQuote(t *testing.T) {
	p := SplitPatch("Fix.\n---\ndiff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,3 +1,5 @@\n int a;\n+int b;\n+\n int c;\n int d;\n")
	if p == nil {
		t.Fatal("patch did not parse")
	}
	body := "On Mon, Ann wrote:\n> The commit message says a great deal about why this is so,\n> over several lines of prose that match nothing.\n>\n> Signed-off-by: Ann <ann@example.org>\n> ---\n>  f.c | 2 ++\n>  1 file changed\n>\n> diff --git a/f.c b/f.c\n> index 1..2 100644\n> --- a/f.c\n> +++ b/f.c\n> @@ -1,3 +1,5 @@\n>  int a;\n> +int b;\n\nWhy b?\n\n> +\n\nNo blank line here.\n>\n>  int c;\n\nFine.\n"
	cs := Anchor(ParseReply(body), DiffTargets(p.Files))
	want := []int{2, 3, 4}
	if len(cs) != len(want) {
		t.Fatalf("%d comments: %+v", len(cs), cs)
	}
	for i, c := range cs {
		if c.Path != "f.c" || c.Line != want[i] {
			t.Errorf("comment %q on %s:%d, want f.c:%d", c.Body, c.Path, c.Line, want[i])
		}
	}
}

// Attribution lines in other languages and a signature whose "-- " lost
// its space are not comments.
func TestReplyAttributionsAndSignatures(t *testing.T) {
	for _, attr := range []string{
		"Am Mo., 5. Jan. 2026 um 10:00 Uhr schrieb Ann <ann@example.org>:",
		"El lun, 5 ene 2026 a las 10:00, Ann (<ann@example.org>) escribió:",
		"Il giorno lun 5 gen 2026 alle ore 10:00 Ann <ann@example.org> ha scritto:",
		"Den 2026-01-05 kl. 10:00, skrev Ann:",
		"W dniu 5.01.2026 o 10:00, Ann pisze napisał:",
		"2026年1月5日(月) 10:00 Ann <ann@example.org>:さんは書きました:",
		"Ann <ann@example.org> 于2026年1月5日周一 10:00写道：",
	} {
		r := ParseReply(attr + "\n> +int b;\n\nWhy?\n--\nBob\n")
		if r.Attribution == "" || len(r.Blocks) != 2 || r.Blocks[1].Text() != "Why?" {
			t.Errorf("%q: attribution %q, blocks %+v", attr, r.Attribution, r.Blocks)
		}
	}
}

// Trailers in replies as b4 am reads them.
func TestFollowupTrailers(t *testing.T) {
	body := "> Signed-off-by: Ann <ann@example.org>\n\nLooks fine.\n\nReviewed-By: Bob <bob@example.org>\nacked-by: Bob <bob@example.org>\nReported-and-tested-by: Bob <bob@example.org>\n" +
		"Fixes: 0123456789ab (\"f: add a\n  helper\")\nLink: https://lore.kernel.org/r/x@y\nCloses: https://bugzilla.kernel.org/1\nSee: https://example.org/\nNote: not a trailer\nCc: someone <s@example.org>\n"
	r := ParseReply(body)
	want := []string{"Reviewed-by: Bob <bob@example.org>", "Acked-by: Bob <bob@example.org>", "Reported-by: Bob <bob@example.org>", "Tested-by: Bob <bob@example.org>",
		"Fixes: 0123456789ab (\"f: add a helper\")", "Link: https://lore.kernel.org/r/x@y", "Closes: https://bugzilla.kernel.org/1"}
	var got []string
	for _, tr := range r.Trailers {
		got = append(got, tr.Key+": "+tr.Value)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("trailers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	bob := Address{Name: "Bob", Email: "bob@example.org"}
	for _, tc := range []struct {
		tr   Trailer
		from Address
		ok   bool
	}{
		{Trailer{Key: "Reviewed-by", Value: "Bob <bob@example.org>"}, bob, true},
		{Trailer{Key: "Reviewed-by", Value: "Bob <BOB+lkml@example.org>"}, bob, true},
		{Trailer{Key: "Reviewed-by", Value: "Bob <bob@mail.example.org>"}, bob, true},
		{Trailer{Key: "Reviewed-by", Value: "bob <bob@work.example.com>"}, bob, true}, // the name matches
		{Trailer{Key: "Reviewed-by", Value: "Cid <cid@example.org>"}, bob, false},
		{Trailer{Key: "Fixes", Value: "0123456789ab (\"x\")"}, bob, true},
	} {
		if got := FromSender(tc.tr, tc.from); got != tc.ok {
			t.Errorf("FromSender(%v, %v) = %v", tc.tr, tc.from, got)
		}
	}
}
