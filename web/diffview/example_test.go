package diffview_test

import (
	"bytes"
	"html/template"
	"net/http"

	"patchreview/review"
	"patchreview/web/diffview"
)

// The patch page handler: the layout from ?view= or the dv_view cookie,
// ?context=all, ?comment=f1-n58, then the partials into a buffer. Serve
// diffview.Static() under /static/diffview/ and include diffview.css,
// chroma.css and review.js (as a <script src>, so a strict CSP holds).
func Example() {
	page := template.Must(diffview.ParseTemplates(template.Must(template.New("patch").Parse(
		`{{define "content"}}{{template "diffview" .View}}{{end}}`))))
	http.Handle("/static/diffview/", http.StripPrefix("/static/diffview/", http.FileServerFS(diffview.Static())))
	http.HandleFunc("/patches/{id}", func(w http.ResponseWriter, r *http.Request) {
		var p review.Patch // loaded from storage
		var findings []review.Finding
		var comments []review.Comment
		split, cookie := diffview.SplitFromRequest(r)
		if cookie != nil {
			http.SetCookie(w, cookie)
		}
		v := diffview.Build(p.Files, findings, comments, diffview.Options{
			PageURL:    r.URL.Path,
			Split:      split,
			ExpandAll:  diffview.ExpandFromRequest(r),
			Rules:      diffview.CheckRules,
			CommentURL: r.URL.Path + "/comments",
			CommentAt:  diffview.CommentAtFromRequest(r),
		})
		var buf bytes.Buffer
		if err := page.ExecuteTemplate(&buf, "content", struct{ View *diffview.View }{v}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		buf.WriteTo(w)
	})
}
