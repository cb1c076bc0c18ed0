package main

import (
	"context"
	"fmt"
)

// runCheck implements 'patchreview check'.
// TODO: stub, replaced by its owner.
func runCheck(ctx context.Context, e env, args []string) int {
	fmt.Fprintln(e.stderr, "patchreview check: not implemented yet")
	return 2
}
