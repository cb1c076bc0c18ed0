package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"patchreview/storage"
)

// TestPWTokenCommand creates a git-pw token and finds its account by it; a
// taken username and missing flags are refused.
func TestPWTokenCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "tok.db")
	token := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"pw-token", "--db", db}, args...), strings.NewReader(""), &out, &errb,
			func(string) string { return "" })
		return code, out.String(), errb.String()
	}
	code, out, errs := token("--user", "maint", "--email", "maint@example.org", "--name", "Mai Ntainer")
	if code != 0 || len(strings.TrimSpace(out)) != 40 {
		t.Fatalf("token: exit %d, %q %s", code, out, errs)
	}
	st, err := storage.Open(context.Background(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := st.AccountByToken(context.Background(), strings.TrimSpace(out))
	st.Close()
	if err != nil || acc.Username != "maint" || acc.Email != "maint@example.org" {
		t.Errorf("the token's account: %+v, %v", acc, err)
	}
	if code, _, errs := token("--user", "maint", "--email", "other@example.org"); code != 1 || !strings.Contains(errs, "taken") {
		t.Errorf("a taken username: exit %d %s", code, errs)
	}
	if code, _, _ := token("--user", "x"); code != 2 {
		t.Errorf("without --email: exit %d, want 2", code)
	}
}
