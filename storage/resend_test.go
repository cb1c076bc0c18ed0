package storage

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestResendLinkedToItsVersion: "[PATCH RESEND v3]" is a resend of v3,
// not the version after v2: the chain is v2 -> v3 -> v4 with the resend
// beside v3, and the list and series say RESEND.
func TestResendLinkedToItsVersion(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	from := "Ann <ann@example.org>"
	ingestRaw(t, s, threadMail("v2@x", from, "[PATCH v2] vfs: add b", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, patchBody))
	ingestRaw(t, s, threadMail("v3@x", from, "[PATCH v3] vfs: add b", "Tue, 6 Jan 2026 10:00:00 +0000", "", nil, patchBody))
	ingestRaw(t, s, threadMail("v3r@x", from, "[PATCH RESEND v3] vfs: add b", "Tue, 20 Jan 2026 10:00:00 +0000", "", nil, patchBody))
	ingestRaw(t, s, threadMail("v4@x", from, "[PATCH v4] vfs: add b", "Wed, 21 Jan 2026 10:00:00 +0000", "", nil, patchBody))
	v2, v3, v3r, v4 := seriesOf(t, s, "v2@x"), seriesOf(t, s, "v3@x"), seriesOf(t, s, "v3r@x"), seriesOf(t, s, "v4@x")
	if v3 == v3r {
		t.Fatalf("the resend joined the original's series %d", v3)
	}
	prev := func(id int64) int64 {
		var p sql.NullInt64
		s.r.QueryRow(`SELECT prev_id FROM series WHERE id = ?`, id).Scan(&p)
		return p.Int64
	}
	if prev(v3) != v2 || prev(v4) != v3 {
		t.Errorf("v3 links to %d (want v2 %d), v4 to %d (want v3 %d)", prev(v3), v2, prev(v4), v3)
	}
	if prev(v3r) == v2 {
		t.Errorf("the resend is linked as the version after v2")
	}
	chainOf := func(id int64) string {
		chain, err := s.VersionChain(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range chain {
			e := fmt.Sprintf("v%d:%d", c.Version, c.ID)
			if c.Current {
				e += "*"
			}
			for _, r := range c.Resends {
				e += fmt.Sprintf("+resend:%d", r.ID)
				if r.Current {
					e += "*"
				}
			}
			got = append(got, e)
		}
		return strings.Join(got, " ")
	}
	if got, want := chainOf(v2), fmt.Sprintf("v2:%d* v3:%d+resend:%d v4:%d", v2, v3, v3r, v4); got != want {
		t.Errorf("chain from v2: %s, want %s", got, want)
	}
	if got, want := chainOf(v3r), fmt.Sprintf("v2:%d v3:%d+resend:%d* v4:%d", v2, v3, v3r, v4); got != want {
		t.Errorf("chain from the resend: %s, want %s", got, want)
	}
	se, err := s.SeriesByID(ctx, v3r)
	if err != nil {
		t.Fatal(err)
	}
	if se.ResendOf != v3 || se.PrevVersion != v2 || se.NextVersion != v4 {
		t.Errorf("resend series: resend_of %d (want %d), prev %d next %d (want v2 %d, v4 %d)", se.ResendOf, v3, se.PrevVersion, se.NextVersion, v2, v4)
	}
	list, err := s.ListSeries(ctx, SeriesFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ss := range list {
		if (ss.ID == v3r) != (ss.ResendOf != 0) {
			t.Errorf("list: series %d v%d resend_of %d", ss.ID, ss.Version, ss.ResendOf)
		}
		if ss.ID == v3 && ss.State != "superseded" || ss.ID == v3r && ss.State != "superseded" {
			t.Errorf("v3 (or its resend) %d is %s, want superseded by v4", ss.ID, ss.State)
		}
	}
}

// TestResendMigration: a database from before 0011, where a resend was
// linked as the version after v2 and v4 as the one after the resend, is
// relinked: v2 -> v3 -> v4 with the resend beside v3.
func TestResendMigration(t *testing.T) {
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
		if e.Name() >= "0011" {
			break
		}
		body, _ := migrations.ReadFile("migrations/" + e.Name())
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		db.Exec(`INSERT INTO migrations (name) VALUES (?)`, "migrations/"+e.Name())
	}
	for _, q := range []string{
		`INSERT INTO series (id, title, author_name, author_email, version, total, prev_id, created_at, updated_at, tags) VALUES (1, 'vfs: add b', 'Ann', 'ann@x', 2, 0, NULL, 0, 0, 'patch')`,
		`INSERT INTO series (id, title, author_name, author_email, version, total, prev_id, created_at, updated_at, tags) VALUES (2, 'vfs: add b', 'Ann', 'ann@x', 3, 0, 1, 1, 1, 'patch')`,
		`INSERT INTO series (id, title, author_name, author_email, version, total, prev_id, created_at, updated_at, tags) VALUES (3, 'vfs: add b', 'Ann', 'ann@x', 3, 0, 1, 2, 2, 'patch resend')`,
		`INSERT INTO series (id, title, author_name, author_email, version, total, prev_id, created_at, updated_at, tags) VALUES (4, 'vfs: add b', 'Ann', 'ann@x', 4, 0, 3, 3, 3, 'patch')`,
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
	chain, err := s.VersionChain(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range chain {
		e := fmt.Sprintf("%d", c.ID)
		for _, r := range c.Resends {
			e += fmt.Sprintf("+%d", r.ID)
		}
		got = append(got, e)
	}
	if strings.Join(got, " ") != "1 2+3 4" {
		t.Errorf("chain after the migration: %v, want 1 2+3 4", got)
	}
}
