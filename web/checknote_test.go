package web

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"patchreview/review"
	"patchreview/storage"
)

// A patch whose checks were stopped by the time budget says so above its
// findings, and the status page does not list it as a failure.
func TestCheckNoteOnPatchPage(t *testing.T) {
	st, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "n.db"), storage.Options{
		CheckBudget: 10 * time.Millisecond,
		Checker: func(ctx context.Context, m *review.Message) ([]review.Finding, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := NewServer(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil); err != nil {
		t.Fatal(err)
	}
	if body := get(t, s, "/patches/1").Body.String(); !strings.Contains(body, "The checks did not finish on this patch (check stopped after 0.01 s)") {
		t.Errorf("the patch page does not say its checks were stopped")
	}
	if body := get(t, s, "/status").Body.String(); strings.Contains(body, "check stopped") {
		t.Errorf("the status page lists a stopped check as a failure")
	}
}
