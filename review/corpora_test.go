package review

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// corpus reads a file of the shared test corpora (../shared/corpora next
// to the repository), or skips when they are absent.
func corpus(t *testing.T, path string) []byte {
	t.Helper()
	full := filepath.Join("..", "..", "shared", "corpora", path)
	b, err := os.ReadFile(full)
	if err != nil {
		t.Skipf("shared corpus file absent (%s): %v", full, err)
	}
	return b
}

// t4256: a patch sent with format=flowed applies once decoded: git am
// turns mailinfo.c.orig into mailinfo.c exactly, and so must our diff.
func TestFormatFlowedPatchApplies(t *testing.T) {
	raw := corpus(t, "git/t/t4256/1/patch")
	orig := corpus(t, "git/t/t4256/1/mailinfo.c.orig")
	want := corpus(t, "git/t/t4256/1/mailinfo.c")
	m, err := ParseMessage(raw)
	if err != nil {
		t.Fatal(err)
	}
	if m.Patch == nil {
		t.Fatalf("no patch found (kind %s)", m.Kind)
	}
	files, _, err := gitdiff.Parse(strings.NewReader(m.Patch.Diff))
	if err != nil || len(files) != 1 {
		t.Fatalf("diff: %d files, %v", len(files), err)
	}
	var out strings.Builder
	if err := gitdiff.Apply(&out, strings.NewReader(string(orig)), files[0]); err != nil {
		t.Fatalf("the decoded diff does not apply: %v", err)
	}
	if out.String() != string(want) {
		t.Errorf("applied result differs from git's mailinfo.c")
	}
}

// Binary patches list their files (patchwork 0025-0027).
func TestBinaryPatchFiles(t *testing.T) {
	for name, want := range map[string][]string{
		"0025-git-add-binary-file.mbox":             {"pixel.bmp"},
		"0026-git-add-mixed-binary-text-files.mbox": {"pixel.bmp", "quit.sh"},
		"0027-git-modify-binary-file.mbox":          {"pixel.bmp"},
	} {
		m, err := ParseMessage(corpus(t, "patchwork/patchwork/tests/data/mail/"+name))
		if err != nil || m.Patch == nil {
			t.Errorf("%s: %v, patch %v", name, err, m != nil && m.Patch != nil)
			continue
		}
		var got []string
		for _, f := range m.Patch.Files {
			got = append(got, f.Path())
		}
		if strings.Join(got, " ") != strings.Join(want, " ") || !m.Patch.Files[0].IsBinary {
			t.Errorf("%s: files %q (binary %v), want %q", name, got, len(m.Patch.Files) > 0 && m.Patch.Files[0].IsBinary, want)
		}
	}
}

// public-inbox's message_embed: attached mails (message/rfc822, nested)
// are shown in the body, headers first, down to the embedded patch.
func TestEmbeddedMessageShown(t *testing.T) {
	m, err := ParseMessage(corpus(t, "public-inbox/t/data/message_embed.eml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"testing embedded message harder", "Subject: embedded message test", "testing embedded message\n",
		"Subject: [PATCH] mail header experiments", "+package PublicInbox::MailHeader;"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	if m.Kind != KindReply {
		t.Errorf("kind %q: a reply that forwards a patch stays a reply", m.Kind)
	}
}

// git t5100's odd inputs: NULs in a plain body are kept (nul-plain); a
// ">From " line in an mboxo body stays as sent (quoted-from); a body that
// starts with format-patch's own ">From <sha> <date>" line still has its
// in-body From:/Subject: read (embed-from; with a diff appended, as a
// mail without one is no patch for us).
func TestMailinfoOddBodies(t *testing.T) {
	nul, err := ParseMessage(corpus(t, "git/t/t5100/nul-plain"))
	if err != nil || nul.Patch == nil || !strings.Contains(nul.Patch.Diff, "\x00\bSome strange test\x00\b\x00\b\n\x00") {
		t.Errorf("nul-plain: %v, patch %+v", err, nul)
	}
	var qf *Message
	SplitMbox(strings.NewReader(string(corpus(t, "git/t/t5100/quoted-from.in"))), func(raw []byte) error {
		qf, err = ParseMessage(raw)
		return err
	})
	if qf == nil || !strings.Contains(qf.Body, ">From the depths of history") {
		t.Errorf("quoted-from: the >From line was changed: %+v", qf)
	}
	raw := string(corpus(t, "git/t/t5100/embed-from.in")) + "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n"
	ef, err := ParseMessage([]byte(raw))
	if err != nil || ef.Patch == nil {
		t.Fatalf("embed-from: %v", err)
	}
	if a := ef.Author(); a.Name != "Commit Author" || a.Email != "commit@example.com" || ef.Patch.Subject != "patch subject" {
		t.Errorf("embed-from: author %v, subject %q; git says Commit Author <commit@example.com>, \"patch subject\"", a, ef.Patch.Subject)
	}
}

// b4's trailers-test-extinfo: the patch's own trailers with their extended
// info, wrapped lines joined (test___init__.py test_parse_trailers).
func TestTrailersExtinfo(t *testing.T) {
	var m *Message
	SplitMbox(strings.NewReader(string(corpus(t, "b4/src/tests/samples/trailers-test-extinfo.txt"))), func(raw []byte) error {
		var err error
		m, err = ParseMessage(raw)
		return err
	})
	if m == nil || m.Patch == nil {
		t.Fatal("no patch")
	}
	want := []Trailer{
		{Key: "Reported-by", Value: "Some, One <somewhere@example.com>"},
		{Key: "Reviewed-by", Value: "Bogus Bupkes <bogus@example.com>", Extinfo: "[for the parts that are bogus]"},
		{Key: "Fixes", Value: "abcdef01234567890"},
		{Key: "Tested-by", Value: "Some Person <bogus2@example.com>", Extinfo: "           [this person visually indented theirs]"},
		{Key: "Link", Value: "https://msgid.link/some@msgid.here", Extinfo: "  # initial submission"},
		{Key: "Signed-off-by", Value: "Wrapped Persontrailer <broken@example.com>"},
	}
	got := m.Patch.Trailers
	if len(got) != len(want) {
		t.Fatalf("%d trailers: %+v", len(got), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("trailer %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// patchwork's fuzz mails (MANIFEST 1d) and every other corpus mail parse
// or fail with an error, never a panic, through the new header repair,
// name reading and embedded-message paths.
func TestCorporaNeverPanic(t *testing.T) {
	root := filepath.Join("..", "..", "shared", "corpora")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("shared corpora absent: %v", err)
	}
	n := 0
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || info.Size() > 4<<20 || strings.HasSuffix(path, ".xz") || strings.HasSuffix(path, ".bundle") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		SplitMbox(strings.NewReader(string(data)), func(raw []byte) error {
			n++
			if m, err := ParseMessage(raw); err == nil {
				ParseReply(m.Body)
				SameMail(raw, raw)
			}
			return nil
		})
		return nil
	})
	if n == 0 {
		t.Error("no mail read")
	}
}
