package web

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestTokenGETWhileWriterHeld: noting a token's use is best-effort. With
// the database's write lock held elsewhere (an ingest, another process),
// API GETs with a token (git-pw sends its token on every one) still
// answer 200 instead of waiting out the lock and failing with 500.
func TestTokenGETWhileWriterHeld(t *testing.T) {
	ctx := context.Background()
	s, st, path := facesServerAt(t, nil, Options{})
	u, err := st.AddUser(ctx, "Jane", "jane@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := st.CreateAPIToken(ctx, u.ID, "git-pw")
	if err != nil {
		t.Fatal(err)
	}

	holdWriteLock(t, path, "BEGIN IMMEDIATE")

	for _, c := range []struct{ path, auth string }{
		{"/api/v1/series", "Bearer " + tok},
		{"/api/1.2/patches/", "Token " + tok},
	} {
		r := httptest.NewRequest("GET", c.path, nil)
		r.Header.Set("Authorization", c.auth)
		if w := do(t, s, r); w.Code != http.StatusOK {
			t.Errorf("GET %s with a token while the writer is held: %d %.300s", c.path, w.Code, w.Body.String())
		}
	}
}

// TestTokenUseWrittenOncePerMinute: two API GETs with the same token
// within a minute write its last use once.
func TestTokenUseWrittenOncePerMinute(t *testing.T) {
	s, st, path := facesServerAt(t, nil, Options{})
	token, err := makeToken(context.Background(), st, "Mai Ntainer", "maint@example.org")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`CREATE TABLE token_writes (at INTEGER)`,
		`CREATE TRIGGER count_token_writes AFTER UPDATE OF last_used_at ON api_tokens BEGIN INSERT INTO token_writes VALUES (NEW.last_used_at); END`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if w := pwRequest(t, s, "GET", "/api/1.2/patches/", token, "", ""); w.Code != http.StatusOK {
			t.Fatalf("git-pw patch list: %d %s", w.Code, w.Body)
		}
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM token_writes`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("two GETs within a minute wrote the token's last use %d times, want 1", n)
	}
}
