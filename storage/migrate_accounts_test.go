package storage

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"patchreview/review"
)

// TestAccountsMigrationKeepsComments: a database from before accounts
// (migrations up to 0007) keeps its comments, ids and all, through 0008;
// afterwards a deleted comment's id is never handed out again.
func TestAccountsMigrationKeepsComments(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", dsn(path, "immediate", "FULL"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE migrations (name TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	names, _ := migrations.ReadDir("migrations")
	for _, e := range names {
		if e.Name() >= "0008" {
			break
		}
		body, _ := migrations.ReadFile("migrations/" + e.Name())
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		db.Exec(`INSERT INTO migrations (name) VALUES (?)`, "migrations/"+e.Name())
	}
	for _, q := range []string{
		`INSERT INTO series (id, title, author_name, author_email, version, total, created_at, updated_at) VALUES (1, 't', 'a', 'a@b', 1, 1, 0, 0)`,
		`INSERT INTO messages (id, message_id, raw, received_at) VALUES (1, 'm@x', 'x', 0)`,
		`INSERT INTO patches (id, series_id, message_id, number, title, kind) VALUES (1, 1, 1, 1, 't', 'patch')`,
		`INSERT INTO comments (id, patch_id, series_id, source, author_name, author_email, line, body, created_at) VALUES (5, 1, 1, 'web', 'Hugh', 'hugh@x', 3, 'old words', 0)`,
		`INSERT INTO comments (id, patch_id, series_id, source, author_name, author_email, line, body, created_at) VALUES (9, 1, 1, 'web', 'Jan', 'jan@x', 4, 'newest', 0)`,
		`INSERT INTO verdicts (series_id, patch_id, kind, author_name, author_email, created_at) VALUES (1, 1, 'Acked-by', 'Jan', 'jan@x', 0)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.CommentByID(ctx, 5)
	if err != nil || c.Body != "old words" || c.Line != 3 || c.UserID != 0 || c.Side != "new" {
		t.Fatalf("comment 5 after the migration: %+v %v", c, err)
	}
	admin, _ := s.AddUser(ctx, "Admin", "admin@x", true)
	hugh, _ := s.AddUser(ctx, "Hugh", "hugh@x", false)
	if err := s.EditComment(ctx, 5, hugh, "mine?"); err == nil {
		t.Error("a comment from before accounts was taken over by the account with its email")
	}
	if err := s.DeleteComment(ctx, 9, admin); err != nil {
		t.Fatal(err)
	}
	id, err := s.AddComment(ctx, review.Comment{PatchID: 1, Author: hugh.Address(), UserID: hugh.ID, Body: "after"})
	if err != nil || id <= 9 {
		t.Errorf("new comment id %d after deleting 9 (%v): ids are reused", id, err)
	}
	vs, _ := s.Verdicts(ctx, 1, 1)
	if len(vs) != 1 || !strings.HasPrefix(vs[0].Trailer(), "Acked-by: Jan") {
		t.Errorf("verdicts after the migration: %+v", vs)
	}
}
