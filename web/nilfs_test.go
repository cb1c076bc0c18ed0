package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"patchreview/internal/nilfs"
	"patchreview/review"
)

// nilfsThread returns the raw messages of the archive that contain marker
// (a Message-ID stem), or skips when the archive or xz is absent.
func nilfsThread(t *testing.T, marker string) [][]byte {
	t.Helper()
	out := nilfs.Open(t)
	var raws [][]byte
	stop := errors.New("past the thread")
	review.SplitMbox(out, func(raw []byte) error {
		if bytes.Contains(raw, []byte(marker)) {
			raws = append(raws, append([]byte(nil), raw...))
		} else if len(raws) > 0 && len(raws) >= 8 {
			return stop
		}
		return nil
	})
	if len(raws) == 0 {
		t.Fatalf("no message with %q in the archive", marker)
	}
	return raws
}

// TestReviewRealNilfsSeriesAndSend: a reviewer signs in, reviews a real
// series from the nilfs list ("nilfs2 lockdep warning fixes", 3 patches),
// and sends the reply through an SMTP server the test runs: threaded on
// the patch, to its author and the list, quoting the line commented on.
func TestReviewRealNilfsSeriesAndSend(t *testing.T) {
	raws := nilfsThread(t, "1647867427-30498-")
	relay := startSMTP(t, "jack", "relay pass")
	mailer, _ := NewMailer(relay.url(), "")
	s, st := newTestServer(t, Options{Mailer: mailer})
	ctx := context.Background()
	for _, raw := range raws {
		if _, err := st.IngestMessage(ctx, raw, "nilfs"); err != nil {
			t.Fatal(err)
		}
	}
	u, _ := st.AddUser(ctx, "Jan Kara", "jack@example.org", false)
	st.SetPassword(ctx, u.ID, "a long enough password")
	w := postForm(t, s, "/signin", url.Values{"email": {"jack@example.org"}, "password": {"a long enough password"}}, nil)
	c := cookieNamed(w, sessionCookie)
	if c == nil {
		t.Fatalf("sign in: %d", w.Code)
	}
	var list struct {
		Series []struct {
			ID      int64
			Title   string
			Patches int
		}
	}
	decode(t, get(t, s, "/api/v1/series?q=lockdep"), &list)
	var sid int64
	for _, x := range list.Series {
		if x.Title == "nilfs2 lockdep warning fixes" && x.Patches == 3 {
			sid = x.ID
		}
	}
	if sid == 0 {
		t.Fatalf("the 3-patch series is not listed: %+v", list.Series)
	}
	var se struct {
		Patches []struct{ ID int64 }
	}
	decode(t, get(t, s, "/api/v1/series/"+strconv.FormatInt(sid, 10)), &se)
	pid := strconv.FormatInt(se.Patches[1].ID, 10)
	var p struct {
		MessageID string `json:"message_id"`
		Diff      string
	}
	decode(t, get(t, s, "/api/v1/patches/"+pid), &p)
	m, err := review.ParseMessage([]byte("Subject: x\n\n" + p.Diff))
	if err != nil || m.Patch == nil || len(m.Patch.Files) == 0 {
		t.Fatalf("diff of patch 2/3: %v", err)
	}
	var target review.AnchorLine
	for _, l := range review.DiffTargets(m.Patch.Files) {
		if strings.TrimSpace(l.Text) != "" && target.Line == 0 {
			target = l
		}
	}
	if w := postForm(t, s, "/patches/"+pid+"/comments", url.Values{"path": {target.Path}, "line": {strconv.Itoa(target.Line)},
		"body": {"Is this path taken under the lock?"}}, c); w.Code != http.StatusSeeOther {
		t.Fatalf("comment: %d %s", w.Code, w.Body)
	}
	postForm(t, s, "/patches/"+pid+"/verdict", url.Values{"kind": {"Reviewed-by"}}, c)
	if page := getWith(t, s, "/patches/"+pid, c); !strings.Contains(page, "Is this path taken under the lock?") {
		t.Fatalf("the comment is not on the page")
	}
	if w := postForm(t, s, "/patches/"+pid+"/reply/send", nil, c); w.Code != http.StatusSeeOther {
		t.Fatalf("send: %d %s", w.Code, w.Body)
	}
	sent := relay.sent()
	if len(sent) != 1 {
		t.Fatalf("relay got %d mails", len(sent))
	}
	rm, err := review.ParseMessage([]byte(sent[0].data))
	if err != nil {
		t.Fatal(err)
	}
	if rm.InReplyTo != p.MessageID || !strings.Contains(strings.ReplaceAll(rm.Body, "\r\n", "\n"), strings.TrimRight(target.Text, " ")+"\n\nIs this path taken under the lock?") ||
		!strings.Contains(rm.Body, "Is this path taken under the lock?") || !strings.HasSuffix(rm.Body, "Reviewed-by: Jan Kara <jack@example.org>\n") {
		t.Errorf("the sent reply:\n%s", sent[0].data)
	}
	var toList bool
	for _, a := range append(rm.To, rm.Cc...) {
		toList = toList || a.Email == "linux-nilfs@vger.kernel.org"
	}
	if !toList || sent[0].from != "jack@example.org" {
		t.Errorf("not sent to the list from the reviewer: from %s to %v cc %v", sent[0].from, rm.To, rm.Cc)
	}
}
