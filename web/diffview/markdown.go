package diffview

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// NewMarkdown returns the goldmark used for comments and rule docs: raw
// HTML is shown escaped, as the text it is (goldmark's default drops it
// and prints "<!-- raw HTML omitted -->"), and an image is a link to it,
// never loaded, so that a comment cannot hold a tracking pixel.
func NewMarkdown() goldmark.Markdown {
	return goldmark.New(goldmark.WithRendererOptions(
		renderer.WithNodeRenderers(util.Prioritized(safeRenderer{}, 100)))) // lower wins over the default 1000
}

type safeRenderer struct{}

func (safeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawHTMLEscaped)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlockEscaped)
	reg.Register(ast.KindImage, renderImageAsLink)
}

func renderRawHTMLEscaped(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		n := node.(*ast.RawHTML)
		for i := range n.Segments.Len() {
			seg := n.Segments.At(i)
			w.Write(util.EscapeHTML(seg.Value(source)))
		}
	}
	return ast.WalkSkipChildren, nil
}

func renderHTMLBlockEscaped(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if entering {
		w.WriteString("<pre class=\"md-html\">")
		for i := range n.Lines().Len() {
			l := n.Lines().At(i)
			w.Write(util.EscapeHTML(l.Value(source)))
		}
		return ast.WalkContinue, nil
	}
	if n.HasClosure() {
		w.Write(util.EscapeHTML(n.ClosureLine.Value(source)))
	}
	w.WriteString("</pre>\n")
	return ast.WalkContinue, nil
}

// renderImageAsLink writes ![alt](url) as a link "alt" to url (or the url
// itself when there is no alt text); dangerous URLs (javascript: …) link
// nowhere.
func renderImageAsLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Image)
	if !entering {
		if n.ChildCount() == 0 {
			w.Write(util.EscapeHTML(n.Destination))
		}
		w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	dest := util.URLEscape(n.Destination, true)
	w.WriteString(`<a class="md-image" rel="nofollow noopener noreferrer" href="`)
	if !html.IsDangerousURL(dest) {
		w.Write(util.EscapeHTML(dest))
	}
	w.WriteString(`">`)
	w.WriteString("image: ")
	return ast.WalkContinue, nil
}

var md = NewMarkdown()

// RenderMarkdown renders Markdown to HTML (see NewMarkdown), or nothing
// when it is empty or fails.
func RenderMarkdown(doc string) template.HTML {
	if strings.TrimSpace(doc) == "" {
		return ""
	}
	var b bytes.Buffer
	if err := md.Convert([]byte(doc), &b); err != nil {
		return ""
	}
	return template.HTML(b.String())
}
