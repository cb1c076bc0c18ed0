package main

import (
	"context"
	"fmt"
)

// runServe implements 'patchreview serve'.
// TODO: stub, replaced by its owner.
func runServe(ctx context.Context, e env, args []string) int {
	fmt.Fprintln(e.stderr, "patchreview serve: not implemented yet")
	return 2
}
