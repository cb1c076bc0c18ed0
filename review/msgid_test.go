package review

import "testing"

// TestMessageIDKeptWithAMalformedHeaderLine: one header line without a
// colon used to cost the mail its real Message-ID (a made-up
// sha256-…@patchreview.invalid was stored instead).
func TestMessageIDKeptWithAMalformedHeaderLine(t *testing.T) {
	for _, raw := range []string{
		"From: a@example.org\nthis line is not a header\nMessage-ID: <real-1@example.org>\nSubject: x\n\nbody\n",
		"From: a@example.org\r\nX-Broken\r\nMessage-Id:\r\n <real-1@example.org>\r\n\r\nbody\r\n",
	} {
		if got := ReadMessageID([]byte(raw)); got != "real-1@example.org" {
			t.Errorf("ReadMessageID(%q) = %q", raw, got)
		}
	}
	// A Message-ID in the body is not the mail's.
	raw := "From: a@example.org\nbroken line\n\nMessage-ID: <body@example.org>\n"
	if got := ReadMessageID([]byte(raw)); !IsSyntheticMessageID(got) {
		t.Errorf("ReadMessageID took the id from the body: %q", got)
	}
}
