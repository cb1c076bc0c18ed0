package diffview

import (
	"html/template"
	"path"
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// isC reports whether a file is C source, highlighted by the fast scanner.
func isC(name string) bool {
	switch path.Ext(name) {
	case ".c", ".h":
		return true
	}
	return false
}

// lexerFor picks the chroma lexer for a file that is not C, or nil for
// files chroma does not know (shown as plain escaped text).
func lexerFor(name string) chroma.Lexer {
	l := lexerRegistry().Match(path.Base(name))
	if l == nil {
		return nil
	}
	return chroma.Coalesce(l)
}

// highlightLines highlights lines as one text, so that comments and strings
// spanning several lines come out right, and splits the result back into
// one HTML fragment per input line. The HTML is built only from
// template.HTMLEscapeString output and <span class="…"> tags whose class
// comes from chroma's fixed table of token classes.
func highlightLines(lexer chroma.Lexer, lines []string) []template.HTML {
	out := make([]template.HTML, len(lines))
	if len(lines) == 0 {
		return out
	}
	if lexer == nil {
		for i, l := range lines {
			out[i] = template.HTML(template.HTMLEscapeString(l))
		}
		return out
	}
	text := strings.Join(lines, "\n") + "\n"
	it, err := lexer.Tokenise(&chroma.TokeniseOptions{State: "root", EnsureLF: true}, text)
	if err != nil {
		return highlightLines(nil, lines)
	}
	var b strings.Builder
	n := 0
	for tok := it(); tok != chroma.EOF && n < len(lines); tok = it() {
		class := tokenClass(tok.Type)
		parts := strings.Split(tok.Value, "\n")
		for j, part := range parts {
			if j > 0 {
				out[n] = template.HTML(b.String())
				b.Reset()
				n++
				if n == len(lines) {
					break
				}
			}
			writeSpan(&b, class, part)
		}
	}
	if n < len(lines) && b.Len() > 0 {
		out[n] = template.HTML(b.String())
	}
	return out
}

// writeSpan appends escaped text, wrapped in a span when it has a class.
func writeSpan(b *strings.Builder, class, text string) {
	if text == "" {
		return
	}
	if class == "" {
		b.WriteString(template.HTMLEscapeString(text))
		return
	}
	b.WriteString(`<span class="`)
	b.WriteString(class)
	b.WriteString(`">`)
	b.WriteString(template.HTMLEscapeString(text))
	b.WriteString(`</span>`)
}

// tokenClass returns chroma's short CSS class for a token type ("k", "c1",
// "s"), walking up to the parent category when the exact type has none.
// Plain text and whitespace get no class.
func tokenClass(t chroma.TokenType) string {
	for ; t > 0; t = parentType(t) {
		if t == chroma.Text || t == chroma.TextWhitespace {
			return ""
		}
		if c, ok := chroma.StandardTypes[t]; ok && c != "" {
			return c
		}
	}
	return ""
}

// parentType returns the token type one level up: Keyword for
// KeywordReserved, and 0 above a category.
func parentType(t chroma.TokenType) chroma.TokenType {
	switch {
	case t.SubCategory() != t:
		return t.SubCategory()
	case t.Category() != t:
		return t.Category()
	}
	return 0
}
