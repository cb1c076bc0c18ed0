package web

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"

	"patchreview/storage"
)

func TestSeriesVerdictsColumn(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	// A list reply with a trailer on patch 1/2 of v2.
	reply := "From: Jan Kara <jack@example.org>\nSubject: Re: [PATCH v2 1/2]\nMessage-ID: <r1@example.org>\nIn-Reply-To: <20260112090000.1-ravi@example.org>\nDate: Wed, 14 Jan 2026 10:00:00 +0000\n\nReviewed-by: Jan Kara <jack@example.org>\n"
	st.IngestMessage(context.Background(), []byte(reply), "test")
	_, c := signIn(t, st, "Andrew Morton", "akpm@example.org", false)
	postForm(t, s, "/series/2/verdict", url.Values{"kind": {"Acked-by"}}, c)
	page := html.UnescapeString(get(t, s, "/series/2").Body.String())
	rows := strings.Split(page, "<tr>")
	var p1, p2 string
	for _, r := range rows {
		if strings.Contains(r, `href="/patches/3"`) {
			p1 = r
		}
		if strings.Contains(r, `href="/patches/4"`) {
			p2 = r
		}
	}
	for name, row := range map[string]string{"1/2": p1, "2/2": p2} {
		if !strings.Contains(row, "<code>Acked-by: Andrew Morton <akpm@example.org></code> <span class=\"meta\">(on the series)</span>") {
			t.Errorf("patch %s row lacks the series ack: %s", name, row)
		}
	}
	if !strings.Contains(p1, "<code>Reviewed-by: Jan Kara <jack@example.org></code> <span class=\"meta\">(on the list)</span>") || strings.Contains(p2, "Jan Kara") {
		t.Errorf("the list trailer is not on patch 1/2 only:\n%s\n%s", p1, p2)
	}
	if !strings.Contains(p1, "<td>1/2</td>") {
		t.Errorf("numbering: %s", p1)
	}
}

func TestSinglePatchSeries(t *testing.T) {
	s, st := newTestServer(t, Options{})
	one := "From: Ravi Iyer <ravi@example.org>\nTo: list@example.org\nSubject: [PATCH] shadowfs: fix a typo\nMessage-ID: <one@example.org>\nDate: Mon, 12 Jan 2026 09:00:00 +0000\n\n" +
		"Fix it. See https://lore.kernel.org/all/one@example.org/.\n\nSigned-off-by: Ravi Iyer <ravi@example.org>\n---\n fs/shadowfs/super.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n" +
		"diff --git a/fs/shadowfs/super.c b/fs/shadowfs/super.c\n--- a/fs/shadowfs/super.c\n+++ b/fs/shadowfs/super.c\n@@ -1,1 +1,1 @@\n-int shadwofs;\n+int shadowfs;\n"
	if _, err := st.IngestBytes(context.Background(), []byte(one), "test", nil); err != nil {
		t.Fatal(err)
	}
	page := get(t, s, "/series/1").Body.String()
	if !strings.Contains(page, " · 1 patch · ") || strings.Contains(page, "1 patches") || !strings.Contains(page, "<tr><td>1</td>") || strings.Contains(page, "<tr><td>0</td>") {
		t.Errorf("single-patch series numbering:\n%s", page)
	}
	patch := get(t, s, "/patches/1").Body.String()
	if !strings.Contains(patch, `<a href="#f1">fs/shadowfs/super.c</a> | 2 +-`) {
		t.Errorf("the diffstat does not link to the file")
	}
	if strings.Contains(patch, "prev-patch") || strings.Contains(patch, "next-patch") || strings.Contains(patch, "interdiff-link") {
		t.Errorf("a lone v1 patch has no neighbours or earlier version")
	}
}

func TestPatchNavigation(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	p3 := get(t, s, "/patches/3").Body.String()
	if !strings.Contains(p3, `href="/patches/4" rel="next"`) || strings.Contains(p3, `rel="prev"`) || !strings.Contains(p3, `href="/patches/3/interdiff" id="interdiff-link"`) {
		t.Errorf("patch 1/2 of v2: next, no previous, interdiff")
	}
	p4 := get(t, s, "/patches/4").Body.String()
	if !strings.Contains(p4, `href="/patches/3" rel="prev"`) || strings.Contains(p4, `rel="next"`) || !strings.Contains(p4, "patch 2/2") {
		t.Errorf("patch 2/2 of v2: previous, no next")
	}
	p1 := get(t, s, "/patches/1").Body.String()
	if strings.Contains(p1, "interdiff-link") || !strings.Contains(p1, `href="/patches/3" id="next-version-patch"`) {
		t.Errorf("v1 1/2: no earlier version to diff against, v2 1/2 as the next version")
	}
	if !strings.Contains(p3, `href="/patches/1" id="prev-version-patch"`) {
		t.Errorf("v2 1/2 does not link v1 1/2")
	}
}

func TestMailTextLinksAndFolds(t *testing.T) {
	body := "See https://lore.kernel.org/r/x@y.org/, and <b>this</b>.\n> a\n> b\n> c\n> d\nMy answer.\n> short quote\nok"
	got := string(mailText(body))
	for _, want := range []string{`<a href="https://lore.kernel.org/r/x@y.org/" rel="nofollow noopener noreferrer">https://lore.kernel.org/r/x@y.org/</a>, and &lt;b&gt;this&lt;/b&gt;.`,
		`<details class="quoted"><summary>quoted text, 4 lines</summary>&gt; a`, "</details>My answer.\n&gt; short quote\nok"} {
		if !strings.Contains(got, want) {
			t.Errorf("mailText lacks %q:\n%s", want, got)
		}
	}
	if got := string(mailText(`javascript:alert(1) http://x.org/"onmouseover="alert(1)`)); strings.Contains(got, `href="javascript`) || strings.Contains(got, `"onmouseover`) {
		t.Errorf("unsafe link: %s", got)
	}
}

// TestReplyThreadShownOnce: a reply and a reply to it, neither quoting the
// diff, are read once each in the discussion (the second's quote of the
// first folded away), not again as comments on the whole patch.
func TestReplyThreadShownOnce(t *testing.T) {
	s, st := newTestServer(t, Options{})
	ctx := context.Background()
	st.IngestBytes(ctx, readFixture(t, fixture), "test", nil)
	a := "From: Jan Kara <jack@example.org>\nSubject: Re: [PATCH v2 2/2]\nMessage-ID: <a@example.org>\nIn-Reply-To: <20260112090000.2-ravi@example.org>\n" +
		"Date: Wed, 14 Jan 2026 10:00:00 +0000\n\nI wonder whether the lower mapping can be truncated meanwhile.\nThat would need i_rwsem.\n\nJan\n"
	b := "From: Ravi Iyer <ravi@example.org>\nSubject: Re: [PATCH v2 2/2]\nMessage-ID: <b@example.org>\nIn-Reply-To: <a@example.org>\nReferences: <20260112090000.2-ravi@example.org> <a@example.org>\n" +
		"Date: Wed, 14 Jan 2026 11:00:00 +0000\n\nOn Wed, Jan 14, Jan Kara wrote:\n> I wonder whether the lower mapping can be truncated meanwhile.\n> That would need i_rwsem.\n>\n> Jan\n\nIt cannot: we hold the page lock.\n"
	for _, m := range []string{a, b} {
		if _, err := st.IngestMessage(ctx, []byte(m), "test"); err != nil {
			t.Fatal(err)
		}
	}
	page := get(t, s, "/patches/4").Body.String()
	general := ""
	if i := strings.Index(page, `<section class="dv-general">`); i >= 0 {
		general = page[i : i+strings.Index(page[i:], "</section>")]
	}
	if strings.Contains(general, "truncated meanwhile") || strings.Contains(general, "page lock") {
		t.Errorf("the reply thread is repeated as comments on the whole patch")
	}
	if n := strings.Count(page, "I wonder whether the lower mapping"); n != 2 || !strings.Contains(page, `<details class="quoted"><summary>quoted text, 4 lines</summary>&gt; I wonder`) {
		t.Errorf("Jan's words appear %d times (want his reply and the folded quote in Ravi's)", n)
	}
	if !strings.Contains(page, "It cannot: we hold the page lock.") {
		t.Errorf("the answer is missing")
	}
}

// The same patch in the other version is found as the interdiff pairs
// patches (by subject), not by number: v2 drops v1's first patch, so v2's
// 1/1 is v1's 2/2.
func TestVersionLinksFollowTheMatchingPatch(t *testing.T) {
	s, st := newTestServer(t, Options{})
	mail := func(id, subject, inReplyTo, file string) string {
		m := "From: Ann Author <ann@example.org>\nSubject: " + subject + "\nMessage-ID: <" + id + ">\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n"
		if inReplyTo != "" {
			m += "In-Reply-To: <" + inReplyTo + ">\nReferences: <" + inReplyTo + ">\n"
		}
		return m + "\nA change.\n\nSigned-off-by: Ann Author <ann@example.org>\n---\n" +
			"diff --git a/" + file + " b/" + file + "\n--- a/" + file + "\n+++ b/" + file + "\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
	}
	for _, m := range []string{
		"From: Ann Author <ann@example.org>\nSubject: [PATCH 0/2] f: two things\nMessage-ID: <c1@x>\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n\nTwo things.\n",
		mail("a1@x", "[PATCH 1/2] f: first thing", "c1@x", "fs/f/a.c"),
		mail("b1@x", "[PATCH 2/2] f: second thing", "c1@x", "fs/f/b.c"),
		mail("b2@x", "[PATCH v2] f: second thing", "", "fs/f/b.c"),
	} {
		if _, err := st.IngestMessage(context.Background(), []byte(m), "test"); err != nil {
			t.Fatal(err)
		}
	}
	ids := map[string]int64{}
	for _, mid := range []string{"a1@x", "b1@x", "b2@x"} {
		m, err := st.MessageByMessageID(context.Background(), mid)
		if err != nil {
			t.Fatalf("%s: %v", mid, err)
		}
		id, err := st.PatchIDByMessage(context.Background(), m.ID)
		if err != nil {
			t.Fatalf("%s: %v", mid, err)
		}
		ids[mid] = id
	}
	v2 := get(t, s, fmt.Sprintf("/patches/%d", ids["b2@x"])).Body.String()
	if want := fmt.Sprintf(`href="/patches/%d" id="prev-version-patch"`, ids["b1@x"]); !strings.Contains(v2, want) {
		t.Errorf("v2's patch does not link v1's second thing (%s)", want)
	}
	if b1 := get(t, s, fmt.Sprintf("/patches/%d", ids["b1@x"])).Body.String(); !strings.Contains(b1, fmt.Sprintf(`href="/patches/%d" id="next-version-patch"`, ids["b2@x"])) {
		t.Errorf("v1's second thing does not link its v2")
	}
	if a1 := get(t, s, fmt.Sprintf("/patches/%d", ids["a1@x"])).Body.String(); strings.Contains(a1, "next-version-patch") {
		t.Errorf("v1's first thing, dropped in v2, links a next version")
	}
}

// versionMail is version v of a one-patch series that changes lines 5 and
// 50 of fs/xfoo/gen.c, differently in each version.
func versionMail(v int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: Ann <ann@example.org>\r\nTo: linux-mm@kvack.org\r\nSubject: [PATCH v%d] xfoo: two changes\r\n"+
		"Date: Mon, %d Jan 2026 10:00:00 +0000\r\nMessage-ID: <gap-v%d@example.org>\r\n\r\nTwo.\r\n\r\n"+
		"Signed-off-by: Ann <ann@example.org>\r\n---\r\ndiff --git a/fs/xfoo/gen.c b/fs/xfoo/gen.c\r\n--- a/fs/xfoo/gen.c\r\n+++ b/fs/xfoo/gen.c\r\n", v, 5+v, v)
	for _, at := range []int{5, 50} {
		fmt.Fprintf(&b, "@@ -%d,7 +%d,7 @@\r\n", at-3, at-3)
		for i := at - 3; i <= at+3; i++ {
			if i == at {
				fmt.Fprintf(&b, "-int l%d;\r\n+int l%d_v%d;\r\n", i, i, v)
			} else {
				fmt.Fprintf(&b, " int l%d;\r\n", i)
			}
		}
	}
	return []byte(b.String())
}

// Between the hunks of an interdiff the lines did not change between the
// versions, and the page says so (regression: "N lines not in the patch").
func TestInterdiffPageGapWording(t *testing.T) {
	s, st := newTestServer(t, Options{})
	ctx := context.Background()
	for v := 1; v <= 2; v++ {
		if _, err := st.IngestMessage(ctx, versionMail(v), "test"); err != nil {
			t.Fatal(err)
		}
	}
	list, err := st.ListSeries(ctx, storage.SeriesFilter{})
	if err != nil || len(list) != 2 {
		t.Fatalf("series: %+v %v", list, err)
	}
	v2, err := st.SeriesByID(ctx, list[0].ID)
	if err != nil || v2.PrevVersion == 0 || len(v2.PatchList) != 1 {
		t.Fatalf("v2: %+v %v", v2, err)
	}
	w := get(t, s, fmt.Sprintf("/patches/%d/interdiff", v2.PatchList[0].ID))
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, "l50_v2") || !strings.Contains(body, "lines unchanged between the two versions") ||
		strings.Contains(body, "not in the patch") {
		t.Errorf("interdiff: %d\n%s", w.Code, body)
	}
}
