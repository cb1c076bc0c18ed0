package storage

import (
	"context"
	"testing"
	"time"
)

// The byte bound of the mail in flight: the producer waits past the limit
// until the writer commits a message, and a message larger than the whole
// budget goes through alone rather than never.
func TestByteBudget(t *testing.T) {
	ctx := context.Background()
	b := &byteBudget{limit: 100, freed: make(chan struct{}, 1)}
	if err := b.acquire(ctx, 60); err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() { got <- b.acquire(ctx, 60) }()
	select {
	case err := <-got:
		t.Fatalf("a second 60 bytes within a limit of 100 were taken at once (err %v)", err)
	case <-time.After(50 * time.Millisecond):
	}
	b.release(60)
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	b.release(60)
	// Empty: a message over the limit goes through alone...
	if err := b.acquire(ctx, 1000); err != nil {
		t.Fatal(err)
	}
	// ...and holds the next one back until released; a cancelled wait ends.
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := b.acquire(cctx, 1); err == nil {
		t.Fatal("a message was taken while one over the limit was ahead")
	}
	b.release(1000)
	if err := b.acquire(ctx, 1); err != nil {
		t.Fatal(err)
	}
}
