// Package bench holds the speed benchmark of the checks over real kernel
// diffs; bench/speed.sh builds the diffs and compares with checkpatch.pl.
package bench

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"patchreview/checks"
	"patchreview/review"
)

// loadPatches reads the *.patch files of $PATCHREVIEW_BENCH_PATCHES (written
// by bench/speed.sh with KEEP=dir); the benchmark is skipped without them.
func loadPatches(b *testing.B) []string {
	dir := os.Getenv("PATCHREVIEW_BENCH_PATCHES")
	if dir == "" {
		b.Skip("set PATCHREVIEW_BENCH_PATCHES to a directory of *.patch files (KEEP=dir bench/speed.sh)")
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.patch"))
	if err != nil || len(names) == 0 {
		b.Skipf("no *.patch files in %s", dir)
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, string(data))
	}
	return out
}

// BenchmarkCheckDiff times the checks API alone, one op per patch.
func BenchmarkCheckDiff(b *testing.B) {
	patches := loadPatches(b)
	var bytes int64
	for _, p := range patches {
		bytes += int64(len(p))
	}
	b.SetBytes(bytes / int64(len(patches)))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		checks.CheckDiff(patches[i%len(patches)], checks.Options{})
	}
}

// BenchmarkParseDiff times the diff validation the check command does before
// checking, one op per patch.
func BenchmarkParseDiff(b *testing.B) {
	patches := loadPatches(b)
	for i := 0; b.Loop(); i++ {
		if _, err := review.ParseDiff(patches[i%len(patches)]); err != nil {
			b.Fatal(err)
		}
	}
}
