package storage

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"patchreview/review"
)

const thread2007 = "../review/testdata/real-mail/linux-mm-2007-aop-writepage-activate/"

func ingestRaw(t *testing.T, s *Store, raw []byte) {
	t.Helper()
	if _, err := s.IngestMessage(context.Background(), raw, "test"); err != nil {
		t.Fatal(err)
	}
}

func readRaw(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReferenceReviewAsListReply ingests Erez Zadok's code mail and Hugh
// Dickins' review of it, in both orders: the review becomes comments on
// the code mail's lines.
func TestReferenceReviewAsListReply(t *testing.T) {
	code := readRaw(t, filepath.Join(thread2007, "2007-10-28_ezk_unionfs_writepage_v_buggy.eml"))
	rev := readRaw(t, filepath.Join(thread2007, "2007-10-29_hugh_review_of_unionfs_writepage.eml"))
	for name, order := range map[string][][]byte{"code first": {code, rev}, "review first": {rev, code}} {
		t.Run(name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			for _, raw := range order {
				ingestRaw(t, s, raw)
			}
			p, err := s.PatchByID(context.Background(), 1)
			if err != nil {
				t.Fatal(err)
			}
			body := p.Message.Message.Body
			var dirty int
			for i, l := range strings.Split(body, "\n") {
				if strings.Contains(l, "set_page_dirty(page);") {
					dirty = i + 1
				}
			}
			found := false
			for _, c := range p.Comments {
				if strings.HasPrefix(c.Body, "You need to unlock_page") {
					found = c.Line == dirty && c.Source == "list" && c.Path == review.BodyPath && c.Author.Name == "Hugh Dickins"
				}
			}
			if !found || len(p.Comments) < 8 || len(p.Replies) != 1 {
				t.Errorf("%d comments, %d replies; 'You need to unlock_page' anchored on line %d: %v", len(p.Comments), len(p.Replies), dirty, found)
			}
		})
	}
}

func TestTrailersCollected(t *testing.T) {
	s, _ := openTest(t, Options{})
	ingestFile(t, s, "shadowfs-v1-v2.mbox")
	reply := func(id, inReplyTo, subject, body string) []byte {
		return []byte("From: Jan Kara <jack@example.org>\nSubject: Re: " + subject + "\nMessage-ID: <" + id + ">\nIn-Reply-To: <" + inReplyTo +
			">\nDate: Wed, 14 Jan 2026 10:00:00 +0000\n\n" + body)
	}
	ingestRaw(t, s, reply("r1@example.org", "20260112090000.1-ravi@example.org", "[PATCH v2 1/2] shadowfs: add lower page lookup helper",
		"> +static struct page *shadowfs_lower_page(struct address_space *lower,\n\nLooks right.\n\nReviewed-by: Jan Kara <jack@example.org>\n"))
	ingestRaw(t, s, reply("r2@example.org", "20260112090000.0-ravi@example.org", "[PATCH v2 0/2] shadowfs: writepage support",
		"For the series:\n\nAcked-by: Andrew Morton <akpm@example.org>\n"))
	ctx := context.Background()
	if p4, _ := s.PatchByID(ctx, 4); len(p4.Trailers) != 0 || len(p4.NotApplied) != 1 || p4.NotApplied[0].Sender != "Jan Kara <jack@example.org>" {
		t.Errorf("Jan's ack for Andrew: applied %v, not applied %+v", p4.Trailers, p4.NotApplied)
	}
	// b4 applies only the sender's own trailers: Jan cannot ack for Andrew
	// (Andrew's own ack, from Andrew, is applied); keys in any case count.
	ingestRaw(t, s, []byte("From: Andrew Morton <akpm@example.org>\nSubject: Re: [PATCH v2 0/2] shadowfs: writepage support\nMessage-ID: <r3@example.org>\n"+
		"In-Reply-To: <r2@example.org>\nDate: Wed, 14 Jan 2026 11:00:00 +0000\n\n> Acked-by: Andrew Morton <akpm@example.org>\n\nacked-BY: Andrew Morton <akpm@example.org>\n"))
	p3, _ := s.PatchByID(ctx, 3)
	p4, _ := s.PatchByID(ctx, 4)
	has := func(ts []review.Trailer, want string) bool {
		for _, t := range ts {
			if t.Key+": "+t.Value == want {
				return true
			}
		}
		return false
	}
	if !has(p3.Trailers, "Reviewed-by: Jan Kara <jack@example.org>") || has(p4.Trailers, "Reviewed-by: Jan Kara <jack@example.org>") {
		t.Errorf("patch reply trailers: 1/2 %v, 2/2 %v", p3.Trailers, p4.Trailers)
	}
	if !has(p3.Trailers, "Acked-by: Andrew Morton <akpm@example.org>") || !has(p4.Trailers, "Acked-by: Andrew Morton <akpm@example.org>") {
		t.Errorf("cover reply trailers not on every patch: %v / %v", p3.Trailers, p4.Trailers)
	}
	if len(p4.NotApplied) != 0 {
		t.Errorf("Andrew's own ack is listed as not from the sender: %+v", p4.NotApplied)
	}
	se, _ := s.SeriesByID(ctx, 2)
	if len(se.Replies) != 2 {
		t.Errorf("cover replies (and the reply to one) not attached to the series: %d", len(se.Replies))
	}
}

// TestRealThreadAnchors checks anchors verified by hand on real list
// threads: David Howells' question in the cifs v3 thread follows a nested
// quote ending on the second of two "goto search_again;" lines (new line
// 3064, after the added folio_put); Ritesh Harjani's question on ext4
// 10/13 follows a quote of the commit message, not code, so it is general.
func TestRealThreadAnchors(t *testing.T) {
	s, _ := openTest(t, Options{})
	for _, f := range []string{"cifs-fix-pagecache-leak-writepages-v3.mbox", "ext4-stop-using-writepage-v4.mbox"} {
		fh, err := os.Open(filepath.Join("../review/testdata/real-mail", f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.IngestMbox(context.Background(), fh, "test", nil); err != nil {
			t.Fatal(err)
		}
		fh.Close()
	}
	type got struct {
		path, code string
		line       int
	}
	find := func(prefix string) (got, bool) {
		var g got
		err := s.r.QueryRow(`SELECT path, line, code FROM comments WHERE body LIKE ? || '%' AND source = 'list'`, prefix).Scan(&g.path, &g.line, &g.code)
		return g, err == nil
	}
	if g, ok := find("I wonder if the put should be prior to the unlock"); !ok || g != (got{"fs/smb/client/file.c", "\t\tgoto search_again;", 3064}) {
		t.Errorf("David Howells' question: %+v (found %v)", g, ok)
	}
	if g, ok := find("Ok. Just one quick query."); !ok || g.line != 0 {
		t.Errorf("Ritesh Harjani's question should be general: %+v (found %v)", g, ok)
	}
}
