package main

import (
	"context"
	"flag"
	"fmt"

	"patchreview/storage"
)

// runPWToken implements 'patchreview pw-token --user NAME --email ADDR [--name
// "Full Name"] [--db PATH]': create an account for the patchwork face and
// print its new API token (git config pw.token). Only the token's hash is
// stored, so it is shown once.
func runPWToken(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("pw-token", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := fs.String("db", envOr(e.getenv, "PATCHREVIEW_DB", "patchreview.db"), "SQLite database file (env PATCHREVIEW_DB)")
	user := fs.String("user", "", "username (required; git-pw --delegate takes it)")
	email := fs.String("email", "", "email address (required)")
	name := fs.String("name", "", "full name")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: patchreview pw-token --user NAME --email ADDR [--name \"Full Name\"] [--db PATH]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *user == "" || *email == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	st, err := storage.Open(ctx, *db, storage.Options{})
	if err != nil {
		fmt.Fprintln(e.stderr, "patchreview pw-token:", err)
		return 1
	}
	defer st.Close()
	token, err := st.CreateFaceToken(ctx, *user, *name, *email)
	if err != nil {
		fmt.Fprintln(e.stderr, "patchreview pw-token:", err)
		return 1
	}
	fmt.Fprintln(e.stdout, token)
	return 0
}
