package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"patchreview/storage"
)

const userUsage = `usage: patchreview user <add|invite|token|list> [flags] [args]

  user add [--admin] [--password-stdin] NAME EMAIL
      make an account; prints a one-time link where the reviewer sets
      their password, or with --password-stdin reads it from stdin
  user invite EMAIL
      print a new one-time set-password link for an account
  user token EMAIL [NAME]
      print a new personal API token for an account, for git-pw (git config
      pw.token) and the JSON API (Authorization: Bearer)
  user list
      list the accounts

flags: --db PATH (env PATCHREVIEW_DB), --url BASE (env PATCHREVIEW_URL) for the links
`

// runUser implements 'patchreview user …': accounts from the command line,
// to bootstrap the first admin.
func runUser(ctx context.Context, e env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(e.stderr, userUsage)
		return 2
	}
	sub := args[0]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := fs.String("db", envOr(e.getenv, "PATCHREVIEW_DB", "patchreview.db"), "SQLite database file (env PATCHREVIEW_DB)")
	base := fs.String("url", envOr(e.getenv, "PATCHREVIEW_URL", defaultUserURL), "the server's public URL, for invite links (env PATCHREVIEW_URL)")
	admin := fs.Bool("admin", false, "the account may invite others and change anyone's comments")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin instead of printing an invite link")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	want := map[string][2]int{"add": {2, 2}, "invite": {1, 1}, "token": {1, 2}, "list": {0, 0}}
	n, ok := want[sub]
	if !ok || fs.NArg() < n[0] || fs.NArg() > n[1] {
		fmt.Fprint(e.stderr, userUsage)
		return 2
	}
	store, err := storage.Open(ctx, *db, storage.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "patchreview user: %v\n", err)
		return 1
	}
	defer store.Close()
	if err := userCmd(ctx, e, store, sub, fs.Args(), *admin, *pwStdin, strings.TrimRight(*base, "/")); err != nil {
		fmt.Fprintf(e.stderr, "patchreview user %s: %v\n", sub, err)
		return 1
	}
	urlGiven := e.getenv("PATCHREVIEW_URL") != ""
	fs.Visit(func(f *flag.Flag) { urlGiven = urlGiven || f.Name == "url" })
	if !urlGiven && (sub == "add" || sub == "invite") {
		fmt.Fprintf(e.stderr, "note: the link uses the default address %s; if the server runs elsewhere, give its public URL with --url BASE or PATCHREVIEW_URL\n", defaultUserURL)
	}
	return 0
}

// defaultUserURL is the base of printed links when neither --url nor
// PATCHREVIEW_URL gives one: serve's default listen address.
const defaultUserURL = "http://127.0.0.1:8080"

func userCmd(ctx context.Context, e env, store *storage.Store, sub string, args []string, admin, pwStdin bool, base string) error {
	var u *storage.User
	var err error
	switch sub {
	case "list":
		users, err := store.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			state := "password set"
			if !u.HasPassword {
				state = "invited"
			}
			role := ""
			if u.Admin {
				role = ", admin"
			}
			fmt.Fprintf(e.stdout, "%s <%s> (%s%s)\n", u.Name, u.Email, state, role)
		}
		return nil
	case "add":
		// The password is read and checked first: a refused one must not
		// leave an account behind without a password or an invite.
		var pw string
		if pwStdin {
			line, err := bufio.NewReader(e.stdin).ReadString('\n')
			if err != nil && line == "" {
				return errors.New("no password on stdin")
			}
			pw = strings.TrimRight(line, "\r\n")
			if err := storage.CheckPassword(pw); err != nil {
				return err
			}
		}
		if u, err = store.AddUser(ctx, args[0], args[1], admin); err != nil {
			return err
		}
		if pwStdin {
			if err := store.SetPassword(ctx, u.ID, pw); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "added the account %s <%s>%s; sign in at %s/signin\n", u.Name, u.Email, adminNote(u), base)
			return nil
		}
	case "invite":
		if u, err = store.UserByEmail(ctx, args[0]); err != nil {
			return err
		}
	case "token":
		if u, err = store.UserByEmail(ctx, args[0]); err != nil {
			return err
		}
		name := "command line"
		if len(args) > 1 {
			name = args[1]
		}
		tok, err := store.CreateAPIToken(ctx, u.ID, name)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, tok)
		return nil
	}
	tok, err := store.CreateInvite(ctx, u.ID)
	if err != nil {
		return err
	}
	what := "added the account"
	if sub == "invite" {
		what = "new invite link for the existing account"
	}
	fmt.Fprintf(e.stdout, "%s %s <%s>%s; the reviewer sets a password, once, within %d days, at:\n%s/invite/%s\n",
		what, u.Name, u.Email, adminNote(u), int(storage.InviteTTL.Hours()/24), base, tok)
	return nil
}

func adminNote(u *storage.User) string {
	if u.Admin {
		return " (admin)"
	}
	return ""
}
