package diffview

import (
	"html"
	"html/template"
	"regexp"
	"strings"
	"testing"
)

var tags = regexp.MustCompile(`<[^>]*>`)

// plain strips the spans and unescapes, giving back the line's text.
func plain(h template.HTML) string { return html.UnescapeString(tags.ReplaceAllString(string(h), "")) }

const cSample = `#define FOO(x) \
	((x) + 1) /* add */
static int f(struct page *page)
{
	/* a comment
	 * over "three" lines */
	char *s = "a \"quoted\" <b>";
	char c = '\'';
	return 0x1f; // done
}`

func TestHighlightCKeepsTextAndSpansLines(t *testing.T) {
	lines := strings.Split(cSample, "\n")
	out := highlightC(lines)
	for i, l := range lines {
		if got := plain(out[i]); got != l {
			t.Errorf("line %d text = %q, want %q", i+1, got, l)
		}
	}
	checks := []struct {
		line int
		want string
	}{
		{0, `<span class="cp">#define FOO(x) \</span>`},
		{1, `<span class="cp">	((x) + 1) </span><span class="cm">/* add */</span>`},
		{2, `<span class="k">static</span> <span class="kt">int</span>`},
		{5, `<span class="cm">	 * over &#34;three&#34; lines */</span>`},
		{6, `<span class="s">&#34;a \&#34;quoted\&#34; &lt;b&gt;&#34;</span>`},
		{7, `<span class="sc">&#39;\&#39;&#39;</span>`},
		{8, `<span class="m">0x1f</span>; <span class="c1">// done</span>`},
	}
	for _, c := range checks {
		if !strings.Contains(string(out[c.line]), c.want) {
			t.Errorf("line %d = %s, want it to contain %s", c.line+1, out[c.line], c.want)
		}
	}
}

func TestHighlightChromaSplitsMultiLineTokens(t *testing.T) {
	lines := []string{"# a <comment>", "obj-y += a.o \\", "\tb.o", ""}
	out := highlightLines(lexerFor("fs/x/Makefile"), lines)
	for i, l := range lines {
		if got := plain(out[i]); got != l {
			t.Errorf("line %d text = %q, want %q", i+1, got, l)
		}
	}
	if !strings.Contains(string(out[0]), `<span class="c"># a &lt;comment&gt;</span>`) {
		t.Errorf("Makefile comment = %s", out[0])
	}
	if unknown := highlight("notes.unknownext", []string{"<x>"}); string(unknown[0]) != "&lt;x&gt;" {
		t.Errorf("unknown file type = %s", unknown[0])
	}
}
