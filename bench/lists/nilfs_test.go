package lists

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"patchreview/internal/nilfs"
	"patchreview/storage"
	"patchreview/web"
)

// archive returns the decompressed nilfs mbox, or skips.
func archive(t *testing.T) []byte {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the whole-archive measurement ingests 3,933 mails")
	}
	return readArchive(t)
}

// archiveB is archive for a benchmark.
func archiveB(b *testing.B) []byte {
	b.Helper()
	return readArchive(b)
}

func readArchive(t testing.TB) []byte {
	t.Helper()
	return nilfs.ReadAll(t)
}

// figure is one line of the printed table.
type figure struct {
	name, value, target string
	ok                  bool
}

func pct(n, d int) string {
	if d == 0 {
		return "–"
	}
	return fmt.Sprintf("%d / %d (%.1f%%)", n, d, 100*float64(n)/float64(d))
}

// TestNilfsArchive ingests the whole linux-nilfs archive and measures
// threading, anchoring, am-readiness (and, with PATCHREVIEW_B4=1, trailer
// parity with b4) against ground truth read from the mbox here. It prints
// the README table and fails when a figure misses its target.
func TestNilfsArchive(t *testing.T) {
	data := archive(t)
	raws := splitMboxrd(data)
	gt := map[string]*gtMsg{}
	var order []*gtMsg
	for _, r := range raws {
		g := readGT(r)
		if g == nil || g.ID == "" {
			continue
		}
		if gt[g.ID] == nil {
			gt[g.ID] = g
			order = append(order, g)
		}
	}
	t.Logf("archive: %d mails, %d distinct Message-IDs", len(raws), len(gt))

	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "nilfs.db")
	st, err := storage.Open(ctx, dbPath, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	stats, err := st.IngestMbox(ctx, bytes.NewReader(data), "nilfs", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ingest: %+v in %v", stats, time.Since(start).Round(time.Millisecond))
	t.Run("search NOT", func(t *testing.T) { searchNotOnArchive(t, st) })
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	var figs []figure
	add := func(name, value, target string, ok bool) {
		figs = append(figs, figure{name, value, target, ok})
	}

	// Every mail is stored, duplicates of a Message-ID included.
	var stored int
	db.QueryRow(`SELECT count(*) FROM messages`).Scan(&stored)
	add("mails stored", fmt.Sprintf("%d / %d", stored, len(raws)), "all", stored == len(raws))

	// Replies that became patches or covers.
	type row struct {
		id       int64
		parent   sql.NullInt64
		isPatch  bool
		isCode   bool
		isCover  bool
		seriesID sql.NullInt64
	}
	rows := map[string]row{}
	rs, err := db.Query(`SELECT m.id, m.message_id, m.parent_id, m.series_id,
		EXISTS (SELECT 1 FROM patches p WHERE p.message_id = m.id AND p.kind != 'code'),
		EXISTS (SELECT 1 FROM patches p WHERE p.message_id = m.id AND p.kind = 'code'),
		EXISTS (SELECT 1 FROM series s WHERE s.cover_id = m.id) FROM messages m`)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var r row
		var mid string
		if err := rs.Scan(&r.id, &mid, &r.parent, &r.seriesID, &r.isPatch, &r.isCode, &r.isCover); err != nil {
			t.Fatal(err)
		}
		rows[mid] = r
	}
	rs.Close()
	replyPatches, replyCode := 0, 0
	var replyPatchEx []string
	for _, g := range order {
		if r := rows[g.ID]; g.isReply() && r.isCode {
			replyCode++
			t.Logf("  reply kept as pasted code: %s %q", g.ID, g.Subject)
		}
		if r := rows[g.ID]; g.isReply() && (r.isPatch || r.isCover) {
			replyPatches++
			if len(replyPatchEx) < 5 {
				replyPatchEx = append(replyPatchEx, fmt.Sprintf("%s %q patch=%v cover=%v", g.ID, g.Subject, r.isPatch, r.isCover))
			}
		}
	}
	add("replies stored as a patch or cover", fmt.Sprint(replyPatches), "0", replyPatches == 0)
	add("replies with pasted C code answering no stored patch, kept as code to check", fmt.Sprint(replyCode), "(informative)", true)
	for _, e := range replyPatchEx {
		t.Logf("  reply as patch: %s", e)
	}

	// Naked cover letters: a mail that is neither a reply nor numbered,
	// answered (In-Reply-To) by numbered patches of its own author.
	naked := map[string]string{} // cover → one numbered child
	for _, g := range order {
		p := gt[g.InReplyTo]
		if n, total := g.number(); p == nil || !g.isPosting() || n == 0 || total == 0 || p.From != g.From || p.isReply() {
			continue
		}
		if _, pt := p.number(); pt == 0 {
			naked[p.ID] = g.ID
		}
	}
	nakedOK := 0
	for id, child := range naked {
		if c, k := rows[id], rows[child]; c.isCover && c.seriesID.Valid && c.seriesID == k.seriesID {
			nakedOK++
		} else {
			t.Logf("  naked cover not recognised: %s %q", id, gt[id].Subject)
		}
	}
	add("cover letters without 0/N that numbered patches answer, stored as their series' cover", pct(nakedOK, len(naked)), "100%", nakedOK == len(naked))

	// Numbered patches sent in reply to their author's "0/N" cover letter
	// belong to its series, whatever their total or version tag (b4's
	// rule), unless they name another version (a reroll sent in reply to
	// the old cover).
	underCover, underCoverOK := 0, 0
	for _, g := range order {
		p := gt[g.InReplyTo]
		if n, total := g.number(); p == nil || !g.isPosting() || n == 0 || total == 0 || p.From != g.From || !p.isPosting() {
			continue
		}
		if n, total := p.number(); n != 0 || total == 0 || g.version() != 0 && g.version() != p.version() {
			continue
		}
		underCover++
		if c, k := rows[p.ID], rows[g.ID]; c.isCover && c.seriesID.Valid && c.seriesID == k.seriesID {
			underCoverOK++
		} else {
			t.Logf("  patch outside its cover's series: %s %q (cover %q)", g.ID, g.Subject, p.Subject)
		}
	}
	add("numbered patches answering their 0/N cover letter, in its series", pct(underCoverOK, underCover), "100%", underCoverOK == underCover)

	// Mails (not postings) whose In-Reply-To/References chain reaches a
	// posting in the archive, left unattached.
	reaches := map[string]bool{}
	var reach func(id string, depth int) bool
	reach = func(id string, depth int) bool {
		if v, ok := reaches[id]; ok || depth > 200 {
			return v
		}
		reaches[id] = false
		g := gt[id]
		if g == nil {
			return false
		}
		res := false
		for _, p := range append([]string{g.InReplyTo}, g.Refs...) {
			if pg := gt[p]; pg != nil && (pg.isPosting() || reach(p, depth+1)) {
				res = true
				break
			}
		}
		reaches[id] = res
		return res
	}
	chained, unattached := 0, 0
	var unattachedEx []string
	for _, g := range order {
		if g.isPosting() || !reach(g.ID, 0) {
			continue
		}
		chained++
		if r := rows[g.ID]; !r.parent.Valid {
			unattached++
			if len(unattachedEx) < 5 {
				unattachedEx = append(unattachedEx, g.ID+" "+g.Subject)
			}
		}
	}
	add("replies whose chain reaches a patch, left unattached", pct(unattached, chained), "≤ 1%", unattached*100 <= chained)
	for _, e := range unattachedEx {
		t.Logf("  unattached: %s", e)
	}

	// Anchoring: paragraphs right under a quoted diff line of the patch
	// the reply answers.
	hasSide := false
	if r, err := db.Query(`SELECT name FROM pragma_table_info('comments')`); err == nil {
		for r.Next() {
			var n string
			r.Scan(&n)
			hasSide = hasSide || n == "side"
		}
		r.Close()
	}
	sideCol := `'new'`
	if hasSide {
		sideCol = `side`
	}
	paras, right := 0, 0
	var missEx []string
	for _, g := range order {
		p := gt[g.InReplyTo]
		if !g.isReply() || p == nil || !p.isPosting() || g.Multipart || p.Multipart || g.Flowed || p.Flowed {
			continue
		}
		diff := gtDiff(p.Body)
		if len(diff) == 0 {
			continue
		}
		want := gtAnchors(g.Body, diff)
		if len(want) == 0 {
			continue
		}
		type cm struct {
			path, side, body string
			line             int
		}
		var cms []cm
		cr, err := db.Query(`SELECT path, line, `+sideCol+`, body FROM comments WHERE source = 'list' AND message_id = ?`, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		for cr.Next() {
			var c cm
			cr.Scan(&c.path, &c.line, &c.side, &c.body)
			cms = append(cms, c)
		}
		cr.Close()
		for _, w := range want {
			paras++
			ok, got := false, "no comment starts so"
			for _, c := range cms {
				if strings.TrimSpace(strings.SplitN(strings.TrimSpace(c.body), "\n", 2)[0]) != w.First {
					continue
				}
				got = fmt.Sprintf("%s %s %d", c.path, c.side, c.line)
				if w.Want.Mark == '-' {
					ok = c.path == w.Want.Path && c.side == "old" && c.line == w.Want.Old
				} else {
					ok = c.path == w.Want.Path && c.side != "old" && c.line == w.Want.New
				}
				break
			}
			if ok {
				right++
			} else if len(missEx) < 40 {
				missEx = append(missEx, fmt.Sprintf("%s %q want %s %c%d/%d, got %s", g.ID, w.First, w.Want.Path, w.Want.Mark, w.Want.Old, w.Want.New, got))
			}
		}
	}
	add("paragraphs under a quoted diff line anchored on it", pct(right, paras), "≥ 95%", right*100 >= 95*paras)
	for _, e := range missEx {
		t.Logf("  anchor miss: %s", e)
	}

	// Complete series: their /series/{id}/mbox through git mailsplit and
	// git mailinfo, patches only, in order.
	srv, err := web.NewServer(st, slog.New(slog.DiscardHandler), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	complete := completeSeries(t, db)
	amOK := 0
	var amEx []string
	for _, s := range complete {
		if reason := amCheck(t, srv, s); reason == "" {
			amOK++
		} else if len(amEx) < 8 {
			amEx = append(amEx, fmt.Sprintf("series %d (%d patches): %s", s.id, s.n, reason))
		}
	}
	add("complete series whose mbox git am accepts", pct(amOK, len(complete)), "100%", amOK == len(complete))
	for _, e := range amEx {
		t.Logf("  am: %s", e)
	}

	if os.Getenv("PATCHREVIEW_B4") != "" {
		same, total, ex := b4Parity(t, srv, db, complete)
		add("patches whose ?trailers=1 trailers equal b4 am's", pct(same, total), "100%", same == total)
		for _, e := range ex {
			t.Logf("  b4: %s", e)
		}
	} else {
		t.Log("trailer parity with b4: set PATCHREVIEW_B4=1 (runs b4 am on every complete series with replies; minutes)")
	}

	var b strings.Builder
	b.WriteString("\n| figure (linux-nilfs, 3,933 mails) | measured | target |\n|---|---|---|\n")
	failed := false
	for _, f := range figs {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", f.name, f.value, f.target)
		failed = failed || !f.ok
	}
	t.Log(b.String())
	if failed && os.Getenv("PATCHREVIEW_LISTS_REPORT") == "" {
		t.Error("a figure misses its target (PATCHREVIEW_LISTS_REPORT=1 only prints)")
	}
}

type seriesRef struct {
	id, n int64
}

// completeSeries lists series whose patches are 1..N of their N (or one
// unnumbered patch), with a diff each.
func completeSeries(t *testing.T, db *sql.DB) []seriesRef {
	rs, err := db.Query(`SELECT s.id, s.total, count(p.id), count(DISTINCT p.number), min(p.number), max(p.number), sum(p.kind = 'patch')
		FROM series s JOIN patches p ON p.series_id = s.id GROUP BY s.id ORDER BY s.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []seriesRef
	for rs.Next() {
		var id, total, n, distinct, lo, hi, diffs int64
		if err := rs.Scan(&id, &total, &n, &distinct, &lo, &hi, &diffs); err != nil {
			t.Fatal(err)
		}
		if diffs != n {
			continue
		}
		if total == 0 && n == 1 || total > 0 && n == total && distinct == total && lo == 1 && hi == total {
			out = append(out, seriesRef{id, n})
		}
	}
	return out
}

var mailinfoSubject = regexp.MustCompile(`(?m)^Subject: (.*)$`)

// amCheck fetches a series mbox and returns why git am would not take it,
// or "".
func amCheck(t *testing.T, srv *web.Server, s seriesRef) string {
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", fmt.Sprintf("/series/%d/mbox", s.id), nil))
	if rec.Code != 200 {
		return fmt.Sprintf("status %d", rec.Code)
	}
	dir := t.TempDir()
	mbox := filepath.Join(dir, "s.mbox")
	os.WriteFile(mbox, rec.Body.Bytes(), 0o644)
	out, err := exec.Command("git", "mailsplit", "-o"+dir, mbox).Output()
	if err != nil {
		return "git mailsplit: " + err.Error()
	}
	if got := strings.TrimSpace(string(out)); got != fmt.Sprint(s.n) {
		return fmt.Sprintf("git mailsplit found %s mails", got)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "[0-9][0-9][0-9][0-9]"))
	sort.Strings(names)
	prev := 0
	for _, name := range names {
		raw, _ := os.ReadFile(name)
		g := readGT(raw)
		if g == nil {
			return name + ": not a mail"
		}
		if g.isReply() {
			return "a reply in the mbox: " + g.Subject
		}
		if n, _ := g.number(); n < prev {
			return "out of order: " + g.Subject
		} else {
			prev = n
		}
		f, _ := os.Open(name)
		cmd := exec.Command("git", "mailinfo", filepath.Join(dir, "msg"), filepath.Join(dir, "patch"))
		cmd.Stdin = f
		info, err := cmd.Output()
		f.Close()
		if err != nil {
			return "git mailinfo: " + err.Error()
		}
		patch, _ := os.ReadFile(filepath.Join(dir, "patch"))
		if !bytes.Contains(patch, []byte("\n@@ ")) && !bytes.HasPrefix(patch, []byte("@@ ")) && !bytes.Contains(patch, []byte("GIT binary patch")) && !bytes.Contains(patch, []byte("\nrename ")) {
			sub := mailinfoSubject.FindSubmatch(info)
			return fmt.Sprintf("git mailinfo found no patch in %q", sub)
		}
	}
	return ""
}

// b4Parity runs `b4 am -t` on the thread of every complete series that has
// replies (the series' mails and every archive mail below them) and
// compares, patch by patch, the trailers of b4's output with those of our
// /series/{id}/mbox?trailers=1.
func b4Parity(t *testing.T, srv *web.Server, db *sql.DB, complete []seriesRef) (same, total int, ex []string) {
	if _, err := exec.LookPath("b4"); err != nil {
		t.Skip("b4 is not installed")
	}
	// children of each archive mail, from its own headers
	var all []*gtMsg
	for _, r := range splitMboxrd(archive(t)) {
		if g := readGT(r); g != nil && g.ID != "" {
			all = append(all, g)
		}
	}
	kids := map[string][]*gtMsg{}
	for _, g := range all {
		seen := map[string]bool{}
		for _, p := range append([]string{g.InReplyTo}, g.Refs...) {
			if p != "" && !seen[p] {
				seen[p] = true
				kids[p] = append(kids[p], g)
			}
		}
	}
	dir := t.TempDir()
	if keep := os.Getenv("PATCHREVIEW_B4_KEEP"); keep != "" {
		dir = keep
	}
	for _, s := range complete {
		var ids []string
		rs, err := db.Query(`SELECT m.message_id FROM messages m JOIN series s ON s.id = m.series_id
			WHERE s.id = ? AND (m.id = s.cover_id OR m.id IN (SELECT message_id FROM patches WHERE series_id = s.id))`, s.id)
		if err != nil {
			t.Fatal(err)
		}
		for rs.Next() {
			var id string
			rs.Scan(&id)
			ids = append(ids, id)
		}
		rs.Close()
		var thread [][]byte
		seen := map[string]bool{}
		queue := append([]string{}, ids...)
		replies := 0
		for len(queue) > 0 {
			id := queue[0]
			queue = queue[1:]
			for _, k := range kids[id] {
				if !seen[k.ID] {
					seen[k.ID] = true
					queue = append(queue, k.ID)
				}
			}
		}
		for _, g := range all {
			if seen[g.ID] || contains(ids, g.ID) {
				thread = append(thread, g.Raw)
				if seen[g.ID] && g.isReply() {
					replies++
				}
			}
		}
		if replies == 0 {
			continue
		}
		var mb bytes.Buffer
		for _, r := range thread {
			mb.WriteString("From mboxrd@z Thu Jan  1 00:00:00 1970\n")
			mb.Write(r)
			mb.WriteString("\n\n")
		}
		in := filepath.Join(dir, fmt.Sprintf("t%d.mbox", s.id))
		os.WriteFile(in, mb.Bytes(), 0o644)
		cmd := exec.Command("b4", "--offline-mode", "am", "-t", "-m", in, "-o", "-", "--no-cover", ids[0])
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+dir, "XDG_CACHE_HOME="+dir, "XDG_DATA_HOME="+dir,
			"GIT_CONFIG_COUNT=2", "GIT_CONFIG_KEY_0=user.name", "GIT_CONFIG_VALUE_0=Bench", "GIT_CONFIG_KEY_1=user.email", "GIT_CONFIG_VALUE_1=bench@example.invalid")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		want, err := cmd.Output()
		if err != nil {
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			ex = append(ex, fmt.Sprintf("series %d: b4 failed (not counted): %v: %s", s.id, err, lines[len(lines)-1]))
			continue
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", fmt.Sprintf("/series/%d/mbox?trailers=1", s.id), nil))
		w, g := mboxTrailers(want), mboxTrailers(rec.Body.Bytes())
		if len(w) != len(g) {
			if os.Getenv("PATCHREVIEW_B4_KEEP") != "" {
				t.Logf("kept %s; b4 said: %s", in, stderr.String())
			}
			ex = append(ex, fmt.Sprintf("series %d: b4 took %d patches (another version of the thread?), we %d: not counted", s.id, len(w), len(g)))
			continue
		}
		for i := range w {
			total++
			if strings.Join(w[i], "\n") == strings.Join(g[i], "\n") {
				same++
			} else if len(ex) < 60 {
				ex = append(ex, fmt.Sprintf("series %d patch %d:\n    b4: %q\n    we: %q", s.id, i+1, w[i], g[i]))
			}
		}
	}
	return same, total, ex
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

var trailerLine = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*: \S`)

// mboxTrailers returns, for each mail of an mbox, the trailer block of its
// commit message (the last paragraph before "---").
func mboxTrailers(mbox []byte) [][]string {
	var out [][]string
	for _, raw := range splitMboxrd(mbox) {
		g := readGT(raw)
		if g == nil {
			continue
		}
		body := g.Body
		if i := strings.Index(body, "\n---\n"); i >= 0 {
			body = body[:i]
		}
		paras := strings.Split(strings.TrimRight(body, "\n"), "\n\n")
		var ts []string
		for _, l := range strings.Split(paras[len(paras)-1], "\n") {
			if trailerLine.MatchString(l) {
				ts = append(ts, strings.TrimSpace(l))
			}
		}
		out = append(out, ts)
	}
	return out
}

// searchNotOnArchive checks exclusions on the real archive: every way of
// writing "A without B" finds the same messages, and with "A and B" they
// make up A exactly (regression: all forms but "A NOT B" were A AND B or
// nothing).
func searchNotOnArchive(t *testing.T, st *storage.Store) {
	ctx := context.Background()
	all := func(q string) map[int64]bool {
		t.Helper()
		out := map[int64]bool{}
		for off := 0; ; off += storage.MaxListLimit {
			hits, err := st.SearchFrom(ctx, q, "", storage.MaxListLimit, off)
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			for _, h := range hits {
				out[h.MessageID] = true
			}
			if len(hits) < storage.MaxListLimit {
				return out
			}
		}
	}
	for _, c := range []struct{ a, b string }{{"s:segment", "f:konishi"}, {"s:nilfs2", "f:konishi"}, {"b:folio", "s:PATCH"}} {
		a, ab := all(c.a), all(c.a+" AND "+c.b)
		without := []string{c.a + " NOT " + c.b, c.a + " AND NOT " + c.b, "NOT " + c.b + " " + c.a,
			c.a + " AND (NOT " + c.b + ")", c.a + " -" + c.b}
		ref := all(without[0])
		if len(ab) == 0 || len(ref) == 0 || len(ab)+len(ref) != len(a) {
			t.Errorf("%s: %d, with %s: %d, without: %d; want both non-empty, adding up", c.a, len(a), c.b, len(ab), len(ref))
		}
		for id := range ref {
			if ab[id] || !a[id] {
				t.Errorf("%q finds message %d, which is in %q or not in %q", without[0], id, c.a+" AND "+c.b, c.a)
				break
			}
		}
		for _, q := range without[1:] {
			if got := all(q); !maps.Equal(got, ref) {
				t.Errorf("%q finds %d messages, %q %d", q, len(got), without[0], len(ref))
			}
		}
		t.Logf("%s: %d = %d with %s + %d without", c.a, len(a), len(ab), c.b, len(ref))
	}
}
