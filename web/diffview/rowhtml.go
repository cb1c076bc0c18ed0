package diffview

import (
	"html/template"
	"strings"

	"patchreview/web/htmlesc"
)

// UnifiedHTML is the row of an added, removed or context line in the
// unified view, written directly rather than by the template's dozen
// actions per line, which were most of a large patch page's time (5,600
// rows of the largest nilfs patch). It writes what the template wrote,
// escaped as html/template escapes each place (an attribute, a URL, a
// fragment, text): TestUnifiedHTMLIsTheTemplates compares the two on
// hostile values.
func (r *Row) UnifiedHTML() template.HTML {
	var b strings.Builder
	b.Grow(len(r.Code) + 200 + len(r.Path) + len(r.CommentLink) + len(r.OldCommentLink))
	b.WriteString(`<tr class="dv-`)
	htmlesc.Text(&b, r.Kind)
	b.WriteString(`" data-line data-path="`)
	htmlesc.Text(&b, r.Path)
	b.WriteString(`" data-new="`)
	htmlesc.Text(&b, r.NewNum)
	b.WriteByte('"')
	if r.Kind == "del" {
		b.WriteString(` data-old="`)
		htmlesc.Text(&b, r.OldNum)
		b.WriteByte('"')
	}
	if r.Hidden {
		b.WriteString(` hidden data-fold="`)
		htmlesc.Text(&b, r.Fold)
		b.WriteByte('"')
	}
	b.WriteString(`><td class="dv-num"`)
	if r.OldID != "" {
		b.WriteString(` id="`)
		htmlesc.Text(&b, r.OldID)
		b.WriteString(`">`)
		oldNumLink(&b, r)
	} else {
		b.WriteByte('>')
	}
	b.WriteString(`</td><td class="dv-num"`)
	if r.NewID != "" {
		b.WriteString(` id="`)
		htmlesc.Text(&b, r.NewID)
		b.WriteString(`">`)
		newNumLink(&b, r)
	} else {
		b.WriteByte('>')
	}
	b.WriteString(`</td><td class="dv-code chroma">`)
	b.WriteString(string(r.Code))
	b.WriteString(`</td></tr>`)
	return template.HTML(b.String())
}

// oldNumLink writes a line's old-side number as a link: on a removed
// line to its comment form (or anchor), else to its anchor.
func oldNumLink(b *strings.Builder, r *Row) {
	if r.Kind == "del" {
		b.WriteString(`<a href="`)
		lineHref(b, r.OldCommentLink, r.OldID)
		b.WriteString(`" data-line-link data-side="old">`)
	} else {
		b.WriteString(`<a href="#`)
		htmlesc.Text(b, htmlesc.URL(r.OldID, false))
		b.WriteString(`">`)
	}
	htmlesc.Text(b, r.OldNum)
	b.WriteString(`</a>`)
}

// newNumLink writes a line's new-side number as a link to its comment
// form (or anchor).
func newNumLink(b *strings.Builder, r *Row) {
	b.WriteString(`<a href="`)
	lineHref(b, r.CommentLink, r.NewID)
	b.WriteString(`" data-line-link>`)
	htmlesc.Text(b, r.NewNum)
	b.WriteString(`</a>`)
}

// lineHref writes a line number's link: the comment link, else the
// line's anchor.
func lineHref(b *strings.Builder, link, id string) {
	if link != "" {
		htmlesc.Text(b, htmlesc.URL(htmlesc.FilterURL(link), true))
		return
	}
	b.WriteByte('#')
	htmlesc.Text(b, htmlesc.URL(id, false))
}

// SplitHTML is the row of a line pair in the side-by-side view, written
// directly as UnifiedHTML is (TestSplitHTMLIsTheTemplates compares it with
// the template it replaced).
func (s *SplitRow) SplitHTML() template.HTML {
	var b strings.Builder
	n := 200
	if s.Left != nil {
		n += len(s.Left.Code) + len(s.Left.OldCommentLink)
	}
	if s.Right != nil {
		n += len(s.Right.Code) + len(s.Right.Path) + len(s.Right.CommentLink)
	}
	b.Grow(n)
	b.WriteString(`<tr class="dv-`)
	htmlesc.Text(&b, s.Kind)
	b.WriteString(`" data-line`)
	switch {
	case s.Right != nil:
		b.WriteString(` data-path="`)
		htmlesc.Text(&b, s.Right.Path)
		b.WriteString(`" data-new="`)
		htmlesc.Text(&b, s.Right.NewNum)
		b.WriteByte('"')
	case s.Left != nil:
		b.WriteString(` data-path="`)
		htmlesc.Text(&b, s.Left.Path)
		b.WriteByte('"')
	}
	if s.Left != nil && s.Left.Kind == "del" {
		b.WriteString(` data-old="`)
		htmlesc.Text(&b, s.Left.OldNum)
		b.WriteByte('"')
	}
	if s.Hidden {
		b.WriteString(` hidden data-fold="`)
		htmlesc.Text(&b, s.Fold)
		b.WriteByte('"')
	}
	b.WriteByte('>')
	if l := s.Left; l != nil {
		b.WriteString(`<td class="dv-num dv-l-`)
		htmlesc.Text(&b, l.Kind)
		b.WriteByte('"')
		if l.OldID != "" {
			b.WriteString(` id="`)
			htmlesc.Text(&b, l.OldID)
			b.WriteByte('"')
		}
		b.WriteString(`>`)
		oldNumLink(&b, l)
		b.WriteString(`</td><td class="dv-code chroma dv-l-`)
		htmlesc.Text(&b, l.Kind)
		b.WriteString(`">`)
		b.WriteString(string(l.Code))
		b.WriteString(`</td>`)
	} else {
		b.WriteString(`<td class="dv-num dv-empty"></td><td class="dv-empty"></td>`)
	}
	if r := s.Right; r != nil {
		b.WriteString(`<td class="dv-num dv-r-`)
		htmlesc.Text(&b, r.Kind)
		b.WriteByte('"')
		if r.NewID != "" {
			b.WriteString(` id="`)
			htmlesc.Text(&b, r.NewID)
			b.WriteByte('"')
		}
		b.WriteByte('>')
		newNumLink(&b, r)
		b.WriteString(`</td><td class="dv-code chroma dv-r-`)
		htmlesc.Text(&b, r.Kind)
		b.WriteString(`">`)
		b.WriteString(string(r.Code))
		b.WriteString(`</td>`)
	} else {
		b.WriteString(`<td class="dv-num dv-empty"></td><td class="dv-empty"></td>`)
	}
	b.WriteString(`</tr>`)
	return template.HTML(b.String())
}
