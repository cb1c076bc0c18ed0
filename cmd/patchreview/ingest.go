package main

import (
	"context"
	"fmt"
)

// runIngest implements 'patchreview ingest'.
// TODO: stub, replaced by its owner.
func runIngest(ctx context.Context, e env, args []string) int {
	fmt.Fprintln(e.stderr, "patchreview ingest: not implemented yet")
	return 2
}
