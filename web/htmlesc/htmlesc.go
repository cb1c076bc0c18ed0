// Package htmlesc escapes values exactly as html/template escapes them in
// each place (text and quoted attributes, a URL's start, its query or
// fragment), for the hot rows the pages write directly instead of through
// a template (diffview's line rows, the series page's patch rows); their
// tests compare the two on hostile values.
package htmlesc

import (
	"fmt"
	"strings"
)

// Text writes s escaped as html/template escapes text and quoted
// attribute values (every byte it replaces is ASCII; the others, invalid
// UTF-8 included, are copied as they are).
func Text(b *strings.Builder, s string) {
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

// FilterURL is html/template's check of a URL at the start of an
// attribute: a scheme other than http, https or mailto is refused.
func FilterURL(s string) string {
	if i := strings.IndexByte(s, ':'); i >= 0 && !strings.ContainsRune(s[:i], '/') {
		if p := s[:i]; !strings.EqualFold(p, "http") && !strings.EqualFold(p, "https") && !strings.EqualFold(p, "mailto") {
			return "#ZgotmplZ"
		}
	}
	return s
}

// URL percent-encodes s as html/template does in a URL: normalizing
// (norm: reserved characters and valid escapes kept) at the URL's start,
// escaping everything but unreserved characters after its '?' or '#'.
func URL(s string, norm bool) string {
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
