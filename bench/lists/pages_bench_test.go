package lists

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	ichecker "patchreview/internal/checker"
	"patchreview/storage"
	"patchreview/web"
)

// pagesServer ingests the whole nilfs archive with the checks into a fresh
// database and serves it; it returns bench/pages.sh's URLs.
func pagesServer(b *testing.B) (http.Handler, []page) {
	b.Helper()
	data := archiveB(b)
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "pages.db")
	ck, err := ichecker.New("", "")
	if err != nil {
		b.Fatal(err)
	}
	st, err := storage.Open(ctx, path, storage.Options{Checker: ck})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.IngestMbox(ctx, bytes.NewReader(data), "nilfs", nil); err != nil {
		b.Fatal(err)
	}
	srv, err := web.NewServer(st, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Options{})
	if err != nil {
		b.Fatal(err)
	}
	// the largest series and patch, as bench/pages.sh picks them
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var series, patch int64
	if err := db.QueryRow(`SELECT series_id FROM patches GROUP BY series_id ORDER BY count(*) DESC, series_id LIMIT 1`).Scan(&series); err != nil {
		b.Fatal(err)
	}
	if err := db.QueryRow(`SELECT id FROM patches ORDER BY length(diff) DESC LIMIT 1`).Scan(&patch); err != nil {
		b.Fatal(err)
	}
	return srv.Handler(), []page{
		{"static", "/static/style.css"},
		{"series-list", "/"},
		{"search-writepage", "/?q=writepage"},
		{"search-dfn", "/?q=dfn:fs/nilfs2/segment.c"},
		{"api-search", "/api/v1/series?q=s:nilfs2"},
		{"largest-series", fmt.Sprintf("/series/%d", series)},
		{"largest-patch", fmt.Sprintf("/patches/%d", patch)},
		{"api-status", "/api/v1/status"},
	}
}

// page is a benchmark's name and its URL.
type page struct{ name, url string }

// BenchmarkPages serves bench/pages.sh's URLs in process, one request at a
// time, on the whole archive: a page's own service time and allocations,
// without wrk or the network (ratios: divide by the static asset's ns/op).
// cpu-ns/op is the process's CPU time (user and system, the garbage
// collector's included) per request: the steadier figure on a shared machine.
//
//	go test -run '^$' -bench Pages ./bench/lists
//	go test -run '^$' -bench 'Pages/largest-series' -cpuprofile cpu.prof ./bench/lists
func BenchmarkPages(b *testing.B) {
	h, pages := pagesServer(b)
	for _, p := range pages {
		u := p.url
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, u, nil))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", u, w.Code, w.Body.String())
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
