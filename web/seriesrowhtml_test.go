package web

import (
	"html/template"
	"strings"
	"testing"
)

// seriesRowTemplate is the template seriesRow.HTML replaced, word for word
// (with $prev, the page's previous version, as the row's HasPrev).
const seriesRowTemplate = `<tr><td>{{.Label}}</td><td><a href="/patches/{{.ID}}">{{.Subject}}</a>{{if .HasPrev}}{{if .Revises}} · <a href="/patches/{{.ID}}/interdiff">changes since the previous version</a>{{else}} · <a href="/patches/{{.ID}}/interdiff">new in this version</a>{{end}}{{end}}</td>
<td class="pw-state">{{.State}}</td>
<td class="{{if .Errors}}sev-error{{end}}">{{.Errors}}</td><td class="{{if .Warnings}}sev-warning{{end}}">{{.Warnings}}</td><td>{{.Infos}}</td>
<td>{{range .Verdicts}}<code>{{.Text}}</code>{{if .Where}} <span class="meta">({{if eq .Where "series"}}on the series{{else}}on the list{{end}})</span>{{end}}<br>{{end}}</td></tr>`

func TestSeriesRowHTMLIsTheTemplates(t *testing.T) {
	tmpl := template.Must(template.New("row").Parse(seriesRowTemplate))
	hostile := []string{"", "[PATCH 1/2] fs: fix", `<script>alert("x")</script>`, "a&b+c'd", "ü\x00\xff", "\uFFFD\uFDD0"}
	var rows []seriesRow
	for i, h := range hostile {
		o := hostile[(i+1)%len(hostile)]
		for _, prev := range []bool{false, true} {
			rows = append(rows,
				seriesRow{ID: int64(i + 1), Subject: h, Label: o, State: h, Errors: i, Warnings: 1 - i%2, Infos: i * 7, Revises: i%2 == 0, HasPrev: prev,
					Verdicts: []verdictEntry{{h, ""}, {o, "series"}, {"Acked-by: A <a@b>", "list"}, {h, `w"`}}},
				seriesRow{ID: -5, Subject: o, Label: h, HasPrev: prev},
			)
		}
	}
	for _, r := range rows {
		var want strings.Builder
		if err := tmpl.Execute(&want, r); err != nil {
			t.Fatal(err)
		}
		if got := string(r.HTML()); got != want.String() {
			t.Errorf("row %+v:\n got %q\nwant %q", r, got, want.String())
		}
	}
}
