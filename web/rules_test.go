package web

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"patchreview/checks"
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

// /rules/{id} answers the R-number with a redirect to the id, and the
// notes that findings carry besides rules (internal-error, tree-context,
// check-limit) have pages saying what they mean (regression: all 404).
func TestRulePagesNumbersAndNotes(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	r30 := checks.RuleByNumber("R30")
	for _, n := range []string{"R30", "r30"} {
		w := get(t, s, "/rules/"+n)
		if w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/rules/"+r30.ID {
			t.Errorf("/rules/%s: %d to %q, want a redirect to /rules/%s", n, w.Code, w.Header().Get("Location"), r30.ID)
		}
	}
	for id, says := range map[string]string{
		checks.InternalErrorID: "may be incomplete",
		checks.TreeNoteID:      "hunks alone",
		checks.CheckLimitID:    "too long",
	} {
		w := get(t, s, "/rules/"+id)
		body := html.UnescapeString(w.Body.String())
		if w.Code != http.StatusOK || !strings.Contains(body, says) {
			t.Errorf("/rules/%s: %d, want a page that says %q:\n%.400s", id, w.Code, says, body)
		}
	}
	if body := get(t, s, "/rules").Body.String(); !strings.Contains(body, `href="/rules/`+checks.CheckLimitID+`"`) {
		t.Error("the rules page does not list the notes")
	}
	for _, bad := range []string{"R99", "no-such-rule"} {
		if w := get(t, s, "/rules/"+bad); w.Code != http.StatusNotFound {
			t.Errorf("/rules/%s: %d, want 404", bad, w.Code)
		}
	}
}
