package pi

import "testing"

// TestMidEscape checks MidEscape against public-inbox's mid_escape
// (PublicInbox/MID.pm: uri_escape_utf8 of everything outside RFC 3986's
// pchar set).
func TestMidEscape(t *testing.T) {
	for in, want := range map[string]string{
		"20260225-pagevec_cleanup-v2-0-716868cc2d11@columbia.edu": "20260225-pagevec_cleanup-v2-0-716868cc2d11@columbia.edu",
		"a/b+c@example.org":     "a%2Fb+c@example.org",
		"50%@x y":               "50%25@x%20y",
		"q?#[]@\"<>":            "q%3F%23%5B%5D@%22%3C%3E",
		"~!$&'()*,;=:":          "~!$&'()*,;=:",
		"caf\u00e9@example.org": "caf%C3%A9@example.org",
	} {
		if got := MidEscape(in); got != want {
			t.Errorf("MidEscape(%q) = %q, want %q", in, got, want)
		}
	}
}
