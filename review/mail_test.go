package review

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// splitAll splits an mbox file into parsed messages.
func splitAll(t *testing.T, path string) []*Message {
	t.Helper()
	var out []*Message
	err := SplitMbox(bytes.NewReader(mustRead(t, path)), func(raw []byte) error {
		m, err := ParseMessage(raw)
		if err != nil {
			t.Fatalf("%s message %d: %v", path, len(out)+1, err)
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func parseFile(t *testing.T, path string) *Message {
	t.Helper()
	ms := splitAll(t, path)
	if len(ms) != 1 {
		t.Fatalf("%s: %d messages, want 1", path, len(ms))
	}
	return ms[0]
}

// TestGitMailinfoAuthors checks authors and subjects against git's t5100
// expected info files, in-body "From:"/"Subject:" lines included (not
// checked: the scissors and no-inbody-headers variants, options we do not
// have; 0015, where git leaves
// the author empty for a bogus in-body "From:" and we keep the mail's own
// From as the author, which is what a reviewer needs to see).
func TestGitMailinfoAuthors(t *testing.T) {
	ms := splitAll(t, "git/sample.mbox")
	if len(ms) != 18 {
		t.Fatalf("sample.mbox split into %d messages, git mailsplit makes 18", len(ms))
	}
	for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18} {
		info := string(mustRead(t, filepath.Join("git", "info00"+twoDigits(n))))
		want := map[string]string{}
		for _, l := range strings.Split(info, "\n") {
			if k, v, ok := strings.Cut(l, ": "); ok {
				want[k] = v
			}
		}
		m := ms[n-1]
		author, title := m.From, m.Subject.Title
		if p := amPatch(m); p != nil && p.Author.Email != "" { // in-body "From:", as git am reads it
			author = p.Author
		}
		if p := amPatch(m); p != nil && p.Subject != "" {
			title = ParseSubject(p.Subject).Title
		}
		if author.Name != want["Author"] || author.Email != want["Email"] || title != want["Subject"] {
			t.Errorf("message %d: got %q <%s> %q; git says %q <%s> %q", n, author.Name, author.Email, title,
				want["Author"], want["Email"], want["Subject"])
		}
	}
}

func twoDigits(n int) string { return fmt.Sprintf("%02d", n) }

func TestPatchworkMail(t *testing.T) {
	tests := []struct {
		file       string
		kind       Kind
		diffPrefix string
		pullURL    string
		check      func(t *testing.T, m *Message)
	}{
		{file: "0001-git-pull-request.mbox", kind: KindPull},
		{file: "0002-git-pull-request-wrapped.mbox", kind: KindPull},
		{file: "0003-git-pull-request-with-diff.mbox", kind: KindPull, diffPrefix: "diff --git a/arch/x86/include/asm/smp.h",
			pullURL: "git://git.kernel.org/pub/scm/linux/kernel/git/tip/linux-2.6-tip.git x86-fixes-for-linus"},
		{file: "0004-git-pull-request-git+ssh.mbox", kind: KindPull},
		{file: "0005-git-pull-request-ssh.mbox", kind: KindPull},
		{file: "0006-git-pull-request-http.mbox", kind: KindPull},
		{file: "0007-cvs-format-diff.mbox", kind: KindPatch, diffPrefix: "Index"},
		{file: "0008-git-rename.mbox", kind: KindPatch, check: func(t *testing.T, m *Message) {
			if c := strings.Count(m.Patch.Diff, "\nrename from "); c != 2 {
				t.Errorf("rename from count %d, want 2", c)
			}
		}},
		{file: "0009-git-rename-with-diff.mbox", kind: KindPatch, check: func(t *testing.T, m *Message) {
			if c := strings.Count(m.Patch.Diff, "\n-a\n+b"); c != 1 {
				t.Errorf("-a/+b count %d, want 1", c)
			}
		}},
		{file: "0010-invalid-charset.mbox", kind: KindPatch},
		{file: "0011-no-newline-at-end-of-file.mbox", kind: KindPatch, diffPrefix: "diff --git a/tools/testing/selftests/powerpc/Makefile",
			check: func(t *testing.T, m *Message) {
				if c := strings.Count(m.Patch.Diff, `\ No newline at end of file`); c != 2 {
					t.Errorf("no-newline markers %d, want 2", c)
				}
				if !strings.HasSuffix(strings.TrimRight(m.Patch.Diff, "\n"), `\ No newline at end of file`) {
					t.Errorf("diff should end with the marker")
				}
				if strings.Contains(m.Patch.CommitMessage, "No newline") {
					t.Errorf("commit message must not carry the marker")
				}
			}},
		{file: "0012-invalid-header-char.mbox", kind: KindPatch},
		{file: "0013-with-utf8-body.mbox", kind: KindPatch},
		{file: "0014-with-unencoded-utf8-headers.mbox", kind: KindPatch},
		{file: "0015-with-invalid-utf8-headers.mbox", kind: KindPatch},
		{file: "0016-no-subject.mbox", kind: KindPatch},
		{file: "0017-git-pull-request-git-2-14-3.mbox", kind: KindPull},
		{file: "0019-multipart-patch.mbox", kind: KindPatch, check: func(t *testing.T, m *Message) {
			if strings.Contains(m.Patch.Diff, "<div") || strings.Contains(m.Patch.CommitMessage, "<div") {
				t.Errorf("HTML alternative leaked into the patch")
			}
		}},
		{file: "0021-git-empty-new-file.mbox", kind: KindPatch},
		{file: "0022-git-mode-change.mbox", kind: KindPatch},
		{file: "0023-git-pull-request-newline-in-url.mbox", kind: KindPull,
			pullURL: "https://git.kernel.org/pub/scm/linux/kernel/git/matthias.bgg/linux.git/ tags/v5.4-next-soc"},
		{file: "0024-git-pull-request-trailing-space.mbox", kind: KindPull,
			pullURL: "git://git.kernel.org/pub/scm/linux/kernel/git/nsekhar/linux-davinci.git tags/davinci-for-v5.6/soc"},
		{file: "0025-git-add-binary-file.mbox", kind: KindPatch, diffPrefix: "diff --git pixel.bmp pixel.bmp"},
		{file: "0026-git-add-mixed-binary-text-files.mbox", kind: KindPatch, diffPrefix: "diff --git pixel.bmp pixel.bmp"},
		{file: "0027-git-modify-binary-file.mbox", kind: KindPatch, diffPrefix: "diff --git pixel.bmp pixel.bmp"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m := parseFile(t, filepath.Join("patchwork/mail", tt.file))
			if m.Kind != tt.kind {
				t.Fatalf("kind %q, want %q", m.Kind, tt.kind)
			}
			if tt.kind == KindPull && m.PullURL == "" {
				t.Errorf("no pull URL found")
			}
			if tt.pullURL != "" && m.PullURL != tt.pullURL {
				t.Errorf("pull URL %q, want %q", m.PullURL, tt.pullURL)
			}
			if tt.diffPrefix != "" && (m.Patch == nil || !strings.HasPrefix(m.Patch.Diff, tt.diffPrefix)) {
				t.Errorf("diff does not start with %q", tt.diffPrefix)
			}
			if tt.check != nil {
				tt.check(t, m)
			}
		})
	}
}

func TestOwnFixtures(t *testing.T) {
	m := parseFile(t, "own/crlf-qp-latin1.mbox")
	if m.From.Name != "Erez Zadók" || m.Subject.Title != "shadowfs: copy with copy_highpage" || m.Subject.Version != 2 {
		t.Errorf("headers: %q %q v%d", m.From.Name, m.Subject.Title, m.Subject.Version)
	}
	if !strings.Contains(m.Patch.CommitMessage, "Zadók was here") || !strings.Contains(m.Patch.CommitMessage, "From the review") {
		t.Errorf("commit message not decoded or >From not unescaped: %q", m.Patch.CommitMessage)
	}
	if len(m.Patch.Trailers) != 1 || m.Patch.Trailers[0] != (Trailer{Key: "Signed-off-by", Value: "Erez Zadók <ezk@example.org>"}) {
		t.Errorf("trailers %+v", m.Patch.Trailers)
	}
	if strings.Contains(m.Patch.Diff, "2.43.0") || strings.Contains(m.Patch.Diff, "\r") {
		t.Errorf("signature or CR left in diff: %q", m.Patch.Diff)
	}
	if !strings.Contains(m.Patch.Notes, "fs/shadowfs/mmap.c | 2 +-") {
		t.Errorf("diffstat notes %q", m.Patch.Notes)
	}
	f := m.Patch.Files
	if len(f) != 1 || len(f[0].Hunks) != 1 || f[0].Hunks[0].Lines[2] != (Line{Kind: LineAdd, New: 11, Text: "\tcopy_highpage(lower_page, page);"}) {
		t.Errorf("parsed diff %+v", f)
	}

	a := parseFile(t, "own/attached-patch.eml")
	if a.Kind != KindPatch || !strings.Contains(a.Patch.Diff, "+\t\tunlock_page(page);") || len(a.Patch.Trailers) != 1 {
		t.Errorf("attachment patch: kind %q patch %+v", a.Kind, a.Patch)
	}
}

func TestRealMail(t *testing.T) {
	ms := splitAll(t, "real-mail/ext4-stop-using-writepage-v4.mbox")
	count := map[Kind]int{}
	for _, m := range ms {
		count[m.Kind]++
		if m.Kind == KindPatch && (m.Subject.Version != 4 || m.Subject.Total != 13) {
			t.Errorf("patch %q: v%d /%d", m.Subject.Raw, m.Subject.Version, m.Subject.Total)
		}
	}
	if count[KindPatch] != 13 || count[KindCover] != 1 {
		t.Errorf("ext4 v4 thread: %v; want 13 patches and 1 cover", count)
	}
	code := parseFile(t, "real-mail/linux-mm-2007-aop-writepage-activate/2007-10-28_ezk_unionfs_writepage_v_buggy.eml")
	if code.Kind != KindCode || !strings.Contains(code.Body, "static int unionfs_writepage(struct page *page") {
		t.Errorf("pasted code mail: kind %q", code.Kind)
	}
	review := parseFile(t, "real-mail/linux-mm-2007-aop-writepage-activate/2007-10-29_hugh_review_of_unionfs_writepage.eml")
	if review.Kind != KindReply {
		t.Errorf("the review is a reply, got %q", review.Kind)
	}
}

func TestFuzzCorpusNeverFails(t *testing.T) {
	files, _ := filepath.Glob("testdata/patchwork/fuzz/*.mbox")
	if len(files) == 0 {
		t.Fatal("no fuzz corpus")
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		n := 0
		err := SplitMbox(bytes.NewReader(b), func(raw []byte) error {
			n++
			ParseMessage(raw) // an error is fine; a panic is not
			return nil
		})
		if err != nil || n == 0 {
			t.Errorf("%s: %d messages, err %v", f, n, err)
		}
	}
}

func TestNotAMail(t *testing.T) {
	for _, in := range []string{"", "\x00\x01 binary", "just some words\nno header"} {
		if _, err := ParseMessage([]byte(in)); err == nil {
			t.Errorf("ParseMessage(%q) accepted a non-mail", in)
		}
	}
}

func FuzzParseMessage(f *testing.F) {
	for _, p := range []string{"own/crlf-qp-latin1.mbox", "own/attached-patch.eml", "patchwork/mail/0019-multipart-patch.mbox"} {
		b, _ := os.ReadFile(filepath.Join("testdata", p))
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		SplitMbox(bytes.NewReader(raw), func(m []byte) error { ParseMessage(m); return nil })
		ParseMessage(raw)
	})
}

// TestDiffKeepsTrailingBlankContext is a regression test: a diff whose last
// context line is a lone space (an empty line of the file) must keep it, or
// go-gitdiff miscounts the hunk and the patch loses its parsed files. The
// real cifs patches end that way.
func TestDiffKeepsTrailingBlankContext(t *testing.T) {
	body := "Fix it.\n---\ndiff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,3 +1,4 @@\n int a;\n+int b;\n int c;\n \n-- \n2.43.0\n"
	p := SplitPatch(body)
	if p == nil || len(p.Files) != 1 || len(p.Files[0].Hunks[0].Lines) != 4 {
		t.Fatalf("trailing blank context line lost: %+v", p)
	}
	for _, f := range []string{"cifs-remove-writepage-rfc-2022.mbox", "ext4-stop-using-writepage-v4.mbox"} {
		for _, m := range splitAll(t, "real-mail/"+f) {
			if m.Kind == KindPatch && len(m.Patch.Files) == 0 {
				t.Errorf("%s: %q has a diff but no parsed files", f, m.Subject.Raw)
			}
		}
	}
}

// TestGitMailinfoMessages compares commit messages with git's t5100
// expected msg files (modulo their trailing newline). Not compared: 0007,
// 0008 and 0013 carry no diff (a cover or reply here, not a patch, so no
// commit message is made).
func TestGitMailinfoMessages(t *testing.T) {
	ms := splitAll(t, "git/sample.mbox")
	for _, n := range []int{1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 14, 15, 16, 17, 18} {
		want := strings.TrimRight(string(mustRead(t, filepath.Join("git", "msg00"+twoDigits(n)))), "\n")
		if p := amPatch(ms[n-1]); p == nil || strings.TrimRight(p.CommitMessage, "\n") != want {
			t.Errorf("message %d: commit message differs from git's msg00%s", n, twoDigits(n))
		}
	}
}

// amPatch is the patch git am would take from a mail. git mailinfo reads
// any mail as a patch; we do not: message 3 of t5100's sample ("re: [PATCH]
// another patch", with in-body From:/Subject: lines) is a reply, as b4
// sees it, and its diff a change it suggests, read the same way.
func amPatch(m *Message) *Patch {
	if m.Patch != nil {
		return m.Patch
	}
	return m.Suggested
}

// A reply that carries a diff is a reply; the diff is the change it
// suggests, never a patch.
func TestReplyWithDiffSuggests(t *testing.T) {
	raw := "From: Bob <bob@example.org>\nSubject: Re: [PATCH 2/3] f: add b\nMessage-ID: <r@x>\nIn-Reply-To: <p@x>\n\n> +int b;\n\nBetter:\n\ndiff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,3 @@\n int a;\n+long b;\n int c;\n"
	m, err := ParseMessage([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind != KindReply || m.Patch != nil || m.Suggested == nil || len(m.Suggested.Files) != 1 {
		t.Errorf("kind %q, patch %v, suggested %v", m.Kind, m.Patch != nil, m.Suggested)
	}
}

// One malformed header line does not lose the Message-ID.
func TestMessageIDDespiteMalformedHeader(t *testing.T) {
	raw := []byte("From: Ann <ann@example.org>\nSubject: x\nthis line is not a header\nMessage-ID: <real@example.org>\n\nbody\n")
	if id := ReadMessageID(raw); id != "real@example.org" {
		t.Errorf("ReadMessageID = %q", id)
	}
	m, err := ParseMessage(raw)
	if err != nil {
		t.Fatal(err)
	}
	if m.MessageID != "real@example.org" || m.Subject.Raw != "x" || strings.TrimSpace(m.Body) != "body" {
		t.Errorf("ParseMessage: id %q, subject %q, body %q", m.MessageID, m.Subject.Raw, m.Body)
	}
}

// Sender names as git mailinfo reads them: t5100's RFC 2047 samples and
// comment/quoted-string cases, and what real list mail sends.
func TestSenderNamesAsMailinfo(t *testing.T) {
	ms := splitAll(t, "git/rfc2047-samples.mbox")
	for i, m := range ms {
		info := string(mustRead(t, filepath.Join("git", fmt.Sprintf("rfc2047-info-%04d", i+1))))
		for _, l := range strings.Split(info, "\n") {
			if a, ok := strings.CutPrefix(l, "Author: "); ok && m.From.Name != a {
				t.Errorf("rfc2047 sample %d: name %q, git says %q", i+1, m.From.Name, a)
			}
		}
	}
	for _, tc := range []struct{ from, name, email string }{
		{`(this is \(really\) a "comment" (honestly)) "A U Thor" <somebody@example.com>`, `(this is (really) a "comment" (honestly)) A U Thor`, "somebody@example.com"},
		{`"Author \"The Author\" Name" <somebody@example.com>`, `Author "The Author" Name`, "somebody@example.com"},
		{`"=?UTF-8?q?Christian=20K=C3=B6nig?=" <ck@example.org>`, "Christian König", "ck@example.org"},
		{`"Masami Hiramatsu (Google)" <mhiramat@kernel.org>`, "Masami Hiramatsu (Google)", "mhiramat@kernel.org"},
		{`Masami Hiramatsu (Google) <mhiramat@kernel.org>`, "Masami Hiramatsu (Google)", "mhiramat@kernel.org"},
		{`<a.u.thor@example.com> (A U Thor)`, "A U Thor", "a.u.thor@example.com"},
		{`bare@example.com`, "", "bare@example.com"}, // git prints the address as the name; we leave it empty
	} {
		m, err := ParseMessage([]byte("From: " + tc.from + "\nSubject: x\nMessage-ID: <x@y>\n\nbody\n"))
		if err != nil {
			t.Fatal(err)
		}
		if m.From.Name != tc.name || m.From.Email != tc.email {
			t.Errorf("From: %s\n got %q <%s>, want %q <%s>", tc.from, m.From.Name, m.From.Email, tc.name, tc.email)
		}
	}
}
