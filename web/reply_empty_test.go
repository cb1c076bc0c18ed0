package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestReplyNothingToSend: on a patch without the reviewer's comments,
// findings or verdict the reply says nothing: the page offers no Send
// and says why, and a Send is a 409 with the reason, the mailer never
// asked; once there is a comment, Send is offered.
func TestReplyNothingToSend(t *testing.T) {
	mailer := &countingMailer{}
	s, st := newTestServer(t, Options{Mailer: mailer})
	if _, err := st.IngestBytes(context.Background(), pwMail("Ravi <ravi@example.org>", "[PATCH] ext2: fix a thing", "empty.1@example.org", "",
		pwDiff("c")), "test", nil); err != nil {
		t.Fatal(err)
	}
	_, c := signIn(t, st, "Jan Kara", "jack@example.org", false)
	page := getWith(t, s, "/patches/1/reply", c)
	if strings.Contains(page, `id="send"`) || !strings.Contains(page, "Nothing to send yet: add a comment or a verdict") {
		t.Errorf("reply page with nothing to say offers Send, or does not say why not\n%s", page)
	}
	w := postForm(t, s, "/patches/1/reply/send", nil, c)
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "nothing to send: add a comment or a verdict first") {
		t.Errorf("send of an empty reply: %d, want 409 saying so\n%.500s", w.Code, w.Body.String())
	}
	if n := mailer.sends.Load(); n != 0 {
		t.Errorf("the mailer was asked to send an empty reply %d times", n)
	}

	if w := postForm(t, s, "/patches/1/comments", url.Values{"body": {"Looks fine to me."}}, c); w.Code != http.StatusSeeOther {
		t.Fatalf("comment: %d %s", w.Code, w.Body)
	}
	if page := getWith(t, s, "/patches/1/reply", c); !strings.Contains(page, `id="send"`) || !strings.Contains(page, "Send to 1 recipient<") {
		t.Errorf("reply page with a comment offers no Send\n%s", page)
	}
	if w := postForm(t, s, "/patches/1/reply/send", nil, c); w.Code != http.StatusBadGateway || mailer.sends.Load() != 1 {
		t.Errorf("send with a comment: %d (the test mailer refuses: want 502), %d sends", w.Code, mailer.sends.Load())
	}
}
