package diffview

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite static/chroma.css")

func TestChromaCSSUpToDate(t *testing.T) {
	want := ChromaCSS()
	if *update {
		if err := os.WriteFile("static/chroma.css", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("static/chroma.css")
	if err != nil || string(got) != want {
		t.Fatalf("static/chroma.css is stale (err %v): run go test ./web/diffview -run ChromaCSS -update", err)
	}
	for _, class := range []string{".chroma .k{", ".chroma .cm{", ".chroma .s{", ".chroma .cp{"} {
		light, dark, _ := strings.Cut(want, "@media (prefers-color-scheme: dark)")
		if !strings.Contains(light, class) || !strings.Contains(dark, class) {
			t.Errorf("ChromaCSS lacks %s in the light or the dark part", class)
		}
	}
	if strings.Contains(want, "background") {
		t.Error("ChromaCSS sets a background, which would hide the add/del colours")
	}
}
