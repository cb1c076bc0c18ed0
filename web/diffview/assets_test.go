package diffview

import (
	"io/fs"
	"net/http/httptest"
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
		{"/p?comment=f2-o40", "", false, false, false, ""},
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
