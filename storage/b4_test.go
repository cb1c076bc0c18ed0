package storage

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"patchreview/review"
)

// TestB4FollowupTrailers ingests each of b4's trailers-followup samples
// (../shared/corpora/b4, MANIFEST §2) and compares every patch's am-ready
// commit message, trailers collected from the replies applied, with b4
// am's reference output for the default options.
func TestB4FollowupTrailers(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpora", "b4", "src", "tests", "samples")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("b4 samples absent (%s): %v", dir, err)
	}
	for _, sample := range []struct{ name, ref string }{
		{"single", "defaults"}, {"with-cover", "defaults"}, {"nore", "defaults"}, {"with-diffstat", "defaults"},
		{"name-parens", "defaults"}, {"bare-address", "defaults"}, {"stripped-lines", "defaults"},
		{"htmljunk", "defaults"}, {"non-git-patch", "defaults"}, {"non-git-patch-with-comments", "defaults"},
		// Not compared: partial-reroll (b4 carries trailers over from the
		// previous version's patch with the same patch-id; we do not yet)
		// and custody (b4 orders trailers around the applier's own
		// sign-off and adds Cc: trailers; an mbox download has no applier).
	} {
		t.Run(sample.name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			ctx := context.Background()
			data, err := os.ReadFile(filepath.Join(dir, "trailers-followup-"+sample.name+".mbox"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.IngestBytes(ctx, data, "b4", nil); err != nil {
				t.Fatal(err)
			}
			ref, err := os.ReadFile(filepath.Join(dir, "trailers-followup-"+sample.name+"-ref-"+sample.ref+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			review.SplitMbox(bytes.NewReader(ref), func(raw []byte) error {
				want, err := review.ParseMessage(raw)
				if err != nil || want.Patch == nil {
					return nil
				}
				var rowID int64
				if err := s.r.QueryRow(`SELECT id FROM messages WHERE message_id = ?`, want.MessageID).Scan(&rowID); err != nil {
					t.Errorf("%s: not stored: %v", want.MessageID, err)
					return nil
				}
				pid, err := s.PatchIDByMessage(ctx, rowID)
				if err != nil {
					t.Errorf("%s (%q) is not a patch here", want.MessageID, want.Subject.Raw)
					return nil
				}
				p, _ := s.PatchByID(ctx, pid)
				orig, _ := s.MessageRaw(ctx, rowID)
				out, err := review.AmReady(orig, p.Trailers)
				if err != nil {
					t.Fatal(err)
				}
				got, err := review.ParseMessage(out)
				if err != nil || got.Patch == nil {
					t.Fatalf("am-ready mail does not parse: %v", err)
				}
				// b4's tests run as the applier "Test Override", who signs
				// off last (addmysob); our download has no applier.
				w := strings.TrimSuffix(strings.TrimSpace(want.Patch.CommitMessage), "\nSigned-off-by: Test Override <test-override@example.com>")
				if g := strings.TrimSpace(got.Patch.CommitMessage); g != w {
					t.Errorf("%s commit message:\n%s\nwant (b4):\n%s", want.MessageID, g, w)
				}
				checked++
				return nil
			})
			if checked == 0 {
				t.Errorf("no patch compared")
			}
		})
	}
}

// b4's naked cover samples: a cover letter without "[PATCH 0/N]" is the
// cover; a bug report that a patch answers is not.
func TestB4NakedCover(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpora", "b4", "src", "tests", "samples")
	for name, want := range map[string]string{
		"naked-cover-single.mbox":    "do a thing to the widget subsystem",
		"naked-cover-bugreport.mbox": "",
	} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Skipf("b4 samples absent: %v", err)
		}
		s, _ := openTest(t, Options{})
		if _, err := s.IngestBytes(context.Background(), data, "b4", nil); err != nil {
			t.Fatal(err)
		}
		var title string
		s.r.QueryRow(`SELECT s.title FROM series s JOIN patches p ON p.series_id = s.id WHERE s.cover_id IS NOT NULL`).Scan(&title)
		if title != want {
			t.Errorf("%s: the series' cover title is %q, want %q", name, title, want)
		}
		if n := count(t, s, `SELECT count(*) FROM patches WHERE kind = 'patch'`); n == 0 {
			t.Errorf("%s: no patch stored", name)
		}
	}
}
