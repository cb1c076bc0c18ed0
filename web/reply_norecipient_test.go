package web

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// countingMailer counts its sends and refuses them all.
type countingMailer struct{ sends atomic.Int32 }

func (m *countingMailer) Send(ctx context.Context, from string, to []string, msg []byte) error {
	m.sends.Add(1)
	return context.Canceled
}
func (m *countingMailer) String() string { return "test mailer" }

// TestReplyToMailWithoutSender: a patch mail without a From header (nor
// To or Cc) leaves the reply without a recipient: the page shows none and
// no empty mailto: address, and sending is a 409 with its reason, not an
// empty recipient handed to the mailer (a 502).
func TestReplyToMailWithoutSender(t *testing.T) {
	mailer := &countingMailer{}
	s, st := newTestServer(t, Options{Mailer: mailer})
	raw := "Message-ID: <nofrom.1@example.org>\nSubject: [PATCH] shadowfs: drop a stray unlock\nDate: Mon, 12 Jan 2026 09:00:00 +0000\n" +
		"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nNo sender here.\n\n---\n" +
		"diff --git a/fs/shadowfs/aops.c b/fs/shadowfs/aops.c\n--- a/fs/shadowfs/aops.c\n+++ b/fs/shadowfs/aops.c\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n d\n"
	if _, err := st.IngestBytes(context.Background(), []byte(raw), "test", nil); err != nil {
		t.Fatal(err)
	}
	_, c := signIn(t, st, "Jan Kara", "jack@example.org", false)
	page := getWith(t, s, "/patches/1/reply", c)
	if !strings.Contains(page, "<th>To</th><td></td>") || !strings.Contains(page, `href="mailto:?`) {
		t.Errorf("reply page of a mail without a sender: want no recipient\n%s", page)
	}
	// No "Send to 0 recipients": the page says why there is no Send.
	if strings.Contains(page, `id="send"`) || !strings.Contains(page, "the reply has no recipient") {
		t.Errorf("reply page of a mail without a sender offers Send, or does not say why not\n%s", page)
	}
	w := postForm(t, s, "/patches/1/reply/send", nil, c)
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "no recipient") {
		t.Errorf("send with no recipient: %d, want 409 saying so\n%.500s", w.Code, w.Body.String())
	}
	if n := mailer.sends.Load(); n != 0 {
		t.Errorf("the mailer was asked to send %d times with no recipient", n)
	}
}
