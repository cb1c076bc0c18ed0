package diffview

import (
	"fmt"
	"html/template"
	"strings"
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
	escAttr(&b, r.Kind)
	b.WriteString(`" data-line data-path="`)
	escAttr(&b, r.Path)
	b.WriteString(`" data-new="`)
	escAttr(&b, r.NewNum)
	b.WriteByte('"')
	if r.Kind == "del" {
		b.WriteString(` data-old="`)
		escAttr(&b, r.OldNum)
		b.WriteByte('"')
	}
	if r.Hidden {
		b.WriteString(` hidden data-fold="`)
		escAttr(&b, r.Fold)
		b.WriteByte('"')
	}
	b.WriteString(`><td class="dv-num"`)
	if r.OldID != "" {
		b.WriteString(` id="`)
		escAttr(&b, r.OldID)
		b.WriteString(`">`)
		if r.Kind == "del" {
			b.WriteString(`<a href="`)
			lineHref(&b, r.OldCommentLink, r.OldID)
			b.WriteString(`" data-line-link data-side="old">`)
		} else {
			b.WriteString(`<a href="#`)
			escAttr(&b, escURL(r.OldID, false))
			b.WriteString(`">`)
		}
		escAttr(&b, r.OldNum)
		b.WriteString(`</a>`)
	} else {
		b.WriteByte('>')
	}
	b.WriteString(`</td><td class="dv-num"`)
	if r.NewID != "" {
		b.WriteString(` id="`)
		escAttr(&b, r.NewID)
		b.WriteString(`"><a href="`)
		lineHref(&b, r.CommentLink, r.NewID)
		b.WriteString(`" data-line-link>`)
		escAttr(&b, r.NewNum)
		b.WriteString(`</a>`)
	} else {
		b.WriteByte('>')
	}
	b.WriteString(`</td><td class="dv-code chroma">`)
	b.WriteString(string(r.Code))
	b.WriteString(`</td></tr>`)
	return template.HTML(b.String())
}

// lineHref writes a line number's link: the comment link, else the
// line's anchor.
func lineHref(b *strings.Builder, link, id string) {
	if link != "" {
		escAttr(b, escURL(filterURL(link), true))
		return
	}
	b.WriteByte('#')
	escAttr(b, escURL(id, false))
}

// escAttr writes s escaped as html/template escapes text and quoted
// attribute values (every byte it replaces is ASCII; the others, invalid
// UTF-8 included, are copied as they are).
func escAttr(b *strings.Builder, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case 0:
			rep = "\uFFFD"
		case '"':
			rep = "&#34;"
		case '&':
			rep = "&amp;"
		case '\'':
			rep = "&#39;"
		case '+':
			rep = "&#43;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		default:
			continue
		}
		b.WriteString(s[written:i])
		b.WriteString(rep)
		written = i + 1
	}
	b.WriteString(s[written:])
}

// filterURL is html/template's check of a URL at the start of an
// attribute: a scheme other than http, https or mailto is refused.
func filterURL(s string) string {
	if i := strings.IndexByte(s, ':'); i >= 0 && !strings.ContainsRune(s[:i], '/') {
		switch strings.ToLower(s[:i]) {
		case "http", "https", "mailto":
		default:
			return "#ZgotmplZ"
		}
	}
	return s
}

// escURL percent-encodes s as html/template does in a URL: normalizing
// (norm: reserved characters and valid escapes kept) at the URL's start,
// escaping everything but unreserved characters after its '?' or '#'.
func escURL(s string, norm bool) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		fmt.Fprintf(&b, "%%%02x", c)
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
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
	escAttr(&b, s.Kind)
	b.WriteString(`" data-line`)
	switch {
	case s.Right != nil:
		b.WriteString(` data-path="`)
		escAttr(&b, s.Right.Path)
		b.WriteString(`" data-new="`)
		escAttr(&b, s.Right.NewNum)
		b.WriteByte('"')
	case s.Left != nil:
		b.WriteString(` data-path="`)
		escAttr(&b, s.Left.Path)
		b.WriteByte('"')
	}
	if s.Left != nil && s.Left.Kind == "del" {
		b.WriteString(` data-old="`)
		escAttr(&b, s.Left.OldNum)
		b.WriteByte('"')
	}
	if s.Hidden {
		b.WriteString(` hidden data-fold="`)
		escAttr(&b, s.Fold)
		b.WriteByte('"')
	}
	b.WriteByte('>')
	if l := s.Left; l != nil {
		b.WriteString(`<td class="dv-num dv-l-`)
		escAttr(&b, l.Kind)
		b.WriteByte('"')
		if l.OldID != "" {
			b.WriteString(` id="`)
			escAttr(&b, l.OldID)
			b.WriteByte('"')
		}
		b.WriteString(`>`)
		if l.Kind == "del" {
			b.WriteString(`<a href="`)
			lineHref(&b, l.OldCommentLink, l.OldID)
			b.WriteString(`" data-line-link data-side="old">`)
		} else {
			b.WriteString(`<a href="#`)
			escAttr(&b, escURL(l.OldID, false))
			b.WriteString(`">`)
		}
		escAttr(&b, l.OldNum)
		b.WriteString(`</a></td><td class="dv-code chroma dv-l-`)
		escAttr(&b, l.Kind)
		b.WriteString(`">`)
		b.WriteString(string(l.Code))
		b.WriteString(`</td>`)
	} else {
		b.WriteString(`<td class="dv-num dv-empty"></td><td class="dv-empty"></td>`)
	}
	if r := s.Right; r != nil {
		b.WriteString(`<td class="dv-num dv-r-`)
		escAttr(&b, r.Kind)
		b.WriteByte('"')
		if r.NewID != "" {
			b.WriteString(` id="`)
			escAttr(&b, r.NewID)
			b.WriteByte('"')
		}
		b.WriteString(`><a href="`)
		lineHref(&b, r.CommentLink, r.NewID)
		b.WriteString(`" data-line-link>`)
		escAttr(&b, r.NewNum)
		b.WriteString(`</a></td><td class="dv-code chroma dv-r-`)
		escAttr(&b, r.Kind)
		b.WriteString(`">`)
		b.WriteString(string(r.Code))
		b.WriteString(`</td>`)
	} else {
		b.WriteString(`<td class="dv-num dv-empty"></td><td class="dv-empty"></td>`)
	}
	b.WriteString(`</tr>`)
	return template.HTML(b.String())
}
