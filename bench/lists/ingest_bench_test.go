package lists

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"patchreview/storage"
)

// BenchmarkIngestNilfs ingests the whole linux-nilfs archive into a fresh
// database per iteration (no checker): threading, anchoring and trailer
// collection over 3,933 real mails. Skips without the archive.
func BenchmarkIngestNilfs(b *testing.B) {
	data := archiveB(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := storage.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), storage.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := st.IngestMbox(ctx, bytes.NewReader(data), "nilfs", nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
}
