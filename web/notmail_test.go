package web

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"patchreview/storage"
	"patchreview/web/inbound"
)

// pngBytes is the start of a PNG file.
const pngBytes = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

const goodMail = "From: Ann Author <ann@example.org>\nSubject: [PATCH] fix it\nMessage-ID: <good@example.org>\nDate: Mon, 19 Jan 2026 10:00:00 +0000\n\nBody.\n"

// malformedMail is a mail with a broken header line: stored raw and marked.
const malformedMail = "From: a@example.org\nthis line is not a header\nMessage-ID: <broken@example.org>\n\nbody\n"

func storedIDs(t *testing.T, st *storage.Store) []string {
	t.Helper()
	ms, err := st.RecentMessages(context.Background(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, m.MessageID)
	}
	return out
}

// TestUploadThatIsNotMail is the regression test of issue 9's "an upload
// that is not mail at all answers 200 and stores it", on the three ways
// in.
func TestUploadThatIsNotMail(t *testing.T) {
	for name, body := range map[string]string{"hello": "hello", "PNG": pngBytes, "JSON": `{"From": "a@example.org"}`} {
		s, st := newTestServer(t, Options{WebhookSecret: "hook-secret"})

		req := httptest.NewRequest("POST", "/api/v1/mbox", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/mbox")
		authorize(t, st, req)
		w := do(t, s, req)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "not a mail message") {
			t.Errorf("%s: POST /api/v1/mbox: %d %s", name, w.Code, w.Body)
		}

		form, ct := multipartBody(t, "mbox", []byte(body))
		req = httptest.NewRequest("POST", "/upload", form)
		req.Header.Set("Content-Type", ct)
		authorize(t, st, req)
		w = do(t, s, req)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "not a mail message") {
			t.Errorf("%s: POST /upload: %d %s", name, w.Code, w.Body)
		}

		req = httptest.NewRequest("POST", "/api/v1/inbound", strings.NewReader(body))
		req.Header.Set("Content-Type", "message/rfc822")
		req.Header.Set(inbound.SignatureHeader, inbound.Sign("hook-secret", []byte(body)))
		w = do(t, s, req)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "not a mail message") {
			t.Errorf("%s: POST /api/v1/inbound: %d %s", name, w.Code, w.Body)
		}
		if ids := storedIDs(t, st); len(ids) != 0 {
			t.Errorf("%s: stored %v", name, ids)
		}
	}
}

// TestUploadMixedMbox: in an mbox, the mail is stored (a malformed one
// too: its header is read around the broken line) and the junk reported,
// not stored.
func TestUploadMixedMbox(t *testing.T) {
	s, st := newTestServer(t, Options{WebhookSecret: "hook-secret"})
	mbox := "From mboxrd@z Thu Jan  1 00:00:00 1970\n" + goodMail + "\n" +
		"From mboxrd@z Thu Jan  1 00:00:00 1970\nthis is junk, not a mail\n\n" +
		"From mboxrd@z Thu Jan  1 00:00:00 1970\n" + malformedMail
	req := httptest.NewRequest("POST", "/api/v1/mbox", strings.NewReader(mbox))
	req.Header.Set("Content-Type", "application/mbox")
	authorize(t, st, req)
	w := do(t, s, req)
	var res struct {
		Messages, New int
		Rejected      []struct {
			Index  int
			Reason string
		}
	}
	decode(t, w, &res)
	if w.Code != 200 || res.Messages != 2 || res.New != 2 || len(res.Rejected) != 1 || res.Rejected[0].Index != 2 ||
		!strings.Contains(res.Rejected[0].Reason, `the first line is "this is junk, not a mail"`) {
		t.Fatalf("mixed mbox: %d %+v", w.Code, res)
	}
	ids := storedIDs(t, st)
	if len(ids) != 2 || !strings.Contains(strings.Join(ids, " "), "good@example.org") || !strings.Contains(strings.Join(ids, " "), "broken@example.org") {
		t.Errorf("stored %v, want the good and the malformed mail", ids)
	}

	// The form says so too.
	form, ct := multipartBody(t, "mbox", []byte(mbox))
	req = httptest.NewRequest("POST", "/upload", form)
	req.Header.Set("Content-Type", ct)
	authorize(t, st, req)
	if w := do(t, s, req); w.Code != http.StatusSeeOther || len(w.Result().Cookies()) != 1 ||
		!strings.Contains(w.Result().Cookies()[0].Value, "not+mail+at+all") {
		t.Errorf("form upload of the mixed mbox: %d %v", w.Code, w.Result().Cookies())
	}

	// A malformed mail through the webhook is still accepted and marked.
	raw := []byte(strings.Replace(malformedMail, "broken@", "broken2@", 1))
	req = httptest.NewRequest("POST", "/api/v1/inbound", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "message/rfc822")
	req.Header.Set(inbound.SignatureHeader, inbound.Sign("hook-secret", raw))
	if w := do(t, s, req); w.Code != http.StatusAccepted {
		t.Errorf("malformed mail through the webhook: %d %s", w.Code, w.Body)
	}
}
