package review

import (
	"bytes"
	"encoding/base64"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/emersion/go-message"
)

// mboxMessages splits an mbox file into raw mails.
func mboxMessages(t *testing.T, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]byte
	if err := SplitMbox(f, func(raw []byte) error { out = append(out, raw); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func mustParse(t *testing.T, raw []byte) *Message {
	t.Helper()
	m, err := ParseMessage(raw)
	if err != nil || m.Patch == nil {
		t.Fatalf("not a patch mail (%v): %.200s", err, raw)
	}
	return m
}

// TestAmReadyMatchesB4 applies the trailers b4 collects from the follow-ups
// in its samples and compares the commit message, trailer order included,
// and the diff with b4's own am output. Not compared: the headers b4
// rewrites (it drops To/Cc/In-Reply-To, adds MIME headers, reorders) and
// the "---" line, which b4 drops when no notes follow it. Collecting the
// trailers from the replies (skipping a mismatched From) is the discussion
// code's job; here they are given as it would hand them over, with a
// duplicate of a trailer the patch already has, which must not be doubled.
func TestAmReadyMatchesB4(t *testing.T) {
	rb := func(s string) Trailer { return Trailer{Key: "Reviewed-by", Value: s} }
	sob := Trailer{Key: "Signed-off-by", Value: "Test Override <test-override@example.com>"}
	dup := rb("original reviewer  <original-reviewer@example.com>")
	cases := []struct {
		sample string
		extra  map[string][]Trailer // by Message-ID
	}{
		{"trailers-followup-single", map[string][]Trailer{
			"orig-message@example.com": {dup, rb("Followup Reviewer1 <followup-reviewer1@example.com>"),
				{Key: "tested-BY", Value: "Followup Reviewer2 <followup-reviewer2@example.com>"}},
		}},
		// b4's reference is made by the applier "Test Override", whose own
		// sign-off b4 adds last: it comes last here too.
		{"trailers-followup-with-cover", map[string][]Trailer{
			"patch-1-message@example.com": {rb("Coverletter Reviewer1 <followup-reviewer1@example.com>"), sob},
			"patch-2-message@example.com": {rb("Followup Reviewer1 <followup-reviewer1@example.com>"), dup,
				rb("Coverletter Reviewer1 <followup-reviewer1@example.com>"), sob},
		}},
	}
	for _, c := range cases {
		t.Run(c.sample, func(t *testing.T) {
			want := map[string]*Message{}
			for _, raw := range mboxMessages(t, "testdata/amexport/"+c.sample+"-ref-defaults.txt") {
				m := mustParse(t, raw)
				want[m.MessageID] = m
			}
			done := 0
			for _, raw := range mboxMessages(t, "testdata/amexport/"+c.sample+".mbox") {
				orig, err := ParseMessage(raw)
				if err != nil || orig.Kind != KindPatch {
					continue
				}
				out, err := AmReady(raw, c.extra[orig.MessageID])
				if err != nil {
					t.Fatal(err)
				}
				got, ref := mustParse(t, out), want[orig.MessageID]
				if got.Patch.CommitMessage != ref.Patch.CommitMessage {
					t.Errorf("%s commit message:\n%s\nwant (b4):\n%s", orig.MessageID, got.Patch.CommitMessage, ref.Patch.CommitMessage)
				}
				if got.Patch.Diff != ref.Patch.Diff || got.Subject.Raw != ref.Subject.Raw || got.From != ref.From {
					t.Errorf("%s: diff, subject or author changed", orig.MessageID)
				}
				done++
			}
			if done != len(want) {
				t.Errorf("checked %d patches, b4's output has %d", done, len(want))
			}
		})
	}
}

func TestApplyTrailers(t *testing.T) {
	rb := Trailer{Key: "Reviewed-by", Value: "R <r@x>"}
	cases := []struct {
		name, body, want string
	}{
		{"no trailers yet", "Fix it.\n---\n f | 1 +\n\ndiff --git a/f b/f\n",
			"Fix it.\n\nReviewed-by: R <r@x>\n---\n f | 1 +\n\ndiff --git a/f b/f\n"},
		{"after the block, blank line kept", "Fix it.\n\nSigned-off-by: A <a@x>\n\n---\ndiff --git a/f b/f\n",
			"Fix it.\n\nSigned-off-by: A <a@x>\nReviewed-by: R <r@x>\n\n---\ndiff --git a/f b/f\n"},
		{"no separator", "Fix it.\n\nSigned-off-by: A <a@x>\ndiff --git a/f b/f\n",
			"Fix it.\n\nSigned-off-by: A <a@x>\nReviewed-by: R <r@x>\n\ndiff --git a/f b/f\n"},
		{"already there", "Fix it.\n\nReviewed-by: r <R@X>\n---\ndiff --git a/f b/f\n",
			"Fix it.\n\nReviewed-by: r <R@X>\n---\ndiff --git a/f b/f\n"},
		{"--- inside the diff is not the separator", "Fix.\n\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n",
			"Fix.\n\nReviewed-by: R <r@x>\n\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n"},
	}
	for _, c := range cases {
		if got := ApplyTrailers(c.body, []Trailer{rb, {Key: "bad key:", Value: "x"}, {Key: "Acked-by", Value: ""}}); got != c.want {
			t.Errorf("%s:\n%q\nwant\n%q", c.name, got, c.want)
		}
	}
}

// TestAmReadyReencodes: a quoted-printable Latin-1 body comes out
// quoted-printable UTF-8, and base64 stays base64, with the trailer added.
func TestAmReadyReencodes(t *testing.T) {
	body := "Fix the caf\xe9 =\r\nbug.\r\n\r\nSigned-off-by: Ren\xe9 <r@x>\r\n---\r\ndiff --git a/f b/f\r\n--- a/f\r\n+++ b/f\r\n@@ -1 +1 @@\r\n-a\r\n+b\r\n"
	qp := strings.NewReplacer("\xe9 =", "=E9 =", "\xe9", "=E9").Replace(body)
	mails := map[string]string{
		"quoted-printable": "From: A <a@x>\r\nSubject: [PATCH] f: fix\r\nMessage-ID: <q@x>\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + qp,
		"base64":           "From: A <a@x>\r\nSubject: [PATCH] f: fix\r\nMessage-ID: <b@x>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nRml4IHRoZSBjYWbDqSBidWcuCgpTaWduZWQtb2ZmLWJ5OiBSZW7DqSA8ckB4PgotLS0KZGlmZiAtLWdpdCBhL2YgYi9mCi0tLSBhL2YKKysrIGIvZgpAQCAtMSArMSBAQAotYQorYgo=\r\n",
	}
	for cte, raw := range mails {
		out, err := AmReady([]byte(raw), []Trailer{{Key: "Reviewed-by", Value: "Zoë <z@x>"}})
		if err != nil {
			t.Fatalf("%s: %v", cte, err)
		}
		if !bytes.Contains(out, []byte("Content-Transfer-Encoding: "+cte)) || !bytes.Contains(out, []byte("charset=utf-8")) || bytes.Contains(out, []byte("\r\n")) {
			t.Errorf("%s: headers not as expected:\n%s", cte, out)
		}
		m := mustParse(t, out)
		want := "Fix the café bug.\n\nSigned-off-by: René <r@x>\nReviewed-by: Zoë <z@x>\n"
		if m.Patch.CommitMessage != want || m.Patch.Diff != "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n" {
			t.Errorf("%s: commit message %q, diff %q", cte, m.Patch.CommitMessage, m.Patch.Diff)
		}
	}
}

// TestAmReadyMultipart: a patch sent as an attachment gets the trailers in
// the message part; the attachment comes out byte for byte, base64 again.
func TestAmReadyMultipart(t *testing.T) {
	patch := "From 1 Mon Sep 17 00:00:00 2001\nSubject: x\n\ndiff --git a/f b/f\n"
	raw := "From: a@x\nSubject: [PATCH] f\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=BB\n\npreamble\n--BB\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nFix caf=E9.\n\nSigned-off-by: A <a@x>\n--BB\nContent-Type: text/x-patch\nContent-Disposition: attachment; filename=f.patch\nContent-Transfer-Encoding: base64\n\n" +
		base64.StdEncoding.EncodeToString([]byte(patch)) + "\n--BB--\n"
	out, err := AmReady([]byte(raw), []Trailer{{Key: "Reviewed-by", Value: "R <r@x>"}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := message.Read(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	e.Walk(func(path []int, p *message.Entity, err error) error {
		if len(path) > 0 {
			b, _ := io.ReadAll(p.Body)
			parts = append(parts, string(b))
		}
		return nil
	})
	if len(parts) != 2 || parts[0] != "Fix café.\n\nSigned-off-by: A <a@x>\nReviewed-by: R <r@x>" || parts[1] != patch {
		t.Errorf("parts = %q", parts)
	}
	if !bytes.Contains(out, []byte("Content-Transfer-Encoding: base64")) || !bytes.Contains(out, []byte("Fix caf=C3=A9.")) {
		t.Errorf("encodings not kept:\n%s", out)
	}
}

func TestAmReadyErrors(t *testing.T) {
	nested := "From: a@x\nSubject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/alternative; boundary=c\n\n--c\nContent-Type: text/plain\n\nx\n--c--\n--b--\n"
	if _, err := AmReady([]byte(nested), []Trailer{{Key: "Acked-by", Value: "a"}}); err != ErrMultipart {
		t.Errorf("nested multipart: err = %v, want ErrMultipart", err)
	}
	raw := []byte("From: a@x\nSubject: s\n\nbody\n")
	if out, err := AmReady(raw, nil); err != nil || !bytes.Equal(out, raw) {
		t.Errorf("nothing to add changed the mail: %q, %v", out, err)
	}
	for _, junk := range []string{"", "\x00\x01", "no header\n"} {
		AmReady([]byte(junk), []Trailer{{Key: "Acked-by", Value: "a"}}) // must not panic
	}
}

func TestWriteMboxRoundTrip(t *testing.T) {
	mails := [][]byte{
		[]byte("From: a@x\nSubject: one\n\nFrom the start\n>From quoted\n>>From twice\nFromage\n"),
		[]byte("From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: b@x\nSubject: two\n\nno final newline"),
		[]byte("From: c@x\r\nSubject: three\r\n\r\nFrom crlf\r\n"),
	}
	var b bytes.Buffer
	if err := WriteMbox(&b, mails); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\n>From the start\n>>From quoted\n>>>From twice\nFromage\n") {
		t.Errorf("From lines not mboxrd-quoted:\n%s", b.String())
	}
	if n := strings.Count(b.String(), "\n"+mboxFrom) + 1; !strings.HasPrefix(b.String(), mboxFrom) || n != 3 {
		t.Errorf("%d From_ lines, want 3", n)
	}
	var got [][]byte
	SplitMbox(&b, func(raw []byte) error { got = append(got, raw); return nil })
	if len(got) != len(mails) {
		t.Fatalf("read back %d mails, want %d", len(got), len(mails))
	}
	for i, m := range mails {
		want := strings.TrimRight(string(dropEnvelope(m)), "\n")
		if g := strings.TrimRight(string(got[i]), "\n"); g != want {
			t.Errorf("mail %d read back as %q, want %q", i, g, want)
		}
	}
}

func FuzzAmReady(f *testing.F) {
	for _, m := range mboxMessagesF(f, "testdata/amexport/trailers-followup-single.mbox") {
		f.Add(m, "Reviewed-by", "A <a@x>")
	}
	f.Add([]byte("Subject: x\nContent-Transfer-Encoding: base64\n\n!!!"), "Acked-by", "b")
	f.Fuzz(func(t *testing.T, raw []byte, key, value string) {
		out, err := AmReady(raw, []Trailer{{Key: key, Value: value}})
		if err == nil && len(out) == 0 && len(raw) > 0 {
			t.Error("no error and no output")
		}
	})
}

// mboxMessagesF splits an mbox for a fuzz seed corpus.
func mboxMessagesF(f *testing.F, path string) [][]byte {
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	var out [][]byte
	SplitMbox(bytes.NewReader(data), func(raw []byte) error { out = append(out, raw); return nil })
	return out
}

// A Signed-off-by given in a reply (a maintainer applying the patch) stays
// in arrival order among the follow-up trailers, as b4 am keeps it.
func TestApplyTrailersKeepsOrder(t *testing.T) {
	body := "Fix it.\n\nSigned-off-by: A <a@x>\n---\ndiff --git a/f b/f\n"
	got := ApplyTrailers(body, []Trailer{{Key: "Signed-off-by", Value: "J <j@x>"}, {Key: "Reviewed-by", Value: "R <r@x>"}})
	want := "Fix it.\n\nSigned-off-by: A <a@x>\nSigned-off-by: J <j@x>\nReviewed-by: R <r@x>\n---\ndiff --git a/f b/f\n"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
