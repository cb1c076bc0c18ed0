package storage

import (
	"context"
	"database/sql"
	"testing"
)

// Every reader connection stays open when idle: a reopened one starts with
// a cold page cache and parses the schema again.
func TestReaderConnectionsStayOpen(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	var held []*sql.Rows
	for range readers {
		rows, err := s.r.QueryContext(ctx, `SELECT id FROM messages UNION ALL SELECT 1`)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, rows) // each holds its connection until closed
	}
	for _, rows := range held {
		rows.Close()
	}
	st := s.r.Stats()
	if st.OpenConnections != readers || st.Idle != readers || st.MaxIdleClosed != 0 {
		t.Errorf("after %d parallel reads: %d open, %d idle, %d closed for being idle; want all %d kept open",
			readers, st.OpenConnections, st.Idle, st.MaxIdleClosed, readers)
	}
	var cache int
	if err := s.r.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil || cache != -16384 {
		t.Errorf("a reader's cache_size: %d (%v), want -16384 (16 MB)", cache, err)
	}
}

// The writer journals statements in memory, not in a temporary file (a
// system call per page, most of what an ingest wrote), and keeps an 8 MB
// page cache.
func TestWriterPragmas(t *testing.T) {
	s, _ := openTest(t, Options{})
	var store, cache int
	if err := s.w.QueryRow(`PRAGMA temp_store`).Scan(&store); err != nil || store != 2 {
		t.Errorf("the writer's temp_store: %d (%v), want 2 (memory)", store, err)
	}
	if err := s.w.QueryRow(`PRAGMA cache_size`).Scan(&cache); err != nil || cache != -8192 {
		t.Errorf("the writer's cache_size: %d (%v), want -8192 (8 MB)", cache, err)
	}
}
