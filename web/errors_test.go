package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestPublicInboxBadSearchIs400: a query the search cannot express
// (review.ErrInvalid) is a 400 with its reason on the public-inbox face,
// by the one mapping every face shares (httpx.StatusOf), not a 500.
func TestPublicInboxBadSearchIs400(t *testing.T) {
	s, _, _ := facesServerAt(t, nil, Options{})
	for _, target := range []string{"/all/?x=m&q=d:notadate", "/shadow/?x=m&q=d:notadate"} {
		w := get(t, s, target)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "a date is YYYYMMDD") || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
			t.Errorf("%s: %d %q %q, want 400 in plain text with the reason", target, w.Code, w.Header().Get("Content-Type"), w.Body.String())
		}
	}
}
