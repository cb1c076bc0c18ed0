package diffview

import (
	"strings"
	"testing"
)

func TestMarkdownIsSafe(t *testing.T) {
	tests := []struct {
		src          string
		want, reject []string
	}{
		// Images are links, never loaded: no tracking pixel.
		{"look ![t](http://evil.example/pixel.png) here", []string{`<a class="md-image" rel="nofollow noopener noreferrer" href="http://evil.example/pixel.png">image: t</a>`}, []string{"<img"}},
		{"![](http://evil.example/p.png)", []string{`>image: http://evil.example/p.png</a>`}, []string{"<img"}},
		{"![x](javascript:alert(1))", []string{`href="">image: x</a>`}, []string{"javascript:"}},
		// Raw HTML is shown escaped, with the text after it kept.
		{"before <b onclick=x>bold</b> after", []string{"before &lt;b onclick=x&gt;bold&lt;/b&gt; after"}, []string{"<b ", "raw HTML omitted"}},
		{"<script>alert(1)</script>\n\nnext paragraph", []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "<p>next paragraph</p>"}, []string{"<script", "omitted"}},
		{"<div>\nblock\n</div>\n", []string{"&lt;div&gt;", "block", "&lt;/div&gt;"}, []string{"<div>"}},
		{"[ok](https://lore.kernel.org/x) and `code <x>`", []string{`<a href="https://lore.kernel.org/x">ok</a>`, "<code>code &lt;x&gt;</code>"}, nil},
	}
	for _, tt := range tests {
		got := string(RenderMarkdown(tt.src))
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%q renders %q, want it to contain %q", tt.src, got, w)
			}
		}
		for _, r := range tt.reject {
			if strings.Contains(got, r) {
				t.Errorf("%q renders %q, which contains %q", tt.src, got, r)
			}
		}
	}
}
