package diffview

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"regexp"

	"patchreview/review"
)

//go:embed templates/*.html static/*
var assets embed.FS

// FS holds templates/diffview.html and static/{diffview.css,chroma.css,review.js}.
// The web layer serves Static() under a prefix of its choice.
var FS fs.FS = assets

// Static returns the stylesheets and script, rooted at static/.
func Static() fs.FS {
	sub, err := fs.Sub(assets, "static")
	if err != nil { // cannot happen: the directory is embedded
		return assets
	}
	return sub
}

// ParseTemplates adds the diffview partials to t, which may be a page's
// template set (t.ParseFS(diffview.FS, "templates/*.html") does the same).
func ParseTemplates(t *template.Template) (*template.Template, error) {
	return t.ParseFS(assets, "templates/*.html")
}

// View cookie: the no-JavaScript memory of the unified/side-by-side choice.
const viewCookie = "dv_view"

// SplitFromRequest reads the layout from ?view= (and returns a cookie to
// set so that the choice is remembered) or, without the parameter, from
// the cookie. The script keeps the cookie in step with localStorage.
func SplitFromRequest(r *http.Request) (split bool, remember *http.Cookie) {
	switch r.URL.Query().Get("view") {
	case "split":
		return true, &http.Cookie{Name: viewCookie, Value: "split", Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode}
	case "unified":
		return false, &http.Cookie{Name: viewCookie, Value: "unified", Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode}
	}
	c, err := r.Cookie(viewCookie)
	return err == nil && c.Value == "split", nil
}

// ExpandFromRequest reports whether ?context=all asks for all context.
func ExpandFromRequest(r *http.Request) bool {
	return r.URL.Query().Get("context") == "all"
}

// CommentAtFromRequest returns the line anchor of ?comment= ("f1-n58", or
// "f1-o40" for a removed line), or "" when it is absent or not a line
// anchor.
func CommentAtFromRequest(r *http.Request) string {
	a := r.URL.Query().Get("comment")
	if !lineAnchor.MatchString(a) {
		return ""
	}
	return a
}

var lineAnchor = regexp.MustCompile(`^f[0-9]{1,6}-[no][0-9]{1,9}$`)

// FileFromRequest returns the file id of ?file= ("f3": show that file
// whole however long), or "" when absent; a value that is not a file id
// is review.ErrInvalid with the reason. Whether the patch has that file
// is CheckFilePart's to say.
func FileFromRequest(r *http.Request) (string, error) {
	q := r.URL.Query()
	if !q.Has("file") {
		return "", nil
	}
	f := q.Get("file")
	if !fileID.MatchString(f) {
		return "", fmt.Errorf("%w: file=%q: a file is named f1, f2... in the order of the diff", review.ErrInvalid, f)
	}
	return f, nil
}

var fileID = regexp.MustCompile(`^f[0-9]{1,6}$`)
