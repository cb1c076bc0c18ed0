package web

import (
	"html"
	"strings"
	"testing"
)

// The contracts page shows what the engine believes of a kernel helper,
// filtered by function or file, and the rules page links to it.
func TestContractsPage(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	if body := get(t, s, "/rules").Body.String(); !strings.Contains(body, `href="/contracts"`) {
		t.Error("the rules page does not link to the contracts")
	}
	w := get(t, s, "/contracts?q=f2fs_put_page")
	body := html.UnescapeString(w.Body.String())
	if w.Code != 200 || !strings.Contains(body, "f2fs_put_page()") || !strings.Contains(body, "unlocks it on some paths only") ||
		!strings.Contains(body, "fs/f2fs/") {
		t.Errorf("filtered contracts: %d\n%s", w.Code, body)
	}
	if strings.Contains(body, "nilfs_") {
		t.Error("the filter let other functions through")
	}
	all := html.UnescapeString(get(t, s, "/contracts").Body.String())
	if !strings.Contains(all, "the first 500 shown") {
		t.Error("the unfiltered page is not bounded")
	}
	if none := html.UnescapeString(get(t, s, "/contracts?q=no_such_function_xyz").Body.String()); !strings.Contains(none, "0 of ") {
		t.Error("a filter matching nothing does not say so")
	}
}
