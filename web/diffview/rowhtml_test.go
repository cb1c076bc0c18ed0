package diffview

import (
	"html/template"
	"strings"
	"testing"
)

// unifiedRowTemplate is the template UnifiedHTML replaced, word for word.
const unifiedRowTemplate = `<tr class="dv-{{.Kind}}" data-line data-path="{{.Path}}" data-new="{{.NewNum}}"{{if eq .Kind "del"}} data-old="{{.OldNum}}"{{end}}{{if .Hidden}} hidden data-fold="{{.Fold}}"{{end}}><td class="dv-num"{{if .OldID}} id="{{.OldID}}"{{end}}>{{if .OldID}}{{if eq .Kind "del"}}<a href="{{if .OldCommentLink}}{{.OldCommentLink}}{{else}}#{{.OldID}}{{end}}" data-line-link data-side="old">{{.OldNum}}</a>{{else}}<a href="#{{.OldID}}">{{.OldNum}}</a>{{end}}{{end}}</td><td class="dv-num"{{if .NewID}} id="{{.NewID}}"{{end}}>{{if .NewID}}<a href="{{if .CommentLink}}{{.CommentLink}}{{else}}#{{.NewID}}{{end}}" data-line-link>{{.NewNum}}</a>{{end}}</td><td class="dv-code chroma">{{.Code}}</td></tr>`

// UnifiedHTML writes what the template wrote, escaping included, for
// ordinary rows and for hostile paths, numbers, ids and links.
func TestUnifiedHTMLIsTheTemplates(t *testing.T) {
	tmpl := template.Must(template.New("row").Parse(unifiedRowTemplate))
	hostile := []string{"", "fs/x.c", `a"b'c<d>e&f+g`, "sp ace/ü\x00/\xff\xfe", "javascript:alert(1)", "JavaScript:x", "httpſ://x", "HTTPS://x",
		"https://example.org/a?b=c&d=e#f", "/p?comment=f1-n2&file=f1#f1-n2", "100%/%zz/%2F", "mailto:a@b", "a:b/c", "/a:b",
		"\uFFFD\uFDD0\uFFFE", "(paren)'quote'`tick`", "[x]@!$*,;="}
	var rows []*Row
	for _, kind := range []string{"add", "del", "ctx", `x"y`} {
		for i, h := range hostile {
			o := hostile[(i+3)%len(hostile)]
			rows = append(rows,
				&Row{Kind: kind, IsLine: true, Path: h, NewNum: o, OldNum: h, OldID: "f1-o" + o, NewID: "f1-n" + h, Code: template.HTML("<span>" + o + "</span>")},
				&Row{Kind: kind, IsLine: true, Path: o, NewNum: h, OldNum: o, OldID: h, NewID: o, CommentLink: h, OldCommentLink: o, Hidden: true, Fold: h},
				&Row{Kind: kind, IsLine: true, Path: h, OldNum: o, OldID: "", NewID: h, CommentLink: o},
				&Row{Kind: kind, IsLine: true, Path: h, NewNum: h, OldID: o, NewID: "", OldCommentLink: h},
			)
		}
	}
	for _, r := range rows {
		var want strings.Builder
		if err := tmpl.Execute(&want, r); err != nil {
			t.Fatal(err)
		}
		if got := string(r.UnifiedHTML()); got != want.String() {
			t.Errorf("row %+v:\n got %q\nwant %q", r, got, want.String())
		}
	}
}

func BenchmarkUnifiedRow(b *testing.B) {
	tmpl := template.Must(template.New("row").Parse(unifiedRowTemplate))
	r := &Row{Kind: "add", IsLine: true, Path: "fs/nilfs2/segment.c", NewNum: "1234", OldID: "", NewID: "f1-n1234",
		CommentLink: "/patches/1644?comment=f1-n1234#f1-n1234", Code: template.HTML(`<span class="n">nilfs_segctor_do_construct</span>(sci, mode);`)}
	b.Run("template", func(b *testing.B) {
		var sb strings.Builder
		for b.Loop() {
			sb.Reset()
			tmpl.Execute(&sb, r)
		}
	})
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			_ = r.UnifiedHTML()
		}
	})
}

// splitRowTemplate is the template SplitHTML replaced, word for word.
const splitRowTemplate = `<tr class="dv-{{.Kind}}" data-line{{if .Right}} data-path="{{.Right.Path}}" data-new="{{.Right.NewNum}}"{{else if .Left}} data-path="{{.Left.Path}}"{{end}}{{if .Left}}{{if eq .Left.Kind "del"}} data-old="{{.Left.OldNum}}"{{end}}{{end}}{{if .Hidden}} hidden data-fold="{{.Fold}}"{{end}}>{{with .Left}}<td class="dv-num dv-l-{{.Kind}}"{{if .OldID}} id="{{.OldID}}"{{end}}>{{if eq .Kind "del"}}<a href="{{if .OldCommentLink}}{{.OldCommentLink}}{{else}}#{{.OldID}}{{end}}" data-line-link data-side="old">{{.OldNum}}</a>{{else}}<a href="#{{.OldID}}">{{.OldNum}}</a>{{end}}</td><td class="dv-code chroma dv-l-{{.Kind}}">{{.Code}}</td>{{else}}<td class="dv-num dv-empty"></td><td class="dv-empty"></td>{{end}}{{with .Right}}<td class="dv-num dv-r-{{.Kind}}"{{if .NewID}} id="{{.NewID}}"{{end}}><a href="{{if .CommentLink}}{{.CommentLink}}{{else}}#{{.NewID}}{{end}}" data-line-link>{{.NewNum}}</a></td><td class="dv-code chroma dv-r-{{.Kind}}">{{.Code}}</td>{{else}}<td class="dv-num dv-empty"></td><td class="dv-empty"></td>{{end}}</tr>`

func TestSplitHTMLIsTheTemplates(t *testing.T) {
	tmpl := template.Must(template.New("row").Parse(splitRowTemplate))
	hostile := []string{"", "fs/x.c", `a"b'c<d>e&f+g`, "sp ace/ü\x00/\xff\xfe", "javascript:alert(1)",
		"https://example.org/a?b=c&d=e#f", "/p?comment=f1-o2#f1-o2", "100%/%zz/%2F", "a:b/c", "(paren)'q'`t`"}
	side := func(kind, h, o string, links bool) *Row {
		r := &Row{Kind: kind, IsLine: true, Path: h, NewNum: o, OldNum: h, OldID: o, NewID: h, Code: template.HTML("<b>" + o + "</b>")}
		if links {
			r.CommentLink, r.OldCommentLink = h, o
		}
		return r
	}
	var rows []*SplitRow
	for i, h := range hostile {
		o := hostile[(i+3)%len(hostile)]
		for _, kind := range []string{"ctx", "change", `k"<`} {
			for _, lk := range []string{"del", "ctx", ""} {
				for _, rk := range []string{"add", "ctx", ""} {
					sr := &SplitRow{Kind: kind, Hidden: i%2 == 0, Fold: o}
					if lk != "" {
						sr.Left = side(lk, h, o, i%3 == 0)
					}
					if rk != "" {
						sr.Right = side(rk, o, h, i%3 == 1)
					}
					rows = append(rows, sr)
				}
			}
		}
	}
	rows = append(rows, &SplitRow{Kind: "ctx", Left: &Row{Kind: "ctx"}, Right: &Row{Kind: "ctx"}})
	for _, r := range rows {
		var want strings.Builder
		if err := tmpl.Execute(&want, r); err != nil {
			t.Fatal(err)
		}
		if got := string(r.SplitHTML()); got != want.String() {
			t.Errorf("row %+v:\n got %q\nwant %q", r, got, want.String())
		}
	}
}
