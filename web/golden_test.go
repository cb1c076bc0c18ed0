package web

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files instead of comparing with them")

// TestPatchPageGolden renders the annotated patch page of the fixture's
// v2 2/2 (findings, the list reply anchored on its lines) and the series
// page, and compares them with golden files (go test ./web -update).
func TestPatchPageGolden(t *testing.T) {
	s, st := newTestServer(t, Options{})
	if _, err := st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil); err != nil {
		t.Fatal(err)
	}
	_, cookie := signIn(t, st, "Jan Kara", "jack@example.org", false)
	for name, url := range map[string]string{"patch4.html": "/patches/4", "patch4-split.html": "/patches/4?view=split"} {
		got := getWith(t, s, url, cookie) // signed in: with the comment forms
		path := filepath.Join("testdata", name+".golden")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./web -update)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from %s; if the change is intended, run go test ./web -run Golden -update and review the diff", url, path)
		}
	}
}
