package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"patchreview/storage"
)

// TestIngestCommand runs 'patchreview ingest' as an MTA or a user would:
// a file with the database from PATCHREVIEW_DB, the same file again, and
// a message piped on stdin that is not a mail (stored raw, marked, exit 0).
func TestIngestCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "in.db")
	getenv := func(k string) string {
		if k == "PATCHREVIEW_DB" {
			return db
		}
		return ""
	}
	ingest := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"ingest"}, args...), strings.NewReader(stdin), &out, &errb, getenv)
		return code, out.String(), errb.String()
	}
	const mbox = "../../storage/testdata/shadowfs-v1-v2.mbox"
	if code, out, errs := ingest("", mbox); code != 0 || !strings.Contains(out, "6 messages: 6 new, 0 duplicates, 0 failed to parse (stored raw); 4 patches in 2 series") {
		t.Fatalf("first ingest: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := ingest("", mbox); code != 0 || !strings.Contains(out, "6 messages: 0 new, 6 duplicates") {
		t.Errorf("second ingest stored again: exit %d\n%s", code, out)
	}
	if code, out, _ := ingest("garbage\n", "-"); code != 0 || !strings.Contains(out, "1 failed to parse (stored raw)") {
		t.Errorf("piped non-mail: exit %d\n%s", code, out)
	}
	if code, _, errs := ingest("", "/nonexistent.mbox"); code != 1 || !strings.Contains(errs, "nonexistent.mbox") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
	if code, _, _ := ingest("", "--frobnicate"); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
	// --db wins over PATCHREVIEW_DB.
	other := filepath.Join(t.TempDir(), "other.db")
	one, _ := os.ReadFile("../../review/testdata/own/attached-patch.eml")
	if code, _, errs := ingest(string(one), "--db", other, "-"); code != 0 {
		t.Fatalf("--db: exit %d %s", code, errs)
	}
	st, err := storage.Open(context.Background(), other, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if list, _ := st.ListSeries(context.Background(), storage.SeriesFilter{}); len(list) != 1 {
		t.Errorf("--db database holds %d series, want the piped patch's 1", len(list))
	}
}
