package storage

import (
	"context"
	"database/sql"
	"testing"
)

// TestStatementsCompiledOncePerTransaction: in any write transaction, not
// only the ingest's batches, a query run twice is compiled once.
func TestStatementsCompiledOncePerTransaction(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	const q = `SELECT count(*) FROM messages WHERE message_id = ?`
	var first *sql.Tx
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		first = tx
		a, b := stmtFor(ctx, tx, q), stmtFor(ctx, tx, q)
		if a == nil || a != b {
			t.Errorf("stmtFor twice in one transaction = %p, %p; want one cached statement", a, b)
		}
		for range 2 {
			var n int
			if err := qRow(ctx, tx, q, "<x@example.org>").Scan(&n); err != nil || n != 0 {
				t.Errorf("cached query: %d, %v", n, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The transaction's statements end with it.
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		return qRow(ctx, tx, q, "<x@example.org>").Scan(&n)
	})
	if err != nil {
		t.Fatalf("the same query in the next transaction: %v", err)
	}
	if _, ok := txCaches.Load(first); ok {
		t.Error("a transaction's cache outlived it")
	}
}

// TestStatementOutsideWithTx: a transaction that did not come from withTx
// runs its statements without a cache.
func TestStatementOutsideWithTx(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if st := stmtFor(ctx, tx, `SELECT 1`); st != nil {
		t.Error("stmtFor found a cache for a transaction of its own")
	}
	var n int
	if err := qRow(ctx, tx, `SELECT 1`).Scan(&n); err != nil || n != 1 {
		t.Errorf("qRow without a cache: %d, %v", n, err)
	}
}
