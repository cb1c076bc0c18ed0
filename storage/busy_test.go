package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

// TestIsBusy: a write while another connection holds BEGIN EXCLUSIVE
// fails with an error IsBusy knows, also wrapped; other errors are not.
func TestIsBusy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	st, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	open := func() *sql.DB {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)&_pragma=journal_mode(WAL)")
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		t.Cleanup(func() { db.Close() })
		return db
	}
	holder, writer := open(), open()
	conn, err := holder.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	_, err = writer.ExecContext(ctx, "INSERT INTO migrations (name) VALUES ('x')")
	if err == nil {
		t.Fatal("a write while another connection holds BEGIN EXCLUSIVE succeeded")
	}
	if !IsBusy(err) || !IsBusy(fmt.Errorf("storage: add comment: %w", err)) {
		t.Errorf("IsBusy(%v) = false", err)
	}
	conn.ExecContext(ctx, "ROLLBACK")
	_, err = writer.ExecContext(ctx, "INSERT INTO no_such_table VALUES (1)")
	if err == nil || IsBusy(err) || IsBusy(ErrNotFound) || IsBusy(errors.New("database is locked")) {
		t.Errorf("IsBusy is true for an error that is not SQLITE_BUSY: %v", err)
	}
}
