package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"patchreview/internal/checker"
	"patchreview/storage"
	"patchreview/web"
)

// runIngest implements 'patchreview ingest [--db PATH] [FILE…|-]': store and
// check mail from files or stdin (an MTA pipe). Each input may be an mbox or
// a single message. With --public-inbox the arguments are public-inbox
// archives (lore's git format), imported, or updated since the last run.
func runIngest(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := fs.String("db", envOr(e.getenv, "PATCHREVIEW_DB", "patchreview.db"), "SQLite database file (env PATCHREVIEW_DB)")
	kv := fs.String("kernel-version", e.getenv("PATCHREVIEW_KERNEL_VERSION"), "kernel version for era-dependent checks (default: infer)")
	tree := fs.String("tree", e.getenv("PATCHREVIEW_TREE"), "kernel source tree the patches apply to, so whole functions are checked (env PATCHREVIEW_TREE)")
	quiet := fs.Bool("q", false, "print nothing but errors")
	inbox := fs.Bool("public-inbox", false, "the arguments are public-inbox archives (DIR with git/0.git…, or one epoch repository): import what is new since the last run")
	list := fs.String("list", "", "with --public-inbox: the list name for mail without a List-Id header (default: the directory's name)")
	budget := fs.Duration("check-budget", 10*time.Second, "time budget for the checks of one message; past it the message is stored with a note")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: patchreview ingest [--db PATH] [FILE…|-]\n       patchreview ingest --public-inbox [--list NAME] DIR…")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *list != "" {
		// The list's name in the faces' URLs: /<list>/<msgid>/.
		if err := web.CheckListName(*list); err != nil {
			fmt.Fprintln(e.stderr, "patchreview ingest: --list:", err)
			return 2
		}
	}
	files := fs.Args()
	if len(files) == 0 {
		if *inbox {
			fs.Usage()
			return 2
		}
		files = []string{"-"}
	}
	checker, err := checker.New(*kv, *tree)
	if err != nil {
		fmt.Fprintln(e.stderr, "patchreview ingest:", err)
		return 2
	}
	st, err := storage.Open(ctx, *db, storage.Options{Checker: checker, CheckBudget: *budget})
	if err != nil {
		fmt.Fprintln(e.stderr, "patchreview ingest:", err)
		return 1
	}
	defer st.Close()
	// Finish what an earlier run, a killed server or the webhook left
	// accepted but unprocessed.
	if n, err := st.ProcessPending(ctx); err != nil {
		fmt.Fprintln(e.stderr, "patchreview ingest: pending messages:", err)
		if ctx.Err() != nil {
			return 1
		}
	} else if n > 0 && !*quiet {
		fmt.Fprintf(e.stdout, "%d pending messages processed\n", n)
	}
	var total storage.IngestStats
	for _, name := range files {
		var s storage.IngestStats
		var err error
		if *inbox {
			progress := progressLine(e, name)
			s, err = st.IngestPublicInbox(ctx, name, *list, progress)
			if progress != nil {
				fmt.Fprint(e.stderr, "\r\033[K") // the summary goes on a clean line
			}
		} else {
			s, err = ingestOne(ctx, e, st, name)
		}
		total = addStats(total, s)
		if err != nil {
			fmt.Fprintf(e.stderr, "patchreview ingest: %s: %v\n", name, err)
			return 1
		}
	}
	if !*quiet {
		fmt.Fprintf(e.stdout, "%d messages: %d new, %d duplicates, %d failed to parse (stored raw); %d patches in %d series\n",
			total.Messages, total.New, total.Duplicates, total.Failed, total.Patches, total.Series)
		if total.Stopped > 0 {
			fmt.Fprintf(e.stdout, "%d messages' checks stopped by the time budget (stored with a note)\n", total.Stopped)
		}
	}
	return 0
}

func ingestOne(ctx context.Context, e env, st *storage.Store, name string) (storage.IngestStats, error) {
	var r io.Reader = e.stdin
	source := "stdin"
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return storage.IngestStats{}, err
		}
		defer f.Close()
		r, source = f, "file:"+name
	}
	progress := progressLine(e, name)
	if progress != nil {
		defer fmt.Fprint(e.stderr, "\r\033[K")
	}
	return st.IngestMbox(ctx, r, source, progress)
}

// progressLine returns a progress callback that rewrites one line on a
// terminal, or nil when stderr is not one.
func progressLine(e env, name string) func(storage.IngestStats) {
	if !isTerminal(e.stderr) {
		return nil
	}
	start := time.Now()
	return func(s storage.IngestStats) {
		if s.Messages%200 == 0 {
			fmt.Fprintf(e.stderr, "\r%s: %d messages (%d new, %d patches), %.0f msgs/s\033[K", name, s.Messages, s.New, s.Patches,
				float64(s.Messages)/time.Since(start).Seconds())
		}
	}
}

// isTerminal reports whether w is a terminal, for the progress line.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func addStats(a, b storage.IngestStats) storage.IngestStats {
	return storage.IngestStats{Messages: a.Messages + b.Messages, New: a.New + b.New, Duplicates: a.Duplicates + b.Duplicates,
		Failed: a.Failed + b.Failed, Patches: a.Patches + b.Patches, Series: a.Series + b.Series, Stopped: a.Stopped + b.Stopped}
}
