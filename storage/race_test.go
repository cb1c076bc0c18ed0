package storage

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestConcurrentProcessStoresOnce: an upload and the queue worker may both
// process the same accepted message; it must be stored once, without error.
func TestConcurrentProcessStoresOnce(t *testing.T) {
	s, _ := openTest(t, Options{})
	raw, err := os.ReadFile(filepath.Join("testdata", "shadowfs-v1-v2.mbox"))
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := s.Accept(context.Background(), raw, "test")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- s.Process(context.Background(), id) }()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Process: %v", err)
		}
	}
	var patches int
	s.r.QueryRow(`SELECT count(*) FROM patches`).Scan(&patches)
	if patches != 1 {
		t.Errorf("%d patch rows for one message, want 1", patches)
	}
}
