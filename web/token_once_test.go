package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"patchreview/storage"
)

// facesServerAt is facesServer on a database file the test may open too.
// holdWriteLock takes the database's write lock from another connection
// (begin: "BEGIN IMMEDIATE" or "BEGIN EXCLUSIVE"), as another process such
// as an ingest would, until release (or the test's end).
func holdWriteLock(t *testing.T, path, begin string) (release func()) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		conn.Close()
		db.Close()
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
				t.Errorf("releasing the write lock: %v", err)
			}
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(release)
	return release
}

func facesServerAt(t *testing.T, log *slog.Logger, opts Options) (*Server, *storage.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "web.db")
	st, err := storage.Open(context.Background(), path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s, err := NewServer(st, log, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.IngestBytes(context.Background(), withListID(readFixture(t, fixture), "shadow.example.org"), "test", nil); err != nil {
		t.Fatal(err)
	}
	return s, st, path
}

// tokenUseCounter counts the token lookups by the writes of
// api_tokens.last_used_at, with a trigger, from a connection of its own.
// A lookup writes only when the stored time is a minute old, so the
// trigger puts it back to 0 after each write: every lookup then writes
// (SQLite's triggers are not recursive by default).
func tokenUseCounter(t *testing.T, path string) func() int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{`CREATE TABLE token_uses (at INTEGER)`,
		`CREATE TRIGGER count_token_uses AFTER UPDATE OF last_used_at ON api_tokens WHEN NEW.last_used_at != 0
			BEGIN INSERT INTO token_uses VALUES (NEW.last_used_at); UPDATE api_tokens SET last_used_at = 0 WHERE id = NEW.id; END`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return func() int {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM token_uses`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
}

// TestPatchworkTokenResolvedOnce: a git-pw write looks its token up once
// (the middleware's; the face takes the account from the request), and a
// bad token is a 401 in each face's own format.
func TestPatchworkTokenResolvedOnce(t *testing.T) {
	s, st, path := facesServerAt(t, nil, Options{})
	_, _, v2p := pwIDs(t, st)
	token, err := makeToken(context.Background(), st, "Mai Ntainer", "maint@example.org")
	if err != nil {
		t.Fatal(err)
	}
	uses := tokenUseCounter(t, path)
	url := "/api/1.2/patches/" + itoa(int(v2p[0])) + "/"
	form := "application/x-www-form-urlencoded"

	if w := pwRequest(t, s, "PATCH", url, token, form, "state=accepted"); w.Code != http.StatusOK {
		t.Fatalf("git-pw patch update: %d %s", w.Code, w.Body)
	}
	if n := uses(); n != 1 {
		t.Errorf("one git-pw patch update looked its token up %d times, want 1", n)
	}
	if w := pwRequest(t, s, "GET", "/api/1.2/users/?q=maint", token, "", ""); w.Code != http.StatusOK {
		t.Fatalf("git-pw user list: %d %s", w.Code, w.Body)
	}
	if n := uses(); n != 2 {
		t.Errorf("after a second call: %d token lookups, want 2", n)
	}
	// The scheme is case-insensitive, as patchwork's is.
	req := httptest.NewRequest("PATCH", url, strings.NewReader("state=rfc"))
	req.Header.Set("Content-Type", form)
	req.Header.Set("Authorization", "token "+token)
	if w := do(t, s, req); w.Code != http.StatusOK {
		t.Errorf(`"token …": %d %s`, w.Code, w.Body)
	}

	// A session cookie is not a token: the face's writes take a token.
	_, cookie := signIn(t, st, "Browser", "browser@example.org", false)
	req = httptest.NewRequest("PATCH", url, strings.NewReader("state=accepted"))
	req.Header.Set("Content-Type", form)
	req.AddCookie(cookie)
	if w := do(t, s, req); w.Code != http.StatusUnauthorized {
		t.Errorf("a write with a session cookie: %d", w.Code)
	}

	for _, c := range []struct{ name, method, url, auth, key string }{
		{"pw write, bad token", "PATCH", url, "Token prt_nope", "detail"},
		{"pw read, bad token", "GET", "/api/1.2/series/", "Token prt_nope", "detail"},
		{"pw, basic auth", "GET", "/api/1.2/users/", "Basic dXNlcjpwdw==", "detail"},
		{"JSON API, bad token", "GET", "/api/v1/series", "Bearer prt_nope", "error"},
	} {
		req := httptest.NewRequest(c.method, c.url, strings.NewReader("state=accepted"))
		req.Header.Set("Content-Type", form)
		req.Header.Set("Authorization", c.auth)
		w := do(t, s, req)
		var body map[string]string
		if w.Code != http.StatusUnauthorized || json.Unmarshal(w.Body.Bytes(), &body) != nil || body[c.key] == "" || len(body) != 1 {
			t.Errorf("%s: %d %s, want 401 with only %q", c.name, w.Code, w.Body, c.key)
		}
		if c.key == "detail" && w.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s: no WWW-Authenticate", c.name)
		}
	}
	if n := uses(); n != 3 {
		t.Errorf("%d token lookups in all, want 3 (bad tokens write nothing)", n)
	}
}
