package diffview

import (
	"io/fs"
	"net/http/httptest"
	"patchreview/review"
	"testing"
)

func TestRequestOptions(t *testing.T) {
	cases := []struct {
		url, cookie     string
		split, remember bool
		all             bool
		at              string
	}{
		{"/p", "", false, false, false, ""},
		{"/p?view=split", "", true, true, false, ""},
		{"/p?view=unified", "split", false, true, false, ""},
		{"/p", "split", true, false, false, ""},
		{"/p?context=all&comment=f2-n137", "", false, false, true, "f2-n137"},
		{"/p?comment=f2-o40", "", false, false, false, "f2-o40"}, // a removed line: the form opens on the old side
		{"/p?comment=f2-x3", "", false, false, false, ""},
		{`/p?comment="><x`, "", false, false, false, ""},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", c.url, nil)
		if c.cookie != "" {
			r.Header.Set("Cookie", viewCookie+"="+c.cookie)
		}
		split, cookie := SplitFromRequest(r)
		if split != c.split || (cookie != nil) != c.remember || ExpandFromRequest(r) != c.all || CommentAtFromRequest(r) != c.at {
			t.Errorf("%s (cookie %q): split %v, cookie %v, all %v, at %q", c.url, c.cookie, split, cookie, ExpandFromRequest(r), CommentAtFromRequest(r))
		}
	}
}

func TestAssetsEmbedded(t *testing.T) {
	for _, name := range []string{"diffview.css", "chroma.css", "review.js"} {
		if b, err := fs.ReadFile(Static(), name); err != nil || len(b) == 0 {
			t.Errorf("static %s: %v", name, err)
		}
	}
	if _, err := fs.ReadFile(FS, "templates/diffview.html"); err != nil {
		t.Error(err)
	}
}

// Without JavaScript, the link on a removed line's number opens the
// comment form under that line, on the old side.
func TestOldSideFormWithoutJavaScript(t *testing.T) {
	files := []*review.File{{OldName: "f.c", NewName: "f.c", Hunks: []*review.Hunk{{OldStart: 40, OldLines: 2, NewStart: 40, NewLines: 1,
		Lines: []review.Line{{Kind: review.LineContext, Old: 40, New: 40, Text: "a"}, {Kind: review.LineDel, Old: 41, Text: "b"}}}}}}
	r := httptest.NewRequest("GET", "/patches/1?comment=f1-o41", nil)
	v := Build(files, nil, nil, Options{PageURL: "/patches/1", CommentURL: "/patches/1/comments", CommentAt: CommentAtFromRequest(r)})
	var form *CommentForm
	for _, row := range v.Files[0].Rows {
		if row.Form != nil {
			form = row.Form
		}
	}
	if form == nil || form.Side != "old" || form.Line != "41" || form.Code != "b" {
		t.Errorf("the form under the removed line: %+v", form)
	}
}
