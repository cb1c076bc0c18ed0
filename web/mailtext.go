package web

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"
)

// urlPattern finds http and https URLs in mail text.
var urlPattern = regexp.MustCompile(`https?://[^\s<>"'\x60]+`)

// quoteFoldMin is the shortest run of quoted lines folded away: shorter
// quotes are the context a reply answers and stay in view.
const quoteFoldMin = 4

// mailText renders a mail body for the page: escaped, URLs linked, and
// long runs of quoted lines ("> …", which in a reply to a reply repeat the
// thread above) folded into a <details> the reader can open.
func mailText(body string) template.HTML {
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(body, "\r\n", "\n"), "\n"), "\n")
	var b strings.Builder
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && strings.HasPrefix(lines[j], ">") {
			j++
		}
		if j-i >= quoteFoldMin {
			fmt.Fprintf(&b, `<details class="quoted"><summary>quoted text, %d lines</summary>`, j-i)
			for _, l := range lines[i:j] {
				b.WriteString(linkify(l) + "\n")
			}
			b.WriteString("</details>")
			i = j
			continue
		}
		if j == i {
			j = i + 1
		}
		for _, l := range lines[i:j] {
			b.WriteString(linkify(l) + "\n")
		}
		i = j
	}
	return template.HTML(b.String())
}

// linkify escapes one line and turns its URLs into links that send no
// referrer and tell search engines not to follow.
func linkify(line string) string {
	var b strings.Builder
	last := 0
	for _, m := range urlPattern.FindAllStringIndex(line, -1) {
		start, end := m[0], m[1]
		for end > start && strings.ContainsRune(".,;:!?)]}'\"", rune(line[end-1])) {
			end--
		}
		b.WriteString(template.HTMLEscapeString(line[last:start]))
		u := line[start:end]
		fmt.Fprintf(&b, `<a href="%s" rel="nofollow noopener noreferrer">%s</a>`, template.HTMLEscapeString(u), template.HTMLEscapeString(u))
		last = end
	}
	b.WriteString(template.HTMLEscapeString(line[last:]))
	return b.String()
}
