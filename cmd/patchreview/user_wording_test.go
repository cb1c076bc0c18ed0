package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestUserInviteWording: "user invite" says it invites an existing account
// (not that it made one), and a link on the default address says so and
// how to set the right one.
func TestUserInviteWording(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	env := map[string]string{"PATCHREVIEW_DB": db}
	runUserCmd := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"user"}, args...), strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
		return code, out.String(), errb.String()
	}
	code, out, errs := runUserCmd("add", "Hugh Dickins", "hughd@example.org")
	if code != 0 || !strings.HasPrefix(out, "added the account Hugh Dickins <hughd@example.org>") {
		t.Errorf("user add: %d %q %q", code, out, errs)
	}
	if !strings.Contains(errs, "http://127.0.0.1:8080") || !strings.Contains(errs, "--url") || !strings.Contains(errs, "PATCHREVIEW_URL") {
		t.Errorf("a link on the default address is not explained: %q", errs)
	}
	code, out, errs = runUserCmd("invite", "hughd@example.org")
	if code != 0 || strings.Contains(out, "made") || !strings.HasPrefix(out, "new invite link for the existing account Hugh Dickins <hughd@example.org>") {
		t.Errorf("user invite: %d %q %q", code, out, errs)
	}
	if !strings.Contains(errs, "default address") {
		t.Errorf("user invite: the default address is not said: %q", errs)
	}
	for _, args := range [][]string{{"invite", "--url", "https://review.example.org", "hughd@example.org"}} {
		code, out, errs = runUserCmd(args...)
		if code != 0 || !strings.Contains(out, "https://review.example.org/invite/") || errs != "" {
			t.Errorf("user %v: %d %q %q", args, code, out, errs)
		}
	}
	env["PATCHREVIEW_URL"] = "https://review.example.org"
	if code, out, errs = runUserCmd("invite", "hughd@example.org"); code != 0 || !strings.Contains(out, "https://review.example.org/invite/") || errs != "" {
		t.Errorf("user invite with PATCHREVIEW_URL: %d %q %q", code, out, errs)
	}
}
