package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"patchreview/storage"
)

func TestUserCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	getenv := func(k string) string {
		return map[string]string{"PATCHREVIEW_DB": db, "PATCHREVIEW_URL": "https://review.example.org/"}[k]
	}
	runUserCmd := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"user"}, args...), strings.NewReader(stdin), &out, &errb, getenv)
		return code, out.String(), errb.String()
	}
	code, out, errs := runUserCmd("", "add", "--admin", "Doe, John", "john@example.org")
	link := regexp.MustCompile(`https://review\.example\.org/invite/([A-Za-z0-9_-]{43})\n`).FindStringSubmatch(out)
	if code != 0 || link == nil || !strings.Contains(out, "(admin)") {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	if code, _, errs := runUserCmd("", "add", "Again", "john@example.org"); code != 1 || !strings.Contains(errs, "exists") {
		t.Errorf("duplicate account: %d %q", code, errs)
	}
	if code, _, errs := runUserCmd("short\n", "add", "--password-stdin", "Jane", "jane@example.org"); code != 1 || !strings.Contains(errs, "too short") {
		t.Errorf("short password: %d %q", code, errs)
	}
	// The refused password left no account behind: the same add with a
	// good one works.
	if code, _, errs := runUserCmd("jane's good password\n", "add", "--password-stdin", "Jane", "jane@example.org"); code != 0 {
		t.Errorf("add after a refused password: %d %q", code, errs)
	}
	if code, _, errs := runUserCmd("jane's good password\n", "add", "--password-stdin", "Jane", "jane2@example.org"); code != 0 {
		t.Errorf("add with a password: %d %q", code, errs)
	}
	if code, _, _ := runUserCmd("", "add", "OnlyName"); code != 2 {
		t.Errorf("missing email: %d", code)
	}
	code, out, _ = runUserCmd("", "list")
	if code != 0 || !strings.Contains(out, "Doe, John <john@example.org> (invited, admin)") || !strings.Contains(out, "Jane <jane2@example.org> (password set)") {
		t.Errorf("user list: %q", out)
	}
	code, tok, _ := runUserCmd("", "token", "john@example.org", "b4")
	st, err := storage.Open(context.Background(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if u, _, err := st.APITokenUser(context.Background(), strings.TrimSpace(tok)); code != 0 || err != nil || u.Email != "john@example.org" {
		t.Errorf("user token: %d %v", code, err)
	}
	if u, err := st.UseInvite(context.Background(), link[1], "john's good password"); err != nil || !u.Admin {
		t.Errorf("the printed invite does not work: %v", err)
	}
}
